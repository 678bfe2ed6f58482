// SV-3: checking a project audit export. The manifest's Ed25519 signature (against the public key the verifier pins,
// or else only against the key the archive carries — then the report says it is not pinned), every file against the
// manifest, documents against the hashes recorded at upload, and every trail entry: its payload hash, its own hash
// (plain SHA-256 before the keyed-from seq; HMAC from it on, where the verifier has the chain key) and its links.

import {
  ARCHIVE_FORMAT,
  type Manifest,
  type ManifestSignature,
  SIGNATURE_FORMAT,
} from './audit-archive-format.ts';
import { checkEntry, entryHash } from './audit-hash.ts';
import { type AuditKeys, type AuditPublicKey, publicKeyFromPem, verifySignature } from './audit-keys.ts';
import { sha256Hex } from './canonical-json.ts';
import type { AuditRow } from './schema.ts';
import { readTar } from './tar.ts';

export interface ArchiveVerifyOptions {
  /** The public key the archive must be signed with (pinned). Without it, any self-consistent signature passes. */
  publicKey?: AuditPublicKey | null;
  /** The chain key: also recompute the keyed (HMAC) trail entries. */
  keys?: AuditKeys | null;
}

export interface ArchiveReport {
  manifest: Manifest | null;
  files: number;
  trailEntries: number;
  /** The fingerprint of the key that signed the manifest, and whether it was the pinned one. */
  signer: { fingerprint: string; pinned: boolean } | null;
  problems: string[];
}

type Files = Map<string, Buffer>;

/** Checks an export; every problem found is named (nothing stops at the first). */
export function verifyArchive(archive: Buffer, options: ArchiveVerifyOptions = {}): ArchiveReport {
  const opened = openArchive(archive);
  if ('problem' in opened) {
    return { manifest: null, files: opened.files, trailEntries: 0, signer: null, problems: [opened.problem] };
  }
  const { files, manifest, manifestBytes } = opened;
  const problems: string[] = [];
  if (manifest.format !== ARCHIVE_FORMAT) problems.push(`unknown archive format ${String(manifest.format)}`);
  const signer = checkSignature(files, manifestBytes, options.publicKey ?? null, problems);
  checkFiles(files, manifest, problems);
  const parse = <T>(name: string): T | null => {
    const c = files.get(name);
    if (!c) return null;
    try {
      return JSON.parse(c.toString('utf8')) as T;
    } catch {
      problems.push(`${name}: not valid JSON`);
      return null;
    }
  };
  checkDocuments(files, parse<Array<{ id: string; sha256: string }>>('documents.json') ?? [], problems);
  const trail = parse<AuditRow[]>('trail.json') ?? [];
  checkTrail(trail, manifest, options.keys ?? null, problems);
  return { manifest, files: files.size, trailEntries: trail.length, signer, problems };
}

function openArchive(
  archive: Buffer,
): { files: Files; manifest: Manifest; manifestBytes: Buffer } | { files: number; problem: string } {
  let entries: ReturnType<typeof readTar>;
  try {
    entries = readTar(archive);
  } catch (e) {
    return { files: 0, problem: `not a readable archive: ${(e as Error).message}` };
  }
  const files = new Map(entries.map((e) => [e.name, e.content]));
  const manifestBytes = files.get('manifest.json');
  if (!manifestBytes) return { files: entries.length, problem: 'manifest.json is missing' };
  try {
    return { files, manifest: JSON.parse(manifestBytes.toString('utf8')) as Manifest, manifestBytes };
  } catch {
    return { files: entries.length, problem: 'manifest.json is not valid JSON' };
  }
}

function checkSignature(
  files: Files,
  manifestBytes: Buffer,
  pinned: AuditPublicKey | null,
  problems: string[],
): ArchiveReport['signer'] {
  const raw = files.get('signature.json');
  if (!raw) {
    problems.push('signature.json is missing: the manifest is not signed');
    return null;
  }
  let sig: ManifestSignature;
  let key: AuditPublicKey;
  try {
    sig = JSON.parse(raw.toString('utf8')) as ManifestSignature;
    key = publicKeyFromPem(sig.publicKey);
  } catch (e) {
    problems.push(`signature.json: not a signature with an Ed25519 public key (${(e as Error).message})`);
    return null;
  }
  if (sig.format !== SIGNATURE_FORMAT) problems.push(`signature.json: unknown format ${String(sig.format)}`);
  if (sig.fingerprint !== key.fingerprint) {
    problems.push(`signature.json: the fingerprint ${String(sig.fingerprint)} is not that of its public key`);
  }
  if (pinned && pinned.fingerprint !== key.fingerprint) {
    problems.push(
      `signature.json: signed by key ${key.fingerprint}, not by the expected key ${pinned.fingerprint} (re-signed by someone else)`,
    );
  }
  if (!verifySignature(pinned ?? key, manifestBytes, String(sig.signature))) {
    problems.push(
      'manifest.json: its Ed25519 signature does not verify (the manifest was altered or re-signed)',
    );
  }
  return { fingerprint: key.fingerprint, pinned: pinned !== null && pinned.fingerprint === key.fingerprint };
}

function checkFiles(files: Files, manifest: Manifest, problems: string[]): void {
  const listed = new Set<string>(['manifest.json', 'signature.json']);
  for (const f of manifest.files ?? []) {
    listed.add(f.path);
    const content = files.get(f.path);
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
  for (const name of files.keys()) {
    if (!listed.has(name)) problems.push(`${name}: not listed in the manifest (inserted)`);
  }
}

function checkDocuments(files: Files, documents: Array<{ id: string; sha256: string }>, problems: string[]) {
  for (const d of documents) {
    const content = files.get(`documents/${d.id}`);
    if (!content) {
      problems.push(`documents/${d.id}: recorded in documents.json but not in the archive`);
    } else if (sha256Hex(content) !== d.sha256) {
      problems.push(
        `documents/${d.id}: its content does not match the SHA-256 recorded at upload (${d.sha256})`,
      );
    }
  }
}

function checkTrail(trail: AuditRow[], manifest: Manifest, keys: AuditKeys | null, problems: string[]): void {
  const keyedFrom =
    typeof manifest.keyedFromSeq === 'number' ? manifest.keyedFromSeq : Number.POSITIVE_INFINITY;
  let previous: AuditRow | null = null;
  for (const row of trail) {
    const seq = Number(row.seq);
    // Entries of one project are not contiguous in the tenant's chain; a link is checkable only between neighbours.
    const link = previous && Number(previous.seq) + 1 === seq ? previous.hash : null;
    const hashOf =
      seq < keyedFrom
        ? (e: AuditRow) => entryHash(e)
        : keys
          ? (e: AuditRow) => entryHash(e, keys.hmacKey)
          : null;
    for (const p of checkEntry(row, link, hashOf)) problems.push(`trail entry ${p.seq}: ${p.detail}`);
    if (manifest.tenantId && row.tenantId !== manifest.tenantId) {
      problems.push(`trail entry ${row.seq}: belongs to tenant ${row.tenantId}, not ${manifest.tenantId}`);
    }
    previous = row;
  }
  if (typeof manifest.trailEntries === 'number' && manifest.trailEntries !== trail.length) {
    problems.push(`trail.json has ${trail.length} entries, the manifest says ${manifest.trailEntries}`);
  }
}
