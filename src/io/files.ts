// Bounded reads of what the user names: a file, or stdin (fd 0). Reading stops after `max`
// bytes, so /dev/zero, a huge file or an endless pipe cannot exhaust memory or hang the run.
import { closeSync, constants, createReadStream, openSync, readSync } from 'node:fs';
import { access } from 'node:fs/promises';

/** At most `max` bytes of the file (or of stdin for 0); `truncated` when more was there. */
export function readUpTo(source: string | 0, max: number): { data: Buffer; truncated: boolean } {
  const fd = source === 0 ? 0 : openSync(source, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(max + 1, 1 << 20));
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= max) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(buf.length, max + 1 - total), null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking stdin pipe
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    const all = Buffer.concat(chunks);
    return total > max ? { data: all.subarray(0, max), truncated: true } : { data: all, truncated: false };
  } finally {
    if (source !== 0) closeSync(fd);
  }
}

/** True when the file can be opened for reading (for a one-line usage error before any work). */
export async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The lines of a file, or of stdin for '-', streamed (a million-line list never sits in
 * memory), each at most `maxLineBytes`: a longer line is cut there and its rest skipped, so a
 * file without newlines cannot grow one string without bound.
 */
export async function* streamLines(path: string, maxLineBytes = 64 * 1024): AsyncGenerator<string> {
  const input = path === '-' ? process.stdin : createReadStream(path);
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const take = (b: Buffer) => {
    if (skipping) return;
    const room = maxLineBytes - size;
    if (b.length > room) {
      parts.push(b.subarray(0, room));
      size = maxLineBytes;
      skipping = true;
    } else {
      parts.push(b);
      size += b.length;
    }
  };
  const line = () => {
    const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    parts = [];
    size = 0;
    skipping = false;
    return text;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = b.indexOf(0x0a); nl >= 0; nl = b.indexOf(0x0a)) {
      take(b.subarray(0, nl));
      yield line();
      b = b.subarray(nl + 1);
    }
    take(b);
  }
  if (size > 0) yield line();
}

/**
 * Ends a read of stdin when the signal fires (`logs --deadline` on a pipe that never closes):
 * the stream is ended as if the input had ended there, so the reader keeps the lines it read
 * (the caller says the deadline cut it), and the returned release closes stdin's handle so
 * nothing is left open. Without the signal firing, release leaves stdin alone.
 */
export function cutStdinOn(signal: AbortSignal, stdin: NodeJS.ReadableStream & { push(c: null): boolean; destroy(): unknown } = process.stdin): () => void {
  let cut = false;
  const end = () => { cut = true; stdin.push(null); };
  if (signal.aborted) end();
  else signal.addEventListener('abort', end, { once: true });
  return () => {
    signal.removeEventListener('abort', end);
    if (cut) stdin.destroy();
  };
}
