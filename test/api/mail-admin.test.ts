// Issue 16, e-mail beside the notifications, from the users' seats: the 市公安局's staff sets the address its notices
// go to on the notification page (PUT /api/me/email, as the page sends it; a malformed one is refused naming the
// field); the Bureau's reviewer returns its application for correction; the mail server refuses every attempt, so
// the outbox gives up and marks the mail failed; the Bureau's administrator finds it on the operations page (GET
// /api/ops/mails) with the mail server's answer, and — the server mended — sends it again with a reason: it arrives
// once, and the audit log keeps who sent it again and why. Nobody else sees or resends the failed mails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMails, listOutbox, markMailFailed } from '../../src/store/mail-outbox.ts';
import { professionalDraft, type Stack, sectionApproves, startStack, until } from '../api-process/stack.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp.ts';

type Data = Record<string, unknown>;
type Problem = { errors?: Array<{ field: string }> };
const SUBJECT = '初核：退回补正';

describe('notification e-mail: one’s own address, and failed mails sent again (issue 16)', () => {
  let smtp: SmtpReceiver;
  let s: Stack;
  let dataDir: string;
  const t: Record<string, string> = {};
  let projectId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'yunfu-mail-admin-'));
    s = await startStack({
      at: '2026-11-27T02:00:00Z',
      dataDir,
      env: { SMTP_URL: smtp.url },
      mailRetry: { backoffMs: 100, maxAttempts: 2 },
    });
    for (const name of ['gongan.staff', 'gongan.section', 'bureau.reviewer', 'bureau.admin'])
      t[name] = await s.login(name);
    await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度规划',
    });
    projectId = (await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft())).json().project
      .id;
    expect((await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`)).statusCode).toBe(
      201,
    );
    await sectionApproves(s, t['gongan.section']!, projectId);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the staff sets its own address; a malformed one is refused naming email; /api/me shows it', async () => {
    const bad = await s.api(t['gongan.staff']!, 'PUT', '/api/me/email', { email: 'staff at gongan' });
    expect(bad.statusCode, bad.body).toBe(400);
    expect((bad.json() as Problem).errors?.map((e) => e.field)).toEqual(['email']);
    const saved = await s.api(t['gongan.staff']!, 'PUT', '/api/me/email', { email: ' staff@gongan.test ' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ email: 'staff@gongan.test' });
    expect((await s.api(t['gongan.staff']!, 'GET', '/api/me')).json().email).toBe('staff@gongan.test');
    // the 责任科室 clears its own (told in-app only)
    const cleared = await s.api(t['gongan.section']!, 'PUT', '/api/me/email', { email: null });
    expect(cleared.json()).toEqual({ email: null });
  });

  it('a mail refused on every attempt is failed; the administrator sends it again with a reason, once', async () => {
    smtp.refuseData = (m) => m.subject === SUBJECT;
    const check = (
      await until(
        async () =>
          (await s.api(t['bureau.reviewer']!, 'GET', `/api/tasks?projectId=${projectId}`)).json()
            .items as Data[],
        (x) => x.some((i) => i.elementId === 'Task_InitialCheck'),
      )
    ).find((i) => i.elementId === 'Task_InitialCheck')!;
    const done = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${check.userTaskKey}/complete`, {
      variables: { initialCheckDecision: 'return', initialCheckOpinion: '监理费用偏高，请核减并说明' },
    });
    expect(done.statusCode, done.body).toBe(200);

    const failed = await until(
      async () =>
        ((await s.api(t['bureau.admin']!, 'GET', '/api/ops/mails')).json() as { items: Data[] }).items,
      (x) => x.some((m) => m.subject === SUBJECT),
    );
    const mail = failed.find((m) => m.subject === SUBJECT)!;
    expect(mail).toMatchObject({ recipient: 'staff@gongan.test', state: 'failed', attempts: 2 });
    expect(String(mail.lastError)).toMatch(/try again later/);
    expect(smtp.received.filter((m) => m.subject === SUBJECT)).toHaveLength(0);

    // only the Bureau's administrators see and resend them
    expect((await s.api(t['gongan.staff']!, 'GET', '/api/ops/mails')).statusCode).toBe(403);
    const staffRetry = await s.api(t['bureau.reviewer']!, 'POST', `/api/ops/mails/${mail.id}/retry`, {
      reason: '重发',
    });
    expect(staffRetry.statusCode).toBe(403);
    const noReason = await s.api(t['bureau.admin']!, 'POST', `/api/ops/mails/${mail.id}/retry`, {
      reason: '  ',
    });
    expect(noReason.statusCode).toBe(400);
    expect((noReason.json() as Problem).errors?.map((e) => e.field)).toEqual(['reason']);
    const unknown = await s.api(t['bureau.admin']!, 'POST', '/api/ops/mails/no-such-mail/retry', {
      reason: '重发',
    });
    expect(unknown.statusCode).toBe(404);

    smtp.refuseData = null; // the mail server is back
    const again = await s.api(t['bureau.admin']!, 'POST', `/api/ops/mails/${mail.id}/retry`, {
      reason: '邮件服务器已恢复，重新发送',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: mail.id, state: 'pending', attempts: 0 });
    await until(
      async () => smtp.received.filter((m) => m.subject === SUBJECT),
      (x) => x.length > 0,
    );
    await new Promise((r) => setTimeout(r, 500)); // time for a wrong second copy
    expect(smtp.received.filter((m) => m.subject === SUBJECT).map((m) => m.to)).toEqual([
      ['staff@gongan.test'],
    ]);
    const row = (await listOutbox(s.store.db, 'yunfu')).find((m) => m.id === mail.id)!;
    expect([row.state, row.attempts]).toEqual(['sent', 1]);
    // a sent mail is not sent again
    const twice = await s.api(t['bureau.admin']!, 'POST', `/api/ops/mails/${mail.id}/retry`, {
      reason: '再发一次',
    });
    expect(twice.statusCode).toBe(409);
    expect((await s.api(t['bureau.admin']!, 'GET', '/api/ops/mails')).json()).toEqual({
      items: [],
      total: 0,
    });

    const audit = await s.store.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', 'in', ['mail.retry', 'account.email'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['account.email', 'account.email', 'mail.retry']);
    const retried = audit.find((a) => a.action === 'mail.retry')!;
    expect(JSON.stringify(retried)).toContain('邮件服务器已恢复，重新发送');
  }, 90_000);

  it('the failed mails are listed newest first, a page at a time, with the true total and without their text', async () => {
    // Seeded in the store: how a mail fails is the test above; this one is about the list an operator reads.
    const later = new Date(Date.now() + 86_400_000).toISOString(); // not due: the sender leaves them alone
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await s.store.transaction((tx) =>
        enqueueMails(tx, {
          tenantId: 'yunfu',
          to: [`unit${i}@gongan.test`],
          subject: `失败的通知 ${i}`,
          body: '正文不在列表中',
          createdAt: new Date(Date.UTC(2026, 10, 27, 3, i)).toISOString(),
          dueAt: later,
        }),
      );
      const id = (await listOutbox(s.store.db, 'yunfu')).find((m) => m.subject === `失败的通知 ${i}`)!.id;
      await markMailFailed(s.store.db, id, '550 mailbox unavailable', null);
      ids.push(id);
    }
    const page = async (n: number) =>
      (await s.api(t['bureau.admin']!, 'GET', `/api/ops/mails?pageSize=2&page=${n}`)).json() as {
        items: Data[];
        total: number;
      };
    const [one, two, three] = [await page(1), await page(2), await page(3)];
    expect([one.total, two.total, three.total]).toEqual([5, 5, 5]);
    expect([...one.items, ...two.items, ...three.items].map((m) => m.id)).toEqual([...ids].reverse());
    expect(one.items[0]).not.toHaveProperty('body');
    const bad = await s.api(t['bureau.admin']!, 'GET', '/api/ops/mails?pageSize=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('pageSize');
  });
});
