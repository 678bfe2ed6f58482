// Accounts (one tenant, optionally one Unit, a set of roles from src/domain/roles.ts) and their sessions.
// A session is stored by the SHA-256 of its opaque token, so a leaked database does not leak live sessions.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ROLES, type Role } from '../domain/roles.ts';
import { isThirdPartyOrganisation } from '../domain/third-parties.ts';
import type { AccountRow, Database } from './schema.ts';
import type { Conn } from './store.ts';

export interface Account {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  /** A third party's account: its organisation (IM-3, IM-4); its candidate group is `org-<id>`. */
  organisationId: string | null;
  disabled: boolean;
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    tenantId: row.tenantId,
    username: row.username,
    displayName: row.displayName,
    roles: (JSON.parse(row.roles) as string[]).filter((r): r is Role => Object.hasOwn(ROLES, r)),
    unitId: row.unitId,
    organisationId: row.organisationId ?? null,
    disabled: row.disabled === 1,
  };
}

export const UNIT_ROLES: readonly Role[] = ['unit-staff', 'unit-section', 'unit-leadership'];
/** The roles of a third party's people, who always belong to one registered organisation. */
export const THIRD_PARTY_ROLES: readonly Role[] = ['supervisor', 'testing-org'];

export interface NewAccount {
  tenantId: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  unitId?: string | null;
  email?: string | null;
  organisationId?: string | null;
}

export async function createAccount(tx: Conn, input: NewAccount): Promise<Account> {
  const needsUnit = input.roles.some((r) => UNIT_ROLES.includes(r));
  if (needsUnit && !input.unitId) throw new Error(`account ${input.username}: a Unit role needs a unitId`);
  if (!needsUnit && input.unitId)
    throw new Error(`account ${input.username}: only Unit roles belong to a Unit`);
  const thirdParty = input.roles.some((r) => THIRD_PARTY_ROLES.includes(r));
  if (thirdParty && !isThirdPartyOrganisation(input.organisationId))
    throw new Error(`account ${input.username}: a third party's role needs a registered organisationId`);
  if (!thirdParty && input.organisationId)
    throw new Error(`account ${input.username}: only third parties' roles belong to an organisation`);
  const row: AccountRow = {
    id: randomUUID(),
    tenantId: input.tenantId,
    username: input.username,
    displayName: input.displayName,
    passwordHash: input.passwordHash,
    roles: JSON.stringify(input.roles),
    unitId: input.unitId ?? null,
    disabled: 0,
    createdAt: new Date().toISOString(),
    email: input.email ?? null,
    organisationId: input.organisationId ?? null,
  };
  await tx.db.insertInto('accounts').values(row).execute();
  return toAccount(row);
}

export async function findAccountForLogin(
  db: Kysely<Database>,
  tenantId: string,
  username: string,
): Promise<(Account & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? { ...toAccount(row), passwordHash: row.passwordHash } : undefined;
}

export async function findAccount(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/**
 * The accounts of a candidate group: a role id (`finance`), a Unit group (`unit-gongan`) or a third party's
 * organisation group (`org-jianli-yuehua`).
 */
/** The address the account's notifications are e-mailed to (issue 16), or null: told in-app only. */
export async function emailOf(db: Kysely<Database>, id: string): Promise<string | null> {
  const row = await db.selectFrom('accounts').select('email').where('id', '=', id).executeTakeFirst();
  return row?.email ?? null;
}

/** Sets (or, with null, clears) the account's notification e-mail address. */
export async function setAccountEmail(tx: Conn, id: string, email: string | null): Promise<void> {
  await tx.db.updateTable('accounts').set({ email }).where('id', '=', id).execute();
}

export async function accountsOfGroup(
  db: Kysely<Database>,
  tenantId: string,
  group: string,
): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('disabled', '=', 0)
    .execute();
  const accounts = rows.map(toAccount);
  if (Object.hasOwn(ROLES, group)) return accounts.filter((a) => a.roles.includes(group as Role));
  if (group.startsWith('unit-')) {
    const unitId = group.slice('unit-'.length);
    return accounts.filter((a) => a.unitId === unitId && a.roles.some((r) => UNIT_ROLES.includes(r)));
  }
  if (group.startsWith('org-')) {
    const organisationId = group.slice('org-'.length);
    return accounts.filter((a) => a.organisationId === organisationId);
  }
  return [];
}

export interface SessionRecord {
  account: Account;
  expiresAt: string;
}

export async function createSession(
  tx: Conn,
  s: { tokenHash: string; accountId: string; tenantId: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await tx.db
    .insertInto('sessions')
    .values({ ...s, revokedAt: null })
    .execute();
}

/** The live session of that token hash at `now`: not revoked, not expired, account not disabled. */
export async function findLiveSession(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.accountId')
    .selectAll('accounts')
    .select(['sessions.expiresAt', 'sessions.revokedAt'])
    .where('sessions.tokenHash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.revokedAt !== null || row.expiresAt <= now || row.disabled === 1) return undefined;
  return { account: toAccount(row), expiresAt: row.expiresAt };
}

export async function revokeSession(tx: Conn, tokenHash: string, at: string): Promise<void> {
  await tx.db
    .updateTable('sessions')
    .set({ revokedAt: at })
    .where('tokenHash', '=', tokenHash)
    .where('revokedAt', 'is', null)
    .execute();
}

/** Housekeeping: sessions that expired before `before` are of no use to anyone. */
export async function deleteExpiredSessions(db: Kysely<Database>, before: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expiresAt', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The e-mail addresses of the accounts of candidate groups (those that have one). */
export async function emailsOfGroups(
  db: Kysely<Database>,
  tenantId: string,
  groups: string[],
): Promise<string[]> {
  const ids = new Set<string>();
  for (const g of groups) for (const a of await accountsOfGroup(db, tenantId, g)) ids.add(a.id);
  if (ids.size === 0) return [];
  const rows = await db
    .selectFrom('accounts')
    .select('email')
    .where('id', 'in', [...ids])
    .execute();
  return [
    ...new Set(rows.map((r) => r.email).filter((e): e is string => typeof e === 'string' && e !== '')),
  ].sort();
}
