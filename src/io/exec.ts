// The one way mxdoctor runs a program (postqueue, postconf, exim, doveconf): argv without a
// shell, a deadline that SIGKILLs, byte caps on stdout/stderr, and a streaming variant so a
// 100k-message `postqueue -j` is read line by line, never as one huge string.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export interface RunOptions {
  /** Killed with SIGKILL after this long (default 30 s). */
  timeoutMs?: number;
  /** Bytes of stdout kept (or, with onLine, read) before the child is killed and `truncated` set (default 1 MiB). */
  maxBytes?: number;
  /** Added to (not replacing) the environment. */
  env?: NodeJS.ProcessEnv;
  /** Stream stdout: each line (without its newline) goes here and `stdout` stays empty. */
  onLine?: (line: string) => void;
  /** Kills the child (SIGKILL, `timedOut` set) when it fires: the run's overall deadline. */
  signal?: AbortSignal;
}

export interface RunResult {
  /** Exit status; null when killed by a signal or never started. */
  code: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Output went over maxBytes: the child was killed and what was read is incomplete. */
  truncated: boolean;
  /** The program does not exist (ENOENT). */
  notFound: boolean;
  /** errno code when the program could not be started (EACCES, ENOENT...). */
  error?: string;
}

export type CommandRunner = (argv: string[], o?: RunOptions) => Promise<RunResult>;

const STDERR_CAP = 64 * 1024;
/** A line longer than this (a postqueue -j object with thousands of recipients is ~100 KiB) is cut: its rest is dropped. */
export const MAX_LINE = 8 * 1024 * 1024;

/** The real runner: node:child_process, no shell, stdin closed. */
export const runCommand: CommandRunner = (argv, o = {}) => new Promise((resolve) => {
  const [file, ...args] = argv;
  const res: RunResult = { code: null, stdout: '', stderr: '', timedOut: false, truncated: false, notFound: false };
  if (!file) { resolve({ ...res, notFound: true, error: 'ENOENT' }); return; }
  const maxBytes = o.maxBytes ?? 1024 * 1024;
  const child = spawn(file, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  const out = new StringDecoder('utf8');
  const err = new StringDecoder('utf8');
  const lines = o.onLine ? new LineBuffer(o.onLine) : undefined;
  let bytes = 0;
  let errBytes = 0;
  let settled = false;
  const kill = () => { res.timedOut = true; child.kill('SIGKILL'); };
  const timer = setTimeout(kill, o.timeoutMs ?? 30_000);
  if (o.signal?.aborted) kill();
  else o.signal?.addEventListener('abort', kill, { once: true });
  child.stdout.on('data', (b: Buffer) => {
    if (res.truncated) return;
    const room = maxBytes - bytes;
    const chunk = b.length > room ? b.subarray(0, room) : b;
    bytes += chunk.length;
    const text = out.write(chunk);
    if (lines) lines.push(text); else res.stdout += text;
    if (b.length > room) { res.truncated = true; child.kill('SIGKILL'); }
  });
  child.stderr.on('data', (b: Buffer) => {
    if (errBytes >= STDERR_CAP) return;
    const chunk = b.subarray(0, STDERR_CAP - errBytes);
    errBytes += chunk.length;
    res.stderr += err.write(chunk);
  });
  const finish = (code: number | null, signal: string | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', kill);
    const tail = out.end();
    // A cut-off last line is incomplete: delivered only when the output ended normally.
    if (lines) { if (!res.truncated) lines.push(tail); lines.end(!res.truncated && !res.timedOut); } else res.stdout += tail;
    res.stderr += err.end();
    resolve({ ...res, code, signal });
  };
  child.on('error', (e: NodeJS.ErrnoException) => {
    res.error = e.code ?? e.message;
    res.notFound = e.code === 'ENOENT';
    finish(null, null);
  });
  child.on('close', (code, signal) => finish(code, signal));
});

/** Splits a decoded stream into lines; the unfinished tail waits for the next chunk. */
export class LineBuffer {
  private tail = '';
  private skipping = false;

  constructor(private readonly onLine: (line: string) => void, private readonly maxLine = MAX_LINE) {}

  push(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    if (this.skipping) {
      // The rest of a line already delivered cut: dropped up to its newline.
      if (nl < 0) return;
      this.skipping = false;
      start = nl + 1;
      nl = text.indexOf('\n', start);
    } else if (this.tail) {
      if (nl < 0) { this.keep(this.tail + text); return; }
      this.emit(this.tail + text.slice(0, nl));
      this.tail = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.keep(text.slice(start));
  }

  /** Flush the last line (if complete is false it was cut off and is dropped). */
  end(complete = true): void {
    if (this.tail && complete) this.emit(this.tail);
    this.tail = '';
    this.skipping = false;
  }

  private keep(s: string): void {
    if (s.length > this.maxLine) { this.emit(s.slice(0, this.maxLine)); this.tail = ''; this.skipping = true; } else this.tail = s;
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
