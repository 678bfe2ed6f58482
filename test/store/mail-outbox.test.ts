// Issue 16, store migration 0014 and src/store/mail-outbox.ts with the server's sender (src/app/mail-sender.ts) on
// both databases and a real SMTP server: a notification with `mail` queues one e-mail per address in its own
// transaction (a rolled-back one queues nothing, one without `mail` neither); only one of two concurrent claims
// gets a mail; a refused send keeps its error and is delivered on retry exactly once; a mail left pending when the
// process stopped (a crash between commit and send) is sent once by the sender of the reopened store; one a dead
// process held mid-send is taken at once by a sole sender (SQLite) and left to its lease by a shared one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailSender } from '../../src/app/mail-sender.ts';
import { createAccount } from '../../src/store/accounts.ts';
import { claimDueMail, listOutbox } from '../../src/store/mail-outbox.ts';
import { notify } from '../../src/store/notifications.ts';
import { Store } from '../../src/store/store.ts';
import { createMailer } from '../../workers/mailer.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp.ts';
import { DATABASES } from './databases.ts';

const FROM = '云浮市政务服务数据管理局 <noreply@yunfu.test>';
const at = '2026-11-27T02:00:00.000Z';

async function accounts(store: Store): Promise<{ withMail: string; without: string }> {
  return store.transaction(async (tx) => {
    const a = await createAccount(tx, {
      tenantId: 'yunfu',
      username: 'reviewer.a',
      displayName: 'A',
      passwordHash: 'x',
      roles: ['bureau-reviewer'],
      email: 'a@yunfu.test',
    });
    const b = await createAccount(tx, {
      tenantId: 'yunfu',
      username: 'reviewer.b',
      displayName: 'B',
      passwordHash: 'x',
      roles: ['bureau-reviewer'],
    });
    return { withMail: a.id, without: b.id };
  });
}

const notice = (accountIds: string[], mail: { link: string | null } | null) => ({
  tenantId: 'yunfu',
  accountIds,
  title: '初核：退回补正',
  body: '项目“警务平台”（P-1）的初核已办理。\n请于2026年12月11日 18:00前补正申请材料。',
  projectId: 'P-1',
  at,
  mail,
});

