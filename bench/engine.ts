// Engine benchmarks (npx tsx bench/engine.ts [--quick]): throughput beside the raw SQLite commit
// rate, latency, heap per waiting instance, timer delay, start-up time. Prints medians and ratios
// measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EngineClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import { bpmn, tenTasks } from './ten-tasks.ts';

const quick = process.argv.includes('--quick');
/** `--only=timers` (or another section's name) runs that section alone. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const runs = (section: string) => !only || only === section;
const WAITING = quick ? 10_000 : 100_000;
const TIMERS = quick ? 10_000 : 100_000;
const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
const gc = (globalThis as { gc?: () => void }).gc;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const median = (v: number[]) => pct(v, 50);
const fmt = (n: number, d = 1) => n.toFixed(d);

const userTask = bpmn(
  'wait-user',
  '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u"/><bpmn:userTask id="u"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="reviewers"/></bpmn:extensionElements></bpmn:userTask><bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="e"/><bpmn:endEvent id="e"/>',
);
const timerCatch = bpmn(
  'wait-timer',
  '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDate>=due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/>',
);

/** Raw SQLite: one small insert per transaction, as many as fit in `ms`. */
function rawCommitRate(sync: 'FULL' | 'NORMAL', ms = 2000): number {
  const db = new Database(join(dir, `raw-${sync}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = db.transaction((v: string) => insert.run(v));
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    tx('{"value":42}');
    n++;
  }
  db.close();
  return n / (ms / 1000);
}

async function throughput(
  sync: 'FULL' | 'NORMAL',
  instances: number,
  file = join(dir, `throughput-${sync}.db`),
) {
  const engine = await Engine.open({ file, synchronous: sync });
  await engine.deploy([{ name: 'ten.bpmn', content: tenTasks() }]);
  const completedBefore = (): number =>
    engine.searchProcessInstances({ filter: { state: 'COMPLETED' }, page: { limit: 1 } }).page.totalItems;
  const already = completedBefore();
  const commandsBefore = process.hrtime.bigint();
  let commands = 0;
  const start = performance.now();
  for (let i = 0; i < instances; i++) {
    engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } });
    commands++;
  }
  for (;;) {
    const jobs = engine.activateJobs({ type: 'bench', worker: 'w', maxJobsToActivate: 100, timeout: 60_000 });
    commands++;
    if (jobs.length === 0) break;
    for (const j of jobs) {
      engine.completeJob(j.jobKey, { [j.elementId]: true });
      commands++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  void commandsBefore;
  // the instances of this run only (a file may hold the history of earlier ones)
  const completed = completedBefore() - already;
  engine.close();
  return { instancesPerSecond: completed / seconds, commandsPerSecond: commands / seconds, completed };
}

async function latency(count: number) {
  const engine = await Engine.open({ file: join(dir, 'latency.db'), synchronous: 'FULL' });
  await engine.deploy([{ name: 'ten.bpmn', content: tenTasks() }]);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const pi = engine.createProcessInstance({ processDefinitionId: 'ten-tasks', variables: { i } });
    for (;;) {
      const jobs = engine.activateJobs({ type: 'bench', worker: 'w', maxJobsToActivate: 1, timeout: 60_000 });
      if (jobs.length === 0) break;
      engine.completeJob(jobs[0]!.jobKey);
    }
    samples.push(performance.now() - t0);
    if (engine.getProcessInstance(pi.processInstanceKey).state !== 'COMPLETED')
      throw new Error('not completed');
  }
  engine.close();
  return { p50: median(samples), p99: pct(samples, 99) };
}

async function memoryAndStartup() {
  const file = join(dir, 'waiting.db');
  const engine = await Engine.open({ file, synchronous: 'NORMAL' });
  await engine.deploy([{ name: 'user.bpmn', content: userTask }]);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  for (let i = 0; i < WAITING; i++)
    engine.createProcessInstance({ processDefinitionId: 'wait-user', variables: { i } });
  const createSeconds = (performance.now() - t0) / 1000;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const rssAfter = process.memoryUsage().rss;
  const waiting = engine.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 1 } }).page
    .totalItems;
  engine.close();
  // start-up: open the file again and serve a query and a command
  const s0 = performance.now();
  const again = await Engine.open({ file, synchronous: 'NORMAL' });
  const [task] = again.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 1 } }).items;
  again.completeUserTask(task!.userTaskKey);
  const startupMs = performance.now() - s0;
  again.close();
  return {
    waiting,
    heapPerInstance: (heapAfter - heapBefore) / WAITING,
    rssPerInstance: (rssAfter - rssBefore) / WAITING,
    createPerSecond: WAITING / createSeconds,
    startupMs,
  };
}

async function timers() {
  const clock = new EngineClock();
  const T = Date.parse('2026-01-01T00:00:00Z');
  clock.pin(T);
  const engine = await Engine.open({ file: join(dir, 'timers.db'), synchronous: 'NORMAL', clock });
  await engine.deploy([{ name: 'timer.bpmn', content: timerCatch }]);
  // due dates spread over 100 s of engine time, 1,000 per second
  const spreadMs = 100_000;
  for (let i = 0; i < TIMERS; i++) {
    const due = new Date(T + 1 + Math.floor((i * spreadMs) / TIMERS)).toISOString();
    engine.createProcessInstance({ processDefinitionId: 'wait-timer', variables: { due } });
  }
  // steady: the clock moves 100 ms at a time; a timer's delay is from the moment the clock passed
  // its due instant until the batch holding it committed (measured in wall time)
  const delays: number[] = [];
  let stepStart = 0;
  const off = engine.onTimersFired((n) => {
    const d = performance.now() - stepStart;
    for (let i = 0; i < n; i++) delays.push(d);
  });
  for (let t = 0; t < spreadMs; t += 100) {
    stepStart = performance.now();
    engine.advanceClock(100);
  }
  off();
  const fired = delays.length;
  engine.close();
  // burst: all timers due at once, fired one transaction each (the baseline) and in batches
  const one = await burst(1);
  const batched = await burst();
  return { fired, p50: median(delays), p99: pct(delays, 99), one, batched };
}

/** 20,000 timers (the quick run: 10,000) due at one instant; the clock jumps past them. */
async function burst(timersPerTransaction?: number) {
  const T = Date.parse('2026-01-01T00:00:00Z');
  const clock = new EngineClock();
  clock.pin(T);
  const engine = await Engine.open({
    file: join(dir, `timers-burst-${timersPerTransaction ?? 'batched'}.db`),
    synchronous: 'NORMAL',
    clock,
    timersPerTransaction,
  });
  await engine.deploy([{ name: 'timer.bpmn', content: timerCatch }]);
  const count = Math.min(TIMERS, 20_000);
  for (let i = 0; i < count; i++)
    engine.createProcessInstance({
      processDefinitionId: 'wait-timer',
      variables: { due: new Date(T + 1000).toISOString() },
    });
  const delays: number[] = [];
  let commits = 0;
  const cpu0 = process.cpuUsage();
  const b0 = performance.now();
  engine.onTimersFired((n) => {
    const d = performance.now() - b0;
    commits++;
    for (let i = 0; i < n; i++) delays.push(d);
  });
  engine.advanceClock(1000);
  const seconds = (performance.now() - b0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  engine.close();
  return {
    count,
    commits,
    p99: pct(delays, 99),
    perSecond: count / seconds,
    cpuMsPerTimer: (cpu.user + cpu.system) / 1000 / count,
  };
}

async function main() {
  console.log(
    `engine benchmark (${quick ? 'quick' : 'full'}), node ${process.version}, gc ${gc ? 'exposed' : 'not exposed (run with --expose-gc)'}`,
  );
  if (runs('throughput')) await throughputSection();
  if (runs('timers')) await timerSection();
  if (runs('history')) await historySection();
  rmSync(dir, { recursive: true, force: true });
}

async function throughputSection() {
  const rawFull = rawCommitRate('FULL');
  const rawNormal = rawCommitRate('NORMAL');
  console.log(`raw SQLite commits/s: FULL ${fmt(rawFull, 0)}, NORMAL ${fmt(rawNormal, 0)}`);
  const n = quick ? 200 : 1000;
  const full = await throughput('FULL', n);
  const normal = await throughput('NORMAL', n);
  console.log(
    `throughput (10 service tasks, in-process worker, ${n} instances): FULL ${fmt(full.instancesPerSecond)} instances/s = ${fmt(full.commandsPerSecond, 0)} commands/s (${fmt((full.commandsPerSecond / rawFull) * 100)}% of raw FULL); NORMAL ${fmt(normal.instancesPerSecond)} instances/s = ${fmt(normal.commandsPerSecond, 0)} commands/s (${fmt((normal.commandsPerSecond / rawNormal) * 100)}% of raw NORMAL)`,
  );
  const lat = await latency(quick ? 50 : 300);
  console.log(`latency create→complete (10 tasks, FULL): p50 ${fmt(lat.p50)} ms, p99 ${fmt(lat.p99)} ms`);
  const mem = await memoryAndStartup();
  console.log(
    `waiting at a user task: ${mem.waiting} instances (created ${fmt(mem.createPerSecond, 0)}/s, NORMAL); heap ${fmt(mem.heapPerInstance)} B/instance, RSS ${fmt(mem.rssPerInstance)} B/instance; start-up with them ${fmt(mem.startupMs)} ms`,
  );
}

async function timerSection() {
  const tm = await timers();
  console.log(
    `timers: ${tm.fired} fired while the clock moved 100 s in 100 ms steps: delay p50 ${fmt(tm.p50)} ms, p99 ${fmt(tm.p99)} ms`,
  );
  const b = (r: typeof tm.one) =>
    `p99 ${fmt(r.p99, 0)} ms, ${fmt(r.perSecond, 0)} timers/s, ${fmt(r.cpuMsPerTimer * 1000, 0)} µs CPU per timer, ${r.commits} commits`;
  console.log(
    `burst of ${tm.batched.count} timers due at once (NORMAL): batched ${b(tm.batched)}; one transaction each (baseline, same run) ${b(tm.one)}; p99 ratio ${fmt(tm.batched.p99 / tm.one.p99, 2)}`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(', ')}`,
  );
}

/**
 * Issue 17's row "throughput with 100,000 completed instances of history in the file" (the quick run: 10,000):
 * the FULL throughput row on a file holding that history, between two runs on fresh files (same run); then the
 * history removed by the retention (time to live 1 ms, removed as an explicit pass) and the row once more.
 */
async function historySection() {
  const H = quick ? 10_000 : 100_000;
  const n = quick ? 200 : 1000;
  const file = join(dir, 'history.db');
  const filled = await throughput('NORMAL', H, file);
  const fresh1 = await throughput('FULL', n, join(dir, 'fresh-1.db'));
  const withHistory = await throughput('FULL', n, file);
  const fresh2 = await throughput('FULL', n, join(dir, 'fresh-2.db'));
  const fresh = (fresh1.instancesPerSecond + fresh2.instancesPerSecond) / 2;
  const rowsOf = () => {
    const db = new Database(file, { readonly: true });
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const r = { instances: count('process_instances'), records: count('records') };
    db.close();
    return r;
  };
  const before = rowsOf();
  const pruning = await Engine.open({ file, synchronous: 'FULL', scheduler: false, historyTimeToLive: 1 });
  const t0 = performance.now();
  pruning.processDue();
  const pruneSeconds = (performance.now() - t0) / 1000;
  pruning.close();
  const after = rowsOf();
  const pruned = await throughput('FULL', n, file);
  console.log(
    `history: ${filled.completed} completed instances filled; FULL throughput with them in the file ${fmt(withHistory.instancesPerSecond)} instances/s against ${fmt(fresh1.instancesPerSecond)} and ${fmt(fresh2.instancesPerSecond)} on fresh files before and after (ratio ${fmt(withHistory.instancesPerSecond / fresh, 2)})`,
  );
  console.log(
    `retention: ${before.instances - after.instances} instances and ${before.records - after.records} event-log rows removed in ${fmt(pruneSeconds, 2)} s (${fmt((before.instances - after.instances) / pruneSeconds, 0)} instances/s, FULL); throughput on the pruned file ${fmt(pruned.instancesPerSecond)} instances/s (ratio to fresh ${fmt(pruned.instancesPerSecond / fresh, 2)})`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(', ')}`,
  );
}

await main();
