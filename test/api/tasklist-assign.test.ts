// Issue #15 §3: a reviewer hands a task to a colleague of the same candidate group (anyone else: 422 naming
// `assignee`), and sets its follow-up date and priority (validated: 400 naming the field); each change is audited,
// refused for a task claimed by someone else (409), for Audit (403) and from another site (403, nothing changed).
// The Bureau's reviewers act through /api over a real socket; the business API reaches the engine's /v2 through
// the official client. Camunda 8.8: assignment `POST /v2/user-tasks/{key}/assignment` (allowOverride),
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/ ;
// follow-up date and priority (0–100, default 50) through `PATCH /v2/user-tasks/{key}`'s changeset,
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/auth/passwords.ts';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { type RestServer, startRest, userTaskProcess } from '../engine/rest-server.ts';
import { DEMO_PASSWORD } from './harness.ts';
import { type Listening, listen, sessionCookie } from './http.ts';

let server: RestServer;
let h: Listening;
const token: Record<string, string> = {};
const id: Record<string, string> = {};
let key: string;

const call = (who: string, method: string, url: string, payload?: unknown) =>
  h.app.inject({
    method: method as 'GET',
    url,
    headers: h.as(token[who]!),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
const engineTask = () => server.engine.searchUserTasks({ filter: { userTaskKey: key } }).items[0]!;
const auditOf = async (action: string) => {
  const res = await call('audit', 'GET', `/api/audit-log?action=${action}`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return (Array.isArray(body) ? body : body.items) as Array<{
    action: string;
    payload: Record<string, unknown>;
  }>;
};

beforeAll(async () => {
  server = await startRest();
  await server.engine.deploy([
    { name: 'r.bpmn', content: Buffer.from(userTaskProcess('assign-review', 'bureau-reviewer')) },
  ]);
  h = await listen({
    processes: CamundaProcessGateway.fromConfig({
      restAddress: server.address,
      auth: { strategy: 'NONE' },
      tenantId: null,
    }),
  });
  // a second reviewer of the Bureau: the colleague
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await h.store.transaction((tx) =>
    createAccount(tx, {
      tenantId: 'yunfu',
      username: 'bureau.reviewer2',
      displayName: '市政数局审核员二',
      passwordHash,
      roles: ['bureau-reviewer'],
    }),
  );
  for (const who of ['bureau.reviewer', 'bureau.reviewer2', 'finance', 'audit', 'bureau.admin']) {
    token[who] = await h.login(who);
    id[who] = (await call(who, 'GET', '/api/me')).json().id;
  }
  token['xinxing/bureau.admin'] = await h.login('bureau.admin', 'xinxing');
  id['xinxing/bureau.admin'] = (await call('xinxing/bureau.admin', 'GET', '/api/me')).json().id;
  const { processInstanceKey } = await server.engine.createProcessInstance({
    processDefinitionId: 'assign-review',
    variables: {
      tenantId: 'yunfu',
      projectId: 'YF-2026-0042',
      projectName: '智慧警务平台',
      unitId: 'gongan',
      reviewedAmount: 980_000,
      gatewayApiKey: 'k-123',
      serviceAccountPassword: 'p-456',
      reviewNote: '请重点核对造价',
    },
  });
  key = server.engine.searchUserTasks({ filter: { processInstanceKey } }).items[0]!.userTaskKey;
}, 60_000);

afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('handing a task to a colleague; follow-up date and priority', () => {
  it('lists the colleagues of the task’s group, and only them', async () => {
    const res = await call('bureau.reviewer', 'GET', `/api/tasks/${key}/colleagues`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().map((c: { username: string }) => c.username)).toEqual([
      'bureau.reviewer',
      'bureau.reviewer2',
    ]);
    expect((await call('finance', 'GET', `/api/tasks/${key}/colleagues`)).statusCode).toBe(404);
  });

  it('refuses anyone outside the task’s candidate groups with a 422 naming assignee', async () => {
    for (const other of [id.finance!, id['bureau.admin']!, id['xinxing/bureau.admin']!, 'no-such-account']) {
      const res = await call('bureau.reviewer', 'POST', `/api/tasks/${key}/assignment`, { assignee: other });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors).toEqual([{ field: 'assignee', reason: '只能转交给该任务候选组内的同事' }]);
    }
    expect(engineTask().assignee).toBeNull();
    const empty = await call('bureau.reviewer', 'POST', `/api/tasks/${key}/assignment`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { field: string }) => e.field)).toContain('assignee');
  });

  it('hands the task to a colleague, who finds it as theirs; the trail says who handed it to whom', async () => {
    const res = await call('bureau.reviewer', 'POST', `/api/tasks/${key}/assignment`, {
      assignee: id['bureau.reviewer2'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assignee: id['bureau.reviewer2'], assigneeName: '市政数局审核员二' });
    expect(engineTask().assignee).toBe(id['bureau.reviewer2']);
    const mine = (await call('bureau.reviewer2', 'GET', '/api/tasks?scope=mine')).json();
    expect(mine.items.map((t: { userTaskKey: string }) => t.userTaskKey)).toEqual([key]);
    const entries = await auditOf('task.assign');
    expect(entries.at(-1)?.payload).toMatchObject({
      assignee: id['bureau.reviewer2'],
      previousAssignee: null,
    });
    // now it is the colleague's: the first reviewer can neither hand it on again nor reschedule it
    const again = await call('bureau.reviewer', 'POST', `/api/tasks/${key}/assignment`, {
      assignee: id['bureau.reviewer'],
    });
    expect(again.statusCode).toBe(409);
    expect((await call('bureau.reviewer', 'PATCH', `/api/tasks/${key}`, { priority: 10 })).statusCode).toBe(
      409,
    );
    // the colleague hands it back (replacing their own assignment)
    const back = await call('bureau.reviewer2', 'POST', `/api/tasks/${key}/assignment`, {
      assignee: id['bureau.reviewer'],
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(engineTask().assignee).toBe(id['bureau.reviewer']);
  });

  it('sets the follow-up date and the priority, shown on the task and in the list, and audited', async () => {
    const res = await call('bureau.reviewer', 'PATCH', `/api/tasks/${key}`, {
      followUpDate: '2026-03-09T09:00:00+08:00',
      priority: 90,
    });
    expect(res.statusCode, res.body).toBe(200);
    const detail = (await call('bureau.reviewer', 'GET', `/api/tasks/${key}`)).json();
    expect(detail.task).toMatchObject({ priority: 90, followUpDate: '2026-03-09T01:00:00.000Z' });
    expect(engineTask()).toMatchObject({ priority: 90, followUpDate: '2026-03-09T01:00:00.000Z' });
    const entries = await auditOf('task.update');
    expect(entries.at(-1)?.payload).toMatchObject({
      priority: 90,
      followUpDate: '2026-03-09T01:00:00.000Z',
      previous: { priority: 50, followUpDate: null },
    });
    // priority alone keeps the follow-up date
    expect((await call('bureau.reviewer', 'PATCH', `/api/tasks/${key}`, { priority: 0 })).statusCode).toBe(
      200,
    );
    expect(engineTask()).toMatchObject({ priority: 0, followUpDate: '2026-03-09T01:00:00.000Z' });
  });

  it('refuses a bad follow-up date or priority with a 400 naming the field, and changes nothing', async () => {
    for (const [body, field] of [
      [{ priority: 101 }, 'priority'],
      [{ priority: -1 }, 'priority'],
      [{ priority: 2.5 }, 'priority'],
      [{ followUpDate: '下周一' }, 'followUpDate'],
      [{ followUpDate: '2026-02-30T00:00:00Z' }, 'followUpDate'],
    ] as const) {
      const res = await call('bureau.reviewer', 'PATCH', `/api/tasks/${key}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await call('bureau.reviewer', 'PATCH', `/api/tasks/${key}`, {})).statusCode).toBe(400);
    expect(engineTask().priority).toBe(0);
  });

  it('Audit reads the task but changes nothing (403)', async () => {
    expect((await call('audit', 'GET', `/api/tasks/${key}`)).statusCode).toBe(200);
    expect((await call('audit', 'PATCH', `/api/tasks/${key}`, { priority: 70 })).statusCode).toBe(403);
    const res = await call('audit', 'POST', `/api/tasks/${key}/assignment`, {
      assignee: id['bureau.reviewer2'],
    });
    expect(res.statusCode).toBe(403);
    expect(engineTask()).toMatchObject({ priority: 0, assignee: id['bureau.reviewer'] });
  });

  it('refuses a cross-site change carrying the reviewer’s cookie, before it reaches the task', async () => {
    const signIn = await h.send('POST', '/api/session', {
      headers: { 'content-type': 'application/json', origin: h.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ username: 'bureau.reviewer', password: DEMO_PASSWORD }),
    });
    const cookie = sessionCookie(signIn);
    const headers = { cookie, origin: 'http://127.0.0.1:9999', 'content-type': 'application/json' };
    const patch = await h.send('PATCH', `/api/tasks/${key}`, { headers, body: '{"priority":99}' });
    const assign = await h.send('POST', `/api/tasks/${key}/assignment`, {
      headers,
      body: JSON.stringify({ assignee: id['bureau.reviewer2'] }),
    });
    expect([patch.status, assign.status]).toEqual([403, 403]);
    expect(engineTask()).toMatchObject({ priority: 0, assignee: id['bureau.reviewer'] });
    // the same request from the app's own page goes through
    const own = await h.send('PATCH', `/api/tasks/${key}`, {
      headers: { ...headers, origin: h.url, 'sec-fetch-site': 'same-origin' },
      body: '{"priority":99}',
    });
    expect(own.status, own.text).toBe(200);
    expect(engineTask().priority).toBe(99);
  });

  it('shows the task’s variables read-only, without protected ones or secrets', async () => {
    const res = await call('bureau.reviewer', 'GET', `/api/tasks/${key}/variables`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().variables).toEqual([
      { name: 'projectName', value: '智慧警务平台' },
      { name: 'reviewNote', value: '请重点核对造价' },
    ]);
    expect((await call('finance', 'GET', `/api/tasks/${key}/variables`)).statusCode).toBe(404);
  });
});
