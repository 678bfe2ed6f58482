// The inbox's true totals come from open-task counters (schema version 4, src/engine/state/userTaskCounts.ts)
// instead of counting rows (issue 17). Each total is checked here against a brute-force count over every task and
// every instance's variables, through /v2 with the official client at strict validation, over tasks that differ in
// candidate groups (overlapping lists), assignee and business tenant (the `tenantId` variable: two tenants and
// none), after tasks are completed, canceled with their instance, assigned, given other candidate groups and moved
// to another tenant; and after an engine file of schema version 3 is opened and upgraded.
// Filters: Camunda 8.8's SearchUserTasksData (candidateGroup a StringFilterProperty, processInstanceVariables a
// list of { name, value } on the JSON text), https://camunda.github.io/orchestration-cluster-api-js/types/index.SearchUserTasksData.html
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { Engine } from '../../src/engine/engine.ts';
import { Db } from '../../src/engine/state/db.ts';
import { EngineState } from '../../src/engine/state/index.ts';
import { SCHEMA_VERSION } from '../../src/engine/state/schema.ts';
import { countedUserTaskTotal } from '../../src/engine/user-task-totals.ts';
import { serveEngine, userTaskProcess } from './rest-server.ts';

const GROUPS = [['finance'], ['finance', 'audit'], ['audit'], ['legal'], [], ['audit', 'legal', 'finance']];
const TENANTS: Array<string | undefined> = ['yunfu', 'other', undefined];
const ASSIGNEES = [null, 'alice', 'bob'];

interface Served {
  engine: Engine;
  address: string;
  close(): Promise<void>;
}

async function serve(file: string): Promise<Served> {
  return serveEngine(await Engine.open({ file, logger: pino({ level: 'silent' }) }));
}

const dir = mkdtempSync(join(tmpdir(), 'yunfu-counts-'));
const file = join(dir, 'engine.sqlite');
let served: Served;

afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Task {
  userTaskKey: string;
  processInstanceKey: string;
  state: string;
  candidateGroups: string[];
}

/** Every task and every instance's root `tenantId` (JSON text), read whole. */
function everything(engine: Engine) {
  const tasks = engine.searchUserTasks({ page: { limit: 10_000 } }).items as unknown as Task[];
  const tenantOf = new Map<string, string>();
  for (const v of engine.searchVariables({ filter: { name: 'tenantId' }, page: { limit: 10_000 } }).items) {
    if (v.scopeKey === v.processInstanceKey) tenantOf.set(v.processInstanceKey, v.value);
  }
  return { tasks, tenantOf };
}

/** The brute-force count: open tasks naming one of `groups`, in `tenant` (JSON text) when given. */
function bruteForce(engine: Engine, groups: string[], tenant?: string): string[] {
  const { tasks, tenantOf } = everything(engine);
  return tasks
    .filter(
      (t) =>
        t.state === 'CREATED' &&
        t.candidateGroups.some((g) => groups.includes(g)) &&
        (tenant === undefined || tenantOf.get(t.processInstanceKey) === tenant),
    )
    .map((t) => t.userTaskKey)
    .sort();
}

const SHAPES: Array<{ groups: string[]; tenant?: string; filter: (g: string[]) => unknown }> = [];
for (const groups of [['finance'], ['audit'], ['finance', 'audit'], ['legal', 'finance'], ['nobody'], []]) {
  for (const tenant of [undefined, '"yunfu"', '"other"', '"nowhere"']) {
    const vars =
      tenant === undefined ? {} : { processInstanceVariables: [{ name: 'tenantId', value: tenant }] };
    SHAPES.push({
      groups,
      tenant,
      filter: (g) => ({ state: 'CREATED', candidateGroup: { $in: g }, ...vars }),
    });
    if (groups.length === 1) {
      SHAPES.push({ groups, tenant, filter: (g) => ({ state: 'CREATED', candidateGroup: g[0], ...vars }) });
    }
  }
}

/** Every total through /v2 (the official client) and from the counters directly, beside the brute force. */
async function checkTotals(s: Served): Promise<number> {
  const client = createLooseCamundaClient(
    { restAddress: s.address, auth: { strategy: 'NONE' }, tenantId: null },
    { validation: 'req:strict,res:strict' },
  );
  const db = new Db({ file });
  const state = new EngineState(db);
  let nonZero = 0;
  try {
    for (const shape of SHAPES) {
      const expected = bruteForce(s.engine, shape.groups, shape.tenant);
      const filter = shape.filter(shape.groups);
      // the counters answer this shape (no row count behind the total)
      expect(countedUserTaskTotal(state, filter), JSON.stringify(filter)).toBe(expected.length);
      const seen: string[] = [];
      let total = -1;
      for (let from = 0; from === 0 || from < total; from += 7) {
        const r = (await client.searchUserTasks(
          { filter, sort: [{ field: 'creationDate', order: 'DESC' }], page: { from, limit: 7 } } as never,
          { consistency: { waitUpToMs: 0 } },
        )) as unknown as { items: Task[]; page: { totalItems: number } };
        total = Number(r.page.totalItems);
        seen.push(...r.items.map((t) => t.userTaskKey));
      }
      expect(total, JSON.stringify(filter)).toBe(expected.length);
      expect(seen.sort(), JSON.stringify(filter)).toEqual(expected);
      if (expected.length > 0) nonZero++;
    }
  } finally {
    db.close();
  }
  return nonZero;
}

