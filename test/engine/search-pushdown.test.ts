// Every /v2 user task and process instance filter, operator and sort now runs in the engine's SQL (issue 17).
// Each is checked here against the in-memory semantics the REST layer used before (kept below as `reference`,
// from src/engine/rest/routes/user-tasks.ts before the change: candidate lists, variable filters, `matches`
// and `compare` of src/engine/rest/search.ts), on a fixture set whose tasks differ in every filtered field, over
// real HTTP with the official client at strict validation. Operators per field: Camunda 8.8's
// SearchUserTasksData / process instance filter
// (https://camunda.github.io/orchestration-cluster-api-js/types/index.SearchUserTasksData.html): StringFilterProperty
// ($eq, $neq, $exists, $in, $notIn, $like; `*`, `?`, `\` escapes as
// https://camunda.github.io/camunda-8-js-sdk/interfaces/index._internal_.AdvancedStringFilter.html),
// DateTimeFilterProperty and IntegerFilterProperty ($gt, $gte, $lt, $lte…), VariableValueFilterProperty lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import { compare, matches } from '../../src/engine/rest/search.ts';
import { type RestServer, startRest, userTaskProcess } from './rest-server.ts';

let server: RestServer;
let client: LooseCamundaClient;

type Row = Record<string, unknown> & { userTaskKey?: string; processInstanceKey: string };
let allTasks: Row[] = [];
let allInstances: Row[] = [];
const varsOf = new Map<string, Array<{ name: string; value: string }>>();

const GROUPS = [[], ['finance'], ['finance', 'audit'], ['legal'], ['fin[x]'], ['a*b'], ['audit']];
const USERS = [[], ['alice'], ['bob', 'carol']];
const ASSIGNEES = [null, 'alice', 'bob'];

beforeAll(async () => {
  server = await startRest();
  client = createLooseCamundaClient(
    { restAddress: server.address, auth: { strategy: 'NONE' }, tenantId: null },
    { validation: 'req:strict,res:strict' },
  );
  await server.engine.deploy([
    { name: 'p.bpmn', content: Buffer.from(userTaskProcess('p-fixture', 'finance')) },
    { name: 'q.bpmn', content: Buffer.from(userTaskProcess('q-fixture', 'legal')) },
  ]);
  const base = Date.parse('2026-03-02T00:00:00Z');
  for (let i = 0; i < 42; i++) {
    const { processInstanceKey } = await server.engine.createProcessInstance({
      processDefinitionId: i % 5 === 0 ? 'q-fixture' : 'p-fixture',
      variables: { projectId: `P-${i % 4}`, tenantId: i % 3 === 0 ? 'other' : 'yunfu', amount: i * 10 },
    });
    const [task] = server.engine.searchUserTasks({ filter: { processInstanceKey } }).items;
    const key = task!.userTaskKey;
    server.engine.updateUserTask(key, {
      candidateGroups: GROUPS[i % GROUPS.length]!,
      candidateUsers: USERS[i % USERS.length]!,
      priority: (i * 37) % 100,
      ...(i % 4 === 0 ? {} : { dueDate: new Date(base + ((i * 7) % 30) * 86_400_000).toISOString() }),
    });
    const assignee = ASSIGNEES[i % ASSIGNEES.length];
    if (assignee) server.engine.assignUserTask(key, { assignee });
    if (i % 6 === 5) server.engine.completeUserTask(key);
  }
  allTasks = server.engine.searchUserTasks({ page: { limit: 10_000 } }).items as unknown as Row[];
  allInstances = server.engine.searchProcessInstances({ page: { limit: 10_000 } }).items as unknown as Row[];
  for (const v of server.engine.searchVariables({ page: { limit: 10_000 } }).items) {
    if (v.scopeKey !== v.processInstanceKey) continue;
    const list = varsOf.get(v.processInstanceKey) ?? [];
    list.push({ name: v.name, value: v.value });
    varsOf.set(v.processInstanceKey, list);
  }
});

afterAll(async () => {
  await server.close();
});

// --- the previous in-memory implementation ---------------------------------------------------------------

function candidates(list: unknown, value: unknown): boolean {
  const entries = (list as string[] | undefined) ?? [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return entries.some((e) => matches(e, value));
  }
  const { $exists, $neq, $notIn, ...rest } = value as Record<string, unknown>;
  if ($exists !== undefined && Boolean($exists) !== entries.length > 0) return false;
  if ($neq !== undefined && entries.some((e) => matches(e, { $eq: $neq }))) return false;
  if ($notIn !== undefined && entries.some((e) => matches(e, { $in: $notIn }))) return false;
  return Object.keys(rest).length === 0 || entries.some((e) => matches(e, rest));
}

