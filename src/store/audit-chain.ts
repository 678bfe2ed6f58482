// SV-4: verification of the audit chains. For each tenant: every entry's hash (plain SHA-256 before the keyed-from
// marker, HMAC-SHA256 under the key from it on), every link, gaps in the sequence, the head row, the marker's own
// MAC — and, when the verifier holds signed checkpoints (audit-anchor.ts), that every anchored entry is still there
// with the anchored hash: a cut tail, a head moved back or a deleted trail leaves a checkpoint pointing at nothing.
import type { Kysely } from 'kysely';
import type { Checkpoint } from './audit-anchor.ts';
import {
  type ChainProblem,
  checkEntry,
  entryHash,
  GENESIS_HASH,
  type KeyingMarker,
  markerMac,
} from './audit-hash.ts';
import { AuditKeyError, type AuditKeys, auditKeysOf, sameHex } from './audit-keys.ts';
import type { AuditRow, Database } from './schema.ts';

export interface ChainReport {
  tenantId: string;
  entries: number;
  problems: ChainProblem[];
}

export interface VerifyOptions {
  /** The chain key; default the key the store was opened with. null: the chains must all be keyless. */
  keys?: AuditKeys | null;
  /** Signed checkpoints the verifier holds (signatures already checked: readCheckpoints). */
  checkpoints?: Checkpoint[];
}

/** Verifies every tenant's chain (or one tenant's), reading in pages so a long trail does not fill memory. */
export async function verifyChains(
  db: Kysely<Database>,
  onlyTenant?: string,
  options: VerifyOptions = {},
): Promise<ChainReport[]> {
  const keys = options.keys === undefined ? auditKeysOf(db) : options.keys;
  const checkpoints = (options.checkpoints ?? []).filter((c) => !onlyTenant || c.tenantId === onlyTenant);
  const only = <T extends { tenantId: string }>(rows: T[]) =>
    rows.filter((r) => !onlyTenant || r.tenantId === onlyTenant).map((r) => r.tenantId);
  const tenants = new Set([
    ...only(await db.selectFrom('auditHeads').select('tenantId').execute()),
    ...only(await db.selectFrom('auditLog').select('tenantId').distinct().execute()),
    ...only(await db.selectFrom('auditKeying').select('tenantId').execute()),
    ...checkpoints.map((c) => c.tenantId),
  ]);
  const reports: ChainReport[] = [];
  for (const tenantId of [...tenants].sort()) {
    reports.push(
      await verifyTenant(
        db,
        tenantId,
        keys,
        checkpoints.filter((c) => c.tenantId === tenantId),
      ),
    );
  }
  return reports;
}

async function verifyTenant(
  db: Kysely<Database>,
  tenantId: string,
  keys: AuditKeys | null,
  checkpoints: Checkpoint[],
): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  const marker = await db
    .selectFrom('auditKeying')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .executeTakeFirst();
  const fromSeq = keyedFrom(tenantId, marker, keys, problems);
  const walk = await walkChain(db, tenantId, { keys, fromSeq, marker, checkpoints }, problems);
  if (keys && !marker && walk.entries > 0) {
    problems.unshift({
      tenantId,
      seq: 1,
      kind: 'unkeyed',
      detail:
        'the chain has no keyed-from marker: it was removed, or the chain was rebuilt without the key (every entry is checked as keyed)',
    });
  }
  await checkHead(db, tenantId, walk, problems);
  checkBeyondEnd(tenantId, walk, checkpoints, problems);
  return { tenantId, entries: walk.entries, problems };
}

/** The first keyed seq; a marker that fails its MAC, or a missing one, makes the whole chain be checked as keyed. */
function keyedFrom(
  tenantId: string,
  marker: KeyingMarker | undefined,
  keys: AuditKeys | null,
  problems: ChainProblem[],
): number {
  if (!keys) {
    if (marker) {
      throw new AuditKeyError(
        `the audit trail of ${tenantId} is keyed (key ${marker.keyId}): verifying it needs that key (AUDIT_KEY_DIR)`,
      );
    }
    return Number.POSITIVE_INFINITY;
  }
  if (!marker) return 1;
  const seq = Number(marker.keyedFromSeq);
  if (
    marker.keyId !== keys.keyId ||
    !sameHex(markerMac(keys.hmacKey, { ...marker, keyedFromSeq: seq }), marker.mac)
  ) {
    problems.push({
      tenantId,
      seq,
      kind: 'marker-altered',
      detail: `the keyed-from marker (seq ${seq}, key ${marker.keyId}) does not carry a valid MAC under key ${keys.keyId}: it was altered`,
    });
    return 1;
  }
  return seq;
}

interface Walk {
  entries: number;
  lastSeq: number;
  lastHash: string;
  seen: Set<number>;
}

