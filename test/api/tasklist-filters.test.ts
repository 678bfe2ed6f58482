// Issue #15 §3: the reviewers' task list filters, sorts and searches on the server — assignment (mine, my groups,
// unassigned), open or completed, overdue, due this week, by process, project and Unit, a search by project name
// or number; sorted by due date, creation, priority or follow-up date either way; paged with true totals; a bad
// parameter is a 400 naming it. The Bureau reviewer asks through /api; the business API reaches the engine's /v2
// over real HTTP through the official client. The tasks are seeded through the engine's in-process API (their
// due and follow-up dates and priority as Camunda's `PATCH /v2/user-tasks/{key}` sets them).
// Camunda 8.8 user task search (filter dueDate / followUpDate / priority / processInstanceVariables, sort
// creationDate | completionDate | followUpDate | dueDate | priority, absent values last ascending):
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { type RestServer, startRest, userTaskProcess } from '../engine/rest-server.ts';
import { draft, type Harness, problemOf, startHarness } from './harness.ts';

let server: RestServer;
let h: Harness;
let reviewer: { authorization: string };
let reviewerId: string;
/** Project ids by their names' short form. */
const projects: Record<string, string> = {};
/** Task keys by their names in this story. */
const tasks: Record<string, string> = {};

type Item = {
  userTaskKey: string;
  priority: number;
  followUpDate: string | null;
  completionDate: string | null;
};
type Page = { items: Item[]; total: number; page: number; pageSize: number };

async function list(query = ''): Promise<Page> {
  const res = await h.app.inject({ method: 'GET', url: `/api/tasks${query}`, headers: reviewer });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}
/** The story names of a page's tasks, in order. */
const named = (page: Page) =>
  page.items.map((i) => Object.entries(tasks).find(([, k]) => k === i.userTaskKey)?.[0] ?? i.userTaskKey);

async function task(
  name: string,
  processId: string,
  project: string,
  unitId: string,
  set: { dueDate?: string; followUpDate?: string; priority?: number } = {},
  tenantId = 'yunfu',
) {
  const { processInstanceKey } = await server.engine.createProcessInstance({
    processDefinitionId: processId,
    variables: { tenantId, projectId: projects[project], projectName: project, unitId },
  });
  const key = server.engine.searchUserTasks({ filter: { processInstanceKey } }).items[0]!.userTaskKey;
  if (Object.keys(set).length > 0) server.engine.updateUserTask(key, set);
  tasks[name] = key;
  return key;
}

