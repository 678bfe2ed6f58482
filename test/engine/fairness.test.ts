// One model cannot stall the others (issue 12 §2), over real HTTP on a real engine file.
// Zeebe processes one command at a time from its log and writes each follow-up as a new command, so
// other instances' commands interleave with a loop, which runs until an administrator cancels it:
// https://docs.camunda.io/docs/components/zeebe/technical-concepts/internal-processing/
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { evaluate } from '../../src/engine/feel/index.ts';
import { type EmbeddedServer, startEmbedded } from '../../src/engine/rest/standalone.ts';
import { MIGRATIONS } from '../../src/engine/state/schema.ts';
import { fixture } from './helpers.ts';
import { type RestServer, startRest } from './rest-server.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

async function post(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
}

async function deploy(base: string, ...names: string[]): Promise<void> {
  const form = new FormData();
  for (const n of names) form.append('resources', new Blob([fixture(n).content]), n);
  const res = await fetch(`${base}/v2/deployments`, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Latencies (ms) of `count` sequential GET /v2/topology. */
async function topologyLatencies(base: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/v2/topology`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    out.push(performance.now() - t);
  }
  return out;
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `n=${ms.length} median=${p(0.5)} p95=${p(0.95)} max=${sorted[sorted.length - 1]!.toFixed(1)} ms`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a looping model without wait states', () => {
  let server: RestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs on in bounded transactions while requests and other instances go on, until cancelled', async () => {
    server = await startRest();
    const base = server.address;
    await deploy(base, 'endless-loop.bpmn', 'script-task.bpmn');
    console.log(`GET /v2/topology, idle engine: ${summary(await topologyLatencies(base, 20))}`);
    const created = await post(base, '/v2/process-instances', {
      processDefinitionId: 'endless-loop',
      variables: { n: 0, limit: 1e15 },
    });
    expect(created.status).toBe(200);
    const key = ((await created.json()) as { processInstanceKey: string }).processInstanceKey;
    const vars = () => server!.engine.getVariables(key) as { n: number };
    const n0 = vars().n;

    const latencies = await topologyLatencies(base, 50);
    console.log(`GET /v2/topology while a loop runs: ${summary(latencies)}`);
    // the old engine answered nothing for the 21.7 s the loop took to hit its guard
    expect(Math.max(...latencies)).toBeLessThan(500);

    const other = await post(base, '/v2/process-instances', {
      processDefinitionId: 'script-task',
      variables: { lines: [{ amount: 2 }, { amount: 3 }] },
      awaitCompletion: true,
    });
    expect(other.status).toBe(200);
    expect(((await other.json()) as { variables: { total: number } }).variables.total).toBe(5);

    const n1 = vars().n;
    expect(n1).toBeGreaterThan(n0); // the loop went on meanwhile
    console.log(`loop iterations during the requests: ${n1 - n0}`);

    const cancelled = await post(base, `/v2/process-instances/${key}/cancellation`, {});
    expect(cancelled.status).toBe(204);
    expect(server.engine.hasPendingSteps()).toBe(false);
    const state = await fetch(`${base}/v2/process-instances/${key}`).then((r) => r.json());
    expect((state as { state: string }).state).toBe('TERMINATED');
    await sleep(50);
    const after = server.engine.searchVariables({ filter: { processInstanceKey: key, name: 'n' } }).items[0];
    await sleep(50);
    const later = server.engine.searchVariables({ filter: { processInstanceKey: key, name: 'n' } }).items[0];
    expect(later?.value).toBe(after?.value); // stopped
  });

  it('answers a create with awaitCompletion once a long run ends, many transactions later', async () => {
    server = await startRest();
    let commits = 0;
    const engine = server.engine;
    // each iteration is several steps: 3,000 iterations need many bounded transactions
    await deploy(server.address, 'endless-loop.bpmn');
    const poll = setInterval(() => {
      if (engine.hasPendingSteps()) commits++;
    }, 1);
    const done = await post(server.address, '/v2/process-instances', {
      processDefinitionId: 'endless-loop',
      variables: { n: 0, limit: 3000 },
      awaitCompletion: true,
      requestTimeout: 60_000,
    });
    clearInterval(poll);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { variables: { n: number } }).variables.n).toBe(3000);
    expect(commits).toBeGreaterThan(0); // it did continue in later transactions
  });
});

describe('a FEEL for over 20 million items', () => {
  let server: RestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('becomes an incident naming the limit, in bounded memory, and the server answers on', async () => {
    server = await startRest();
    const base = server.address;
    await deploy(base, 'huge-for.bpmn');
    const rss0 = process.memoryUsage().rss;
    const t = performance.now();
    const created = await post(base, '/v2/process-instances', {
      processDefinitionId: 'huge-for',
      variables: { size: 20_000_000 },
    });
    const took = performance.now() - t;
    expect(created.status).toBe(200);
    const key = ((await created.json()) as { processInstanceKey: string }).processInstanceKey;
    const rssDelta = (process.memoryUsage().rss - rss0) / 1e6;
    console.log(`for over 20,000,000 items: ${took.toFixed(0)} ms, rss delta ${rssDelta.toFixed(0)} MB`);
    expect(rssDelta).toBeLessThan(300); // the old engine took 3 GB for 9 million and died at 20 million

    const incidents = await post(base, '/v2/incidents/search', { filter: { processInstanceKey: key } });
    const items = ((await incidents.json()) as { items: Array<{ errorType: string; errorMessage: string }> })
      .items;
    expect(items).toHaveLength(1);
    expect(items[0]!.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(items[0]!.errorMessage).toContain('exceeded the limit of 1,000,000 range items');
    expect(items[0]!.errorMessage).toContain('20,000,000');

    const latencies = await topologyLatencies(base, 10);
    expect(Math.max(...latencies)).toBeLessThan(500);
    // a smaller list is fine
    const small = await post(base, '/v2/process-instances', {
      processDefinitionId: 'huge-for',
      variables: { size: 1000 },
      awaitCompletion: true,
    });
    expect(((await small.json()) as { variables: { total: number } }).variables.total).toBe(1000);
  });

  it('stops an evaluation over lists (no range) at the time budget', () => {
    // a cartesian product of three 2,000-item lists would be 8e9 contexts
    const l = Array.from({ length: 2000 }, (_, i) => i);
    const t = performance.now();
    expect(() => evaluate('for x in l, y in l, z in l return x', { l })).toThrow(
      "failed to evaluate expression 'for x in l, y in l, z in l return x': the evaluation exceeded the time limit of 1,000 ms",
    );
    const took = performance.now() - t;
    console.log(`time budget stopped the evaluation after ${took.toFixed(0)} ms`);
    expect(took).toBeLessThan(5000);
    // the evaluator works on afterwards
    expect(evaluate('for x in l return x', { l: [1, 2] })).toEqual([1, 2]);
  });
});

describe('start-up with a timer-started loop', () => {
  let dir: string | undefined;
  let server: EmbeddedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startEmbedded({
      dataDir: dir!,
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
      processesDir: null,
    });

  it('serves first and lets the loop continue after a restart, until it is cancelled', async () => {
    dir = mkdtempSync(join(tmpdir(), 'yunfu-fair-'));
    server = await start();
    await deploy(server.address!, 'timer-started-loop.bpmn');
    // the timer (due in 2020) fires; its instance loops
    const deadline = Date.now() + 10_000;
    while (server.engine.searchProcessInstances({}).items.length === 0 && Date.now() < deadline)
      await sleep(10);
    const [pi] = server.engine.searchProcessInstances({}).items;
    expect(pi).toBeDefined();
    expect((await topologyLatencies(server.address!, 10)).every((ms) => ms < 500)).toBe(true);
    expect(server.engine.hasPendingSteps()).toBe(true);
    await server.close();

    const t = performance.now();
    server = await start();
    const res = await fetch(`${server.address}/v2/topology`);
    const startUp = performance.now() - t;
    console.log(`restart with a looping instance: topology answered after ${startUp.toFixed(0)} ms`);
    expect(res.status).toBe(200);
    expect(startUp).toBeLessThan(5000);
    const n0 = server.engine.getVariables(pi!.processInstanceKey).n as number;
    await topologyLatencies(server.address!, 20);
    expect(server.engine.getVariables(pi!.processInstanceKey).n as number).toBeGreaterThan(n0);

    const cancelled = await post(
      server.address!,
      `/v2/process-instances/${pi!.processInstanceKey}/cancellation`,
      {},
    );
    expect(cancelled.status).toBe(204);
    expect(server.engine.hasPendingSteps()).toBe(false);
  });
});

describe('the pending-steps table', () => {
  it('is added to an engine file of schema version 1, which then runs loops in bounded steps', async () => {
    const d = mkdtempSync(join(tmpdir(), 'yunfu-fair-v1-'));
    try {
      const file = join(d, 'engine.sqlite');
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!);
      old.prepare("INSERT INTO meta (name, value) VALUES ('next_key', '2251799813685249')").run();
      old.pragma('user_version = 1');
      old.close();
      const engine = await Engine.open({ file, scheduler: false, stepsPerTransaction: 50 });
      try {
        await engine.deploy([fixture('endless-loop.bpmn')]);
        const { processInstanceKey } = engine.createProcessInstance({
          processDefinitionId: 'endless-loop',
          variables: { n: 0, limit: 1e15 },
        });
        expect(engine.hasPendingSteps()).toBe(true);
        const n0 = engine.getVariables(processInstanceKey).n as number;
        await sleep(20);
        expect(engine.getVariables(processInstanceKey).n as number).toBeGreaterThan(n0);
        engine.cancelProcessInstance(processInstanceKey);
        expect(engine.hasPendingSteps()).toBe(false);
      } finally {
        engine.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
