// /api/tasks pages through every task of the inbox with the true total (issue 17: it read the oldest 1,000 only
// and reported `total: 1000`; a task created now did not appear among 25,004). The business API talks to the
// engine's /v2 over real HTTP through the official client (CamundaProcessGateway); the tasks are seeded through
// the engine's in-process API, which is faster than walking each through the lifecycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { type RestServer, startRest, userTaskProcess } from '../engine/rest-server.ts';
import { type Harness, startHarness } from './harness.ts';

let server: RestServer;
let h: Harness;
let reviewer: { authorization: string };
let reviewerId: string;

const GROUP_TASKS = 1_030;
const ASSIGNED_IN_GROUP = 5;
const ASSIGNED_ELSEWHERE = 15;
const OTHER_TENANT = 20;

async function start(processId: string, tenantId: string, projectId: string) {
  const { processInstanceKey } = await server.engine.createProcessInstance({
    processDefinitionId: processId,
    variables: { tenantId, projectId, projectName: `项目 ${projectId}` },
  });
  return server.engine.searchUserTasks({ filter: { processInstanceKey } }).items[0]!.userTaskKey;
}

type Page = { items: Array<{ userTaskKey: string; creationDate: string }>; total: number; page: number };

async function inbox(query: string): Promise<Page> {
  const res = await h.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: reviewer });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