function variableFilter(processInstanceKey: string, value: unknown): boolean {
  const vars = varsOf.get(processInstanceKey) ?? [];
  return (value as Array<{ name: string; value: unknown }>).every((f) => {
    const found = vars.find((x) => x.name === f.name);
    return found !== undefined && matches(found.value, f.value);
  });
}

function reference(
  rows: Row[],
  keyField: string,
  filter: Record<string, unknown>,
  sort: Array<{ field: string; order: 'ASC' | 'DESC' }> = [],
): string[] {
  const hit = rows.filter((row) =>
    Object.entries(filter).every(([field, value]) => {
      if (field === 'candidateGroup') return candidates(row.candidateGroups, value);
      if (field === 'candidateUser') return candidates(row.candidateUsers, value);
      if (field === 'processInstanceVariables' || field === 'variables')
        return variableFilter(row.processInstanceKey, value);
      return matches(row[field], value);
    }),
  );
  const keys = [...sort, { field: keyField, order: 'ASC' as const }];
  hit.sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.field], b[k.field]);
      if (c !== 0) return k.order === 'DESC' ? -c : c;
    }
    return 0;
  });
  return hit.map((r) => String(r[keyField]));
}

// --- the pushed-down search over HTTP --------------------------------------------------------------------

type Sort = Array<{ field: string; order: 'ASC' | 'DESC' }>;

async function searchTasks(filter: Record<string, unknown>, sort: Sort = [], page = { from: 0, limit: 100 }) {
  const r = (await client.searchUserTasks({ filter, sort, page } as never, {
    consistency: { waitUpToMs: 0 },
  })) as unknown as { items: Row[]; page: { totalItems: number } };
  return { keys: r.items.map((t) => String(t.userTaskKey)), total: Number(r.page.totalItems) };
}

async function searchInstances(filter: Record<string, unknown>, sort: Sort = []) {
  const r = (await client.searchProcessInstances({ filter, sort, page: { from: 0, limit: 100 } } as never, {
    consistency: { waitUpToMs: 0 },
  })) as unknown as { items: Row[]; page: { totalItems: number } };
  return { keys: r.items.map((t) => String(t.processInstanceKey)), total: Number(r.page.totalItems) };
}

const mid = '2026-03-15T00:00:00.000Z';
const TASK_FILTERS: Array<Record<string, unknown>> = [
  { candidateGroup: 'finance' },
  { candidateGroup: { $eq: 'legal' } },
  { candidateGroup: { $in: ['legal', 'audit'] } },
  { candidateGroup: { $in: ['finance', 'legal', 'nobody'] } },
  { candidateGroup: { $neq: 'finance' } },
  { candidateGroup: { $notIn: ['finance', 'legal'] } },
  { candidateGroup: { $exists: true } },
  { candidateGroup: { $exists: false } },
  { candidateGroup: { $like: 'fin*' } },
  { candidateGroup: { $like: 'fin[x]' } },
  { candidateGroup: { $like: 'a\\*b' } },
  { candidateGroup: { $like: '?egal' } },
  { candidateUser: 'alice' },
  { candidateUser: { $in: ['bob'] } },
  { candidateUser: { $like: '*o*' } },
  { candidateUser: { $exists: false } },
  { assignee: 'alice' },
  { assignee: { $neq: 'alice' } },
  { assignee: { $exists: false } },
  { assignee: { $in: ['alice', 'bob'] } },
  { assignee: { $notIn: ['alice'] } },
  { assignee: { $like: 'b*' } },
  { state: 'COMPLETED' },
  { state: { $in: ['CREATED'] } },
  { state: { $neq: 'CREATED' } },
  { priority: { $gte: 50 } },
  { priority: { $lt: 50, $gt: 10 } },
  { dueDate: { $exists: true } },
  { dueDate: { $exists: false } },
  { dueDate: { $lt: mid } },
  { dueDate: { $gte: mid, $lte: '2026-03-25T00:00:00Z' } },
  { processDefinitionId: 'q-fixture' },
  { processInstanceVariables: [{ name: 'projectId', value: '"P-2"' }] },
  {
    processInstanceVariables: [
      { name: 'tenantId', value: '"other"' },
      { name: 'projectId', value: '"P-1"' },
    ],
  },
  { processInstanceVariables: [{ name: 'projectId', value: { $like: '"P-1*' } }] },
  { processInstanceVariables: [{ name: 'nothing', value: '1' }] },
  { candidateGroup: { $in: ['finance', 'audit'] }, assignee: 'bob', state: 'CREATED' },
  {
    candidateGroup: { $in: ['finance', 'legal'] },
    processInstanceVariables: [{ name: 'tenantId', value: '"yunfu"' }],
    state: 'CREATED',
  },
];

