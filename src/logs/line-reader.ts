// Streams one source line by line with bounded memory: 64 KiB chunks, split with indexOf,
// .gz (by magic bytes) through node:zlib. A truncated .gz ends with a warning: the lines
// decompressed so far are still delivered. A line longer than MAX_LINE is delivered cut to
// its first MAX_LINE characters, once: the rest up to its newline is skipped (counted, said).
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { readFileLines } from './file-lines.js';

export const MAX_LINE = 64 * 1024;
// 64 KiB: chunk strings stay below V8's large-object size, so they die young in cheap scavenges.
const CHUNK = 64 * 1024;

export interface ReadResult {
  lines: number;
  /** Bytes read from the source (compressed size for .gz). */
  bytes: number;
  gzip: boolean;
  /** Set when the source ended badly (truncated .gz, read error): what was read still counts. */
  warning?: string;
  /** Lines longer than MAX_LINE, each delivered cut (one line each). */
  cutLines?: number;
}

/** The warning for lines cut at MAX_LINE (not "damaged input": the rest of the file was read). */
export function cutWarning(path: string, n: number): string {
  return `${path}: ${n} line(s) longer than ${MAX_LINE / 1024} KiB were cut to their first ${MAX_LINE / 1024} KiB (each still counted as one line)`;
}

export function isGzip(path: string): boolean {
  if (path === '-') return false;
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally { closeSync(fd); }
}

/** Splits decoded text into lines; keeps the unfinished tail between chunks. */
export class LineSplitter {
  private tail = '';
  /** The current line was delivered cut: its text up to the next newline is skipped. */
  private skipping = false;
  count = 0;
  /** Lines delivered cut at MAX_LINE. */
  cut = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    if (this.skipping) {
      if (nl < 0) return;
      this.skipping = false;
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (this.tail) {
      // Only the line that straddles two chunks is concatenated; the chunk itself is never copied.
      if (nl < 0) { this.keep(this.tail + text); return; }
      this.emit(this.tail + text.slice(0, nl), 0, nl + this.tail.length);
      this.tail = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.emit(text, start, nl);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.keep(text.slice(start));
  }

  private emit(s: string, start: number, end: number): void {
    if (end > start && s.charCodeAt(end - 1) === 13) end--;
    if (end <= start) return;
    this.count++;
    if (end - start > MAX_LINE) { this.cut++; end = start + MAX_LINE; }
    this.onLine(s.slice(start, end));
  }

  /**
   * A line with no newline yet for more than MAX_LINE characters (a 10 MB line, binary
   * garbage) is delivered now, cut, as one line; the rest of it is skipped: memory stays bounded.
   */
  private keep(s: string): void {
    if (s.length > MAX_LINE) { this.emit(s, 0, s.length); this.tail = ''; this.skipping = true; } else this.tail = s;
  }

  end(): void {
    const t = this.tail.replace(/\r$/, '');
    this.tail = '';
    this.skipping = false;
    if (t) { this.count++; this.onLine(t); }
  }
}

export async function readSource(path: string, onLine: (line: string) => void, stdin: Readable = process.stdin, start?: number, end?: number): Promise<ReadResult> {
  const gzip = isGzip(path);
  if (!gzip && path !== '-') return readFileLines(path, onLine, start, end);
  const raw: Readable = path === '-' ? stdin : createReadStream(path, { highWaterMark: CHUNK });
  let bytes = 0;
  raw.on('data', (b: Buffer) => { bytes += b.length; });
  const input: Readable = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  const decoder = new StringDecoder('utf8');
  const split = new LineSplitter(onLine);
  let warning: string | undefined;
  try {
    for await (const chunk of input) split.push(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    warning = gzip && (err.code === 'Z_BUF_ERROR' || /unexpected end|incorrect header|invalid/.test(err.message))
      ? `${path}: compressed file is truncated or corrupt (${err.message}); the lines before the damage were read`
      : `${path}: read error (${err.message}); the lines before it were read`;
    if (gzip) raw.destroy();
  }
  split.push(decoder.end());
  split.end();
  if (split.cut && !warning) warning = cutWarning(path, split.cut);
  return { lines: split.count, bytes, gzip, warning, cutLines: split.cut };
}
