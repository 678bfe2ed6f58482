// Topology, status and the engine clock.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.ts';
import { bodyOf, Violations } from '../validate.ts';

const GATEWAY_VERSION = '8.8.0';

export function registerClusterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;

  app.get('/topology', async (request) => {
    const address = request.socket.localAddress ?? '127.0.0.1';
    return {
      brokers: [
        {
          nodeId: 0,
          host: address.replace(/^::ffff:/, ''),
          port: request.socket.localPort ?? 0,
          partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
          version: GATEWAY_VERSION,
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: GATEWAY_VERSION,
      lastCompletedChangeId: '-1',
    };
  });

  app.get('/status', async (_request, reply) => reply.code(204).send());

  app.put('/clock', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const timestamp = v.integer(body, 'timestamp', {
      required: true,
      min: 0,
      minText: 'a non-negative epoch millisecond',
    });
    v.check();
    engine.pinClock(timestamp!);
    return reply.code(204).send();
  });

  app.post('/clock/reset', async (_request, reply) => {
    engine.resetClock();
    return reply.code(204).send();
  });
}
