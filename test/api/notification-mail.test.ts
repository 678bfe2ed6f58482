// Issue 16: the decision notices the API writes are e-mailed too, through the transactional outbox, over real SMTP.
// With SMTP_URL and PUBLIC_URL set, the Bureau's reviewer returns the 市公安局's application for correction through
// /api; the Unit's staff account, the one with an address, receives one mail whose subject and body are the
// notification's own — the decision, the opinion, the correction deadline as a Chinese date (the due date of the
// 补正申请材料 task the engine then holds), no ISO date — with a link to the project's page. The mail server refuses
// the first attempt; the retry delivers it exactly once and the outbox keeps the error. Then a mail committed but
// not yet sent when the server stops is sent once by the restarted server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhDate } from '../../src/domain/date-text.ts';
import { listOutbox } from '../../src/store/mail-outbox.ts';
import { notify } from '../../src/store/notifications.ts';
import { Store } from '../../src/store/store.ts';
import { professionalDraft, type Stack, sectionApproves, startStack, until } from '../api-process/stack.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp.ts';

type Data = Record<string, unknown>;
const ISO = /\d{4}-\d{2}-\d{2}/;
const PUBLIC_URL = 'https://govit.yunfu.test';
const AT = '2026-11-27T02:00:00Z';

describe('decision notices by e-mail through the outbox (issue 16)', () => {
  let smtp: SmtpReceiver;
  let s: Stack;
  let dataDir: string;
  const t: Record<string, string> = {};
  let projectId: string;
  const start = () =>
    startStack({
      at: AT,
      dataDir,
      env: { SMTP_URL: smtp.url, PUBLIC_URL },
      mailRetry: { backoffMs: 300 },
    });
  const mailsTitled = (subject: string) => smtp.received.filter((m) => m.subject === subject);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'yunfu-mail-'));
    s = await start();
    // the staff account has an address; the 责任科室's has none (it is told in-app only)
    await s.store.db
      .updateTable('accounts')
      .set({ email: 'staff@gongan.test' })
      .where('tenantId', '=', 'yunfu')
      .where('username', '=', 'gongan.staff')
      .execute();
    for (const name of ['gongan.staff', 'gongan.section', 'bureau.reviewer']) t[name] = await s.login(name);
    await s.api(t['gongan.section']!, 'POST', '/api/annual-plans', {
      planYear: 2027,
      summary: '2027 年度规划',
    });
    projectId = (await s.api(t['gongan.staff']!, 'POST', '/api/projects', professionalDraft())).json().project
      .id;
    const submitted = await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    await sectionApproves(s, t['gongan.section']!, projectId);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('e-mails a return for correction with its deadline in Chinese; a refused first attempt arrives once on retry', async () => {
    let refuse = true;
    smtp.refuseData = (m) => {
      if (m.subject !== '初核：退回补正' || !refuse) return false;
      refuse = false;
      return true;
    };
    const tasks = async (who: string) =>
      (await s.api(t[who]!, 'GET', `/api/tasks?projectId=${projectId}`)).json().items as Data[];
    const check = (
      await until(
        () => tasks('bureau.reviewer'),
        (x) => x.length > 0,
      )
    ).find((i) => i.elementId === 'Task_InitialCheck')!;
    const done = await s.api(t['bureau.reviewer']!, 'POST', `/api/tasks/${check.userTaskKey}/complete`, {
      variables: { initialCheckDecision: 'return', initialCheckOpinion: '监理费用偏高，请核减并说明' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const correction = (
      await until(
        () => tasks('gongan.staff'),
        (x) => x.some((i) => i.elementId === 'Task_CorrectApplication'),
      )
    ).find((i) => i.elementId === 'Task_CorrectApplication')!;

    await until(
      async () => mailsTitled('初核：退回补正'),
      (x) => x.length > 0,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // time for a wrong second copy
    const mails = mailsTitled('初核：退回补正');
    expect(mails).toHaveLength(1);
    expect(refuse).toBe(false); // the first attempt was refused
    const mail = mails[0]!;
    expect(mail.to).toEqual(['staff@gongan.test']);
    expect(mail.text).toContain(`项目“云浮市智慧警务综合平台”（${projectId}）的初核已办理`);
    expect(mail.text).toContain('初核结论：退回补正');
    expect(mail.text).toContain('初核意见：监理费用偏高，请核减并说明');
    expect(mail.text).toContain(`请于${zhDate(String(correction.dueDate))}前补正申请材料`);
    expect(mail.text).not.toMatch(ISO);
    expect(mail.text).toContain(`查看详情：${PUBLIC_URL}/#/projects/${projectId}`);
    // the mail is the in-app notification's own text
    const notes = (await s.api(t['gongan.staff']!, 'GET', '/api/notifications')).json() as Data[];
    const note = notes.find((n) => n.title === '初核：退回补正' && n.projectId === projectId)!;
    expect(mail.text.startsWith(String(note.body))).toBe(true);
    // one outbox row (the 责任科室's account has no address): sent on the second attempt, the refusal kept
    const outbox = (await listOutbox(s.store.db, 'yunfu')).filter((m) => m.subject === '初核：退回补正');
    expect(outbox.map((m) => [m.recipient, m.state, m.attempts])).toEqual([['staff@gongan.test', 'sent', 2]]);
    expect(outbox[0]!.lastError).toMatch(/try again later/);
  }, 60_000);

  it('sends a mail committed but not yet sent when the server stopped, once, after the restart', async () => {
    await s.close();
    // committed as a command commits it, by a process that died before its sender ran
    const store = await Store.open({ databaseUrl: null, dataDir });
    try {
      const staff = await store.db
        .selectFrom('accounts')
        .select('id')
        .where('tenantId', '=', 'yunfu')
        .where('username', '=', 'gongan.staff')
        .executeTakeFirstOrThrow();
      await store.transaction((tx) =>
        notify(tx, {
          tenantId: 'yunfu',
          accountIds: [staff.id],
          title: '造价审核：通过',
          body: `项目（${projectId}）的造价审核已办理。`,
          projectId,
          at: AT,
          mail: { link: null },
        }),
      );
    } finally {
      await store.close();
    }
    expect(mailsTitled('造价审核：通过')).toEqual([]);
    s = await start();
    await until(
      async () => mailsTitled('造价审核：通过'),
      (x) => x.length > 0,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mailsTitled('造价审核：通过')).toHaveLength(1);
    const row = (await listOutbox(s.store.db, 'yunfu')).find((m) => m.subject === '造价审核：通过')!;
    expect([row.state, row.attempts]).toEqual(['sent', 1]);
    // and the mail sent before the restart is not sent again
    expect(mailsTitled('初核：退回补正')).toHaveLength(1);
  }, 120_000);
});