function openTasks(engine: Engine): Task[] {
  return engine.searchUserTasks({ filter: { state: 'CREATED' }, page: { limit: 10_000 } })
    .items as unknown as Task[];
}

beforeAll(async () => {
  served = await serve(file);
  await served.engine.deploy([
    { name: 'p.bpmn', content: Buffer.from(userTaskProcess('p-counts', 'finance')) },
    { name: 'q.bpmn', content: Buffer.from(userTaskProcess('q-counts', 'audit,legal')) },
  ]);
  for (let i = 0; i < 60; i++) {
    const tenant = TENANTS[i % TENANTS.length];
    await served.engine.createProcessInstance({
      processDefinitionId: i % 4 === 0 ? 'q-counts' : 'p-counts',
      variables: { projectId: `P-${i}`, ...(tenant ? { tenantId: tenant } : {}) },
    });
  }
  const tasks = openTasks(served.engine);
  tasks.forEach((t, i) => {
    if (i % 5 === 1)
      served.engine.updateUserTask(t.userTaskKey, { candidateGroups: GROUPS[i % GROUPS.length]! });
    const assignee = ASSIGNEES[i % ASSIGNEES.length];
    if (assignee) served.engine.assignUserTask(t.userTaskKey, { assignee });
  });
});

describe('inbox totals from the open-task counters equal a brute-force count', () => {
  it('over mixed candidate groups, assignees and tenants', async () => {
    expect(openTasks(served.engine)).toHaveLength(60);
    expect(await checkTotals(served)).toBe(18);
  });

  it('after completes, cancels, assigns, new candidate groups and a moved tenant', async () => {
    const e = served.engine;
    const tasks = openTasks(e);
    tasks.forEach((t, i) => {
      if (i % 7 === 0) e.completeUserTask(t.userTaskKey);
      else if (i % 7 === 3) e.cancelProcessInstance(t.processInstanceKey);
      else if (i % 7 === 4)
        e.updateUserTask(t.userTaskKey, { candidateGroups: GROUPS[(i + 2) % GROUPS.length]! });
      else if (i % 7 === 5) e.assignUserTask(t.userTaskKey, { assignee: 'carol' });
      else if (i % 7 === 6) e.setVariables(t.processInstanceKey, { tenantId: i % 2 ? 'other' : 'yunfu' });
    });
    // a completed task's candidate groups updated afterwards: refused, and the counters unchanged
    const done = tasks[0]!.userTaskKey;
    expect(() => e.updateUserTask(done, { candidateGroups: ['finance'] })).toThrow();
    expect(openTasks(e).length).toBeLessThan(50);
    expect(await checkTotals(served)).toBeGreaterThanOrEqual(15);
  });

  it('after an engine file of schema version 3 is opened and upgraded to the current version', async () => {
    const before = SHAPES.map((s) => bruteForce(served.engine, s.groups, s.tenant).length);
    await served.close();
    // the version 3 file: the same tables without version 4's column and counters (nor version 5's tags, version
    // 7's batch operations, version 8's signal subscriptions, deployment contents and decision version tags, version
    // 9's listener event type of jobs;
    // version 6's index is created if it does not exist)
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.exec(
      'DROP TABLE user_task_open_counts; ALTER TABLE user_tasks DROP COLUMN partition_value; ' +
        'ALTER TABLE process_instances DROP COLUMN tags; DROP TABLE batch_operation_items; DROP TABLE batch_operations; ' +
        'DROP TABLE signal_subscriptions; DROP TABLE deployment_contents; DROP TABLE decision_version_tags; ' +
        'ALTER TABLE jobs DROP COLUMN listener_event_type; DROP TABLE decision_instances; ' +
        'DROP TABLE correlated_message_subscriptions; DROP INDEX process_instances_definition; ' +
        'ALTER TABLE process_definitions DROP COLUMN deleted; ALTER TABLE decision_requirements DROP COLUMN deleted; ' +
        'ALTER TABLE decision_definitions DROP COLUMN deleted; ALTER TABLE forms DROP COLUMN deleted; ' +
        'DROP TABLE compensation_subscriptions; DROP INDEX process_instances_root_ended; ' +
        'DROP INDEX message_correlations_process;',
    );
    raw.pragma('user_version = 3');
    raw.close();
    served = await serve(file);
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    upgraded.close();
    expect(SHAPES.map((s) => bruteForce(served.engine, s.groups, s.tenant).length)).toEqual(before);
    expect(await checkTotals(served)).toBeGreaterThanOrEqual(15);
    // and the upgraded file keeps counting: a new task and a completed one
    await served.engine.createProcessInstance({
      processDefinitionId: 'q-counts',
      variables: { tenantId: 'yunfu' },
    });
    served.engine.completeUserTask(openTasks(served.engine)[0]!.userTaskKey);
    expect(await checkTotals(served)).toBeGreaterThanOrEqual(15);
  });
});
