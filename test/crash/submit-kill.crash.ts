// Crash consistency between the business store and the engine (issue 12 §3): the real app is SIGKILLed at seeded
// random moments while a Unit submits drafts, its 责任科室 signs them off and the Bureau reviewer completes 初核 tasks
// over HTTP; after every restart (whose start-up reconciliation runs before the ready line) the store and the engine
// must agree:
//   - every lifecycle instance that is not cancelled is the key its project holds, with exactly one project.submit
//     entry; no project has two such instances; every key a project holds is an instance of the engine;
//   - every completed task of the engine has exactly one task.complete entry;
//   - no intent stays pending; every draft has no live instance (and the next round submits it again: 201).
// `npm run test:crash` (not in `npm test`: ~5 s per restart); CRASH_KILLS (default 100) kills, TEST_SEED replays a run (the seed is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { professionalDraft } from '../api-process/stack.ts';
import {
  DEMO_PASSWORD,
  freePort,
  kill,
  prng,
  type RunningApp,
  seedAccounts,
  startApp,
} from './app-process.ts';

const KILLS = Number(process.env.CRASH_KILLS ?? 100);
const SEED = Number(process.env.TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const NOW = { consistency: { waitUpToMs: 0 } } as const;

const dataDir = mkdtempSync(join(tmpdir(), 'yunfu-crash-'));
let app: RunningApp | undefined;
afterAll(async () => {
  if (app) await kill(app);
  rmSync(dataDir, { recursive: true, force: true });
});

type Rows = Array<Record<string, unknown>>;

function storeRows(sql: string, ...params: unknown[]): Rows {
  const db = new Database(join(dataDir, 'business.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Rows;
  } finally {
    db.close();
  }
}

/** Every invariant of the pair, read after a restart; returns the violations (empty when consistent). */
async function violations(url: string): Promise<string[]> {
  const client = createLooseCamundaClient({ restAddress: url, auth: { strategy: 'NONE' }, tenantId: null });
  const found: string[] = [];
  const instances = (
    (await client.searchProcessInstances(
      { filter: { processDefinitionId: 'project-lifecycle' }, page: { from: 0, limit: 10_000 } } as never,
      NOW,
    )) as unknown as { items: Array<{ processInstanceKey: string; state: string }> }
  ).items;
  const vars = (
    (await client.searchVariables(
      { filter: { name: 'projectId' }, page: { from: 0, limit: 10_000 }, truncateValues: false } as never,
      NOW,
    )) as unknown as { items: Array<{ scopeKey: string; value: string }> }
  ).items;
  const projectOf = new Map(vars.map((v) => [String(v.scopeKey), JSON.parse(v.value) as string]));
  const projects = new Map(
    storeRows('SELECT id, stage, process_instance_key AS key FROM projects').map((p) => [String(p.id), p]),
  );
  const submits = new Map<string, number>();
  for (const a of storeRows(
    "SELECT entity_id AS id, count(*) AS n FROM audit_log WHERE action = 'project.submit' GROUP BY entity_id",
  ))
    submits.set(String(a.id), Number(a.n));
  const live = new Map<string, string[]>();
  for (const i of instances) {
    if (i.state === 'TERMINATED') continue;
    const key = String(i.processInstanceKey);
    const projectId = projectOf.get(key) ?? '?';
    live.set(projectId, [...(live.get(projectId) ?? []), key]);
    const project = projects.get(projectId);
    if (!project || project.key !== key)
      found.push(`orphan: instance ${key} of ${projectId}, store holds ${String(project?.key)}`);
    if (submits.get(projectId) !== 1)
      found.push(`${projectId} has ${submits.get(projectId) ?? 0} project.submit entries`);
  }
  for (const [projectId, keys] of live)
    if (keys.length > 1) found.push(`duplicate: ${projectId} has live instances ${keys.join(', ')}`);
  for (const [id, p] of projects) {
    if (p.key && !live.get(id)?.includes(String(p.key)))
      found.push(`${id} holds ${String(p.key)}, not a live instance`);
    if (p.stage === 'draft' && (p.key || live.has(id))) found.push(`draft ${id} has an instance`);
    if (p.stage !== 'draft' && !p.key) found.push(`${id} is ${String(p.stage)} without an instance`);
  }
  const completed = (
    (await client.searchUserTasks(
      { filter: { state: 'COMPLETED' }, page: { from: 0, limit: 10_000 } } as never,
      NOW,
    )) as unknown as { items: Array<{ userTaskKey: string }> }
  ).items;
  const completions = new Map<string, number>();
  for (const a of storeRows(
    "SELECT entity_id AS id, count(*) AS n FROM audit_log WHERE action = 'task.complete' GROUP BY entity_id",
  ))
    completions.set(String(a.id), Number(a.n));
  for (const t of completed) {
    const n = completions.get(String(t.userTaskKey)) ?? 0;
    if (n !== 1) found.push(`completed task ${t.userTaskKey} has ${n} task.complete entries`);
  }
  if (completions.size !== completed.length)
    found.push(`${completions.size} task.complete entries for ${completed.length} completed tasks`);
  for (const table of ['submission_intents', 'completion_intents']) {
    const [row] = storeRows(`SELECT count(*) AS n FROM ${table} WHERE state = 'pending'`);
    if (Number(row?.n) > 0) found.push(`${String(row?.n)} ${table} still pending`);
  }
  return found;
}

interface Session {
  url: string;
  tokens: Record<string, string>;
}

async function call(s: Session, who: string, method: string, path: string, body?: unknown) {
  const send = () =>
    fetch(`${s.url}${path}`, {
      method,
      headers: {
        origin: s.url,
        ...(s.tokens[who] ? { authorization: `Bearer ${s.tokens[who]}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  let res = await send();
  if (res.status === 401 && path !== '/api/session') {
    await login(s, who);
    res = await send();
  }
  return res;
}

async function login(s: Session, username: string): Promise<void> {
  const res = await call(s, username, 'POST', '/api/session', {
    tenantId: 'yunfu',
    username,
    password: DEMO_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  s.tokens[username] = ((await res.json()) as { token: string }).token;
}

/** One round of traffic, dispatched at once: new drafts, every draft submitted, every 初核 in the inbox passed. */
async function burst(s: Session, random: () => number): Promise<Array<Promise<unknown>>> {
  const drafts = (
    (await (await call(s, 'gongan.staff', 'GET', '/api/projects?stage=draft&pageSize=100')).json()) as {
      items: Array<{ id: string; stage: string }>;
    }
  ).items.filter((p) => p.stage === 'draft');
  const inbox = (
    (await (await call(s, 'bureau.reviewer', 'GET', '/api/tasks?scope=groups')).json()) as {
      items: Array<{ userTaskKey: string; name: string }>;
    }
  ).items.filter((t) => t.name === '初核');
  // G-6: the Unit's 责任科室 signs off each submission before it reaches the Bureau's 初核.
  const reviews = (
    (await (await call(s, 'gongan.section', 'GET', '/api/tasks?scope=groups')).json()) as {
      items: Array<{ userTaskKey: string; elementId: string }>;
    }
  ).items.filter((t) => t.elementId === 'Task_SectionReview');
  const work: Array<Promise<unknown>> = [];
  if (drafts.length < 3)
    for (let i = 0; i < 1 + Math.floor(random() * 2); i++)
      work.push(call(s, 'gongan.staff', 'POST', '/api/projects', professionalDraft()));
  for (const d of drafts) work.push(call(s, 'gongan.staff', 'POST', `/api/projects/${d.id}/submit`));
  for (const t of reviews)
    work.push(
      call(s, 'gongan.section', 'POST', `/api/tasks/${t.userTaskKey}/complete`, {
        variables: { sectionDecision: 'approve', sectionOpinion: '同意报送' },
      }),
    );
  for (const t of inbox)
    work.push(
      call(s, 'bureau.reviewer', 'POST', `/api/tasks/${t.userTaskKey}/complete`, {
        variables: { initialCheckDecision: 'pass', initialCheckOpinion: '材料齐全，符合立项条件' },
      }),
    );
  // Handled at once: a request cut by the kill must not become an unhandled rejection.
  return work.map((w) => w.catch(() => undefined));
}

describe('SIGKILL between the engine and the store', () => {
  it(`${KILLS} kills over submissions and task completions leave 0 orphans and 0 duplicates`, async () => {
    console.log(`crash test seed: TEST_SEED=${SEED} (CRASH_KILLS=${KILLS})`);
    const random = prng(SEED);
    seedAccounts(dataDir);
    const port = await freePort();
    const s: Session = { url: `http://127.0.0.1:${port}`, tokens: {} };
    const starts: number[] = [];
    const repairLines: string[] = [];
    const began = Date.now();
    for (let k = 0; k < KILLS; k++) {
      app = await startApp(dataDir, port);
      starts.push(app.startMs);
      repairLines.push(app.output());
      const broken = await violations(s.url);
      expect(broken, `after kill ${k} (TEST_SEED=${SEED})\n${app.output()}`).toEqual([]);
      // Kill somewhere inside the burst: the requests' engine calls and store commits interleave with it.
      const work = await burst(s, random);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 300)));
      await kill(app);
      await Promise.allSettled(work);
    }
    app = await startApp(dataDir, port);
    expect(await violations(s.url), `after the last kill (TEST_SEED=${SEED})`).toEqual([]);
    // Every draft left can still be submitted.
    const drafts = (
      (await (await call(s, 'gongan.staff', 'GET', '/api/projects?stage=draft&pageSize=100')).json()) as {
        items: Array<{ id: string; stage: string }>;
      }
    ).items.filter((p) => p.stage === 'draft');
    for (const d of drafts) {
      const res = await call(s, 'gongan.staff', 'POST', `/api/projects/${d.id}/submit`);
      expect(res.status, `resubmit ${d.id}: ${await res.text()}`).toBe(201);
    }
    expect(await violations(s.url)).toEqual([]);
    const reconciled = storeRows(
      "SELECT 'submission' AS kind, state, count(*) AS n FROM submission_intents GROUP BY state UNION ALL SELECT 'completion', state, count(*) FROM completion_intents GROUP BY state",
    );
    const total = starts.reduce((a, b) => a + b, 0);
    const repairs =
      repairLines.join('\n').match(/reconciled a (submission|task completion) left unsettled/g) ?? [];
    console.log(
      JSON.stringify({
        seed: SEED,
        kills: KILLS,
        seconds: Math.round((Date.now() - began) / 1000),
        startMs: { mean: Math.round(total / starts.length), max: Math.max(...starts) },
        intents: reconciled,
        repairs: repairs.length,
      }),
    );
  }, 3_600_000);
});
