// Group commit (issue 17): commands that arrive together share one durable transaction, as Zeebe batches them,
// each in its own savepoint; nothing is answered before that transaction's COMMIT. Proven over real HTTP on the
// /v2 API (raw requests, concurrent) and through the in-process `submit`: fewer commits than commands, the same
// results as one transaction each; a command that fails — before writing (an unknown job, 404) or after having
// written (the event log refuses its record) — rolls back alone and gets its own error, the others of its batch
// commit; the crash half (group-commit-child.ts) SIGKILLs a server under concurrent completions and checks that
// every acknowledged command is in the file and none is half-applied.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { EngineClock } from '../../src/engine/clock.ts';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { THREE_TASKS } from './group-commit-model.ts';
import { serveEngine } from './rest-server.ts';

interface Server {
  engine: Engine;
  port: number;
  /** Keep-alive connections: requests sent together reach the server together, as a busy client's do. */
  agent: Agent;
  close(): Promise<void>;
}

const open: Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function serve(options: Partial<EngineOptions> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const clock = new EngineClock();
  clock.pin(Date.parse('2026-03-02T01:00:00Z'));
  const engine = await Engine.open({
    file: join(dir, 'engine.db'),
    clock,
    synchronous: 'NORMAL',
    ...options,
  });
  await engine.deploy([{ name: 'three.bpmn', content: THREE_TASKS }]);
  const served = await serveEngine(engine);
  const server: Server = {
    engine,
    port: served.port,
    agent: new Agent({ keepAlive: true, maxSockets: 64 }),
    async close() {
      server.agent.destroy();
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(server);
  return server;
}

interface Answer {
  status: number;
  json(): Record<string, unknown>;
}

function post(s: Server, path: string, body: unknown): Promise<Answer> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method: 'POST',
        path: `/v2${path}`,
        agent: s.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(out) as Record<string, unknown> });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Opens `n` keep-alive connections (a search each), so that the next `n` requests go out at once. */
async function warm(s: Server, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => post(s, '/jobs/search', {})));
}

/** Each instance's state, variables and event log (value type, intent, element), in the instances' order. */
function outcome(engine: Engine, keys: string[]) {
  return keys.map((key) => ({
    state: engine.getProcessInstance(key).state,
    variables: engine.getVariables(key),
    log: engine
      .records({ processInstanceKey: key })
      .filter((r) => String(r.processInstanceKey) === key)
      .map((r) => `${r.valueType}.${r.intent}.${r.elementId ?? ''}`),
  }));
}

/** Drives N instances of `three` over REST: creations, activations and completions, `concurrent` or one by one. */
async function drive(s: Server, n: number, concurrent: boolean) {
  const all = async <T>(fs: Array<() => Promise<T>>) => {
    if (concurrent) return Promise.all(fs.map((f) => f()));
    const out: T[] = [];
    for (const f of fs) out.push(await f());
    return out;
  };
  const created = await all(
    Array.from(
      { length: n },
      (_, i) => () => post(s, '/process-instances', { processDefinitionId: 'three', variables: { i } }),
    ),
  );
  expect(created.map((r) => r.status)).toEqual(Array(n).fill(200));
  const keys = created.map((r) => String(r.json().processInstanceKey));
  for (let step = 1; step <= 3; step++) {
    const jobs: Array<{ jobKey: string; variables: { i: number } }> = [];
    while (jobs.length < n) {
      const r = await post(s, '/jobs/activation', {
        type: 'step',
        maxJobsToActivate: n,
        timeout: 60_000,
        requestTimeout: -1,
      });
      jobs.push(...(r.json().jobs as typeof jobs));
    }
    const done = await all(
      jobs.map(
        (j) => () =>
          post(s, `/jobs/${j.jobKey}/completion`, { variables: { [`v${step}`]: j.variables.i * step } }),
      ),
    );
    expect(done.map((r) => r.status)).toEqual(Array(n).fill(204));
  }
  return keys;
}

