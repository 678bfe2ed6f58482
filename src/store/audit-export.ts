// SV-3: the complete, verifiable material package of one project — its record, every version of its application and
// its history, the opinions given on its tasks, the numbered 立项审批意见, filings, amounts by stage, evaluations,
// catalogue registrations, documents and its audit-trail entries — as a tar archive with a manifest of SHA-256
// hashes (written last, from the bytes that actually went into the archive), and the manifest signed with the
// trail's Ed25519 key (signature.json, with the public key and its fingerprint). `npm run audit:verify -- --archive
// FILE` checks it (audit-archive-verify.ts).
import { createHash, type Hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  ARCHIVE_FORMAT,
  type Manifest,
  type ManifestSignature,
  SIGNATURE_FORMAT,
} from './audit-archive-format.ts';
import { type AuditKeys, auditKeysOf, signBytes } from './audit-keys.ts';
import { type DocumentMeta, type DocumentStorage, listDocuments } from './documents.ts';
import { listFilings } from './filings.ts';
import { amountHistory } from './project-amounts.ts';
import { findProject, type HistoryEntry, projectHistory } from './projects.ts';
import type { AuditRow, Database } from './schema.ts';
import { type TarSource, writeTar } from './tar.ts';

export {
  ARCHIVE_FORMAT,
  type Manifest,
  type ManifestFile,
  type ManifestSignature,
  SIGNATURE_FORMAT,
} from './audit-archive-format.ts';

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/**
 * Streams the archive of a project. Everything is read up front except document contents, which are streamed;
 * a document whose file no longer has its recorded size aborts the export rather than ship a wrong package.
 */
export async function* projectAuditArchive(
  db: Kysely<Database>,
  storage: DocumentStorage,
  opts: { tenantId: string; projectId: string; exportedBy: string; exportedAt: string },
): AsyncGenerator<Buffer> {
  const project = await findProject(db, opts.tenantId, opts.projectId);
  if (!project) throw new Error(`project ${opts.projectId} not found in ${opts.tenantId}`);
  const parts = await projectParts(db, opts.tenantId, opts.projectId);
  const { documents, trail } = parts;
  const head = await db
    .selectFrom('auditHeads')
    .select(['seq', 'hash'])
    .where('tenantId', '=', opts.tenantId)
    .executeTakeFirst();
  const marker = await db
    .selectFrom('auditKeying')
    .select('keyedFromSeq')
    .where('tenantId', '=', opts.tenantId)
    .executeTakeFirst();
  const keys = auditKeysOf(db);

  const mtime = new Date(opts.exportedAt);
  const sources: Array<{ source: TarSource; hash: Hash }> = [];
  const add = (name: string, size: number, content: TarSource['content']) => {
    const hash = createHash('sha256');
    sources.push({ source: { name, size, mtime, content, onChunk: (chunk) => hash.update(chunk) }, hash });
  };
  const addJson = (name: string, value: unknown) => {
    const content = json(value);
    add(name, content.length, content);
  };
  addJson('project.json', project);
  addJson('application-versions.json', applicationVersions(parts.history));
  addJson('history.json', parts.history);
  addJson('opinions.json', opinionsOf(trail));
  addJson('approval-opinions.json', parts.approvalOpinions);
  addJson('filings.json', parts.filings);
  addJson('amounts.json', parts.amounts);
  addJson('evaluations.json', parts.evaluations);
  addJson('data-resources.json', parts.dataResources);
  addJson('documents.json', documents.map(publicMeta));
  addJson('trail.json', trail);
  for (const d of documents) add(`documents/${d.id}`, d.size, () => storage.open(d.storagePath));

  async function* entries(): AsyncGenerator<TarSource> {
    for (const s of sources) yield s.source;
    // Written last, from what was actually written.
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      tenantId: opts.tenantId,
      projectId: opts.projectId,
      exportedAt: opts.exportedAt,
      exportedBy: opts.exportedBy,
      chainHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
      trailEntries: trail.length,
      keyedFromSeq: marker ? Number(marker.keyedFromSeq) : null,
      files: sources.map((s) => ({ path: s.source.name, size: s.source.size, sha256: s.hash.digest('hex') })),
    };
    const content = json(manifest);
    yield { name: 'manifest.json', size: content.length, mtime, content };
    // An unkeyed store (only a store connected without its keys) exports an unsigned archive, which fails checking.
    if (keys) {
      const signature = json(signManifest(keys, content));
      yield { name: 'signature.json', size: signature.length, mtime, content: signature };
    }
  }
  yield* writeTar(entries());
}

/** Everything the project produced, as the store holds it (SV-3: materials complete). */
async function projectParts(db: Kysely<Database>, tenantId: string, projectId: string) {
  const scoped = async (table: 'approvalOpinions' | 'evaluations' | 'dataResources') =>
    (
      await db
        .selectFrom(table)
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('projectId', '=', projectId)
        .orderBy('id')
        .execute()
    ).map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  const trail: AuditRow[] = (
    await db
      .selectFrom('auditLog')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('projectId', '=', projectId)
      .orderBy('seq')
      .execute()
  ).map((r) => ({ ...r, seq: Number(r.seq) }));
  return {
    history: await projectHistory(db, tenantId, projectId),
    filings: await listFilings(db, { tenantId, projectId }),
    documents: await listDocuments(db, tenantId, projectId),
    amounts: await amountHistory(db, tenantId, projectId), // SV-2, SV-4
    approvalOpinions: await scoped('approvalOpinions'), // PRO-3: the numbered 立项审批意见
    evaluations: await scoped('evaluations'), // SV-1, SV-2
    dataResources: await scoped('dataResources'), // AC-2
    trail,
  };
}

/**
 * Every version of the application: the content as created, then each edit applied over it (an edit names the
 * project `projectName`, the record `name`), so an auditor reads the whole application as it stood at each version;
 * a stage change leaves it as it was (history.json keeps every entry's own changes).
 */
export function applicationVersions(history: HistoryEntry[]) {
  let content: Record<string, unknown> = {};
  return history.map((h) => {
    const changes = h.changes && typeof h.changes === 'object' ? (h.changes as Record<string, unknown>) : {};
    if (h.action === 'created') content = { ...changes };
    else if (h.action === 'edited') {
      const { projectName, ...rest } = changes;
      content = { ...content, ...rest, ...(projectName === undefined ? {} : { name: projectName }) };
    }
    return {
      version: h.version,
      at: h.at,
      accountId: h.accountId,
      action: h.action,
      stage: h.stage,
      content,
    };
  });
}

/** The opinions and decisions taken on the project's tasks, from the trail (who, when, which task, what they wrote). */
export function opinionsOf(trail: AuditRow[]) {
  return trail
    .filter((r) => r.action === 'task.complete')
    .map((r) => {
      const payload = JSON.parse(r.payload) as { elementId?: string; name?: string; variables?: unknown };
      return {
        seq: r.seq,
        at: r.at,
        accountId: r.accountId,
        elementId: payload.elementId ?? null,
        task: payload.name ?? null,
        variables: payload.variables ?? {},
      };
    });
}

function publicMeta(d: DocumentMeta) {
  const { storagePath: _storagePath, ...rest } = d;
  return rest;
}

export function signManifest(keys: AuditKeys, manifestBytes: Buffer): ManifestSignature {
  return {
    format: SIGNATURE_FORMAT,
    algorithm: 'Ed25519',
    publicKey: keys.publicKeyPem,
    fingerprint: keys.fingerprint,
    signature: signBytes(keys, manifestBytes),
  };
}

export { type ArchiveReport, type ArchiveVerifyOptions, verifyArchive } from './audit-archive-verify.ts';
