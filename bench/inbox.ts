// Read-side benchmarks of issue 17 (npm run bench:inbox [-- --sizes=1000,10000,50000]): for N open tasks
// (N process instances, each with its projectId and tenantId variables) it measures, over real HTTP,
//   - /api/tasks for the Bureau reviewer (the inbox, one page of 50) beside /health alone;
//   - /health while 5 clients open their inbox over and over, beside /health alone;
//   - /v2/user-tasks/search with candidateGroup (plain and $in of two groups), beside the search by userTaskKey;
//   - instance search by a variable: /v2/process-instances/search `variables` and /api/ops/instances?projectId=,
//     beside the /v2 search by processInstanceKey.
// The server runs in a child process as src/main.ts wires it (one fastify app: /api, and /v2 on the embedded
// engine, the business API reaching /v2 over loopback through the official client); the measuring client (this
// process) uses fetch and the official @camunda8/sdk client. The tasks are seeded through the engine's in-process
// API in the child. Every figure is printed beside its same-run baseline, with the load average.
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { createLooseCamundaClient } from '../src/camunda/client.ts';

const SIZES = (process.argv.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '1000,10000')
  .split(',')
  .map(Number);
const REPEAT = Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 40);

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const stats = (v: number[]) => `p50 ${ms(pct(v, 50))}, p99 ${ms(pct(v, 99))}`;

async function timed(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    out.push(performance.now() - t);
  }
  return out;
}

interface Served {
  address: string;
  seconds: number;
}

type Cpu = () => Promise<number>;