describe('group commit over /v2', () => {
  test('concurrent commands share commits, with the results of one transaction each', async () => {
    // given
    const grouped = await serve();
    const alone = await serve({ groupCommit: false });
    const before = grouped.engine.commitStats().commits;
    // when: 40 instances driven with every request of a step in flight at once, and the same one by one
    const n = 40;
    const keysGrouped = await drive(grouped, n, true);
    const keysAlone = await drive(alone, n, false);
    // then: 40 creations and 120 completions (and the activations) in fewer commits than commands
    const stats = grouped.engine.commitStats();
    expect(stats.batchedCommands).toBeGreaterThanOrEqual(4 * n);
    expect(stats.commits - before).toBeLessThan(stats.batchedCommands);
    expect(stats.batches).toBeLessThan(stats.batchedCommands);
    expect(alone.engine.commitStats().batches).toBe(0);
    // and every instance ended as it does with one transaction per command
    const byI = (o: ReturnType<typeof outcome>) =>
      [...o].sort((a, b) => (a.variables.i as number) - (b.variables.i as number));
    const a = byI(outcome(grouped.engine, keysGrouped));
    expect(a).toEqual(byI(outcome(alone.engine, keysAlone)));
    expect(a.every((o) => o.state === 'COMPLETED' && o.variables.v3 === (o.variables.i as number) * 3)).toBe(
      true,
    );
  });

  test('an unknown job in a batch gets its own 404; the completions beside it commit', async () => {
    // given: 20 activated jobs
    const s = await serve();
    for (let i = 0; i < 20; i++)
      s.engine.createProcessInstance({ processDefinitionId: 'three', variables: { i } });
    const jobs = s.engine.activateJobs({ type: 'step', worker: 'w', maxJobsToActivate: 20, timeout: 60_000 });
    await warm(s, 25);
    const before = s.engine.commitStats();
    // when: completions of the 20 and of 5 keys no job has, all in flight at once
    const unknown = Array.from({ length: 5 }, (_, i) => String(9_000_000 + i));
    const keys = [...jobs.map((j) => j.jobKey)];
    keys.splice(5, 0, ...unknown.slice(0, 3));
    keys.push(...unknown.slice(3));
    const answers = await Promise.all(
      keys.map((k) => post(s, `/jobs/${k}/completion`, { variables: { done: k } })),
    );
    // then
    for (let i = 0; i < keys.length; i++)
      expect([keys[i], answers[i]!.status]).toEqual([keys[i], unknown.includes(keys[i]!) ? 404 : 204]);
    const stats = s.engine.commitStats();
    expect(stats.batches - before.batches).toBeLessThan(keys.length);
    expect(stats.mixedBatches - before.mixedBatches).toBeGreaterThan(0);
    const next = s.engine.activateJobs({
      type: 'step',
      worker: 'w',
      maxJobsToActivate: 100,
      timeout: 60_000,
    });
    expect(next.map((j) => j.elementId)).toEqual(Array(20).fill('t2'));
    expect(next.map((j) => j.variables.done).sort()).toEqual(jobs.map((j) => j.jobKey).sort());
  });
});

