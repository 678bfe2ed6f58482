// In-app notifications, one row per recipient account (a group is expanded when the notification is created, so
// each person reads and marks their own).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { accountsOfGroup } from './accounts.ts';
import { enqueueMails } from './mail-outbox.ts';
import type { Database, NotificationRow } from './schema.ts';
import type { Conn } from './store.ts';

export interface Notification {
  id: string;
  title: string;
  body: string;
  projectId: string | null;
  createdAt: string;
  readAt: string | null;
}

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    projectId: r.projectId,
    createdAt: r.createdAt,
    readAt: r.readAt,
  };
}

/** E-mail beside the notification (issue 16): `link` is where the notification's page is, if the app knows it. */
export interface NotificationMail {
  link: string | null;
}

/** The e-mail's text: the notification's own, and the link to its page where there is one. */
export function mailText(n: { title: string; body: string }, mail: NotificationMail): string {
  return mail.link ? `${n.body}\n\n查看详情：${mail.link}\n` : `${n.body}\n`;
}

/**
 * Notifies accounts and/or every account of candidate groups (`finance`, `unit-gongan`). Returns the count. With
 * `mail`, each recipient that has an e-mail address also gets the notification by e-mail, queued in the outbox in
 * this same transaction (src/store/mail-outbox.ts): it is sent exactly when the notification is committed.
 */
export async function notify(
  tx: Conn,
  n: {
    tenantId: string;
    accountIds?: string[];
    groups?: string[];
    title: string;
    body: string;
    projectId?: string | null;
    at?: string;
    /** Also by e-mail (only where SMTP is configured: nothing is queued that nobody would send). */
    mail?: NotificationMail | null;
  },
): Promise<number> {
  const recipients = new Set(n.accountIds ?? []);
  for (const group of n.groups ?? []) {
    for (const a of await accountsOfGroup(tx.db as Kysely<Database>, n.tenantId, group)) recipients.add(a.id);
  }
  const createdAt = n.at ?? new Date().toISOString();
  if (recipients.size === 0) return 0;
  const rows = [...recipients].map((accountId) => ({
    id: randomUUID(),
    tenantId: n.tenantId,
    accountId,
    title: n.title,
    body: n.body,
    projectId: n.projectId ?? null,
    createdAt,
    readAt: null,
  }));
  await tx.db.insertInto('notifications').values(rows).execute();
  if (n.mail) await mailNotification(tx, n.tenantId, rows, n.mail);
  return recipients.size;
}

/** Queues the e-mail of each notification whose account has an address (one mail per address). */
async function mailNotification(
  tx: Conn,
  tenantId: string,
  rows: Array<{ id: string; accountId: string; title: string; body: string; createdAt: string }>,
  mail: NotificationMail,
): Promise<void> {
  const accounts = await tx.db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where(
      'id',
      'in',
      rows.map((r) => r.accountId),
    )
    .where('disabled', '=', 0)
    .execute();
  const emailOf = new Map(accounts.map((a) => [a.id, a.email]));
  const queued = new Set<string>();
  for (const row of rows) {
    const address = emailOf.get(row.accountId);
    if (!address || queued.has(address)) continue;
    queued.add(address);
    await enqueueMails(tx, {
      tenantId,
      notificationId: row.id,
      to: [address],
      subject: row.title,
      body: mailText(row, mail),
      createdAt: row.createdAt,
    });
  }
}

export async function listNotifications(
  db: Kysely<Database>,
  accountId: string,
  opts: { unreadOnly?: boolean; limit?: number } = {},
): Promise<Notification[]> {
  let q = db.selectFrom('notifications').selectAll().where('accountId', '=', accountId);
  if (opts.unreadOnly) q = q.where('readAt', 'is', null);
  const rows = await q
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(opts.limit ?? 100)
    .execute();
  return rows.map(toNotification);
}

/** Marks one of the account's own notifications read; false when it is not theirs (or does not exist). */
export async function markNotificationRead(
  tx: Conn,
  accountId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const own = await tx.db
    .selectFrom('notifications')
    .select(['id', 'readAt'])
    .where('id', '=', id)
    .where('accountId', '=', accountId)
    .executeTakeFirst();
  if (!own) return false;
  if (own.readAt === null) {
    await tx.db.updateTable('notifications').set({ readAt: at }).where('id', '=', id).execute();
  }
  return true;
}

/** How many of the account's notifications are unread (the header's badge). */
export async function countUnread(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('accountId', '=', accountId)
    .where('readAt', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks every unread notification of the account read; the ids marked. */
export async function markAllNotificationsRead(tx: Conn, accountId: string, at: string): Promise<string[]> {
  const unread = await tx.db
    .selectFrom('notifications')
    .select('id')
    .where('accountId', '=', accountId)
    .where('readAt', 'is', null)
    .execute();
  if (unread.length === 0) return [];
  await tx.db
    .updateTable('notifications')
    .set({ readAt: at })
    .where('accountId', '=', accountId)
    .where('readAt', 'is', null)
    .execute();
  return unread.map((r) => r.id);
}
