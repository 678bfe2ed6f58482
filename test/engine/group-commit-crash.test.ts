// Group commit and crashes (issue 17): a server (group-commit-child.ts, FULL durability, group commit on) is
// killed with SIGKILL while many job completions are in flight over HTTP. After each kill the file holds every
// completion the client was answered 204 for, and every instance is in a state some order of whole commands
// leads to: as many jobs completed as completion records, each with its variable, and the next job open — no
// half of a command. After the restarts every instance completes, each step exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { THREE_TASKS } from './group-commit-model.ts';

const CHILD = join(import.meta.dirname, 'group-commit-child.ts');
const INSTANCES = 60;

interface Child {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<void>;
}

function startChild(file: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`child exited before serving: ${err}`)));
  });
  port.catch(() => {});
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, port, exited };
}

function post(port: number, agent: Agent, path: string, body: unknown) {
  const text = JSON.stringify(body);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/v2${path}`,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let b = '';
        res.on('data', (c) => {
          b += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

type Job = { jobKey: string; elementId: string; processInstanceKey: string };

/** One round: activate the open step jobs, complete them all at once; acked completions are added to `acked`. */
async function round(port: number, agent: Agent, acked: Map<string, string>, onAck: () => void) {
  const r = await post(port, agent, '/jobs/activation', {
    type: 'step',
    maxJobsToActivate: INSTANCES,
    timeout: 1_000,
    requestTimeout: -1,
  });
  const jobs = (JSON.parse(r.body) as { jobs: Job[] }).jobs;
  await Promise.all(
    jobs.map(async (j) => {
      const done = await post(port, agent, `/jobs/${j.jobKey}/completion`, {
        variables: { [`v_${j.elementId}`]: j.jobKey },
      }).catch(() => null);
      if (done?.status === 204) {
        acked.set(j.jobKey, j.processInstanceKey);
        onAck();
      }
    }),
  );
  return jobs.length;
}

/** The file after a kill: every acknowledged completion is in it, and no instance holds half of a command. */
async function checkFile(file: string, keys: string[], acked: Map<string, string>) {
  const engine = await Engine.open({ file, scheduler: false });
  try {
    for (const [jobKey] of acked)
      expect([jobKey, engine.searchJobs({ filter: { jobKey } }).items[0]?.state]).toEqual([
        jobKey,
        'COMPLETED',
      ]);
    for (const key of keys) {
      const log = engine.records({ processInstanceKey: key, limit: 10_000 });
      const completedJobs = log.filter(
        (r) => String(r.processInstanceKey) === key && r.valueType === 'JOB' && r.intent === 'COMPLETED',
      ).length;
      const vars = engine.getVariables(key);
      const steps = ['t1', 't2', 't3'];
      const set = steps.filter((s) => vars[`v_${s}`] !== undefined);
      expect([key, set]).toEqual([key, steps.slice(0, completedJobs)]);
      const jobs = engine.searchJobs({ filter: { processInstanceKey: key } }).items;
      expect(jobs.filter((j) => j.state === 'COMPLETED')).toHaveLength(completedJobs);
      const open = jobs.filter((j) => j.state !== 'COMPLETED').map((j) => j.elementId);
      expect([key, open]).toEqual([key, completedJobs < 3 ? [steps[completedJobs]] : []]);
      expect(engine.getProcessInstance(key).state).toBe(completedJobs === 3 ? 'COMPLETED' : 'ACTIVE');
    }
  } finally {
    engine.close();
  }
}

test('SIGKILL while completions are in flight: every answered one is in the file, none is half there', async () => {
  // given: 60 instances of three steps in a FULL file
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-crash-'));
  const file = join(dir, 'engine.db');
  try {
    const setup = await Engine.open({ file, synchronous: 'FULL', scheduler: false });
    await setup.deploy([{ name: 'three.bpmn', content: THREE_TASKS }]);
    const keys = Array.from(
      { length: INSTANCES },
      (_, i) =>
        setup.createProcessInstance({ processDefinitionId: 'three', variables: { i } }).processInstanceKey,
    );
    setup.close();
    const { random } = seededRandom('group commit crash');
    const acked = new Map<string, string>();
    let kills = 0;
    // when: three servers are killed, each after a random number of answered completions of a round
    for (let k = 0; k < 3; k++) {
      const c = startChild(file);
      const port = await c.port;
      const agent = new Agent({ keepAlive: true, maxSockets: INSTANCES });
      const killAfter = 1 + Math.floor(random() * 40);
      let n = 0;
      const onAck = () => {
        if (++n === killAfter && c.child.exitCode === null) c.child.kill('SIGKILL');
      };
      for (let r = 0; r < 20 && c.child.exitCode === null && !c.child.killed; r++)
        await round(port, agent, acked, onAck).catch(() => 0);
      if (!c.child.killed) c.child.kill('SIGKILL');
      await c.exited;
      agent.destroy();
      kills++;
      // then (after each kill)
      await checkFile(file, keys, acked);
    }
    // and a last server finishes the work: every instance completes, each step once
    const last = startChild(file);
    const port = await last.port;
    const agent = new Agent({ keepAlive: true, maxSockets: INSTANCES });
    for (let r = 0; r < 200; r++) {
      const engineDone = await checkDone(file, keys);
      if (engineDone) break;
      const n = await round(port, agent, acked, () => {});
      if (n === 0) await new Promise((res) => setTimeout(res, 200)); // leases of killed rounds expire (1 s)
    }
    last.child.kill('SIGKILL');
    await last.exited;
    agent.destroy();
    expect(kills).toBe(3);
    await checkFile(file, keys, acked);
    expect(await checkDone(file, keys)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function checkDone(file: string, keys: string[]): Promise<boolean> {
  const engine = await Engine.open({ file, scheduler: false });
  try {
    return keys.every((k) => engine.getProcessInstance(k).state === 'COMPLETED');
  } finally {
    engine.close();
  }
}
