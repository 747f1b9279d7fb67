// One followed log file with a read position that survives restarts: `tail -F` semantics as
// src/logs/follow.ts (rotation by rename + new file, copytruncate, a file that is not there
// yet), but the lines are fed only up to the last newline read, so the saved offset is always
// the start of a line: a restart resumes exactly where the counted lines end. The line
// splitting and the cap on huge lines are src/logs' LineSplitter.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, MAX_LINE } from '../../logs/line-reader.js';
import { headOf, sameFile, type FilePosition } from './position.js';

const READ = 64 * 1024;
/** Bytes read per poll at most: a huge backlog is worked through over several polls. */
export const MAX_PER_POLL = 16 << 20;
/** An unfinished line longer than this (bytes, ≥ MAX_LINE characters) is delivered cut. */
const MAX_PENDING = 4 * MAX_LINE;

export interface TailOptions {
  /** Where a file seen for the first time is read from. */
  start: 'end' | 'beginning';
  /** The position saved by an earlier process, if any. */
  saved?: FilePosition;
  /** Said once when lines may have been missed or will be read again (rotation while stopped…). */
  note?: (text: string) => void;
}

export class LogTail {
  private fh?: FileHandle;
  private dev = -1;
  private ino = -1;
  /** Where the next read starts. */
  private readPos = 0;
  /** Bytes after the last newline read: not yet a line. */
  private pending = Buffer.alloc(0);
  private decoder = new StringDecoder('utf8');
  private readonly split: LineSplitter;
  private readonly buf = Buffer.alloc(READ);
  private head = { len: 0, hash: '' };
  private firstOpen = true;
  rotations = 0;
  exists = false;
  lastError?: string;
  size = 0;

  constructor(readonly path: string, onLine: (line: string) => void, private readonly o: TailOptions) {
    this.split = new LineSplitter(onLine);
  }

  get cutLines(): number { return this.split.cut; }

  /** The start of the first line not yet delivered, with what identifies the file. */
  position(): FilePosition | undefined {
    if (!this.fh) return undefined;
    return { dev: this.dev, ino: this.ino, offset: this.readPos - this.pending.length, headLen: this.head.len, headHash: this.head.hash };
  }

  /** One round: notice rotation/truncation, then read what was appended. Returns the bytes read. */
  async poll(): Promise<number> {
    let st;
    try {
      st = await stat(this.path);
      this.exists = true;
      this.lastError = undefined;
    } catch (e) {
      this.exists = false;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.lastError = `${this.path}: ${code ?? (e as Error).message}`;
    }
    // Not there at start: when it appears it is a new file, read from its start.
    if (!st && !this.fh) this.firstOpen = false;
    if (st && !st.isFile()) { this.lastError = `${this.path} is not a regular file`; return 0; }
    if (st) this.size = st.size;
    let got = 0;
    if (st && this.fh && (st.ino !== this.ino || st.dev !== this.dev)) {
      // Renamed away and a new file made: the rest of the old one first (the writer may have
      // added lines before it reopened), its unfinished last line as a line, then the new file.
      got += await this.read(true);
      await this.close();
      this.rotations++;
    } else if (st && this.fh && st.size < this.readPos - this.pending.length) {
      // copytruncate: the same inode starts again from 0.
      this.readPos = 0;
      this.pending = Buffer.alloc(0);
      this.decoder = new StringDecoder('utf8');
      this.head = { len: 0, hash: '' };
      this.rotations++;
    }
    if (!this.fh && st) await this.openAt(st.dev, st.ino, st.size);
    if (this.fh) got += await this.read(false);
    return got;
  }

  private async openAt(dev: number, ino: number, size: number): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (e) {
      this.lastError = `${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      return;
    }
    const first = this.firstOpen;
    this.firstOpen = false;
    this.fh = fh;
    this.dev = dev;
    this.ino = ino;
    this.pending = Buffer.alloc(0);
    this.decoder = new StringDecoder('utf8');
    this.head = await headOf(fh, size);
    // A file that appears (or reappears) while we run is new: all of it is read.
    this.readPos = first ? await this.startOffset(fh, size) : 0;
  }

  private async startOffset(fh: FileHandle, size: number): Promise<number> {
    const s = this.o.saved;
    if (s) {
      const same = sameFile(s, { dev: this.dev, ino: this.ino, size }, this.head.len >= s.headLen ? (await headOf(fh, s.headLen)).hash : '');
      if (same) return s.offset;
      this.o.note?.(s.ino === this.ino && s.dev === this.dev
        ? `${this.path} was truncated or replaced while serve was stopped; it is read again from its start`
        : `${this.path} was rotated while serve was stopped; lines the old file got after the saved position (byte ${s.offset}) were not read, the new file is read from its start`);
      return 0;
    }
    if (this.o.start === 'beginning' || size === 0) return 0;
    // From the end, as tail -F: but from the start of the last unfinished line, if any.
    const back = Math.min(size, READ);
    const { bytesRead } = await fh.read(this.buf, 0, back, size - back);
    const nl = this.buf.subarray(0, bytesRead).lastIndexOf(10);
    return nl < 0 ? size : size - back + nl + 1;
  }

  private async read(final: boolean): Promise<number> {
    const fh = this.fh!;
    let got = 0;
    try {
      while (got < MAX_PER_POLL) {
        const { bytesRead } = await fh.read(this.buf, 0, READ, this.readPos);
        if (!bytesRead) break;
        this.readPos += bytesRead;
        got += bytesRead;
        this.take(this.buf.subarray(0, bytesRead));
      }
      if (this.head.len < 1024 && this.readPos > this.head.len) this.head = await headOf(fh, this.readPos);
    } catch (e) {
      this.lastError = `${this.path}: read error (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    if (final) {
      // The old file is finished: its unfinished last line is a line.
      this.split.push(this.decoder.write(this.pending) + this.decoder.end());
      this.split.end();
      this.pending = Buffer.alloc(0);
    }
    return got;
  }

  private take(chunk: Buffer): void {
    const nl = chunk.lastIndexOf(10);
    if (nl < 0) {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (this.pending.length > MAX_PENDING) {
        // A line with no end in sight: LineSplitter delivers it cut and skips to its newline.
        this.split.push(this.decoder.write(this.pending));
        this.pending = Buffer.alloc(0);
      }
      return;
    }
    const lines = this.pending.length ? Buffer.concat([this.pending, chunk.subarray(0, nl + 1)]) : chunk.subarray(0, nl + 1);
    this.split.push(this.decoder.write(lines));
    this.pending = Buffer.from(chunk.subarray(nl + 1));
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.dev = this.ino = -1;
    await fh?.close().catch(() => undefined);
  }
}
