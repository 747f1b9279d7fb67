// Which files to read, in time order: globs expanded here (Node 20 has no fs.glob), and
// rotated sets ordered oldest first: mail.log.3.gz, mail.log.2.gz, mail.log.1, mail.log
// (a higher rotation number is older; dateext names sort by their date).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';

export interface LogSource {
  /** A path, or "-" for stdin. */
  path: string;
  /** mtime in ms (the year reference for year-less timestamps); undefined for stdin. */
  mtimeMs?: number;
  /** Part of a plain file only, [start, end) in bytes, cut at line starts (split.ts). */
  start?: number;
  end?: number;
}

const GLOB = /[*?[]/;

/** Glob segment → anchored regex: `*`, `?` and `[abc]` classes; a leading dot must be explicit. */
export function globRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      re += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${segment.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

function expandGlob(pattern: string): string[] {
  const abs = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let dirs = [abs ? '/' : '.'];
  if (abs) parts.shift();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const d of dirs) {
      if (!GLOB.test(part)) { next.push(d === '.' && !abs ? part : join(d, part)); continue; }
      let names: string[];
      try { names = readdirSync(d); } catch { continue; }
      const re = globRegex(part);
      for (const n of names.sort()) if (re.test(n)) next.push(d === '.' && !abs ? n : join(d, n));
    }
    dirs = last ? next : next.filter((p) => { try { return statSync(p).isDirectory(); } catch { return false; } });
  }
  return dirs.filter((p) => { try { return statSync(p).isFile(); } catch { return false; } });
}

/** Base name and age rank: mail.log → [mail.log, +inf], mail.log.2.gz → [mail.log, -2], mail.log-20250101 → [mail.log, date]. */
export function rotation(path: string): { base: string; rank: number } {
  const name = basename(path).replace(/\.(gz|bz2|xz|zst)$/, '');
  const num = /^(.*)\.(\d{1,4})$/.exec(name);
  if (num) return { base: join(dirname(path), num[1]!), rank: -Number(num[2]) };
  const date = /^(.*)[-.](\d{8}|\d{10})$/.exec(name);
  if (date) return { base: join(dirname(path), date[1]!), rank: Number(date[2]!.slice(0, 8)) - 1e9 };
  return { base: join(dirname(path), name), rank: Infinity };
}

/** Order files oldest first within each rotated set; sets keep the order the user gave. */
export function orderRotated(paths: string[]): string[] {
  const groups = new Map<string, { path: string; rank: number }[]>();
  for (const p of paths) {
    const { base, rank } = rotation(p);
    const g = groups.get(base) ?? [];
    if (!g.some((x) => x.path === p)) g.push({ path: p, rank });
    groups.set(base, g);
  }
  return [...groups.values()].flatMap((g) => g.sort((a, b) => a.rank - b.rank).map((x) => x.path));
}

/** Expand, check and order the command-line arguments; none means stdin. */
export function resolveSources(args: string[]): LogSource[] {
  if (!args.length) return [{ path: '-' }];
  const paths: string[] = [];
  let stdin = false;
  for (const a of args) {
    if (a === '-') { stdin = true; continue; }
    if (GLOB.test(a)) {
      const found = expandGlob(a);
      if (!found.length) throw new UsageError(`logs: no file matches ${a}`);
      paths.push(...found);
      continue;
    }
    let st;
    try { st = statSync(a); } catch { throw new UsageError(`logs: cannot read ${a}: no such file`); }
    if (st.isDirectory()) throw new UsageError(`logs: ${a} is a directory; give files or a glob such as ${join(a, 'mail.log*')}`);
    paths.push(a);
  }
  const out: LogSource[] = orderRotated(paths).map((p) => ({ path: p, mtimeMs: statSync(p).mtimeMs }));
  if (stdin) out.push({ path: '-' });
  return out;
}