beforeAll(async () => {
  server = await startRest();
  await server.engine.deploy([
    { name: 'r.bpmn', content: Buffer.from(userTaskProcess('inbox-review', 'bureau-reviewer')) },
    { name: 'f.bpmn', content: Buffer.from(userTaskProcess('inbox-finance', 'finance')) },
  ]);
  h = await startHarness({
    processes: CamundaProcessGateway.fromConfig({
      restAddress: server.address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    }),
  });
  reviewer = h.as(await h.login('bureau.reviewer'));
  const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: reviewer });
  reviewerId = me.json().id as string;
  for (let i = 0; i < GROUP_TASKS; i++) {
    const key = await start('inbox-review', 'yunfu', `YF-2026-${String(i).padStart(4, '0')}`);
    if (i % 250 === 7) server.engine.assignUserTask(key, { assignee: reviewerId });
  }
  for (let i = 0; i < ASSIGNED_ELSEWHERE; i++) {
    const key = await start('inbox-finance', 'yunfu', `YF-2026-F${i}`);
    server.engine.assignUserTask(key, { assignee: reviewerId });
  }
  // the same group in another business tenant: never in this inbox, nor in its totals
  for (let i = 0; i < OTHER_TENANT; i++) await start('inbox-review', 'other', `OT-${i}`);
}, 300_000);

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('/api/tasks: every task, paged, with the true total', () => {
  it('counts every task of the scope, past 1,000', async () => {
    expect((await inbox('scope=groups&pageSize=1')).total).toBe(GROUP_TASKS);
    expect((await inbox('scope=mine&pageSize=1')).total).toBe(ASSIGNED_IN_GROUP + ASSIGNED_ELSEWHERE);
    // the union: my groups' tasks and those assigned to me, each counted once
    expect((await inbox('scope=all&pageSize=1')).total).toBe(GROUP_TASKS + ASSIGNED_ELSEWHERE);
  });

  it('pages through the union in order, every task exactly once', async () => {
    const seen: string[] = [];
    const created: number[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const r = await inbox(`scope=all&page=${page}&pageSize=100&sort=created`);
      expect(r.total).toBe(GROUP_TASKS + ASSIGNED_ELSEWHERE);
      expect(r.page).toBe(page);
      if (r.items.length === 0) break;
      pages++;
      for (const t of r.items) {
        seen.push(t.userTaskKey);
        created.push(Date.parse(t.creationDate));
      }
    }
    expect(pages).toBe(Math.ceil((GROUP_TASKS + ASSIGNED_ELSEWHERE) / 100));
    expect(new Set(seen).size).toBe(GROUP_TASKS + ASSIGNED_ELSEWHERE);
    expect(seen).toHaveLength(GROUP_TASKS + ASSIGNED_ELSEWHERE);
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const others = server.engine.searchUserTasks({
      filter: { processInstanceVariables: [{ name: 'tenantId', value: '"other"' }] },
      page: { limit: 100 },
    });
    expect(others.page.totalItems).toBe(OTHER_TENANT);
    for (const t of others.items) expect(seen).not.toContain(t.userTaskKey);

    // newest first, the tasks assigned outside the groups lead: small pages across the seam merge correctly
    const newest: string[] = [];
    for (let page = 1; page <= 6; page++) {
      const r = await inbox(`scope=all&page=${page}&pageSize=7&sort=created-desc`);
      newest.push(...r.items.map((t) => t.userTaskKey));
    }
    const byNewest = seen
      .map((key, i) => ({ key, at: created[i]! }))
      .sort((x, y) => y.at - x.at || (BigInt(x.key) < BigInt(y.key) ? -1 : 1));
    expect(newest).toEqual(byNewest.slice(0, 42).map((x) => x.key));
  });

  it('shows a task created now on page 1 when sorted by creation, newest first', async () => {
    const key = await start('inbox-review', 'yunfu', 'YF-2026-NEW');
    const r = await inbox('sort=created-desc&pageSize=10');
    expect(r.items[0]?.userTaskKey).toBe(key);
    expect(r.total).toBe(GROUP_TASKS + ASSIGNED_ELSEWHERE + 1);
    // and in the default order (soonest due, then oldest) it is on the last page
    const last = Math.ceil(r.total / 50);
    const tail = await inbox(`page=${last}&pageSize=50`);
    expect(tail.items.at(-1)?.userTaskKey).toBe(key);
  });

  it('keeps true totals after tasks are completed, canceled, assigned and moved to another tenant', async () => {
    // the engine's totals are sums of open-task counters (schema version 4): each scope's total and its pages
    // must equal a brute-force count over every task and every instance's tenant
    const e = server.engine;
    const all = () => e.searchUserTasks({ page: { limit: 10_000 } }).items;
    const tenantOf = (pik: string) => e.getVariables(pik).tenantId;
    const inboxOf = (tasks: ReturnType<typeof all>) =>
      tasks.filter(
        (t) =>
          t.state === 'CREATED' &&
          tenantOf(t.processInstanceKey) === 'yunfu' &&
          (t.candidateGroups.includes('bureau-reviewer') || t.assignee === reviewerId),
      );
    const before = inboxOf(all()).length;
    const review = all().filter((t) => t.state === 'CREATED' && t.processDefinitionId === 'inbox-review');
    const yunfu = review.filter((t) => tenantOf(t.processInstanceKey) === 'yunfu');
    const other = review.filter((t) => tenantOf(t.processInstanceKey) === 'other');
    const mineInGroup = yunfu.filter((t) => t.assignee === reviewerId);
    e.completeUserTask(mineInGroup[0]!.userTaskKey);
    for (const t of yunfu.slice(10, 13)) e.completeUserTask(t.userTaskKey);
    for (const t of yunfu.slice(20, 22)) e.cancelProcessInstance(t.processInstanceKey);
    for (const t of yunfu.slice(30, 34)) e.assignUserTask(t.userTaskKey, { assignee: reviewerId });
    e.setVariables(yunfu[40]!.processInstanceKey, { tenantId: 'other' });
    for (const t of other.slice(0, 2)) e.assignUserTask(t.userTaskKey, { assignee: reviewerId });
    const finance = all().find((t) => t.state === 'CREATED' && t.processDefinitionId === 'inbox-finance');
    e.cancelProcessInstance(finance!.processInstanceKey);
    e.assignUserTask(await start('inbox-finance', 'yunfu', 'YF-2026-F-NEW'), { assignee: reviewerId });

    const open = all().filter((t) => t.state === 'CREATED' && tenantOf(t.processInstanceKey) === 'yunfu');
    const inGroup = (t: (typeof open)[number]) => t.candidateGroups.includes('bureau-reviewer');
    const expected = {
      groups: open.filter(inGroup),
      mine: open.filter((t) => t.assignee === reviewerId),
      all: open.filter((t) => inGroup(t) || t.assignee === reviewerId),
    };
    expect(expected.all).toEqual(inboxOf(all()));
    // 4 completed and 2 canceled in the group, 1 moved to another tenant; 1 canceled and 1 new outside the group
    expect(expected.all.length).toBe(before - 4 - 2 - 1 - 1 + 1);
    for (const scope of ['groups', 'mine', 'all'] as const) {
      const keys: string[] = [];
      for (let page = 1; ; page++) {
        const r = await inbox(`scope=${scope}&page=${page}&pageSize=100`);
        expect(r.total, scope).toBe(expected[scope].length);
        if (r.items.length === 0) break;
        keys.push(...r.items.map((t) => t.userTaskKey));
      }
      expect(keys.sort(), scope).toEqual(expected[scope].map((t) => t.userTaskKey).sort());
    }
  });

  it('refuses a page size over 100', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/tasks?pageSize=101', headers: reviewer });
    expect(res.statusCode).toBe(400);
  });
});
