// Bounded reads of what the user names: a file, or stdin (fd 0). Reading stops after `max`
// bytes, so /dev/zero, a huge file or an endless pipe cannot exhaust memory or hang the run.
import { closeSync, openSync, readSync } from 'node:fs';

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
