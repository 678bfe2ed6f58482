// SV-3: the complete, verifiable material package of one project — its record, history, filings, documents and
// its audit-trail entries — as a tar archive with a manifest of SHA-256 hashes (written last, from the bytes that
// actually went into the archive). `npm run audit:verify -- --archive FILE` checks it (verifyArchive below).
import { createHash, type Hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type ChainProblem, checkEntry } from './audit.ts';
import { sha256Hex } from './canonical-json.ts';
import { type DocumentMeta, type DocumentStorage, listDocuments } from './documents.ts';
import { listFilings } from './filings.ts';
import { findProject, projectHistory } from './projects.ts';
import type { AuditRow, Database } from './schema.ts';
import { readTar, type TarSource, writeTar } from './tar.ts';

export const ARCHIVE_FORMAT = 'yunfu-audit-export/1';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  tenantId: string;
  projectId: string;
  exportedAt: string;
  exportedBy: string;
  /** The tenant's chain head when the archive was made: compare with the live trail to see it is the same chain. */
  chainHead: { seq: number; hash: string } | null;
  trailEntries: number;
  files: ManifestFile[];
}

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
  const history = await projectHistory(db, opts.tenantId, opts.projectId);
  const filings = await listFilings(db, { tenantId: opts.tenantId, projectId: opts.projectId });
  const documents = await listDocuments(db, opts.tenantId, opts.projectId);
  const trail: AuditRow[] = (
    await db
      .selectFrom('auditLog')
      .selectAll()
      .where('tenantId', '=', opts.tenantId)
      .where('projectId', '=', opts.projectId)
      .orderBy('seq')
      .execute()
  ).map((r) => ({ ...r, seq: Number(r.seq) }));
  const head = await db
    .selectFrom('auditHeads')
    .select(['seq', 'hash'])
    .where('tenantId', '=', opts.tenantId)
    .executeTakeFirst();

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
  addJson('history.json', history);
  addJson('filings.json', filings);
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
      files: sources.map((s) => ({ path: s.source.name, size: s.source.size, sha256: s.hash.digest('hex') })),
    };
    const content = json(manifest);
    yield { name: 'manifest.json', size: content.length, mtime, content };
  }
  yield* writeTar(entries());
}

function publicMeta(d: DocumentMeta) {
  const { storagePath: _storagePath, ...rest } = d;
  return rest;
}

export interface ArchiveReport {
  manifest: Manifest | null;
  files: number;
  trailEntries: number;
  problems: string[];
}

/** Checks an export: every file against the manifest, documents against their recorded hashes, trail entries. */
export function verifyArchive(archive: Buffer): ArchiveReport {
  const problems: string[] = [];
  let entries: ReturnType<typeof readTar>;
  try {
    entries = readTar(archive);
  } catch (e) {
    return {
      manifest: null,
      files: 0,
      trailEntries: 0,
      problems: [`not a readable archive: ${(e as Error).message}`],
    };
  }
  const byName = new Map(entries.map((e) => [e.name, e.content]));
  const manifestBytes = byName.get('manifest.json');
  if (!manifestBytes)
    return { manifest: null, files: entries.length, trailEntries: 0, problems: ['manifest.json is missing'] };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch {
    return {
      manifest: null,
      files: entries.length,
      trailEntries: 0,
      problems: ['manifest.json is not valid JSON'],
    };
  }
  if (manifest.format !== ARCHIVE_FORMAT) problems.push(`unknown archive format ${String(manifest.format)}`);

  const listed = new Set<string>();
  for (const f of manifest.files ?? []) {
    listed.add(f.path);
    const content = byName.get(f.path);
    if (!content) {
      problems.push(`${f.path}: listed in the manifest but missing from the archive (removed)`);
      continue;
    }
    if (content.length !== f.size)
      problems.push(`${f.path}: ${content.length} bytes, the manifest says ${f.size} (altered)`);
    const actual = sha256Hex(content);
    if (actual !== f.sha256)
      problems.push(`${f.path}: SHA-256 ${actual} does not match the manifest's ${f.sha256} (altered)`);
  }
  for (const e of entries) {
    if (e.name !== 'manifest.json' && !listed.has(e.name))
      problems.push(`${e.name}: not listed in the manifest (inserted)`);
  }

  const parse = <T>(name: string): T | null => {
    const c = byName.get(name);
    if (!c) return null;
    try {
      return JSON.parse(c.toString('utf8')) as T;
    } catch {
      problems.push(`${name}: not valid JSON`);
      return null;
    }
  };

  const documents = parse<Array<{ id: string; sha256: string; size: number }>>('documents.json') ?? [];
  for (const d of documents) {
    const content = byName.get(`documents/${d.id}`);
    if (!content) {
      problems.push(`documents/${d.id}: recorded in documents.json but not in the archive`);
      continue;
    }
    if (sha256Hex(content) !== d.sha256) {
      problems.push(
        `documents/${d.id}: its content does not match the SHA-256 recorded at upload (${d.sha256})`,
      );
    }
  }

  const trail = parse<AuditRow[]>('trail.json') ?? [];
  let previous: AuditRow | null = null;
  const trailProblems: ChainProblem[] = [];
  for (const row of trail) {
    // Entries of one project are not contiguous in the tenant's chain; a link is checkable only between neighbours.
    const link = previous && Number(previous.seq) + 1 === Number(row.seq) ? previous.hash : null;
    trailProblems.push(...checkEntry(row, link));
    if (manifest.tenantId && row.tenantId !== manifest.tenantId) {
      problems.push(`trail entry ${row.seq}: belongs to tenant ${row.tenantId}, not ${manifest.tenantId}`);
    }
    previous = row;
  }
  for (const p of trailProblems) problems.push(`trail entry ${p.seq}: ${p.detail}`);
  if (typeof manifest.trailEntries === 'number' && manifest.trailEntries !== trail.length) {
    problems.push(`trail.json has ${trail.length} entries, the manifest says ${manifest.trailEntries}`);
  }
  return { manifest, files: entries.length, trailEntries: trail.length, problems };
}
