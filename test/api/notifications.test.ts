// Issue 16: the notification centre through /api on the real engine and workers. The Bureau's reviewer returns the
// 市公安局's application for correction through 初核 with the values the initial-check form sends; the Unit's own
// accounts are told (decision, opinion, the correction deadline as a Chinese date — the very due date of the
// 补正申请材料 task the engine then holds — and no ISO date), see an unread count, mark one read and then all;
// another Unit and the reviewer are not told; a cross-site mark-read carrying the session cookie is refused. The
// project's timeline carries the same decision at the 初核 step, and marks the automated steps internal.
// Camunda 8.8 user task search (dueDate of a task): https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhDate } from '../../src/domain/date-text.ts';
import { listOutbox } from '../../src/store/mail-outbox.ts';
import { render, TEMPLATES } from '../../workers/notification-templates.ts';
import { professionalDraft, type Stack, sectionApproves, startStack, until } from '../api-process/stack.ts';
import { sessionCookie } from './http.ts';

type Data = Record<string, unknown>;
const ISO = /\d{4}-\d{2}-\d{2}/;

describe('the notification centre (issue 16)', () => {
  let s: Stack;
  const t: Record<string, string> = {};
  let projectId: string;

  const notes = async (who: string, q = '') =>
    (await s.api(t[who]!, 'GET', `/api/notifications${q}`)).json() as Data[];
  const unread = async (who: string) =>
    ((await s.api(t[who]!, 'GET', '/api/notifications/unread-count')).json() as { unread: number }).unread;
  const taskOf = async (who: string, elementId: string) => {
    const items = await until(
      async () => (await s.api(t[who]!, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Data[],
      (x) => x.some((i) => i.elementId === elementId),
    );
    return items.find((i) => i.elementId === elementId)!;
  };

  beforeAll(async () => {
    s = await startStack({ at: '2026-11-27T02:00:00Z' });
    for (const name of ['gongan.staff', 'gongan.section', 'jiaoyu.staff', 'bureau.reviewer'])
      t[name] = await s.login(name);
    // an address, but no SMTP_URL: the notices stay in-app and nothing is queued for e-mail
    await s.store.db
      .updateTable('accounts')
      .set({ email: 'staff@gongan.test' })
      .where('tenantId', '=', 'yunfu')
      .where('username', '=', 'gongan.staff')
      .execute();
    await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度规划',
    });
    projectId = (await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft())).json().project
      .id;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    // G-6: the Unit's 责任科室 sends it on to the Bureau (the Unit's own step: no notice to the Unit)
    await sectionApproves(s, t['gongan.section']!, projectId);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('a return for correction tells the Unit what was decided and by when, in Chinese dates', async () => {
    const before = await unread('gongan.staff');
    const check = await taskOf('bureau.reviewer', 'Task_InitialCheck');
    const done = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${check.userTaskKey}/complete`, {
      variables: { initialCheckDecision: 'return', initialCheckOpinion: '监理费用偏高，请核减并说明' },
    });
    expect(done.statusCode, done.body).toBe(200);

    const correction = await taskOf('gongan.staff', 'Task_CorrectApplication');
    expect(correction.dueDate).toMatch(ISO);
    const mine = (await notes('gongan.staff')).filter((n) => n.projectId === projectId);
    const returned = mine.find((n) => n.title === '初核：退回补正');
    expect(returned, JSON.stringify(mine)).toBeDefined();
    const body = String(returned!.body);
    expect(body).toContain('初核结论：退回补正');
    expect(body).toContain('初核意见：监理费用偏高，请核减并说明');
    // the deadline told is the one the engine holds on the Unit's correction task
    expect(body).toContain(`请于${zhDate(String(correction.dueDate))}前补正申请材料`);
    expect(body).not.toMatch(ISO);
    expect(returned!.readAt).toBeNull();
    expect(await unread('gongan.staff')).toBe(before + 1);
    // the Unit's other account is told too; another Unit and the reviewer are not
    expect((await notes('gongan.section')).some((n) => n.title === '初核：退回补正')).toBe(true);
    expect((await notes('jiaoyu.staff')).some((n) => n.projectId === projectId)).toBe(false);
    expect((await notes('bureau.reviewer')).some((n) => n.title === '初核：退回补正')).toBe(false);
    // without SMTP_URL nothing is queued (test/api/notification-mail.test.ts has the e-mail)
    expect(await listOutbox(s.store.db, 'yunfu')).toEqual([]);
  }, 60_000);

  it('the timeline says what 初核 decided and marks the automated steps internal', async () => {
    const res = await s.api(t['gongan.staff']!, 'GET', `/api/projects/${projectId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Data[];
    const check = items.find((i) => i.elementId === 'Task_InitialCheck' && i.kind === 'element-completed');
    expect(check?.decision).toEqual({
      choice: '退回补正',
      lines: ['初核结论：退回补正', '初核意见：监理费用偏高，请核减并说明'],
    });
    expect(check?.internal).toBe(false);
    const computed = items.filter((i) => String(i.title).startsWith('计算'));
    expect(computed.length).toBeGreaterThan(0);
    expect(computed.every((i) => i.internal === true)).toBe(true);
    const services = items.filter((i) => i.elementType === 'SERVICE_TASK');
    expect(services.length).toBeGreaterThan(0);
    expect(services.every((i) => i.internal === true)).toBe(true);
    expect(items.filter((i) => i.elementType === 'USER_TASK').every((i) => i.internal === false)).toBe(true);
  });

  it('marks one read, then all; only the owner can mark a notification', async () => {
    const [first] = await notes('gongan.staff', '?unread=true');
    expect(first).toBeDefined();
    const other = await s.api(t['jiaoyu.staff']!, 'POST', `/api/notifications/${first!.id}/read`);
    expect(other.statusCode).toBe(404);
    const count = await unread('gongan.staff');
    const one = await s.api(t['gongan.staff']!, 'POST', `/api/notifications/${first!.id}/read`);
    expect(one.statusCode).toBe(204);
    expect(await unread('gongan.staff')).toBe(count - 1);
    const all = await s.api(t['gongan.staff']!, 'POST', '/api/notifications/read-all');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ marked: count - 1 });
    expect(await unread('gongan.staff')).toBe(0);
    expect((await notes('gongan.staff', '?unread=true')).length).toBe(0);
    // gongan.section's own copy is still unread: each person reads their own
    expect(await unread('gongan.section')).toBeGreaterThan(0);
  });

  it('refuses a cross-site read-all that carries the session cookie', async () => {
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { tenantId: 'yunfu', username: 'gongan.section', password: 'Demo-Passw0rd!' },
    });
    const cookie = sessionCookie({
      headers: login.headers,
      status: login.statusCode,
      text: login.body,
    } as never);
    const before = await unread('gongan.section');
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(403);
    expect(await unread('gongan.section')).toBe(before);
  });

  it('the models’ notices show their due dates in Chinese too', () => {
    const text = render(TEMPLATES['initial-check-overdue']!, {
      projectName: '警务平台',
      projectId: 'P-1',
      initialCheckDue: '2026-12-04T18:00:00+08:00',
    });
    expect(text.body).toContain('2026年12月4日 18:00');
    expect(text.body).not.toMatch(ISO);
  });
});