function serve(n: number): Promise<{ served: Served; stop: () => void; cpu: Cpu }> {
  const child = fork(new URL('./inbox-server.ts', import.meta.url).pathname, [String(n)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const cpu: Cpu = () =>
      new Promise((r) => {
        child.once('message', (m) => r((m as { cpuMs: number }).cpuMs));
        child.send('cpu');
      });
    child.once('message', (m) => resolve({ served: m as Served, stop: () => child.kill('SIGTERM'), cpu }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

async function login(address: string, username: string): Promise<Record<string, string>> {
  const r = await json(`${address}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: address },
    body: JSON.stringify({ tenantId: 'yunfu', username, password: 'Demo-Passw0rd!' }),
  });
  return { authorization: `Bearer ${r.token as string}` };
}

async function measure(n: number): Promise<void> {
  const { served, stop, cpu } = await serve(n);
  const { address } = served;
  try {
    const client = createLooseCamundaClient({
      restAddress: address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    });
    const NOW = { consistency: { waitUpToMs: 0 } } as never;
    const reviewer = await login(address, 'bureau.reviewer');
    const admin = await login(address, 'bureau.admin');
    const health = () => fetch(`${address}/health`).then((r) => r.text());
    const inbox = (page = 1) => json(`${address}/api/tasks?pageSize=50&page=${page}`, { headers: reviewer });
    // warm-up: statement caches, JIT, the official client's first request
    for (let i = 0; i < 5; i++) await Promise.all([health(), inbox()]);

    const first = await inbox();
    const cpu0 = await cpu();
    const healthAlone = await timed(REPEAT * 3, health);
    const cpu1 = await cpu();
    const inboxTimes = await timed(REPEAT, (i) => inbox(1 + (i % 5)));
    const cpuPer = { health: (cpu1 - cpu0) / (REPEAT * 3), inbox: ((await cpu()) - cpu1) / REPEAT };

    const { healthLoaded, inboxesOpened } = await healthWhileInboxesOpen(health, inbox);

    const tasks = (await client.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 100 } }, NOW))
      .items as unknown as Array<{ userTaskKey: string; processInstanceKey: string }>;
    const byTaskKey = await timed(REPEAT, (i) =>
      client.searchUserTasks({ filter: { userTaskKey: tasks[i % tasks.length]!.userTaskKey } } as never, NOW),
    );
    const byGroup = await timed(REPEAT, () =>
      client.searchUserTasks(
        { filter: { candidateGroup: 'bureau-reviewer', state: 'CREATED' }, page: { limit: 50 } } as never,
        NOW,
      ),
    );
    const byGroups = await timed(REPEAT, () =>
      client.searchUserTasks(
        {
          filter: { candidateGroup: { $in: ['bureau-reviewer', 'finance'] }, state: 'CREATED' },
          sort: [{ field: 'creationDate', order: 'DESC' }],
          page: { limit: 50 },
        } as never,
        NOW,
      ),
    );
    const { byInstanceKey, byVariable, opsByProject, found } = await projectSearches(
      client,
      address,
      admin,
      tasks,
      n,
    );
    report({
      n,
      seconds: served.seconds,
      first,
      found,
      inboxesOpened,
      healthAlone,
      healthLoaded,
      inboxTimes,
      cpuPer,
      byGroup,
      byGroups,
      byTaskKey,
      byVariable,
      byInstanceKey,
      opsByProject,
    });
  } finally {
    stop();
  }
}

/** Finding a project's instance: by key (the baseline), by its projectId variable on /v2, and through /api/ops. */
async function projectSearches(
  client: ReturnType<typeof createLooseCamundaClient>,
  address: string,
  admin: Record<string, string>,
  tasks: Array<{ processInstanceKey: string }>,
  n: number,
) {
  const NOW = { consistency: { waitUpToMs: 0 } } as never;
  const project = (i: number) => `YF-${(i * 7919) % n}`;
  const byInstanceKey = await timed(REPEAT, (i) =>
    client.searchProcessInstances(
      { filter: { processInstanceKey: tasks[i % tasks.length]!.processInstanceKey } } as never,
      NOW,
    ),
  );
  const byVariable = await timed(REPEAT, (i) =>
    client.searchProcessInstances(
      { filter: { variables: [{ name: 'projectId', value: JSON.stringify(project(i)) }] } } as never,
      NOW,
    ),
  );
  const opsByProject = await timed(REPEAT, (i) =>
    json(`${address}/api/ops/instances?projectId=${project(i)}&state=ACTIVE`, { headers: admin }),
  );
  const found = await json(`${address}/api/ops/instances?projectId=${project(3)}&state=ACTIVE`, {
    headers: admin,
  });

  return { byInstanceKey, byVariable, opsByProject, found };
}

/** /health every 5 ms while 5 clients open their inbox back to back. */
async function healthWhileInboxesOpen(
  health: () => Promise<unknown>,
  inbox: () => Promise<unknown>,
): Promise<{ healthLoaded: number[]; inboxesOpened: number }> {
  let loading = true;
  const clients = Array.from({ length: 5 }, async () => {
    let count = 0;
    while (loading) {
      await inbox();
      count++;
    }
    return count;
  });
  const healthLoaded: number[] = [];
  const end = performance.now() + Math.max(3_000, REPEAT * 60);
  while (performance.now() < end) {
    const t = performance.now();
    await health();
    healthLoaded.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  loading = false;
  const inboxesOpened = (await Promise.all(clients)).reduce((a, b) => a + b, 0);
  return { healthLoaded, inboxesOpened };
}

interface Figures {
  n: number;
  seconds: number;
  first: Record<string, unknown>;
  found: Record<string, unknown>;
  inboxesOpened: number;
  healthAlone: number[];
  healthLoaded: number[];
  inboxTimes: number[];
  /** Server CPU per request (ms), /health alone and /api/tasks. */
  cpuPer: { health: number; inbox: number };
  byGroup: number[];
  byGroups: number[];
  byTaskKey: number[];
  byVariable: number[];
  byInstanceKey: number[];
  opsByProject: number[];
}

/** Prints one size's table: every figure beside its same-run baseline. */
function report(f: Figures): void {
  const { n, first, found, inboxesOpened, healthAlone, healthLoaded, inboxTimes } = f;
  const { byGroup, byGroups, byTaskKey, byVariable, byInstanceKey, opsByProject } = f;
  const served = { seconds: f.seconds };
  console.log(`\n## ${n.toLocaleString('en')} open tasks (seeded in ${served.seconds.toFixed(1)} s)`);
  console.log(
    `load average now: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  console.log(`| measure | figure | same-run baseline | ratio (p50) |`);
  console.log(`|---|---|---|---|`);
  const row = (what: string, v: number[], base: number[], baseName: string) =>
    console.log(
      `| ${what} | ${stats(v)} | ${baseName}: ${stats(base)} | ${(pct(v, 50) / pct(base, 50)).toFixed(1)}× |`,
    );
  row('/api/tasks, reviewer, 50 a page', inboxTimes, healthAlone, '/health alone');
  console.log(
    `| server CPU per request (/api/tasks; the inbox's /v2 calls included) | ${ms(f.cpuPer.inbox)} | /health alone: ${ms(f.cpuPer.health)} | ${(f.cpuPer.inbox / f.cpuPer.health).toFixed(1)}× |`,
  );
  row(
    `/health while 5 clients open inboxes (${inboxesOpened} opened)`,
    healthLoaded,
    healthAlone,
    '/health alone',
  );
  row('/v2/user-tasks/search candidateGroup', byGroup, byTaskKey, 'by userTaskKey');
  row('/v2/user-tasks/search candidateGroup $in 2, creationDate desc', byGroups, byTaskKey, 'by userTaskKey');
  row('/v2/process-instances/search variables projectId', byVariable, byInstanceKey, 'by processInstanceKey');
  row('/api/ops/instances?projectId=', opsByProject, byInstanceKey, '/v2 by processInstanceKey');
  console.log(
    `inbox total reported: ${String(first.total)} (expected ${n}); ops search found ${String(found.total)} (expected 1); ` +
      `/health delay under load: p50 +${ms(pct(healthLoaded, 50) - pct(healthAlone, 50))}, ` +
      `p99 +${ms(pct(healthLoaded, 99) - pct(healthAlone, 99))}`,
  );
}

console.log(
  `# bench:inbox — sizes ${SIZES.join(', ')}, ${REPEAT} requests a measure; Node ${process.version}`,
);
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
);
for (const n of SIZES) await measure(n);
