// The server of bench/inbox.ts, run as a child process: the embedded engine with N open tasks for the Bureau
// reviewer (N instances with projectId `YF-<i>` and tenantId `yunfu`), /api and /v2 on one fastify app as
// src/main.ts serves them. Tells the parent its address (IPC) once listening.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CamundaProcessGateway } from '../src/app/camunda-gateway.ts';
import { seedDemo } from '../src/app/demo-seed.ts';
import { buildServer } from '../src/app/server.ts';
import { Engine } from '../src/engine/engine.ts';
import { camundaRestApi } from '../src/engine/rest/plugin.ts';
import { Store } from '../src/store/store.ts';

const n = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'inbox-bench-'));

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="bench-review" name="审核" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u"/><bpmn:userTask id="u" name="初核"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="bureau-reviewer"/></bpmn:extensionElements></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const engine = await Engine.open({ file: join(dir, 'engine.sqlite'), logger: pino({ level: 'silent' }) });
await engine.deploy([{ name: 'bench-review.bpmn', content: Buffer.from(REVIEW) }]);
const seedStart = performance.now();
for (let i = 0; i < n; i++) {
  await engine.createProcessInstance({
    processDefinitionId: 'bench-review',
    variables: { projectId: `YF-${i}`, projectName: `项目 ${i}`, tenantId: 'yunfu', unitId: 'jiaoyu' },
  });
}
const seconds = (performance.now() - seedStart) / 1000;

const store = await Store.open({ databaseUrl: null, dataDir: dir });
await seedDemo(store, 'Demo-Passw0rd!');
const port = await freePort();
const address = `http://127.0.0.1:${port}`;
const app = await buildServer({
  config: { dataDir: dir, logLevel: 'warn' },
  store,
  processes: CamundaProcessGateway.fromConfig({
    restAddress: address,
    auth: { strategy: 'NONE' },
    tenantId: null,
  }),
  logStream: { write: () => {} },
});
await app.register(camundaRestApi, {
  prefix: '/v2',
  engine,
  auth: { mode: 'none' },
  listenHost: '127.0.0.1',
});
await app.listen({ host: '127.0.0.1', port });
process.send?.({ address, seconds });
// the server's CPU time so far (user + system, ms), asked by the parent around a measure: the event loop's cost of a
// request, which the machine's load does not inflate as it does wall-clock latency
process.on('message', (m) => {
  if (m !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMs: (user + system) / 1000 });
});

process.on('SIGTERM', async () => {
  await app.close();
  engine.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