async function walkChain(
  db: Kysely<Database>,
  tenantId: string,
  ctx: {
    keys: AuditKeys | null;
    fromSeq: number;
    marker: KeyingMarker | undefined;
    checkpoints: Checkpoint[];
  },
  problems: ChainProblem[],
): Promise<Walk> {
  const anchored = new Map(ctx.checkpoints.map((c) => [c.seq, c]));
  const walk: Walk = { entries: 0, lastSeq: 0, lastHash: GENESIS_HASH, seen: new Set() };
  for (;;) {
    const page = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('seq', '>', walk.lastSeq)
      .orderBy('seq', 'asc')
      .limit(1000)
      .execute();
    if (page.length === 0) return walk;
    for (const raw of page) {
      const row: AuditRow = { ...raw, seq: Number(raw.seq) };
      checkRow(row, walk, ctx, problems);
      const cp = anchored.get(row.seq);
      if (cp && cp.hash !== row.hash) {
        problems.push({
          tenantId,
          seq: row.seq,
          kind: 'checkpoint-mismatch',
          detail: `the checkpoint of ${cp.at} anchored entry ${row.seq} as ${cp.hash.slice(0, 12)}…, the store has ${row.hash.slice(0, 12)}…: the chain was rewritten after it was anchored`,
        });
      }
      walk.entries++;
      walk.seen.add(row.seq);
      walk.lastSeq = row.seq;
      walk.lastHash = row.hash;
    }
  }
}

function checkRow(
  row: AuditRow,
  walk: Walk,
  ctx: { keys: AuditKeys | null; fromSeq: number; marker: KeyingMarker | undefined },
  problems: ChainProblem[],
): void {
  const expectedSeq = walk.lastSeq + 1;
  const seq = row.seq;
  if (seq > expectedSeq) {
    problems.push({
      tenantId: row.tenantId,
      seq: expectedSeq,
      kind: 'removed',
      detail:
        seq - expectedSeq === 1
          ? `entry ${expectedSeq} is missing (the chain goes from ${expectedSeq - 1} to ${seq})`
          : `entries ${expectedSeq}..${seq - 1} are missing (the chain goes from ${expectedSeq - 1} to ${seq})`,
    });
  }
  const key = ctx.keys && seq >= ctx.fromSeq ? ctx.keys.hmacKey : null;
  for (const p of checkEntry(row, walk.lastHash, (e) => entryHash(e, key))) {
    if (p.kind === 'broken-link' && seq > expectedSeq) continue; // already reported as removed
    problems.push(p);
  }
  if (ctx.marker && seq === ctx.fromSeq && ctx.fromSeq > 1 && row.prevHash !== ctx.marker.prefixHash) {
    problems.push({
      tenantId: row.tenantId,
      seq,
      kind: 'broken-link',
      detail: `the keyless prefix was rewritten: the keyed-from marker sealed entry ${seq - 1} as ${ctx.marker.prefixHash.slice(0, 12)}…, entry ${seq} links to ${row.prevHash.slice(0, 12)}…`,
    });
  }
}

async function checkHead(db: Kysely<Database>, tenantId: string, walk: Walk, problems: ChainProblem[]) {
  const head = await db
    .selectFrom('auditHeads')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .executeTakeFirst();
  const { lastSeq, lastHash } = walk;
  if (!head) {
    if (walk.entries > 0)
      problems.push({
        tenantId,
        seq: lastSeq,
        kind: 'head-mismatch',
        detail: 'the chain head row is missing',
      });
    return;
  }
  const headSeq = Number(head.seq);
  if (headSeq === lastSeq && head.hash === lastHash) return;
  problems.push({
    tenantId,
    seq: headSeq,
    kind: headSeq > lastSeq ? 'removed' : 'head-mismatch',
    detail:
      headSeq > lastSeq
        ? `the chain ends at entry ${lastSeq} but its head says ${headSeq}: ${
            headSeq === lastSeq + 1
              ? `entry ${headSeq} was removed`
              : `entries ${lastSeq + 1}..${headSeq} were removed`
          }`
        : `the chain head (entry ${headSeq}, ${head.hash.slice(0, 12)}…) does not match the last entry ${lastSeq} (${lastHash.slice(0, 12)}…)`,
  });
}

/** Anchored entries that are gone: a deleted trail, a cut tail (head moved back), or a hole under a checkpoint. */
function checkBeyondEnd(tenantId: string, walk: Walk, checkpoints: Checkpoint[], problems: ChainProblem[]) {
  const latest = checkpoints.reduce<Checkpoint | null>((a, c) => (!a || c.seq > a.seq ? c : a), null);
  if (!latest) return;
  if (walk.entries === 0) {
    problems.push({
      tenantId,
      seq: latest.seq,
      kind: 'trail-deleted',
      detail: `the checkpoint of ${latest.at} anchored entry ${latest.seq} of ${tenantId}, and the store has no trail for ${tenantId}: it was deleted`,
    });
    return;
  }
  if (latest.seq > walk.lastSeq) {
    problems.push({
      tenantId,
      seq: latest.seq,
      kind: 'removed',
      detail: `the checkpoint of ${latest.at} anchored entry ${latest.seq}, but the chain ends at ${walk.lastSeq}: entries ${walk.lastSeq + 1}..${latest.seq} were cut and the head moved back`,
    });
  }
  for (const c of checkpoints) {
    if (c.seq <= walk.lastSeq && !walk.seen.has(c.seq)) {
      problems.push({
        tenantId,
        seq: c.seq,
        kind: 'checkpoint-mismatch',
        detail: `entry ${c.seq}, anchored by the checkpoint of ${c.at}, is not in the store`,
      });
    }
  }
}
