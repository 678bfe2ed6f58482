// A minimal POSIX ustar writer and reader: enough for the audit export (regular files with short ASCII names), with
// no dependency. Any tar (GNU tar, bsdtar, 7-Zip) reads what this writes.
import type { Readable } from 'node:stream';

const BLOCK = 512;

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
  bytes.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  if (!/^[\x21-\x7e]+$/.test(name) || name.length > 100) {
    throw new Error(`tar entry name must be printable ASCII of at most 100 characters: ${name}`);
  }
  const h = Buffer.alloc(BLOCK, 0);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, Math.floor(mtimeSeconds));
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h[156] = 0x30; // '0': regular file
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'yunfu');
  writeString(h, 297, 32, 'yunfu');
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

export interface TarSource {
  name: string;
  size: number;
  mtime: Date;
  /** The content, or a function that opens it (streamed; it must produce exactly `size` bytes). */
  content: Buffer | (() => Readable);
  /** Called with every chunk as it is written (to hash what actually went into the archive). */
  onChunk?: (chunk: Buffer) => void;
}

/** Yields a tar archive of the entries, streaming file contents; the entries may be produced lazily. */
export async function* writeTar(
  entries: AsyncIterable<TarSource> | Iterable<TarSource>,
): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    yield tarHeader(entry.name, entry.size, entry.mtime.getTime() / 1000);
    if (Buffer.isBuffer(entry.content)) {
      if (entry.content.length !== entry.size) throw new Error(`${entry.name}: size mismatch`);
      entry.onChunk?.(entry.content);
      yield entry.content;
    } else {
      let written = 0;
      for await (const chunk of entry.content()) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        written += buf.length;
        if (written > entry.size)
          throw new Error(`${entry.name}: the file is larger than recorded (${entry.size} bytes)`);
        entry.onChunk?.(buf);
        yield buf;
      }
      if (written !== entry.size) {
        throw new Error(`${entry.name}: the file has ${written} bytes, ${entry.size} were recorded`);
      }
    }
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}

export interface TarEntry {
  name: string;
  content: Buffer;
}

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/** Reads the regular files of a ustar archive held in memory; checks every header checksum. */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) return entries;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    const stored = Number.parseInt(h.subarray(148, 156).toString('latin1').replace(/[\0 ]/g, ''), 8);
    if (stored !== sum) throw new TarFormatError(`bad header checksum at byte ${offset}`);
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(h.subarray(124, 136).toString('latin1').replace(/[\0 ]/g, '') || '0', 8);
    const type = String.fromCharCode(h[156] as number);
    const start = offset + BLOCK;
    if (start + size > archive.length)
      throw new TarFormatError(`${name}: truncated (${size} bytes announced)`);
    if (type === '0' || type === '\0') {
      entries.push({
        name: prefix ? `${prefix}/${name}` : name,
        content: archive.subarray(start, start + size),
      });
    }
    offset = start + size + padding(size).length;
  }
  throw new TarFormatError('the archive has no end-of-archive marker: it is truncated');
}
