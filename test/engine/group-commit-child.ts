// Child process of the group commit crash test: serves the /v2 API on an engine file with FULL durability and
// group commit (the default), prints PORT <port>. The test completes jobs over HTTP, many at once, and kills it
// with SIGKILL in between; every command it was answered for must be in the file, and no other half of one.
import Fastify from 'fastify';
import { Engine } from '../../src/engine/engine.ts';
import { camundaRestApi } from '../../src/engine/rest/plugin.ts';

const file = process.argv[2]!;
const engine = await Engine.open({ file, synchronous: 'FULL' });
const app = Fastify({ logger: false });
await app.register(camundaRestApi, {
  prefix: '/v2',
  engine,
  auth: { mode: 'none' },
  listenHost: '127.0.0.1',
});
await app.listen({ host: '127.0.0.1', port: 0 });
const a = app.server.address();
process.stdout.write(`PORT ${typeof a === 'object' && a ? a.port : 0}\n`);