describe('/v2/user-tasks/search: every operator in SQL agrees with the in-memory semantics', () => {
  it('the fixture set is varied enough that each filter both keeps and drops tasks', () => {
    expect(allTasks).toHaveLength(42);
    const kept = TASK_FILTERS.map((f) => reference(allTasks, 'userTaskKey', f).length);
    expect(kept.filter((n) => n > 0 && n < 42).length).toBeGreaterThanOrEqual(TASK_FILTERS.length - 1);
  });

  it.each(TASK_FILTERS.map((f) => [JSON.stringify(f), f] as const))('%s', async (_name, filter) => {
    const expected = reference(allTasks, 'userTaskKey', filter);
    expect(await searchTasks(filter)).toEqual({ keys: expected, total: expected.length });
  });

  it.each([
    [[{ field: 'dueDate', order: 'ASC' }]],
    [[{ field: 'dueDate', order: 'DESC' }]],
    [
      [
        { field: 'priority', order: 'DESC' },
        { field: 'creationDate', order: 'ASC' },
      ],
    ],
    [[{ field: 'name', order: 'ASC' }]],
    [
      [
        { field: 'dueDate', order: 'ASC' },
        { field: 'creationDate', order: 'DESC' },
      ],
    ],
  ] as Array<[Sort]>)('sorts by %j (absent dates last ascending, first descending)', async (sort) => {
    const filter = { state: 'CREATED' };
    const expected = reference(allTasks, 'userTaskKey', filter, sort);
    expect(await searchTasks(filter, sort)).toEqual({ keys: expected, total: expected.length });
  });

  it('pages a candidateGroup $in search with the true total', async () => {
    const filter = { candidateGroup: { $in: ['finance', 'legal', 'audit'] } };
    const sort: Sort = [{ field: 'dueDate', order: 'ASC' }];
    const expected = reference(allTasks, 'userTaskKey', filter, sort);
    expect(expected.length).toBeGreaterThan(10);
    const pages: string[] = [];
    for (let from = 0; from < expected.length; from += 4) {
      const r = await searchTasks(filter, sort, { from, limit: 4 });
      expect(r.total).toBe(expected.length);
      pages.push(...r.keys);
    }
    expect(pages).toEqual(expected);
  });
});

describe('/v2/process-instances/search: variables, dates and element filters in SQL', () => {
  const filters: Array<Record<string, unknown>> = [
    { variables: [{ name: 'projectId', value: '"P-2"' }] },
    {
      variables: [
        { name: 'projectId', value: '"P-3"' },
        { name: 'tenantId', value: '"yunfu"' },
      ],
    },
    { variables: [{ name: 'amount', value: { $in: ['10', '200', '410'] } }] },
    { processDefinitionId: { $like: 'q-*' } },
    { processDefinitionId: { $neq: 'q-fixture' } },
    { state: { $in: ['COMPLETED'] } },
    { hasIncident: false },
    { parentProcessInstanceKey: { $exists: false } },
  ];

  it.each(filters.map((f) => [JSON.stringify(f), f] as const))('%s', async (_name, filter) => {
    const expected = reference(allInstances, 'processInstanceKey', filter);
    expect(await searchInstances(filter)).toEqual({ keys: expected, total: expected.length });
  });

  it('filters and sorts by start date', async () => {
    const starts = allInstances.map((i) => String(i.startDate)).sort();
    const filter = { startDate: { $gte: starts[10]! } };
    const sort: Sort = [{ field: 'startDate', order: 'DESC' }];
    const expected = reference(allInstances, 'processInstanceKey', filter, sort);
    expect(await searchInstances(filter, sort)).toEqual({ keys: expected, total: expected.length });
  });

  it('filters by the element instances of an instance (elementId, elementInstanceState)', async () => {
    const active = allInstances.filter((i) => i.state === 'ACTIVE').map((i) => String(i.processInstanceKey));
    const r = await searchInstances({ elementId: 'task', elementInstanceState: 'ACTIVE' });
    expect(r.keys).toEqual(active);
    const done = await searchInstances({ elementId: 'done' });
    expect(done.keys).toEqual(reference(allInstances, 'processInstanceKey', { state: 'COMPLETED' }));
  });
});
