// SV-3 / SV-4: every state-changing request and every decision is appended here with who, when, what and on which
// data, chained to the previous entry of the same tenant by HMAC-SHA256 under the key in AUDIT_KEY_DIR (see
// audit-hash.ts; a trail that predates the key keeps its plain SHA-256 prefix, sealed by a keyed marker). Appends are
// serialised per tenant by a lock on the tenant's chain-head row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write
// transaction, taken by the first statement, which is a write), so two concurrent requests can never fork the chain.
// Verification (audit-chain.ts) recomputes every hash and compares the chain with the signed checkpoints that
// audit-anchor.ts writes outside the store.
import type { Kysely } from 'kysely';
import { type ChainProblem, checkEntry, entryHash, GENESIS_HASH, markerMac } from './audit-hash.ts';
import { AuditKeyError, type AuditKeys } from './audit-keys.ts';

export { attachAuditKeys, auditKeysOf } from './audit-keys.ts';

import { canonicalJson, sha256Hex } from './canonical-json.ts';
import type { AuditRow, Database } from './schema.ts';
import type { Conn } from './store.ts';

export { type ChainReport, verifyChains } from './audit-chain.ts';
export { type ChainProblem, checkEntry, entryHash, GENESIS_HASH };

export interface AuditInput {
  tenantId: string;
  /** null for the system itself (a worker, a timer). */
  accountId: string | null;
  role: string | null;
  /** What happened, `<entity>.<verb>`: `project.create`, `document.upload`, `session.login`, … */
  action: string;
  entityType: string;
  entityId: string;
  projectId?: string | null;
  requestId?: string | null;
  /** The data the action was about; stored as canonical JSON and hashed. */
  payload: unknown;
  /** ISO 8601; defaults to now. */
  at?: string;
}

export type AuditEntry = Omit<AuditRow, 'payload'> & { payload: unknown };

/** Appends one entry inside the caller's transaction (pass a transaction: the lock lasts until it commits). */
export async function appendAudit(tx: Conn, input: AuditInput): Promise<AuditEntry> {
  const at = input.at ?? new Date().toISOString();
  // Take the chain lock first. On SQLite this write acquires the database write lock; on PostgreSQL the row lock
  // below does, and concurrent appenders of the same tenant wait for it.
  await tx.db
    .insertInto('auditHeads')
    .values({ tenantId: input.tenantId, seq: 0, hash: GENESIS_HASH, updatedAt: at })
    .onConflict((oc) => oc.column('tenantId').doNothing())
    .execute();
  let headQuery = tx.db
    .selectFrom('auditHeads')
    .select(['seq', 'hash'])
    .where('tenantId', '=', input.tenantId);
  if (tx.dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const key = await chainKey(tx, input.tenantId, { seq: Number(head.seq), hash: head.hash }, at);

  const payload = canonicalJson(input.payload ?? null);
  const row: Omit<AuditRow, 'hash'> = {
    tenantId: input.tenantId,
    seq: Number(head.seq) + 1,
    at,
    accountId: input.accountId,
    role: input.role,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    projectId: input.projectId ?? null,
    requestId: input.requestId ?? null,
    payload,
    payloadSha256: sha256Hex(payload),
    prevHash: head.hash,
  };
  const hash = entryHash(row, key);
  await tx.db
    .insertInto('auditLog')
    .values({ ...row, hash })
    .execute();
  await tx.db
    .updateTable('auditHeads')
    .set({ seq: row.seq, hash, updatedAt: at })
    .where('tenantId', '=', input.tenantId)
    .execute();
  return { ...row, payload: JSON.parse(payload), hash };
}

/**
 * The key to chain the next entry with, under the head lock. A tenant's first keyed entry records the "keyed from"
 * marker; a keyed chain never takes an unkeyed entry (a process without the key refuses rather than weaken it).
 */
async function chainKey(
  tx: Conn,
  tenantId: string,
  head: { seq: number; hash: string },
  at: string,
): Promise<Buffer | null> {
  const marker = await tx.db
    .selectFrom('auditKeying')
    .select('keyId')
    .where('tenantId', '=', tenantId)
    .executeTakeFirst();
  const keys = tx.audit ?? null;
  if (!keys) {
    if (marker)
      throw new AuditKeyError(`the audit trail of ${tenantId} is keyed, and this process has no key`);
    return null;
  }
  if (!marker) await insertMarker(tx.db, keys, tenantId, head, at);
  else if (marker.keyId !== keys.keyId) {
    throw new AuditKeyError(
      `the audit trail of ${tenantId} is keyed with key ${marker.keyId}, not with ${keys.keyId} in ${keys.dir}`,
    );
  }
  return keys.hmacKey;
}

async function insertMarker(
  db: Kysely<Database>,
  keys: AuditKeys,
  tenantId: string,
  head: { seq: number; hash: string },
  at: string,
): Promise<void> {
  const marker = { tenantId, keyedFromSeq: head.seq + 1, prefixHash: head.hash, keyId: keys.keyId, at };
  await db
    .insertInto('auditKeying')
    .values({ ...marker, mac: markerMac(keys.hmacKey, marker) })
    .execute();
}

/**
 * At start with a key: every existing chain without a marker (a keyless trail that predates the key) is adopted —
 * keyed from its next entry, its current head sealed in the keyed marker. Refuses a key other than the chain's.
 */
export async function adoptChains(db: Kysely<Database>, keys: AuditKeys, at: string): Promise<string[]> {
  const foreign = await db
    .selectFrom('auditKeying')
    .select(['tenantId', 'keyId'])
    .where('keyId', '!=', keys.keyId)
    .execute();
  if (foreign.length > 0) {
    throw new AuditKeyError(
      `the audit trail is keyed with key ${foreign[0]!.keyId} (tenant ${foreign[0]!.tenantId}), but AUDIT_KEY_DIR=${keys.dir} holds key ${keys.keyId}: point AUDIT_KEY_DIR at the key directory the trail was keyed with`,
    );
  }
  return db.transaction().execute(async (trx) => {
    const unkeyed = await trx
      .selectFrom('auditHeads')
      .select(['tenantId', 'seq', 'hash'])
      .where('tenantId', 'not in', trx.selectFrom('auditKeying').select('tenantId'))
      .execute();
    for (const h of unkeyed) {
      await insertMarker(trx, keys, h.tenantId, { seq: Number(h.seq), hash: h.hash }, at);
    }
    return unkeyed.map((h) => h.tenantId);
  });
}

/** Whether any chain of this store is keyed (then the key must be there). */
export async function keyedChainCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('auditKeying')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface AuditQuery {
  tenantId: string;
  projectId?: string;
  entityType?: string;
  entityId?: string;
  accountId?: string;
  action?: string;
  from?: string;
  to?: string;
  afterSeq?: number;
  limit?: number;
}

export async function listAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('auditLog').selectAll().where('tenantId', '=', q.tenantId);
  if (q.projectId) query = query.where('projectId', '=', q.projectId);
  if (q.entityType) query = query.where('entityType', '=', q.entityType);
  if (q.entityId) query = query.where('entityId', '=', q.entityId);
  if (q.accountId) query = query.where('accountId', '=', q.accountId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<=', q.to);
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq);
  const rows = await query
    .orderBy('seq', 'asc')
    .limit(q.limit ?? 1000)
    .execute();
  return rows.map(toEntry);
}

export function toEntry(row: AuditRow): AuditEntry {
  return { ...row, seq: Number(row.seq), payload: JSON.parse(row.payload) };
}
