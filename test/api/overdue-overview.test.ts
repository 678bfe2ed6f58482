// Issue #16 ("Knowing", SV-1): the dashboard's overdue figure for the Bureau's administrator is the tenant's, not
// the administrator's own (which is 0: nobody gives the administrator tasks). GET /api/dashboard/overdue counts the
// open overdue user tasks of the tenant by step and by the Unit that owns the project, each figure with the link to
// the list behind it (/api/tasks?scope=overview…), and per step the deadline compliance of the tasks completed in a
// window. The administrator and Audit ask through /api; the business API reaches the engine's /v2 over real HTTP
// through the official client, as against a remote Camunda 8.8 (user task search on state, elementId, dueDate and
// completionDate). The tasks fall overdue because the engine's clock is moved forward (PUT /v2/clock) together with
// the API's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { everyTask } from '../../src/app/queries/overdue.ts';
import { type RestServer, startRest, userTaskProcess } from '../engine/rest-server.ts';
import { type Harness, problemOf, startHarness } from './harness.ts';

let server: RestServer;
let h: Harness;
let admin: { authorization: string };
const tasks: Record<string, string> = {};

const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const DAY = 86_400_000;

/** A process whose one user task is the step `elementId`, named in Chinese as the models name them. */
const stepProcess = (processId: string, elementId: string, name: string) =>
  userTaskProcess(processId, 'bureau-reviewer')
    .replace(/id="task" name="Task of [^"]*"/, `id="${elementId}" name="${name}"`)
    .replace('targetRef="task"', `targetRef="${elementId}"`)
    .replace('sourceRef="task"', `sourceRef="${elementId}"`);

