// SV-4: how one audit entry is hashed and checked. Entries before a tenant's "keyed from" marker were chained with
// plain SHA-256 (v1: anyone can recompute them); from the marker on, every entry is HMAC-SHA256 under the secret in
// AUDIT_KEY_DIR (v2: only the key holder can). Both cover every field and the previous entry's hash.
import { hmacHex } from './audit-keys.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import type { AuditKeyingTable, AuditRow } from './schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of one entry; `key` null for the keyless (v1) prefix. */
export function entryHash(e: Omit<AuditRow, 'hash' | 'payload'>, key: Buffer | null = null): string {
  const fields = {
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
  };
  return key
    ? hmacHex(key, canonicalJson({ v: 2, ...fields }))
    : sha256Hex(canonicalJson({ v: 1, ...fields }));
}

export type KeyingMarker = AuditKeyingTable;

/** The marker's own MAC: moving "keyed from" forward would hand keyed entries back to plain SHA-256. */
export function markerMac(key: Buffer, m: Omit<KeyingMarker, 'mac'>): string {
  return hmacHex(
    key,
    canonicalJson({
      v: 'keyed-from',
      tenantId: m.tenantId,
      keyedFromSeq: Number(m.keyedFromSeq),
      prefixHash: m.prefixHash,
      keyId: m.keyId,
      at: m.at,
    }),
  );
}

export interface ChainProblem {
  tenantId: string;
  /** The sequence number where the problem shows. */
  seq: number;
  kind:
    | 'altered'
    | 'removed'
    | 'payload-altered'
    | 'broken-link'
    | 'head-mismatch'
    | 'unkeyed'
    | 'marker-altered'
    | 'checkpoint-mismatch'
    | 'trail-deleted';
  detail: string;
}

/**
 * Checks one stored entry against itself and its predecessor. `hashOf` recomputes the entry's hash (keyed or not);
 * null when it cannot be recomputed here (a keyed entry checked without the key: the export's signature covers it).
 */
export function checkEntry(
  row: AuditRow,
  prevHash: string | null,
  hashOf: ((e: AuditRow) => string) | null = (e) => entryHash(e),
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const seq = Number(row.seq);
  const at = (kind: ChainProblem['kind'], detail: string) =>
    problems.push({ tenantId: row.tenantId, seq, kind, detail });
  if (sha256Hex(row.payload) !== row.payloadSha256) {
    at('payload-altered', `entry ${seq} (${row.action}): the payload does not match its SHA-256`);
  }
  const recomputed = hashOf ? hashOf({ ...row, seq }) : row.hash;
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
