// File access for `mxdoctor maildir verify`: directory listings and one message file read in
// fixed-size chunks into a SHA-256, keeping only the header section's bytes. Synchronous on
// purpose: it runs on the hashing worker threads (maildir/hash-pool.ts), where a blocking read
// is the cheapest way to keep a core busy, and memory per file is one chunk.
import { createHash, hash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';

const CHUNK = 64 * 1024;

export interface MessageRead {
  size: number;
  /** SHA-256 of the whole file (32 bytes; empty when it could not be read). */
  hash: Buffer;
  /**
   * The first bytes of the file, up to `headBytes`: what the header inspection sees. For a file
   * that fits in one chunk this is a view of `chunk` (no copy: a million small messages would
   * otherwise mean a million short-lived buffers), valid until the next call with that chunk.
   */
  head: Buffer;
  /** errno code when the file could not be read. */
  error?: string;
}

export function readMessageFile(path: string, headBytes: number, chunk: Buffer = Buffer.allocUnsafe(CHUNK)): MessageRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { size: 0, hash: Buffer.alloc(0), head: Buffer.alloc(0), error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  try {
    const first = readSync(fd, chunk, 0, chunk.length, null);
    // A short read of a regular file means end of file (POSIX read(2)): skipping the read that
    // would return 0 saves a system call per small message. One-shot crypto.hash() makes no
    // Hash object, whose native context would otherwise wait for the garbage collector.
    if (first < chunk.length) return { size: first, hash: hash('sha256', chunk.subarray(0, first), 'buffer') as unknown as Buffer, head: chunk.subarray(0, Math.min(first, headBytes)) };
    const h = createHash('sha256');
    h.update(chunk.subarray(0, first));
    const heads: Buffer[] = [Buffer.from(chunk.subarray(0, Math.min(first, headBytes)))];
    let headLen = heads[0]!.length;
    let size = first;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const part = chunk.subarray(0, n);
      h.update(part);
      if (headLen < headBytes) {
        const take = part.subarray(0, Math.min(n, headBytes - headLen));
        heads.push(Buffer.from(take));
        headLen += take.length;
      }
      size += n;
      if (n < chunk.length) break;
    }
    return { size, hash: h.digest(), head: heads.length === 1 ? heads[0]! : Buffer.concat(heads) };
  } catch (e) {
    return { size: 0, hash: Buffer.alloc(0), head: Buffer.alloc(0), error: (e as NodeJS.ErrnoException).code ?? String(e) };
  } finally {
    closeSync(fd);
  }
}

export interface DirEntryInfo { name: string; isDir: boolean; isFile: boolean }

/** Entries of a directory; an error code instead when it cannot be listed. */
export function listDir(path: string): DirEntryInfo[] | { error: string } {
  try {
    return readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile() }));
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

/**
 * Only the names (no Dirent per entry): a cur/ of 400,000 messages would otherwise leave
 * 400,000 objects behind for the garbage collector. A directory among them shows up when it is
 * read (EISDIR).
 */
export function listNames(path: string): string[] | { error: string } {
  try {
    return readdirSync(path);
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function pathExists(path: string): boolean {
  return existsSync(path);
}
