// Documents: metadata in the store, content as files under the documents directory (DATA_DIR/documents unless
// configured). A file is streamed to a temporary name while its SHA-256 and size are computed, checked against the
// type limits (declared media type, file extension and the first bytes must agree), and only then moved to its final
// name in the same transaction that records it.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database, DocumentRow } from './schema.ts';
import type { Conn } from './store.ts';

interface DocumentType {
  extensions: string[];
  name: string;
  /** The file's first bytes; null when the format has no signature (plain text). */
  magic: number[] | null;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The document types accepted (reports, plans, opinions, scans). */
export const DOCUMENT_TYPES: Record<string, DocumentType> = {
  'application/pdf': { extensions: ['.pdf'], name: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  'application/ofd': { extensions: ['.ofd'], name: 'OFD 版式文件', magic: ZIP },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extensions: ['.docx'],
    name: 'Word',
    magic: ZIP,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    extensions: ['.xlsx'],
    name: 'Excel',
    magic: ZIP,
  },
  'application/msword': { extensions: ['.doc'], name: 'Word 97-2003', magic: OLE },
  'application/vnd.ms-excel': { extensions: ['.xls'], name: 'Excel 97-2003', magic: OLE },
  'application/zip': { extensions: ['.zip'], name: 'ZIP', magic: ZIP },
  'image/png': { extensions: ['.png'], name: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { extensions: ['.jpg', '.jpeg'], name: 'JPEG', magic: [0xff, 0xd8, 0xff] },
  'text/plain': { extensions: ['.txt'], name: '纯文本', magic: null },
};

export const DOCUMENT_KINDS = {
  'project-plan': '项目方案',
  'data-catalogue': '政务数据共享资源目录',
  'review-report': '评审报告',
  'approval-opinion': '立项审批意见',
  'filing-receipt': '备案回执',
  contract: '合同',
  'acceptance-report': '验收报告',
  'assessment-report': '测评报告',
  other: '其他材料',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/**
 * The kinds the Bureau issues to the parties rather than a Unit uploads (PRO-3's 立项审批意见 and the 备案回执 of
 * change, delay and termination filings, rendered by their workers): Finance, which otherwise sees only funds
 * (SV-2), reads these; they are never offered as a Unit's evidence.
 */
export const ISSUED_DOCUMENT_KINDS: readonly string[] = ['approval-opinion', 'filing-receipt'];

/** Returns the zh-CN reason a file is refused, or null when its type is acceptable. */
export function documentTypeIssue(fileName: string, mediaType: string, head: Buffer): string | null {
  const type = DOCUMENT_TYPES[mediaType];
  if (!type) {
    return `不支持的文件类型 ${mediaType}；可上传：${Object.values(DOCUMENT_TYPES)
      .map((t) => t.extensions.join('/'))
      .join('、')}`;
  }
  if (!type.extensions.includes(extname(fileName).toLowerCase())) {
    return `文件扩展名与类型 ${type.name} 不符，应为 ${type.extensions.join(' 或 ')}`;
  }
  if (type.magic && !type.magic.every((b, i) => head[i] === b)) {
    return `文件内容不是有效的 ${type.name} 文件`;
  }
  if (!type.magic && head.includes(0)) return '纯文本文件不能包含二进制内容';
  return null;
}

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file exceeds ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

export interface ReceivedFile {
  tempPath: string;
  size: number;
  sha256: string;
  head: Buffer;
}

export class DocumentStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Streams an upload to a temporary file, hashing it; refuses (and deletes) anything over `maxBytes`. */
  async receive(source: Readable, maxBytes: number): Promise<ReceivedFile> {
    await mkdir(join(this.dir, '.incoming'), { recursive: true });
    const tempPath = join(this.dir, '.incoming', randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headLength = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxBytes) throw new FileTooLargeError(maxBytes);
            if (headLength < 16) {
              headChunks.push(chunk);
              headLength += chunk.length;
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tempPath, { flags: 'wx' }),
      );
    } catch (e) {
      await rm(tempPath, { force: true });
      throw e;
    }
    return { tempPath, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks).subarray(0, 16) };
  }

  /** Moves a received file to its final place; returns the path relative to the documents directory. */
  async keep(tempPath: string, tenantId: string, documentId: string): Promise<string> {
    const relative = `${tenantId}/${documentId}`;
    await mkdir(join(this.dir, tenantId), { recursive: true });
    await rename(tempPath, this.absolute(relative));
    return relative;
  }

  async discard(pathOrRelative: string): Promise<void> {
    await rm(pathOrRelative.startsWith(this.dir) ? pathOrRelative : this.absolute(pathOrRelative), {
      force: true,
    });
  }

  absolute(relative: string): string {
    const full = resolve(this.dir, relative);
    if (!full.startsWith(this.dir + sep))
      throw new Error(`document path escapes the documents directory: ${relative}`);
    return full;
  }

  open(relative: string): Readable {
    return createReadStream(this.absolute(relative));
  }
}

export interface DocumentMeta {
  id: string;
  tenantId: string;
  projectId: string;
  unitId: string;
  kind: DocumentKind;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  storagePath: string;
  uploadedBy: string;
  uploadedAt: string;
}

function toMeta(r: DocumentRow): DocumentMeta {
  return { ...r, size: Number(r.size), kind: r.kind as DocumentKind };
}

export async function insertDocument(tx: Conn, d: DocumentMeta): Promise<void> {
  await tx.db.insertInto('documents').values(d).execute();
}

export async function findDocument(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<DocumentMeta | undefined> {
  const r = await db
    .selectFrom('documents')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toMeta(r) : undefined;
}

export async function listDocuments(
  db: Kysely<Database>,
  tenantId: string,
  projectId: string,
): Promise<DocumentMeta[]> {
  const rows = await db
    .selectFrom('documents')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('projectId', '=', projectId)
    .orderBy('uploadedAt')
    .orderBy('id')
    .execute();
  return rows.map(toMeta);
}
