// Issue 16: the transactional outbox of e-mailed notifications. `enqueueMails` writes one row per address in the
// caller's transaction (the notification's own), so a mail exists exactly when its notification was committed. The
// sender (src/app/mail-sender.ts) claims a due row by pushing its next attempt past a lease — only one claimant's
// conditional update succeeds, so two senders never send the same row at once — then marks it sent, or records the
// error and the next attempt. Times here are wall-clock (delivery, not business time: a pinned business clock must
// not stop retries).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MailOutboxRow } from './schema.ts';
import type { Conn } from './store.ts';

export interface OutboxMail {
  id: string;
  tenantId: string;
  recipient: string;
  subject: string;
  body: string;
  state: MailOutboxRow['state'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

function toMail(r: MailOutboxRow): OutboxMail {
  return {
    id: r.id,
    tenantId: r.tenantId,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: r.nextAttemptAt,
    lastError: r.lastError,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
  };
}

/** Queues one mail per address in `tx`; the count queued. */
export async function enqueueMails(
  tx: Conn,
  m: {
    tenantId: string;
    notificationId?: string | null;
    to: string[];
    subject: string;
    body: string;
    createdAt: string;
    /** Wall-clock time of the first attempt; default now. */
    dueAt?: string;
  },
): Promise<number> {
  const to = [...new Set(m.to.filter((a) => a !== ''))];
  if (to.length === 0) return 0;
  const dueAt = m.dueAt ?? new Date().toISOString();
  await tx.db
    .insertInto('mailOutbox')
    .values(
      to.map((recipient) => ({
        id: randomUUID(),
        tenantId: m.tenantId,
        notificationId: m.notificationId ?? null,
        recipient,
        subject: m.subject,
        body: m.body,
        state: 'pending' as const,
        attempts: 0,
        nextAttemptAt: dueAt,
        lastError: null,
        createdAt: m.createdAt,
        sentAt: null,
      })),
    )
    .execute();
  return to.length;
}

/**
 * Claims the oldest due pending mail: its attempt is counted and its next attempt moved to `now + leaseMs`, so
 * that nobody else takes it meanwhile and a sender that dies holding it gives it back when the lease runs out.
 */
export async function claimDueMail(
  db: Kysely<Database>,
  now: Date,
  leaseMs: number,
): Promise<OutboxMail | null> {
  for (let tries = 0; tries < 5; tries++) {
    const due = await db
      .selectFrom('mailOutbox')
      .selectAll()
      .where('state', '=', 'pending')
      .where('nextAttemptAt', '<=', now.toISOString())
      .orderBy('nextAttemptAt')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!due) return null;
    const leased = new Date(now.getTime() + leaseMs).toISOString();
    const r = await db
      .updateTable('mailOutbox')
      .set({ attempts: Number(due.attempts) + 1, nextAttemptAt: leased })
      .where('id', '=', due.id)
      .where('state', '=', 'pending')
      .where('nextAttemptAt', '=', due.nextAttemptAt)
      .where('attempts', '=', due.attempts)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) {
      return toMail({ ...due, attempts: Number(due.attempts) + 1, nextAttemptAt: leased });
    }
    // another sender claimed it first: look again
  }
  return null;
}

export async function markMailSent(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db
    .updateTable('mailOutbox')
    .set({ state: 'sent', sentAt: at.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Records a refused or failed attempt: the error is kept; the mail is tried again at `retryAt`, or never (null). */
export async function markMailFailed(
  db: Kysely<Database>,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .updateTable('mailOutbox')
    .set({
      lastError: error.slice(0, 1000),
      ...(retryAt ? { nextAttemptAt: retryAt.toISOString() } : { state: 'failed' as const }),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Makes every pending mail due now, leases included: only for a sender that knows it is the only one (SQLite, whose
 * data directory one server holds) — a lease it finds at start was held by a process that died mid-send.
 */
export async function releaseMailLeases(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db
    .updateTable('mailOutbox')
    .set({ nextAttemptAt: now.toISOString() })
    .where('state', '=', 'pending')
    .where('nextAttemptAt', '>', now.toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** When the next pending mail falls due (the sender's next wake-up), or null when none is pending. */
export async function nextMailDue(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('mailOutbox')
    .select((eb) => eb.fn.min('nextAttemptAt').as('due'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row?.due ? new Date(String(row.due)) : null;
}

/** The outbox's mails, oldest first (operations and tests): all, or those in one state, at most `limit`. */
export async function listOutbox(
  db: Kysely<Database>,
  tenantId: string,
  o: { state?: MailOutboxRow['state']; limit?: number } = {},
): Promise<OutboxMail[]> {
  let q = db.selectFrom('mailOutbox').selectAll().where('tenantId', '=', tenantId);
  if (o.state) q = q.where('state', '=', o.state);
  if (o.limit) q = q.limit(o.limit);
  const rows = await q.orderBy('createdAt').orderBy('id').execute();
  return rows.map(toMail);
}

/**
 * One page of the outbox's mails for the operations page, newest first, with the true total: all, or those in one
 * state. (`listOutbox` keeps the outbox's own order for tests and tooling.)
 */
export async function pageOutbox(
  db: Kysely<Database>,
  tenantId: string,
  o: { state?: MailOutboxRow['state']; page: number; pageSize: number },
): Promise<{ items: OutboxMail[]; total: number }> {
  let q = db.selectFrom('mailOutbox').where('tenantId', '=', tenantId);
  if (o.state) q = q.where('state', '=', o.state);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(o.pageSize)
      .offset((o.page - 1) * o.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toMail), total: Number(count.n) };
}

export async function findMail(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<OutboxMail | null> {
  const row = await db
    .selectFrom('mailOutbox')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toMail(row) : null;
}

/**
 * An administrator sends a failed mail again (once the mail server or the address is mended): it is pending and due
 * now, with its attempts counted afresh; the last error stays until an attempt succeeds or fails anew. False when
 * the mail is not failed (a pending or sent one is left alone).
 */
export async function retryFailedMail(tx: Conn, tenantId: string, id: string, now: Date): Promise<boolean> {
  const r = await tx.db
    .updateTable('mailOutbox')
    .set({ state: 'pending', attempts: 0, nextAttemptAt: now.toISOString() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
