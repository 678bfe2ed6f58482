// Group commit benchmark (issue 17): the 10-service-task process with many commands in flight, in process
// (Engine.submit, several workers each completing a batch of jobs at once) and over /v2 (the official client's
// job worker against the embedded engine's REST API), each with group commit on and off (`groupCommit: false`,
// one durable transaction per command: the baseline), FULL durability, beside the raw durable commit rate and the
// sequential in-process row of bench/engine.ts — all measured in this run.
//   node --import tsx bench/group-commit.ts [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { createCamundaClient } from '../src/camunda/client.ts';
import { Engine } from '../src/engine/engine.ts';
import { camundaRestApi } from '../src/engine/rest/plugin.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 200 : 1000;
/** In process: workers, each activating up to JOBS jobs and completing them all at once. */
const WORKERS = 4;
const JOBS = 32;
const dir = mkdtempSync(join(tmpdir(), 'group-commit-bench-'));
const fmt = (n: number, d = 1) => n.toFixed(d);
const load = () =>
  loadavg()
    .map((l) => fmt(l, 2))
    .join(', ');

function tenTasks(): string {
  let body = '<bpmn:startEvent id="s"/>';
  let prev = 's';
  for (let i = 1; i <= 10; i++) {
    body += `<bpmn:sequenceFlow id="f${i}" sourceRef="${prev}" targetRef="t${i}"/><bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="bench"/></bpmn:extensionElements></bpmn:serviceTask>`;
    prev = `t${i}`;
  }
  body += `<bpmn:sequenceFlow id="fe" sourceRef="${prev}" targetRef="e"/><bpmn:endEvent id="e"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="ten-tasks" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}

/** Raw SQLite: one small insert per FULL transaction, as many as fit in `ms` (bench/engine.ts's raw rate, warmed up). */
let rawRuns = 0;
function rawCommitRate(ms = 2000): number {
  const db = new Database(join(dir, `raw-${++rawRuns}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = db.transaction((v: string) => insert.run(v));
  // warm-up: past the first checkpoint the WAL file is reused instead of grown, as in a running engine's file
  for (let i = 0; i < 1500; i++) tx('{"value":42}');
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    tx('{"value":42}');
    n++;
  }
  db.close();
  return n / (ms / 1000);
}

interface Row {
  instancesPerSecond: number;
  commandsPerSecond: number;
  commandsPerCommit: number;
}

async function open(name: string, groupCommit: boolean): Promise<Engine> {
  const engine = await Engine.open({ file: join(dir, `${name}.db`), synchronous: 'FULL', groupCommit });
  await engine.deploy([{ name: 'ten.bpmn', content: tenTasks() }]);
  return engine;
}

function row(engine: Engine, commands: number, commits0: number, seconds: number): Row {
  const completed = engine.searchProcessInstances({ filter: { state: 'COMPLETED' }, page: { limit: 1 } }).page
    .totalItems;
  if (completed !== N) throw new Error(`${completed} of ${N} instances completed`);
  const commits = engine.commitStats().commits - commits0;
  engine.close();
  return {
    instancesPerSecond: N / seconds,
    commandsPerSecond: commands / seconds,
    commandsPerCommit: commands / commits,
  };
}

/** bench/engine.ts's throughput row: one command at a time, each its own transaction. */
async function sequential(): Promise<Row> {
  const engine = await open('sequential', false);
  const c0 = engine.commitStats().commits;
  let commands = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++, commands++)
    engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } });
  for (;;) {
    const jobs = engine.activateJobs({ type: 'bench', worker: 'w', maxJobsToActivate: 100, timeout: 60_000 });
    commands++;
    if (jobs.length === 0) break;
    for (const j of jobs) {
      engine.completeJob(j.jobKey, { [j.elementId]: true });
      commands++;
    }
  }
  return row(engine, commands, c0, (performance.now() - start) / 1000);
}