/** Waits until `ok` holds (the sender runs on its own). */
async function until(ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const database of DATABASES) {
  describe(`the mail outbox on ${database.name}`, () => {
    let smtp: SmtpReceiver;
    beforeEach(async () => {
      smtp = await startSmtpReceiver();
    });
    afterEach(async () => {
      await smtp.close();
    });

    it('queues one mail per address in the notification’s transaction, and nothing when it rolls back', async () => {
      const { store, cleanup } = await database.open();
      try {
        const ids = await accounts(store);
        const all = [ids.withMail, ids.without];
        await expect(
          store.transaction(async (tx) => {
            await notify(tx, notice(all, { link: null }));
            throw new Error('the decision failed');
          }),
        ).rejects.toThrow('the decision failed');
        expect(await listOutbox(store.db, 'yunfu')).toEqual([]);
        // in-app only: nothing queued
        await store.transaction((tx) => notify(tx, notice(all, null)));
        expect(await listOutbox(store.db, 'yunfu')).toEqual([]);
        await store.transaction((tx) =>
          notify(tx, notice(all, { link: 'https://govit.test/#/projects/P-1' })),
        );
        const queued = await listOutbox(store.db, 'yunfu');
        expect(queued.map((m) => [m.recipient, m.state, m.attempts])).toEqual([
          ['a@yunfu.test', 'pending', 0],
        ]);
        expect(queued[0]!.subject).toBe('初核：退回补正');
        expect(queued[0]!.body).toContain('请于2026年12月11日 18:00前补正申请材料');
        expect(queued[0]!.body).toContain('查看详情：https://govit.test/#/projects/P-1');
        // two senders race for it: one gets it
        const claims = await Promise.all([
          claimDueMail(store.db, new Date(), 60_000),
          claimDueMail(store.db, new Date(), 60_000),
        ]);
        expect(claims.filter((c) => c !== null)).toHaveLength(1);
        expect(await claimDueMail(store.db, new Date(), 60_000)).toBeNull(); // leased
      } finally {
        await cleanup();
      }
    });

    it('keeps a refused send’s error and delivers the mail on retry exactly once', async () => {
      const { store, cleanup } = await database.open();
      const sender = new MailSender(store.db, createMailer(smtp.url, FROM), null, { backoffMs: 200 });
      try {
        const ids = await accounts(store);
        smtp.refuseNext = 1;
        await store.transaction((tx) => notify(tx, notice([ids.withMail], { link: null })));
        sender.start();
        await until(async () => (await listOutbox(store.db, 'yunfu'))[0]?.lastError != null);
        const failed = (await listOutbox(store.db, 'yunfu'))[0]!;
        expect(failed.state).toBe('pending');
        expect(failed.lastError).toMatch(/mailbox temporarily unavailable/);
        expect(smtp.received).toEqual([]);
        await until(async () => (await listOutbox(store.db, 'yunfu'))[0]?.state === 'sent');
        await new Promise((r) => setTimeout(r, 500)); // time for a wrong second send
        expect(smtp.refused).toBe(1);
        expect(smtp.received).toHaveLength(1);
        expect(smtp.received[0]!.to).toEqual(['a@yunfu.test']);
        expect(smtp.received[0]!.subject).toBe('初核：退回补正');
        expect(smtp.received[0]!.text).toContain('请于2026年12月11日 18:00前补正申请材料');
        const sent = (await listOutbox(store.db, 'yunfu'))[0]!;
        expect(sent.attempts).toBe(2);
        expect(sent.lastError).toMatch(/mailbox temporarily unavailable/); // the error is kept
        expect(smtp.received[0]!.messageId).toBe(`<${sent.id}@mail-outbox.yunfu>`);
      } finally {
        await sender.stop();
        await cleanup();
      }
    });

    it('gives a mail up as failed after its last attempt, keeping the error', async () => {
      const { store, cleanup } = await database.open();
      const sender = new MailSender(store.db, createMailer(smtp.url, FROM), null, {
        backoffMs: 100,
        maxAttempts: 3,
      });
      try {
        const ids = await accounts(store);
        smtp.refuseNext = 10;
        await store.transaction((tx) => notify(tx, notice([ids.withMail], { link: null })));
        sender.start();
        await until(async () => (await listOutbox(store.db, 'yunfu'))[0]?.state === 'failed');
        await new Promise((r) => setTimeout(r, 400)); // no fourth attempt
        const [mail] = await listOutbox(store.db, 'yunfu');
        expect([mail!.attempts, smtp.refused]).toEqual([3, 3]);
        expect(mail!.lastError).toMatch(/mailbox temporarily unavailable/);
        expect(smtp.received).toEqual([]);
      } finally {
        await sender.stop();
        await cleanup();
      }
    });

    it('a mail a dead process held mid-send: the sole sender takes it at once, a shared one leaves it to its lease', async () => {
      const { store, cleanup } = await database.open();
      const sole = new MailSender(store.db, createMailer(smtp.url, FROM), null, { soleSender: true });
      const shared = new MailSender(store.db, createMailer(smtp.url, FROM), null);
      try {
        const ids = await accounts(store);
        await store.transaction((tx) => notify(tx, notice([ids.withMail], { link: null })));
        // the process that claimed it died before the SMTP server answered
        expect(await claimDueMail(store.db, new Date(), 600_000)).not.toBeNull();
        shared.start();
        await new Promise((r) => setTimeout(r, 400));
        await shared.stop();
        expect(smtp.received).toEqual([]); // another server's sender may still hold it: not stolen
        sole.start();
        await until(async () => (await listOutbox(store.db, 'yunfu'))[0]?.state === 'sent');
        await new Promise((r) => setTimeout(r, 300));
        expect(smtp.received).toHaveLength(1);
        expect((await listOutbox(store.db, 'yunfu'))[0]!.attempts).toBe(2);
      } finally {
        await shared.stop();
        await sole.stop();
        await cleanup();
      }
    });

    it('sends a mail left pending by a stopped process once, from the reopened store', async () => {
      const { store, url, dataDir, cleanup } = await database.open();
      let reopened: Store | null = null;
      const sender = () =>
        new MailSender(reopened!.db, createMailer(smtp.url, FROM), null, { backoffMs: 200 });
      let second: MailSender | null = null;
      try {
        const ids = await accounts(store);
        // committed, then the process is gone before any send
        await store.transaction((tx) => notify(tx, notice([ids.withMail], { link: null })));
        reopened = await Store.open({ databaseUrl: url, dataDir });
        second = sender();
        second.start();
        await until(async () => (await listOutbox(reopened!.db, 'yunfu'))[0]?.state === 'sent');
        await new Promise((r) => setTimeout(r, 300));
        expect(smtp.received).toHaveLength(1);
        expect((await listOutbox(reopened.db, 'yunfu'))[0]!.attempts).toBe(1);
      } finally {
        await second?.stop();
        await reopened?.close();
        await cleanup();
      }
    });
  });
}
