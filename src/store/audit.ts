// SV-3 / SV-4: every state-changing request and every decision is appended here with who, when, what and on which
// data, and a SHA-256 hash chained to the previous entry of the same tenant. Appends are serialised per tenant by a
// lock on the tenant's chain-head row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write transaction, taken by
// the first statement, which is a write), so two concurrent requests can never fork the chain. Verification
// recomputes every hash and finds an altered, inserted or removed entry, including one removed from the end
// (the head row remembers the last sequence number and hash).
import type { Kysely } from 'kysely';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import type { AuditRow, Database } from './schema.ts';
import type { Conn } from './store.ts';

export const GENESIS_HASH = '0'.repeat(64);

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

/** The hash of one entry: SHA-256 over the canonical form of every field but the hash itself. */
export function entryHash(e: Omit<AuditRow, 'hash' | 'payload'>): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      tenantId: e.tenantId,
      seq: e.seq,
      at: e.at,
      accountId: e.accountId,
      role: e.role,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      projectId: e.projectId,
      requestId: e.requestId,
      payloadSha256: e.payloadSha256,
      prevHash: e.prevHash,
    }),
  );
}

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
  const hash = entryHash(row);
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

export interface ChainProblem {
  tenantId: string;
  /** The sequence number where the problem shows. */
  seq: number;
  kind: 'altered' | 'removed' | 'payload-altered' | 'broken-link' | 'head-mismatch';
  detail: string;
}

export interface ChainReport {
  tenantId: string;
  entries: number;
  problems: ChainProblem[];
}

/**
 * Checks one stored entry against itself and its predecessor. Shared by the chain check and the archive check.
 */
export function checkEntry(row: AuditRow, prevHash: string | null): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const seq = Number(row.seq);
  const at = (kind: ChainProblem['kind'], detail: string) =>
    problems.push({ tenantId: row.tenantId, seq, kind, detail });
  if (sha256Hex(row.payload) !== row.payloadSha256) {
    at('payload-altered', `entry ${seq} (${row.action}): the payload does not match its SHA-256`);
  }
  const recomputed = entryHash({ ...row, seq });
  if (recomputed !== row.hash) {
    at(
      'altered',
      `entry ${seq} (${row.action}): the stored hash does not match its content (recomputed ${recomputed.slice(0, 12)}…)`,
    );
  }
  if (prevHash !== null && row.prevHash !== prevHash) {
    at(
      'broken-link',
      `entry ${seq - 1} was altered, replaced or inserted: entry ${seq} (${row.action}) recorded its hash as ${row.prevHash.slice(0, 12)}… but it is ${prevHash.slice(0, 12)}…`,
    );
  }
  return problems;
}

/** Verifies every tenant's chain (or one tenant's), reading in pages so a long trail does not fill memory. */
export async function verifyChains(db: Kysely<Database>, onlyTenant?: string): Promise<ChainReport[]> {
  let tenantsQuery = db.selectFrom('auditHeads').select('tenantId');
  if (onlyTenant) tenantsQuery = tenantsQuery.where('tenantId', '=', onlyTenant);
  const headTenants = (await tenantsQuery.execute()).map((r) => r.tenantId);
  let logTenantsQuery = db.selectFrom('auditLog').select('tenantId').distinct();
  if (onlyTenant) logTenantsQuery = logTenantsQuery.where('tenantId', '=', onlyTenant);
  const logTenants = (await logTenantsQuery.execute()).map((r) => r.tenantId);
  const tenants = [...new Set([...headTenants, ...logTenants])].sort();

  const reports: ChainReport[] = [];
  for (const tenantId of tenants) {
    const problems: ChainProblem[] = [];
    let expectedSeq = 1;
    let prevHash: string = GENESIS_HASH;
    let entries = 0;
    let lastSeq = 0;
    for (;;) {
      const page = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('seq', '>', lastSeq)
        .orderBy('seq', 'asc')
        .limit(1000)
        .execute();
      if (page.length === 0) break;
      for (const row of page) {
        const seq = Number(row.seq);
        entries++;
        if (seq > expectedSeq) {
          problems.push({
            tenantId,
            seq: expectedSeq,
            kind: 'removed',
            detail:
              seq - expectedSeq === 1
                ? `entry ${expectedSeq} is missing (the chain goes from ${expectedSeq - 1} to ${seq})`
                : `entries ${expectedSeq}..${seq - 1} are missing (the chain goes from ${expectedSeq - 1} to ${seq})`,
          });
        }
        for (const p of checkEntry(row, prevHash)) {
          if (p.kind === 'broken-link' && seq > expectedSeq) continue; // already reported as removed
          problems.push(p);
        }
        prevHash = row.hash;
        expectedSeq = seq + 1;
        lastSeq = seq;
      }
    }
    const head = await db
      .selectFrom('auditHeads')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .executeTakeFirst();
    if (!head) {
      problems.push({
        tenantId,
        seq: lastSeq,
        kind: 'head-mismatch',
        detail: 'the chain head row is missing',
      });
    } else if (Number(head.seq) !== lastSeq || head.hash !== prevHash) {
      problems.push({
        tenantId,
        seq: Number(head.seq),
        kind: Number(head.seq) > lastSeq ? 'removed' : 'head-mismatch',
        detail:
          Number(head.seq) > lastSeq
            ? `the chain ends at entry ${lastSeq} but its head says ${head.seq}: ${
                Number(head.seq) === lastSeq + 1
                  ? `entry ${head.seq} was removed`
                  : `entries ${lastSeq + 1}..${head.seq} were removed`
              }`
            : `the chain head (entry ${head.seq}, ${head.hash.slice(0, 12)}…) does not match the last entry ${lastSeq} (${prevHash.slice(0, 12)}…)`,
      });
    }
    reports.push({ tenantId, entries, problems });
  }
  return reports;
}
