// The attacks of issue 12 §5 on an audit trail, as someone with write access to the database (not to AUDIT_KEY_DIR)
// would run them: plain SQL, hashes recomputed with plain SHA-256 wherever that helps the attacker.
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { entryHash, GENESIS_HASH } from '../../src/store/audit.ts';
import { type Manifest, signManifest } from '../../src/store/audit-export.ts';
import { type AuditKeys, publicKeyFromPem } from '../../src/store/audit-keys.ts';
import { sha256Hex } from '../../src/store/canonical-json.ts';
import type { AuditRow } from '../../src/store/schema.ts';
import type { Store } from '../../src/store/store.ts';
import { readTar, writeTar } from '../../src/store/tar.ts';

async function rows(store: Store, tenantId: string): Promise<AuditRow[]> {
  const all = await store.db
    .selectFrom('auditLog')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('seq')
    .execute();
  return all.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** Deletes the tenant's trail and writes `edit(rows)` back renumbered from 1, chained with plain SHA-256. */
export async function keylessRewrite(
  store: Store,
  tenantId: string,
  edit: (rows: AuditRow[]) => AuditRow[],
): Promise<void> {
  const rewritten = edit(await rows(store, tenantId));
  let prevHash = GENESIS_HASH;
  const chained = rewritten.map((r, i) => {
    const row = { ...r, seq: i + 1, prevHash, payloadSha256: sha256Hex(r.payload) };
    const hash = entryHash(row);
    prevHash = hash;
    return { ...row, hash };
  });
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('auditLog').where('tenantId', '=', tenantId).execute();
    for (const r of chained) await trx.insertInto('auditLog').values(r).execute();
    await trx
      .updateTable('auditHeads')
      .set({ seq: chained.length, hash: prevHash })
      .where('tenantId', '=', tenantId)
      .execute();
  });
}

/** Cuts every entry after `keep` and moves the head back to entry `keep`: the chain alone looks whole. */
export async function cutTail(store: Store, tenantId: string, keep: number): Promise<void> {
  await sql`delete from audit_log where tenant_id = ${tenantId} and seq > ${keep}`.execute(store.db);
  const last = (await rows(store, tenantId)).at(-1)!;
  await store.db
    .updateTable('auditHeads')
    .set({ seq: last.seq, hash: last.hash })
    .where('tenantId', '=', tenantId)
    .execute();
}

/** Deletes everything the store knows about a tenant's trail. */
export async function deleteTrail(store: Store, tenantId: string): Promise<void> {
  for (const table of ['audit_log', 'audit_heads', 'audit_keying']) {
    await sql`delete from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(store.db);
  }
}

/**
 * A forged export: `rewrite` changes the text of trail.json and history.json, the manifest's hashes are recomputed,
 * and the manifest is re-signed with `resignWith` (another key) or keeps its old, now wrong, signature.
 */
export async function forgeArchive(
  archive: Buffer,
  rewrite: (text: string) => string,
  resignWith: AuditKeys | null,
): Promise<Buffer> {
  const entries = readTar(archive);
  const byName = new Map(entries.map((e) => [e.name, e.content]));
  const history = byName.get('history.json');
  if (history) byName.set('history.json', Buffer.from(rewrite(history.toString('utf8')), 'utf8'));
  // each rewritten trail entry gets a consistent payload hash and entry hash (plain SHA-256: no key)
  const trail = (JSON.parse(byName.get('trail.json')!.toString('utf8')) as AuditRow[]).map((r) => {
    const payload = rewrite(r.payload);
    if (payload === r.payload) return r;
    const row = { ...r, payload, payloadSha256: sha256Hex(payload) };
    return { ...row, hash: entryHash(row) };
  });
  byName.set('trail.json', Buffer.from(`${JSON.stringify(trail, null, 2)}\n`, 'utf8'));
  const manifest = JSON.parse(byName.get('manifest.json')!.toString('utf8')) as Manifest;
  manifest.files = manifest.files.map((f) => {
    const c = byName.get(f.path)!;
    return { ...f, size: c.length, sha256: sha256Hex(c) };
  });
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  byName.set('manifest.json', manifestBytes);
  if (resignWith) {
    byName.set(
      'signature.json',
      Buffer.from(JSON.stringify(signManifest(resignWith, manifestBytes)), 'utf8'),
    );
  }
  return collect(byName);
}

async function collect(files: Map<string, Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const mtime = new Date('2026-05-02T00:00:00Z');
  const sources = (async function* () {
    for (const [name, content] of files) yield { name, size: content.length, mtime, content };
  })();
  for await (const c of writeTar(sources)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Someone else's key set (same shape as the app's), to re-sign a forgery with. */
export function otherKeys(): AuditKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { dir: '(attacker)', hmacKey: Buffer.alloc(32, 7), keyId: 'attacker', privateKey, ...pub };
}
