// Messages: publication and correlation.
import type { FastifyInstance } from 'fastify';
import { type RouteContext, sendProblem } from '../context.ts';
import { bodyOf, Violations } from '../validate.ts';

export function registerMessageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerPublication(app, ctx);
  registerCorrelation(app, ctx);
}

function registerPublication(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post('/messages/publication', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const name = v.requiredString(body, 'name');
    const correlationKey = v.optionalString(body, 'correlationKey');
    const timeToLive = v.integer(body, 'timeToLive', { min: 0, minText: '0 or more' });
    const messageId = v.optionalString(body, 'messageId');
    const variables = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      return await engine.submit(() =>
        engine.publishMessage({
          name: name!,
          ...(correlationKey !== undefined ? { correlationKey } : {}),
          timeToLive: timeToLive ?? 0,
          ...(messageId !== undefined ? { messageId } : {}),
          ...(variables ? { variables } : {}),
        }),
      );
    } catch (e) {
      return sendProblem(reply, e, 'PUBLISH');
    }
  });
}

function registerCorrelation(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post('/messages/correlation', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const name = v.requiredString(body, 'name', 'messageName');
    const correlationKey = v.optionalString(body, 'correlationKey');
    const variables = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      return await engine.submit(() =>
        engine.correlateMessage({
          name: name!,
          ...(correlationKey !== undefined ? { correlationKey } : {}),
          ...(variables ? { variables } : {}),
        }),
      );
    } catch (e) {
      return sendProblem(reply, e, 'CORRELATE');
    }
  });
}
