// SV-4: signed checkpoints of every tenant's chain head, appended to a file outside the store
// (AUDIT_ANCHOR_DIR/checkpoints.jsonl, one JSON line each). Someone who can rewrite the database can cut the tail of
// a chain and move its head back, or delete a tenant's whole trail, and the chain alone would look whole; a
// checkpoint the verifier holds names an entry (seq and hash) that must still be there. Each line is signed with the
// Ed25519 key of AUDIT_KEY_DIR, so a checkpoint cannot be forged or moved without the private key.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { type AuditKeys, type AuditPublicKey, signBytes, verifySignature } from './audit-keys.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Database } from './schema.ts';

export const CHECKPOINT_FILE = 'checkpoints.jsonl';

export interface Checkpoint {
  v: 1;
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
  /** The SHA-256 fingerprint of the public key that signs it. */
  keyFingerprint: string;
  /** Ed25519 over the canonical JSON of the other fields, base64. */
  sig: string;
}

function signedPart(c: Omit<Checkpoint, 'sig'>): string {
  return canonicalJson({
    v: c.v,
    tenantId: c.tenantId,
    seq: c.seq,
    hash: c.hash,
    at: c.at,
    keyFingerprint: c.keyFingerprint,
  });
}

export function checkpointFile(anchorDir: string): string {
  return join(anchorDir, CHECKPOINT_FILE);
}

export interface CheckpointRead {
  /** Checkpoints whose signature verifies under the given key. */
  valid: Checkpoint[];
  problems: string[];
}

/** Reads a checkpoint file and keeps the lines whose signature verifies; every other line is a problem. */
export function readCheckpoints(file: string, key: AuditPublicKey): CheckpointRead {
  const valid: Checkpoint[] = [];
  const problems: string[] = [];
  if (!existsSync(file)) return { valid, problems };
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let c: Checkpoint;
    try {
      c = JSON.parse(line) as Checkpoint;
    } catch {
      problems.push(`${file}:${i + 1}: not a JSON line`);
      return;
    }
    if (c.keyFingerprint !== key.fingerprint) {
      problems.push(
        `${file}:${i + 1}: checkpoint signed by key ${String(c.keyFingerprint).slice(0, 16)}…, not by the expected ${key.fingerprint.slice(0, 16)}…`,
      );
    } else if (!verifySignature(key, signedPart(c), String(c.sig))) {
      problems.push(
        `${file}:${i + 1}: the signature of the checkpoint of ${c.tenantId} seq ${c.seq} is not valid (forged or altered)`,
      );
    } else valid.push({ ...c, seq: Number(c.seq) });
  });
  return { valid, problems };
}

/** The last checkpointed head of each tenant in a file (to write only heads that moved). */
function lastHeads(file: string, key: AuditPublicKey): Map<string, string> {
  const last = new Map<string, string>();
  for (const c of readCheckpoints(file, key).valid) last.set(c.tenantId, `${c.seq}:${c.hash}`);
  return last;
}

/**
 * Appends a checkpoint for every tenant whose head moved since the last one in the file. Reads committed heads
 * only, so a checkpoint never names an entry that a rollback takes back.
 */
export async function writeCheckpoints(
  db: Kysely<Database>,
  keys: AuditKeys,
  anchorDir: string,
  now: () => Date = () => new Date(),
  last: Map<string, string> = lastHeads(checkpointFile(anchorDir), keys),
): Promise<Checkpoint[]> {
  const heads = await db
    .selectFrom('auditHeads')
    .select(['tenantId', 'seq', 'hash'])
    .orderBy('tenantId')
    .execute();
  const written: Checkpoint[] = [];
  for (const h of heads) {
    const seq = Number(h.seq);
    if (seq === 0 || last.get(h.tenantId) === `${seq}:${h.hash}`) continue;
    const body = {
      v: 1 as const,
      tenantId: h.tenantId,
      seq,
      hash: h.hash,
      at: now().toISOString(),
      keyFingerprint: keys.fingerprint,
    };
    written.push({ ...body, sig: signBytes(keys, signedPart(body)) });
    last.set(h.tenantId, `${seq}:${h.hash}`);
  }
  if (written.length > 0) {
    mkdirSync(anchorDir, { recursive: true });
    appendFileSync(checkpointFile(anchorDir), written.map((c) => `${JSON.stringify(c)}\n`).join(''), {
      mode: 0o644,
    });
  }
  return written;
}

export interface AuditAnchor {
  /** Writes the checkpoints now (at shutdown, and in tests). */
  flush(): Promise<Checkpoint[]>;
  /** Stops the timer and writes a last checkpoint. */
  stop(): Promise<void>;
}

/** Checkpoints at start, every `intervalMs`, and at stop. A failed write is reported and retried next time. */
export function startAuditAnchor(
  db: Kysely<Database>,
  keys: AuditKeys,
  opts: { anchorDir: string; intervalMs: number; onError?: (e: Error) => void },
): AuditAnchor {
  const last = lastHeads(checkpointFile(opts.anchorDir), keys);
  let running: Promise<Checkpoint[]> = Promise.resolve([]);
  const flush = () => {
    running = running.catch(() => []).then(() => writeCheckpoints(db, keys, opts.anchorDir, undefined, last));
    return running;
  };
  const tick = () =>
    flush().catch((e: Error) => {
      opts.onError?.(e);
      return [];
    });
  void tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await tick();
    },
  };
}