/** Many commands in flight in process: every creation at once, then WORKERS workers completing JOBS jobs at once. */
async function inProcess(groupCommit: boolean): Promise<Row> {
  const engine = await open(`in-process-${groupCommit}`, groupCommit);
  const c0 = engine.commitStats().commits;
  let commands = 0;
  let completions = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      engine.submit(() =>
        engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } }),
      ),
    ),
  );
  commands += N;
  const worker = async (w: number) => {
    while (completions < N * 10) {
      const jobs = await engine.submit(() =>
        engine.activateJobs({ type: 'bench', worker: `w${w}`, maxJobsToActivate: JOBS, timeout: 60_000 }),
      );
      commands++;
      if (jobs.length === 0) {
        await engine.waitForJobs('bench', 20);
        continue;
      }
      await Promise.all(
        jobs.map((j) => engine.submit(() => engine.completeJob(j.jobKey, { [j.elementId]: true }))),
      );
      commands += jobs.length;
      completions += jobs.length;
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return row(engine, commands, c0, (performance.now() - start) / 1000);
}

/** Over /v2: creations through the official client (64 in flight), its job worker completing (64 in parallel). */
async function overRest(groupCommit: boolean): Promise<Row> {
  const engine = await open(`rest-${groupCommit}`, groupCommit);
  const app = Fastify({ logger: false });
  let commands = 0;
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && !request.url.endsWith('/search')) commands++;
  });
  await app.register(camundaRestApi, {
    prefix: '/v2',
    engine,
    auth: { mode: 'none' },
    listenHost: '127.0.0.1',
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  const client = createCamundaClient({
    restAddress: `http://127.0.0.1:${port}`,
    auth: { strategy: 'NONE' },
    tenantId: null,
  });
  const c0 = engine.commitStats().commits;
  const start = performance.now();
  let ended = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    allDone = r;
  });
  const worker = client.createJobWorker({
    jobType: 'bench',
    maxParallelJobs: 64,
    jobTimeoutMs: 60_000,
    pollTimeoutMs: 10_000,
    jobHandler: async (job) => {
      const r = await job.complete({ [job.elementId]: true });
      if (job.elementId === 't10' && ++ended === N) allDone();
      return r;
    },
  });
  for (let i = 0; i < N; i += 64)
    await Promise.all(
      Array.from({ length: Math.min(64, N - i) }, (_, k) =>
        client.createProcessInstance({ processDefinitionId: 'ten-tasks' as never, variables: { i: i + k } }),
      ),
    );
  await done;
  const seconds = (performance.now() - start) / 1000;
  await (worker as unknown as { stop(): Promise<unknown> }).stop();
  await app.close();
  return row(engine, commands, c0, seconds);
}

async function main() {
  console.log(
    `group commit benchmark (${quick ? 'quick' : 'full'}), ${N} instances of 10 service tasks, FULL, node ${process.version}; load average at the start: ${load()}`,
  );
  // The disk is shared: its durable commit rate moves during a run. Each row is set beside the raw rate measured
  // just before and just after it (their mean), as well as beside the run's overall mean.
  const rows: Array<{ what: string; row: Row; raw: number }> = [];
  let rawBefore = rawCommitRate();
  const raws = [rawBefore];
  const measure = async (what: string, r: () => Promise<Row>) => {
    const row = await r();
    const rawAfter = rawCommitRate();
    raws.push(rawAfter);
    rows.push({ what, row, raw: (rawBefore + rawAfter) / 2 });
    rawBefore = rawAfter;
    return row;
  };
  await measure('in process, sequential (bench/engine.ts row)', sequential);
  const inFlight = `${WORKERS} workers × ${JOBS} jobs in flight`;
  const ipOff = await measure(`in process, ${inFlight}, group commit off`, () => inProcess(false));
  const ipOn = await measure(`in process, ${inFlight}, group commit on `, () => inProcess(true));
  const client = 'official client job worker (64 parallel)';
  const restOff = await measure(`over /v2, ${client}, group commit off`, () => overRest(false));
  const restOn = await measure(`over /v2, ${client}, group commit on `, () => overRest(true));
  console.log(`raw SQLite FULL commits/s, between the rows: ${raws.map((r) => fmt(r, 0)).join(', ')}`);
  for (const { what, row: r, raw } of rows)
    console.log(
      `${what}: ${fmt(r.instancesPerSecond)} instances/s = ${fmt(r.commandsPerSecond, 0)} commands/s = ${fmt((r.commandsPerSecond / raw) * 100)}% of raw FULL around it (${fmt(raw, 0)}/s); ${fmt(r.commandsPerCommit, 2)} commands per commit`,
    );
  console.log(
    `ratios on/off (same run): in process ${fmt(ipOn.instancesPerSecond / ipOff.instancesPerSecond, 2)}, over /v2 ${fmt(restOn.instancesPerSecond / restOff.instancesPerSecond, 2)}`,
  );
  console.log(`load average at the end: ${load()}`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