/** Both clocks — the engine's (PUT /v2/clock, as Camunda's) and the business API's — at the same instant. */
async function clockAt(ms: number) {
  const res = await fetch(`${server.address}/v2/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ timestamp: ms }),
  });
  expect(res.status).toBe(204);
  h.clock.now = new Date(ms);
  // a session lasts hours, not days: sign in again at the new time
  admin = h.as(await h.login('bureau.admin'));
}

async function task(
  name: string,
  processId: string,
  unitId: string,
  dueInDays: number | null,
  tenantId = 'yunfu',
) {
  const { processInstanceKey } = await server.engine.createProcessInstance({
    processDefinitionId: processId,
    variables: { tenantId, unitId, projectName: `${name} 项目` },
  });
  const key = server.engine.searchUserTasks({ filter: { processInstanceKey } }).items[0]!.userTaskKey;
  if (dueInDays !== null)
    server.engine.updateUserTask(key, { dueDate: new Date(T0 + dueInDays * DAY).toISOString() });
  tasks[name] = key;
}

type Overview = {
  overdue: {
    total: number;
    href: string;
    byStep: Array<{
      elementId: string;
      name: string;
      processDefinitionId: string;
      count: number;
      href: string;
    }>;
    byUnit: Array<{ unitId: string; unitName: string; count: number; href: string | null }>;
  };
  compliance: {
    completed: number;
    onTime: number;
    late: number;
    steps: Array<{
      elementId: string;
      name: string;
      completed: number;
      onTime: number;
      late: number;
      rate: number;
    }>;
  };
};

async function overview(query = '', who = admin): Promise<Overview> {
  const res = await h.app.inject({ method: 'GET', url: `/api/dashboard/overdue${query}`, headers: who });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Overview;
}

const keysOf = (body: { items: Array<{ userTaskKey: string }> }) =>
  body.items.map((i) => i.userTaskKey).sort();
const named = (...names: string[]) => names.map((n) => tasks[n]!).sort();

beforeAll(async () => {
  server = await startRest();
  await server.engine.deploy([
    { name: 'r.bpmn', content: Buffer.from(stepProcess('ov-review', 'Task_InitialReview', '初核')) },
    {
      name: 'a.bpmn',
      content: Buffer.from(stepProcess('ov-accept', 'Task_AcceptanceFiling', '验收报告备案')),
    },
  ]);
  h = await startHarness({
    processes: CamundaProcessGateway.fromConfig({
      restAddress: server.address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    }),
  });
  await clockAt(T0);
  await task('review-gongan', 'ov-review', 'gongan', 1);
  await task('review-jiaoyu', 'ov-review', 'jiaoyu', 1);
  await task('accept-gongan', 'ov-accept', 'gongan', 2);
  await task('accept-later', 'ov-accept', 'gongan', 10);
  await task('review-no-due', 'ov-review', 'jiaoyu', null);
  // the same steps and Unit id in the county's tenant: never counted, never listed
  await task('county', 'ov-review', 'gongan', 1, 'xinxing');
}, 120_000);

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('GET /api/dashboard/overdue: the tenant’s overdue tasks by step and by Unit, and compliance', () => {
  it('the Bureau’s administrator sees the overdue tasks of every Unit once the engine’s clock passes their due dates', async () => {
    expect((await overview()).overdue.total).toBe(0);
    await clockAt(T0 + 3 * DAY);
    const o = await overview();
    expect(o.overdue.total).toBe(3);
    expect(o.overdue.byStep.map((s) => [s.elementId, s.name, s.count])).toEqual([
      ['Task_InitialReview', '初核', 2],
      ['Task_AcceptanceFiling', '验收报告备案', 1],
    ]);
    expect(o.overdue.byUnit.map((u) => [u.unitId, u.unitName, u.count])).toEqual([
      ['gongan', '云浮市公安局', 2],
      ['jiaoyu', '云浮市教育局', 1],
    ]);
    // the administrator's own list holds none of them: that was the 0 the dashboard showed
    const own = await h.app.inject({ method: 'GET', url: '/api/tasks?due=overdue', headers: admin });
    expect(own.json().total).toBe(0);
    // Audit reads the same figures
    expect((await overview('', h.as(await h.login('audit')))).overdue.total).toBe(3);
  });

  it('refuses reviewers and Units (403): they supervise no one’s deadlines but their own', async () => {
    // A reviewer works the tasks of its groups and a Unit follows its own projects; the tenant-wide view of every
    // step and every Unit is the supervisor's (the Bureau's administrator) and the auditor's — SV-1, G-8.
    for (const who of ['bureau.reviewer', 'gongan.staff', 'finance']) {
      const headers = h.as(await h.login(who));
      for (const url of ['/api/dashboard/overdue', '/api/tasks?scope=overview&due=overdue']) {
        const res = await h.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, `${who} ${url}`).toBe(403);
        expect(problemOf(res).detail).toContain('SV-1');
      }
    }
  });

  it('each figure’s link lists exactly the tasks it counts; those tasks are read-only for the administrator', async () => {
    const o = await overview();
    const expected: Record<string, string[]> = {
      Task_InitialReview: named('review-gongan', 'review-jiaoyu'),
      Task_AcceptanceFiling: named('accept-gongan'),
      gongan: named('review-gongan', 'accept-gongan'),
      jiaoyu: named('review-jiaoyu'),
      all: named('review-gongan', 'review-jiaoyu', 'accept-gongan'),
    };
    const rows = [
      ...o.overdue.byStep.map((s) => ({ key: s.elementId, href: s.href, count: s.count })),
      ...o.overdue.byUnit.map((u) => ({ key: u.unitId, href: u.href!, count: u.count })),
      { key: 'all', href: o.overdue.href, count: o.overdue.total },
    ];
    for (const row of rows) {
      expect(row.href).toMatch(/^\/api\/tasks\?scope=overview&/);
      const res = await h.app.inject({ method: 'GET', url: row.href, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      expect(keysOf(res.json()), row.key).toEqual(expected[row.key]);
      expect(res.json().total).toBe(row.count);
      expect(res.json().items.every((t: { overdue: boolean }) => t.overdue)).toBe(true);
    }
    // the task opens read-only from there: its detail, but no claim (not the administrator's group)
    const key = tasks['review-gongan']!;
    const detail = await h.app.inject({ method: 'GET', url: `/api/tasks/${key}`, headers: admin });
    expect(detail.statusCode, detail.body).toBe(200);
    const claim = await h.app.inject({ method: 'POST', url: `/api/tasks/${key}/claim`, headers: admin });
    expect(claim.statusCode, claim.body).toBe(403);
  });

  it('counts per step the tasks completed on time and late within the window', async () => {
    // now T0 + 3 days: one acceptance filing past its due date (T0 + 2), one well before it (T0 + 10)
    server.engine.completeUserTask(tasks['accept-gongan']!, {});
    server.engine.completeUserTask(tasks['accept-later']!, {});
    const o = await overview();
    expect(o.compliance).toMatchObject({ completed: 2, onTime: 1, late: 1 });
    expect(o.compliance.steps).toEqual([
      expect.objectContaining({
        elementId: 'Task_AcceptanceFiling',
        name: '验收报告备案',
        completed: 2,
        onTime: 1,
        late: 1,
        rate: 0.5,
      }),
    ]);
    // completed, the late one is no longer overdue
    expect(o.overdue.byStep.map((s) => [s.elementId, s.count])).toEqual([['Task_InitialReview', 2]]);
    // ten days on, a window of the last five days holds no completion; one from 1 March holds both
    await clockAt(T0 + 13 * DAY);
    expect((await overview('?since=5')).compliance.completed).toBe(0);
    expect((await overview('?since=2026-03-01')).compliance).toMatchObject({ completed: 2, late: 1 });
  });

  it('refuses a bad since with a 400 naming it', async () => {
    for (const since of ['abc', '0', '2026-02-30', '2099-01-01', '99999', '-5']) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/dashboard/overdue?since=${since}`,
        headers: admin,
      });
      expect(res.statusCode, `${since}: ${res.body}`).toBe(400);
      expect(problemOf(res).errors?.map((e: { field: string }) => e.field)).toEqual(['since']);
    }
  });

  it('pages through the whole search, past the search window, whatever the page size', async () => {
    // now T0 + 13 days; five more overdue tasks, three of them due at the same instant
    for (const [i, due] of [1, 4, 4, 4, 6].entries()) await task(`more-${i}`, 'ov-review', 'jiaoyu', due);
    const gateway = CamundaProcessGateway.fromConfig({
      restAddress: server.address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    });
    const filter = {
      state: 'CREATED' as const,
      tenantId: 'yunfu',
      dueDate: { before: h.clock.now.toISOString() },
    };
    const whole = (await gateway.searchUserTasks({ ...filter, page: { from: 0, limit: 1000 } })).items;
    expect(whole).toHaveLength(7);
    // pages of 2, a window of 4: two offset pages, then the range again from the last due date read
    const paged = await everyTask(gateway, filter, 'dueDate', { page: 2, depth: 4 });
    expect(paged.map((t) => t.userTaskKey).sort()).toEqual(whole.map((t) => t.userTaskKey).sort());
    const o = await overview();
    expect(o.overdue.total).toBe(7);
    expect(o.overdue.byUnit.map((u) => [u.unitId, u.count])).toEqual([
      ['jiaoyu', 6],
      ['gongan', 1],
    ]);
  });
});
