// SV-4: what opening the store does for the audit trail: load the keys from AUDIT_KEY_DIR (creating them on a
// store that has never been keyed), refuse to run when the chain was keyed and its key is not there, adopt any
// keyless chain under the key, and start the checkpoints.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { adoptChains, keyedChainCount } from './audit.ts';
import { type AuditAnchor, startAuditAnchor } from './audit-anchor.ts';
import {
  AuditKeyError,
  type AuditKeys,
  attachAuditKeys,
  createAuditKeys,
  HMAC_FILE,
  keyDirState,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  readAuditKeys,
} from './audit-keys.ts';
import type { Database } from './schema.ts';

export interface AuditTrailOptions {
  /** AUDIT_KEY_DIR. */
  keyDir: string;
  /** AUDIT_ANCHOR_DIR; null: no checkpoints (a process that only reads). */
  anchorDir: string | null;
  checkpointIntervalMs: number;
  onError?: (e: Error) => void;
}

export function defaultAuditTrailOptions(dataDir: string): AuditTrailOptions {
  return {
    keyDir: join(dataDir, 'audit-keys'),
    anchorDir: join(dataDir, 'audit-anchors'),
    checkpointIntervalMs: 60_000,
  };
}

export async function openAuditTrail(
  db: Kysely<Database>,
  opts: AuditTrailOptions,
): Promise<{ keys: AuditKeys; anchor: AuditAnchor | null }> {
  const keys = await loadOrCreateKeys(db, opts.keyDir);
  await adoptChains(db, keys, new Date().toISOString());
  attachAuditKeys(db, keys);
  const anchor = opts.anchorDir
    ? startAuditAnchor(db, keys, {
        anchorDir: opts.anchorDir,
        intervalMs: opts.checkpointIntervalMs,
        onError: opts.onError,
      })
    : null;
  return { keys, anchor };
}

async function loadOrCreateKeys(db: Kysely<Database>, keyDir: string): Promise<AuditKeys> {
  const state = keyDirState(keyDir);
  if (state === 'complete') return readAuditKeys(keyDir);
  const files = `${HMAC_FILE}, ${PRIVATE_KEY_FILE}, ${PUBLIC_KEY_FILE}`;
  if (state === 'partial') {
    throw new AuditKeyError(
      `AUDIT_KEY_DIR=${keyDir} holds only some of the audit keys (${files}): restore the whole directory from its backup. Not starting: new keys would not verify the existing chain`,
    );
  }
  const keyed = await keyedChainCount(db);
  if (keyed > 0) {
    throw new AuditKeyError(
      `the audit trail in this store is keyed (${keyed} tenant chain(s)), but AUDIT_KEY_DIR=${keyDir} has no audit key (${files}): restore the key directory or point AUDIT_KEY_DIR at it. Not starting: entries written now could not be verified with the chain's key`,
    );
  }
  try {
    return createAuditKeys(keyDir);
  } catch (e) {
    // another process (the workers) created them a moment ago
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readAuditKeys(keyDir);
    throw e;
  }
}