beforeAll(async () => {
  server = await startRest();
  await server.engine.deploy([
    { name: 'a.bpmn', content: Buffer.from(userTaskProcess('tl-review', 'bureau-reviewer')) },
    { name: 'b.bpmn', content: Buffer.from(userTaskProcess('tl-accept', 'bureau-reviewer')) },
    { name: 'c.bpmn', content: Buffer.from(userTaskProcess('tl-finance', 'finance')) },
  ]);
  h = await startHarness({
    processes: CamundaProcessGateway.fromConfig({
      restAddress: server.address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    }),
  });
  reviewer = h.as(await h.login('bureau.reviewer'));
  reviewerId = (await h.app.inject({ method: 'GET', url: '/api/me', headers: reviewer })).json().id;
  for (const [who, name] of [
    ['gongan.staff', '智慧警务平台'],
    ['jiaoyu.staff', '智慧教育平台'],
    ['gongan.staff', '政务云扩容'],
  ] as const) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: h.as(await h.login(who)),
      payload: draft({ projectName: name, description: '项目简介' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    projects[name] = res.json().project.id;
  }
  // The clock: Monday 2 March 2026, 10:00 in Yunfu; this week runs to Sunday 8 March.
  await task('overdue', 'tl-review', '智慧警务平台', 'gongan', {
    dueDate: '2026-02-27T09:00:00Z',
    followUpDate: '2026-03-05T01:00:00Z',
    priority: 80,
  });
  await task('thisWeek', 'tl-review', '智慧教育平台', 'jiaoyu', {
    dueDate: '2026-03-04T09:00:00Z',
    priority: 30,
  });
  await task('claimed', 'tl-accept', '政务云扩容', 'gongan', {
    dueDate: '2026-03-20T09:00:00Z',
    followUpDate: '2026-03-03T01:00:00Z',
  });
  server.engine.assignUserTask(tasks.claimed!, { assignee: reviewerId });
  await task('done', 'tl-accept', '智慧警务平台', 'gongan');
  server.engine.completeUserTask(tasks.done!, {});
  await task('financeOnly', 'tl-finance', '智慧教育平台', 'jiaoyu', { dueDate: '2026-03-03T09:00:00Z' });
  await task('mineElsewhere', 'tl-finance', '政务云扩容', 'gongan', { dueDate: '2026-03-03T09:00:00Z' });
  server.engine.assignUserTask(tasks.mineElsewhere!, { assignee: reviewerId });
  // the same group and project number in another business tenant: never listed, never counted
  await task(
    'otherTenant',
    'tl-review',
    '智慧警务平台',
    'gongan',
    { dueDate: '2026-02-01T00:00:00Z' },
    'xinxing',
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('/api/tasks: filters, search and sort on the server, with true totals', () => {
  it('lists my groups’ open tasks and mine, soonest due first, with priority and follow-up date', async () => {
    const page = await list();
    expect(named(page)).toEqual(['overdue', 'mineElsewhere', 'thisWeek', 'claimed']);
    expect(page.total).toBe(4);
    expect(page.items[0]).toMatchObject({ priority: 80, followUpDate: '2026-03-05T01:00:00.000Z' });
    // Camunda's default priority
    expect(page.items[1]!.priority).toBe(50);
  });

  it('filters by assignment: mine, my groups, unassigned', async () => {
    expect(named(await list('?scope=mine'))).toEqual(['mineElsewhere', 'claimed']);
    expect(named(await list('?scope=groups'))).toEqual(['overdue', 'thisWeek', 'claimed']);
    const unassigned = await list('?scope=unassigned');
    expect(named(unassigned)).toEqual(['overdue', 'thisWeek']);
    expect(unassigned.total).toBe(2);
  });

  it('filters overdue tasks and those due this week', async () => {
    expect(named(await list('?due=overdue'))).toEqual(['overdue']);
    expect(named(await list('?due=week'))).toEqual(['mineElsewhere', 'thisWeek']);
    expect((await list('?due=week&scope=unassigned')).total).toBe(1);
  });

  it('filters by process, project and Unit', async () => {
    expect(named(await list('?processDefinitionId=tl-accept'))).toEqual(['claimed']);
    expect(named(await list(`?projectId=${projects['智慧警务平台']}`))).toEqual(['overdue']);
    expect(named(await list('?unitId=jiaoyu'))).toEqual(['thisWeek']);
    expect(named(await list('?unitId=gongan&scope=mine'))).toEqual(['mineElsewhere', 'claimed']);
  });

  it('searches by project name or number', async () => {
    expect(named(await list(`?q=${encodeURIComponent('警务')}`))).toEqual(['overdue']);
    expect(named(await list(`?q=${projects['政务云扩容']}`))).toEqual(['mineElsewhere', 'claimed']);
    expect(named(await list(`?q=${encodeURIComponent('平台')}&sort=priority`))).toEqual([
      'overdue',
      'thisWeek',
    ]);
    expect(await list(`?q=${encodeURIComponent('不存在的项目')}`)).toMatchObject({ items: [], total: 0 });
  });

  it('sorts by priority, follow-up date, creation and due date, either way', async () => {
    // highest first by default; equal priorities by creation
    expect(named(await list('?sort=priority'))).toEqual(['overdue', 'claimed', 'mineElsewhere', 'thisWeek']);
    expect(named(await list('?sort=priority&order=asc'))).toEqual([
      'thisWeek',
      'claimed',
      'mineElsewhere',
      'overdue',
    ]);
    // no follow-up date last ascending, first descending (as Camunda sorts absent values)
    expect(named(await list('?sort=follow-up'))).toEqual(['claimed', 'overdue', 'thisWeek', 'mineElsewhere']);
    expect(named(await list('?sort=follow-up&order=desc'))).toEqual([
      'thisWeek',
      'mineElsewhere',
      'overdue',
      'claimed',
    ]);
    expect(named(await list('?sort=created'))).toEqual(['overdue', 'thisWeek', 'claimed', 'mineElsewhere']);
    expect(named(await list('?sort=created&order=desc'))).toEqual([
      'mineElsewhere',
      'claimed',
      'thisWeek',
      'overdue',
    ]);
    expect(named(await list('?sort=due&order=desc'))).toEqual([
      'claimed',
      'thisWeek',
      'mineElsewhere',
      'overdue',
    ]);
  });

  it('pages each filtered and sorted list with its true total', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const p = await list(`?sort=priority&pageSize=1&page=${page}`);
      expect(p.total).toBe(4);
      seen.push(...named(p));
    }
    expect(seen).toEqual(['overdue', 'claimed', 'mineElsewhere', 'thisWeek']);
    const second = await list('?scope=groups&pageSize=2&page=2');
    expect([named(second), second.total]).toEqual([['claimed'], 3]);
  });

  it('lists the completed tasks of my groups, the latest first', async () => {
    const done = await list('?state=completed');
    expect(named(done)).toEqual(['done']);
    expect(done.items[0]!.completionDate).toEqual(expect.any(String));
    expect((await list('?state=completed&scope=unassigned')).total).toBe(1);
  });

  it('refuses a bad parameter with a 400 naming it', async () => {
    for (const [query, field] of [
      ['sort=name', 'sort'],
      ['order=up', 'order'],
      ['due=tomorrow', 'due'],
      ['state=closed', 'state'],
      ['scope=everyone', 'scope'],
      ['processDefinitionId=a%20b', 'processDefinitionId'],
      ['unitId=%3Cx%3E', 'unitId'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['q=', 'q'],
      ['pageSize=0', 'pageSize'],
    ]) {
      const res = await h.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: reviewer });
      expect(res.statusCode, query).toBe(400);
      expect(
        problemOf(res).errors?.map((e) => e.field),
        query,
      ).toContain(field);
    }
  });
});
