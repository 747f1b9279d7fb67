// A streaming reader of tar archives (POSIX ustar, pax extended headers, GNU long names),
// optionally gzip-compressed (detected from the magic bytes, not the name). Each regular file is
// hashed (SHA-256) as its bytes stream past and only its first `headBytes` are kept, so memory
// stays at one chunk whatever the archive holds. A damaged or truncated archive is an error
// naming the offset, never a hang.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface TarFile {
  path: string;
  size: number;
  hash: string;
  head: Buffer;
}

export interface TarDir { path: string }

export class TarError extends Error {}

const BLOCK = 512;
const MAX_META = 1024 * 1024;

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Calls onFile for every regular file and onDir for every directory, in archive order. */
export async function readTar(path: string, o: { headBytes: number; onFile: (f: TarFile) => void; onDir?: (d: TarDir) => void; signal?: AbortSignal }): Promise<{ entries: number }> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const source: AsyncIterable<Buffer> = isGzip(path) ? file.pipe(createGunzip()) : file;
  let pending = Buffer.alloc(0);
  let offset = 0;
  // Current entry state.
  let remaining = 0;
  let padding = 0;
  let entry: { path: string; type: string; size: number; hash?: Hash; heads: Buffer[]; headLen: number; meta: Buffer[] } | undefined;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let ended = false;
  let entries = 0;

  const finishEntry = () => {
    const e = entry!;
    entry = undefined;
    if (e.type === 'L') longName = Buffer.concat(e.meta).toString('utf8').replace(/\0.*$/s, '');
    else if (e.type === 'x') paxPath = paxValue(Buffer.concat(e.meta), 'path') ?? paxPath;
    else if (e.type === 'file') {
      entries++;
      o.onFile({ path: e.path, size: e.size, hash: e.hash!.digest('base64'), head: Buffer.concat(e.heads) });
    }
  };

  try {
    for await (const chunk of source) {
      if (o.signal?.aborted) throw new TarError('cancelled');
      let buf: Buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      while (buf.length) {
        if (ended) { buf = Buffer.alloc(0); break; }
        if (entry && remaining > 0) {
          const n = Math.min(remaining, buf.length);
          const part = buf.subarray(0, n);
          if (entry.hash) {
            entry.hash.update(part);
            if (entry.headLen < o.headBytes) {
              const take = part.subarray(0, o.headBytes - entry.headLen);
              entry.heads.push(Buffer.from(take));
              entry.headLen += take.length;
            }
          } else if (entry.type === 'L' || entry.type === 'x') {
            if (entry.meta.reduce((a, b) => a + b.length, 0) + n > MAX_META) throw new TarError(`at byte ${offset}: a metadata entry larger than ${MAX_META} bytes`);
            entry.meta.push(Buffer.from(part));
          }
          remaining -= n;
          offset += n;
          buf = buf.subarray(n);
          if (remaining === 0) finishEntry();
          continue;
        }
        if (padding > 0) {
          const n = Math.min(padding, buf.length);
          padding -= n;
          offset += n;
          buf = buf.subarray(n);
          continue;
        }
        if (buf.length < BLOCK) { pending = Buffer.from(buf); break; }
        const header = buf.subarray(0, BLOCK);
        buf = buf.subarray(BLOCK);
        offset += BLOCK;
        if (header.every((b) => b === 0)) { ended = true; continue; }
        const h = parseHeader(header, offset - BLOCK);
        const name = paxPath ?? longName ?? h.name;
        if (h.type !== 'L' && h.type !== 'x' && h.type !== 'g') { longName = undefined; paxPath = undefined; }
        const kind = h.type === '0' || h.type === '\0' || h.type === '7' ? 'file' : h.type === 'L' || h.type === 'x' ? h.type : 'skip';
        if (h.type === '5') o.onDir?.({ path: name });
        entry = { path: name, type: kind, size: h.size, heads: [], headLen: 0, meta: [] };
        if (kind === 'file') entry.hash = createHash('sha256');
        remaining = h.size;
        padding = (BLOCK - (h.size % BLOCK)) % BLOCK;
        if (remaining === 0) finishEntry();
      }
    }
  } finally {
    file.destroy();
  }
  if (entry || remaining > 0) throw new TarError(`the archive ends inside an entry (${entry?.path ?? '?'}, at byte ${offset}): it is truncated`);
  if (!ended && offset === 0) throw new TarError('the archive is empty');
  return { entries };
}

function parseHeader(h: Buffer, at: number): { name: string; size: number; type: string } {
  const sum = octal(h.subarray(148, 156));
  let computed = 0;
  for (let i = 0; i < BLOCK; i++) computed += i >= 148 && i < 156 ? 32 : h[i]!;
  if (sum !== computed) throw new TarError(`at byte ${at}: not a tar header (checksum ${sum} ≠ ${computed}); the archive is damaged or not a tar file`);
  const str = (a: number, b: number) => h.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
  const prefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? str(345, 500) : '';
  const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
  return { name, size: sizeField(h.subarray(124, 136)), type: String.fromCharCode(h[156]!) };
}

function octal(b: Buffer): number {
  const s = b.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return s ? parseInt(s, 8) : 0;
}

/** Octal, or GNU base-256 for sizes of 8 GB and more (high bit of the first byte set). */
function sizeField(b: Buffer): number {
  if (b[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]!;
    return n;
  }
  return octal(b);
}

/** A value of a pax extended header ("<len> key=value\n" records, POSIX.1-2001; len counts bytes). */
function paxValue(data: Buffer, key: string): string | undefined {
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.subarray(i, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (rec.slice(0, eq) === key) return rec.slice(eq + 1);
    i += len;
  }
  return undefined;
}
