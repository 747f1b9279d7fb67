// Cuts the sources of one run into parts of about equal size, in reading order, for
// reading in parallel (parallel.ts): a plain file may be cut at a line start; a .gz file
// and stdin are never cut (a gzip stream cannot be entered in the middle).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isGzip } from './line-reader.js';
import type { LogSource } from './sources.js';

/** A compressed byte stands for about this many log bytes when balancing the parts. */
const GZIP_RATIO = 8;

interface Sized { s: LogSource; weight: number; bytes: number; gzip: boolean }

function sized(sources: LogSource[]): Sized[] | undefined {
  const out: Sized[] = [];
  for (const s of sources) {
    if (s.path === '-') return undefined;
    const bytes = statSync(s.path).size;
    const gzip = isGzip(s.path);
    out.push({ s, bytes, gzip, weight: gzip ? bytes * GZIP_RATIO : bytes });
  }
  return out;
}

/** Log bytes the sources stand for (compressed files weighed by GZIP_RATIO); undefined with stdin. */
export function sourceWeight(sources: LogSource[]): number | undefined {
  return sized(sources)?.reduce((n, x) => n + x.weight, 0);
}

/** The first line start at or after `at` in path (the file's size when there is none). */
export function lineStartAfter(path: string, at: number, size: number): number {
  if (at <= 0) return 0;
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(64 * 1024);
  try {
    // The byte before `at` tells whether `at` already starts a line.
    for (let pos = at - 1; pos < size;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl < n) return pos + nl + 1;
      pos += n;
    }
    return size;
  } finally { closeSync(fd); }
}

/** Up to n parts in reading order; fewer when the input cannot be cut that finely. */
export function splitSources(sources: LogSource[], n: number): LogSource[][] {
  const all = sized(sources);
  if (!all || n < 2) return [sources];
  const total = all.reduce((t, x) => t + x.weight, 0);
  const parts: LogSource[][] = [[]];
  let done = 0; // weight of everything in finished parts and in the current part so far
  for (const x of all) {
    let from = x.s.start ?? 0;
    const to = Math.min(x.s.end ?? x.bytes, x.bytes);
    // Cut this file wherever a part boundary falls inside it.
    while (parts.length < n) {
      const goal = (total * parts.length) / n;
      const left = to - from;
      if (done + (x.gzip ? x.weight : left) <= goal) break;
      if (x.gzip) {
        // A .gz goes wholly to the part it weighs most in.
        if (goal - done < x.weight / 2 && parts.at(-1)!.length) parts.push([]);
        break;
      }
      const cut = lineStartAfter(x.s.path, from + Math.round(goal - done), to);
      if (cut > from && cut < to) parts.at(-1)!.push({ ...x.s, start: from, end: cut });
      if (cut >= to) break;
      done += cut - from;
      from = cut;
      parts.push([]);
    }
    const whole = from === 0 && to === x.bytes;
    if (whole) parts.at(-1)!.push(x.s);
    // A part that ends at the end of the file reads on to its end then, as one pass would (a live log grows).
    else if (to > from) parts.at(-1)!.push(to === x.bytes && x.s.end === undefined ? { ...x.s, start: from } : { ...x.s, start: from, end: to });
    done += x.gzip ? x.weight : to - from;
  }
  return parts.filter((p) => p.length);
}
