// Signals: broadcast (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/).
import type { FastifyInstance } from 'fastify';
import { type RouteContext, sendProblem } from '../context.ts';
import { bodyOf, Violations } from '../validate.ts';

export function registerSignalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post('/signals/broadcast', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const signalName = v.requiredString(body, 'signalName');
    const variables = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      return await engine.submit(() =>
        engine.broadcastSignal({ signalName: signalName!, ...(variables ? { variables } : {}) }),
      );
    } catch (e) {
      return sendProblem(reply, e, 'BROADCAST');
    }
  });
}
