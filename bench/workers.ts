// Issue #17: the job workers on their own thread against the same workers on the engine's event loop
// (`npm run bench:workers`; `-- --instances=1000 --inFlight=50 --latency=100`). Each mode starts the system as
// `npm start` does (bench/workers-server.ts: real HTTP on a free port, a temporary data directory), deploys the
// ten-service-task process of bench/engine.ts over /v2 with the official client, runs the instances with
// `awaitCompletion`, `--inFlight` at a time, then one instance at a time for the latency. Beside them, in the same
// run, the in-process engine's figures for the same process (bench/engine.ts's loop: no HTTP, no client).
// CPU is user + system time: the server process's (every thread) and its main thread's, and this process's (the
// client that creates the instances).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLooseCamundaClient, type LooseCamundaClient } from '../src/camunda/client.ts';
import { Engine } from '../src/engine/engine.ts';
import { tenTasks } from './ten-tasks.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const INSTANCES = arg('instances', 1000);
const IN_FLIGHT = arg('inFlight', 50);
const LATENCY = arg('latency', 100);

// The official client lets 16 calls run at once by default (README, "The official client's cap"): this process's
// client must let `--inFlight` creates wait for their instances at once. The server keeps npm start's settings.
process.env.CAMUNDA_SDK_BACKPRESSURE_INITIAL_MAX ??= String(Math.max(16, IN_FLIGHT));

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const fmt = (n: number, d = 1) => n.toFixed(d);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const load = () =>
  loadavg()
    .map((l) => fmt(l, 2))
    .join(', ');

interface Figures {
  perSecond: number;
  serverCpu: number;
  mainCpu: number;
  /** The workers' thread alone (thread mode). */
  workersCpu: number;
  clientCpu: number;
  /** Job activation requests served per instance (thread vs main loop: how the workers batch). */
  activations: number;
  p50: number;
  p99: number;
}

/** The in-process engine: creates, activates and completes in one loop, as bench/engine.ts's throughput row. */
async function inProcess(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'workers-bench-inprocess-'));
  const engine = await Engine.open({
    file: join(dir, 'engine.sqlite'),
    synchronous: 'FULL',
    scheduler: false,
  });
  await engine.deploy([{ name: 'ten.bpmn', content: tenTasks() }]);
  const drain = (batch: number) => {
    for (;;) {
      const jobs = engine.activateJobs({
        type: 'bench',
        worker: 'w',
        maxJobsToActivate: batch,
        timeout: 60_000,
      });
      if (jobs.length === 0) return;
      for (const j of jobs) engine.completeJob(j.jobKey, { [j.elementId]: true });
    }
  };
  const cpu0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < INSTANCES; i++)
    engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } });
  drain(100);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (cpuMs() - cpu0) / INSTANCES;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY; i++) {
    const s0 = performance.now();
    engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } });
    drain(1);
    samples.push(performance.now() - s0);
  }
  engine.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    perSecond: INSTANCES / seconds,
    serverCpu: cpu,
    mainCpu: cpu,
    workersCpu: 0,
    clientCpu: 0,
    activations: 0,
    p50: pct(samples, 50),
    p99: pct(samples, 99),
  };
}

function startServer(mode: 'thread' | 'client'): Promise<{ child: ChildProcess; address: string }> {
  const child = fork(new URL('./workers-server.ts', import.meta.url), [mode], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, CAMUNDA_SDK_BACKPRESSURE_INITIAL_MAX: undefined },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { address: string }) => resolve({ child, address: m.address }));
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
}

type ServerCpu = { cpuMs: number; mainMs: number; workersMs: number; requests: Record<string, number> };
function serverCpu(child: ChildProcess): Promise<ServerCpu> {
  return new Promise((resolve) => {
    child.once('message', (m: ServerCpu) => resolve(m));
    child.send('cpu');
  });
}

async function create(client: LooseCamundaClient, i: number): Promise<void> {
  const r = await client.createProcessInstance({
    processDefinitionId: 'ten-tasks',
    variables: { i },
    awaitCompletion: true,
    requestTimeout: 120_000,
  } as never);
  if (!(r as unknown as { variables?: Record<string, unknown> }).variables?.t10)
    throw new Error(`instance ${i} did not complete`);
}

async function overRest(mode: 'thread' | 'client'): Promise<Figures> {
  const { child, address } = await startServer(mode);
  try {
    const client = createLooseCamundaClient({
      restAddress: address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    });
    await client.createDeployment({
      resources: [new File([tenTasks()], 'ten.bpmn', { type: 'application/xml' }) as never],
    });
    for (let i = 0; i < 20; i++) await create(client, -1 - i); // warm-up: JIT, connections, the workers' polls
    const before = await serverCpu(child);
    const client0 = cpuMs();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < INSTANCES) await create(client, next++);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const after = await serverCpu(child);
    const clientCpu = (cpuMs() - client0) / INSTANCES;
    const samples: number[] = [];
    for (let i = 0; i < LATENCY; i++) {
      const s0 = performance.now();
      await create(client, INSTANCES + i);
      samples.push(performance.now() - s0);
    }
    return {
      perSecond: INSTANCES / seconds,
      serverCpu: (after.cpuMs - before.cpuMs) / INSTANCES,
      mainCpu: (after.mainMs - before.mainMs) / INSTANCES,
      workersCpu: (after.workersMs - before.workersMs) / INSTANCES,
      clientCpu,
      activations: ((after.requests.activations ?? 0) - (before.requests.activations ?? 0)) / INSTANCES,
      p50: pct(samples, 50),
      p99: pct(samples, 99),
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  console.log(
    `${INSTANCES} instances of ten-tasks, ${IN_FLIGHT} in flight; latency over ${LATENCY} one at a time`,
  );
  console.log(`load average at the start: ${load()}`);
  const base = await inProcess();
  const thread = await overRest('thread');
  const loop = await overRest('client');
  const ms = (n: number) => `${fmt(n, 2)} ms`;
  const row = (name: string, f: Figures) =>
    console.log(
      `${name}: ${fmt(f.perSecond)} instances/s; CPU per completed instance: server process ${ms(f.serverCpu)} ` +
        `(${fmt(f.serverCpu / base.serverCpu, 2)}× in-process), main thread ${ms(f.mainCpu)} ` +
        `(${fmt(f.mainCpu / base.serverCpu, 2)}× in-process), workers' thread ${ms(f.workersCpu)}, ` +
        `creating client ${ms(f.clientCpu)}; ${fmt(f.activations, 2)} job activations per instance; latency one at a time p50 ${fmt(f.p50)} ms ` +
        `(${fmt(f.p50 / base.p50, 2)}× in-process), p99 ${fmt(f.p99)} ms`,
    );
  row('in-process engine (no HTTP)', base);
  row('REST, workers on their own thread', thread);
  row('REST, workers on the main loop', loop);
  // the issue's "the client's": what the official client costs per instance — the workers' (their thread) and the
  // creating client's; the server is the main thread (engine, HTTP), which the workers no longer share
  const clients = thread.workersCpu + thread.clientCpu;
  console.log(
    `workers on their own thread: main thread ${ms(thread.mainCpu)} against the clients' ${ms(clients)} ` +
      `(workers' thread + creating client) = ${fmt(thread.mainCpu / clients, 2)}× the client's; ` +
      `main thread against the main-loop mode's ${fmt(thread.mainCpu / loop.mainCpu, 2)}×; ` +
      `throughput ${fmt(thread.perSecond / loop.perSecond, 2)}× the main-loop mode's`,
  );
  console.log(`load average at the end: ${load()}`);
}

await main();
