// Issue 16 with the start-up reconciler: a 初核 that the engine completed but whose store transaction never ran (a
// crash between the two) is settled at start with its audit entry — and the Unit is still told: the decision notice
// is written in that same transaction and its e-mail queued in the outbox and sent once, over real SMTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/app/commands/context.ts';
import { reconcile } from '../../src/app/commands/reconcile.ts';
import { loadRegulation } from '../../src/domain/index.ts';
import { listOutbox } from '../../src/store/mail-outbox.ts';
import { recordCompletionIntent } from '../../src/store/submission-intents.ts';
import { professionalDraft, type Stack, sectionApproves, startStack, until } from '../api-process/stack.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp.ts';

type Data = Record<string, unknown>;
const log = { info: () => {}, warn: () => {}, error: () => {} };

describe('a decision settled by the start-up reconciler (issue 16)', () => {
  let s: Stack;
  let smtp: SmtpReceiver;
  const t: Record<string, string> = {};
  let projectId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    s = await startStack({ at: '2026-11-27T02:00:00Z', env: { SMTP_URL: smtp.url } });
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
    await s.api(t['gongan.staff']!, 'POST', `/api/projects/${projectId}/submit`);
    await sectionApproves(s, t['gongan.section']!, projectId);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  }, 150_000);

  it('writes the notice and sends its e-mail once when it settles the completion', async () => {
    const items = await until(
      async () =>
        (await s.api(t['bureau.reviewer']!, 'GET', `/api/tasks?projectId=${projectId}`)).json()
          .items as Data[],
      (x) => x.some((i) => i.elementId === 'Task_InitialCheck'),
    );
    const check = items.find((i) => i.elementId === 'Task_InitialCheck')!;
    const key = String(check.userTaskKey);
    const reviewer = await s.store.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'bureau.reviewer')
      .executeTakeFirstOrThrow();
    const variables = { initialCheckDecision: 'return', initialCheckOpinion: '监理费用偏高，请核减并说明' };
    // the crash: the intent recorded, the engine completed the task, the store's transaction never ran
    await s.store.transaction((tx) =>
      recordCompletionIntent(tx, {
        id: randomUUID(),
        tenantId: 'yunfu',
        userTaskKey: key,
        projectId,
        accountId: reviewer.id,
        role: 'bureau-reviewer',
        requestId: null,
        variables,
        task: { elementId: 'Task_InitialCheck', name: '初核' },
        createdAt: s.now().toISOString(),
      }),
    );
    await s.gateway.completeUserTask(key, variables);
    const unread = async () =>
      ((await s.api(t['gongan.staff']!, 'GET', '/api/notifications')).json() as Data[]).filter(
        (n) => n.title === '初核：退回补正',
      );
    expect(await unread()).toEqual([]);

    const ctx: CommandContext = {
      store: s.store,
      regulation: loadRegulation(),
      now: () => s.now(),
      processes: s.gateway,
      mail: s.mail,
    };
    const report = await reconcile(ctx, { log });
    expect(report.completions).toEqual({ completed: 1 });
    const notes = await unread();
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.body)).toContain('初核意见：监理费用偏高，请核减并说明');
    expect(String(notes[0]!.body)).toMatch(/请于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}前补正申请材料/);
    await until(
      async () => smtp.received.filter((m) => m.subject === '初核：退回补正'),
      (x) => x.length > 0,
    );
    // a second run settles nothing and tells nobody again
    expect((await reconcile(ctx, { log })).completions).toEqual({});
    await new Promise((r) => setTimeout(r, 1_000));
    expect(smtp.received.filter((m) => m.subject === '初核：退回补正')).toHaveLength(1);
    expect(await unread()).toHaveLength(1);
    const rows = (await listOutbox(s.store.db, 'yunfu')).filter((m) => m.subject === '初核：退回补正');
    expect(rows.map((m) => [m.recipient, m.state])).toEqual([['staff@gongan.test', 'sent']]);
  }, 60_000);
});