describe('group commit in process (Engine.submit)', () => {
  test('a batch takes at most maxCommands; the rest follow in later batches, in the order submitted', async () => {
    // given
    const s = await serve({ groupCommit: { maxCommands: 5, maxMs: Number.POSITIVE_INFINITY } });
    const before = s.engine.commitStats();
    // when: 12 creations submitted together
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        s.engine.submit(() =>
          s.engine.createProcessInstance({ processDefinitionId: 'three', variables: { i } }),
        ),
      ),
    );
    // then: three batches (5, 5, 2), each instance created in turn, as one after the other would be
    const after = s.engine.commitStats();
    expect(after.batches - before.batches).toBe(3);
    expect(after.batchedCommands - before.batchedCommands).toBe(12);
    const keys = created.map((c) => BigInt(c.processInstanceKey));
    expect([...keys].sort((a, b) => (a < b ? -1 : 1))).toEqual(keys);
    expect(created.map((c) => s.engine.getVariables(c.processInstanceKey).i)).toEqual([...Array(12).keys()]);
  });

  test('a command that fails after writing rolls back alone; the others of its batch commit', async () => {
    // given: 9 activated jobs, and an event log that refuses the record of one completion (after its writes)
    // (no time bound on the batch, so that the nine share one however slow this machine is now)
    const s = await serve({ groupCommit: { maxMs: Number.POSITIVE_INFINITY } });
    for (let i = 0; i < 9; i++)
      s.engine.createProcessInstance({ processDefinitionId: 'three', variables: { i } });
    const jobs = s.engine.activateJobs({ type: 'step', worker: 'w', maxJobsToActivate: 9, timeout: 60_000 });
    s.engine.read((it) =>
      it.db.sqlite.exec(
        `CREATE TEMP TRIGGER poison BEFORE INSERT ON main.variables WHEN NEW.value LIKE '%poison%'
         BEGIN SELECT RAISE(ABORT, 'poisoned record'); END`,
      ),
    );
    const before = s.engine.commitStats();
    const positionBefore = s.engine.records({ limit: 100_000 }).length;
    // when: the 9 completions submitted together, the fifth poisoned
    const settled = await Promise.allSettled(
      jobs.map((j, i) =>
        s.engine.submit(() => s.engine.completeJob(j.jobKey, { mark: i === 4 ? 'poison' : `ok${i}` })),
      ),
    );
    // then: one batch, one commit; the fifth failed with its own error, the eight others committed
    const after = s.engine.commitStats();
    expect(after.batches - before.batches).toBe(1);
    expect(after.commits - before.commits).toBe(1);
    expect(settled.map((r) => r.status)).toEqual([
      ...Array(4).fill('fulfilled'),
      'rejected',
      ...Array(4).fill('fulfilled'),
    ]);
    expect(String((settled[4] as PromiseRejectedResult).reason)).toMatch(/poisoned record/);
    // nothing of the fifth is left: its job is still active, its variable unset, no record of it
    const poisoned = jobs[4]!;
    expect(s.engine.searchJobs({ filter: { jobKey: poisoned.jobKey } }).items[0]?.state).toBe('ACTIVATED');
    expect(s.engine.getVariables(poisoned.processInstanceKey).mark).toBeUndefined();
    const log = s.engine.records({ limit: 100_000 }).slice(positionBefore);
    expect(log.filter((r) => String(r.processInstanceKey) === poisoned.processInstanceKey)).toEqual([]);
    for (const [i, j] of jobs.entries())
      if (i !== 4) expect(s.engine.getVariables(j.processInstanceKey).mark).toBe(`ok${i}`);
    // keys stay unique: the rolled-back command's keys were given back, the next commands use fresh ones
    s.engine.read((it) => it.db.sqlite.exec('DROP TRIGGER temp.poison'));
    await s.engine.submit(() => s.engine.completeJob(poisoned.jobKey, { mark: 'later' }));
    const next = s.engine.activateJobs({
      type: 'step',
      worker: 'w',
      maxJobsToActivate: 100,
      timeout: 60_000,
    });
    expect(next).toHaveLength(9);
    expect(new Set(next.map((j) => j.jobKey)).size).toBe(9);
  });

  test('no answer before the commit: a batch whose COMMIT fails fails every command of it', async () => {
    // given: a deferred constraint that only the COMMIT checks, violated by the batch's last command
    const s = await serve({ groupCommit: { maxMs: Number.POSITIVE_INFINITY } });
    for (let i = 0; i < 3; i++)
      s.engine.createProcessInstance({ processDefinitionId: 'three', variables: { i } });
    const jobs = s.engine.activateJobs({ type: 'step', worker: 'w', maxJobsToActivate: 3, timeout: 60_000 });
    s.engine.read((it) => {
      it.db.sqlite.pragma('foreign_keys = ON');
      it.db.sqlite.exec(
        `CREATE TEMP TABLE guard_parent (id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE commit_guard (ref INTEGER REFERENCES guard_parent (id) DEFERRABLE INITIALLY DEFERRED);
         CREATE TEMP TRIGGER guard AFTER INSERT ON main.variables WHEN NEW.value LIKE '%fail-commit%'
         BEGIN INSERT INTO commit_guard (ref) VALUES (1); END`,
      );
    });
    const before = s.engine.commitStats();
    let answered = 0;
    // when
    const settled = await Promise.allSettled(
      jobs.map((j, i) =>
        s.engine
          .submit(() => s.engine.completeJob(j.jobKey, { mark: i === 2 ? 'fail-commit' : 'fine' }))
          .finally(() => answered++),
      ),
    );
    // then: nobody was told "done"; nothing of the batch is in the file
    expect(answered).toBe(3);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(s.engine.commitStats().commits).toBe(before.commits);
    for (const j of jobs) {
      expect(s.engine.searchJobs({ filter: { jobKey: j.jobKey } }).items[0]?.state).toBe('ACTIVATED');
      expect(s.engine.getVariables(j.processInstanceKey).mark).toBeUndefined();
    }
  });
});
