// Bounded counting tables: per-key count and bytes for the heaviest keys (sketch.ts), so
// memory stays flat in the number of distinct senders/recipients/reasons and the file size.
import { Sketch, type SketchRow } from './sketch.js';

export interface TallyRow extends SketchRow {
  key: string;
  count: number;
  bytes: number;
}

/**
 * A private copy of s. A slice of a log line shares the line's 1 MiB read chunk in V8
 * (SlicedString); a key kept in a long-lived map would pin that chunk in memory.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (` ${s}`).slice(1);
}

/** Rows kept by default: every count is exact up to this many distinct keys (sketch.ts beyond). */
export const TALLY_ROWS = 10_000;

/** Counts and bytes per key, the heaviest `cap` keys kept (sketch.ts: exact until it fills). */
export class Tally extends Sketch<TallyRow> {
  constructor(cap = TALLY_ROWS) {
    super(cap, ['count', 'bytes']);
  }

  protected blank(key: string): TallyRow {
    return { key, count: 0, bytes: 0 };
  }

  add(key: string, count = 1, bytes = 0, seq?: number): void {
    let row = this.map.get(key);
    if (!row) {
      row = this.create(own(key));
      if (seq !== undefined) row.seq = seq;
    } else if (seq !== undefined && row.seq !== undefined && seq < row.seq) row.seq = seq;
    row.count += count;
    row.bytes += bytes;
  }

  /** Adds a later part's rows after this table's own (split reads: merge.ts). */
  merge(o: Tally): void {
    this.mergeFrom(o, (x, r) => {
      x.count += r.count; x.bytes += r.bytes;
      if (r.seq !== undefined && x.seq !== undefined && r.seq < x.seq) x.seq = r.seq;
    });
  }

  /** Moves an existing row's first-counted mark earlier (merge.ts). */
  place(key: string, seq: number): void {
    const row = this.map.get(key);
    if (row?.seq !== undefined && seq < row.seq) row.seq = seq;
  }

  /** Rows that carry a seq, put back in seq order after the others (merge.ts). */
  sortBySeq(): void {
    const later = [...this.map.values()].filter((r) => r.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
    for (const r of later) { this.map.delete(r.key); delete r.seq; this.map.set(r.key, r); }
  }

  /** Takes back what add() counted (boundary corrections); a key left with no count is forgotten. */
  sub(key: string, count: number, bytes: number): void {
    const row = this.map.get(key);
    // Dropped from the table meanwhile: its distinct count can no longer be corrected.
    if (!row) { if (this.distinct) this.unsure++; return; }
    row.count -= count;
    row.bytes -= bytes;
    if (row.count <= (row.err?.[0] ?? 0)) {
      if (!row.err) this.forget(key);
      else this.unsure++;
    }
  }

  /** The n heaviest rows, ranked by what they surely have (value − error): a key that came back late does not push out one counted all along. */
  top(n: number, by: 'count' | 'bytes' = 'count'): TallyRow[] {
    const i = by === 'count' ? 0 : 1;
    return topN(this.map.values(), n, (r) => r[by] - (r.err?.[i] ?? 0)).filter((r) => r[by] > 0);
  }
}

/** The n largest items by score without sorting everything (n is small, the input may not be). */
export function topN<T>(items: Iterable<T>, n: number, score: (t: T) => number): T[] {
  const best: T[] = [];
  if (n <= 0) return best;
  for (const it of items) {
    const s = score(it);
    if (best.length < n) { best.push(it); if (best.length === n) best.sort((a, b) => score(b) - score(a)); continue; }
    if (s <= score(best[n - 1]!)) continue;
    let i = n - 1;
    while (i > 0 && score(best[i - 1]!) < s) i--;
    best.splice(i, 0, it);
    best.pop();
  }
  if (best.length < n) best.sort((a, b) => score(b) - score(a));
  return best;
}

/** Index of the last '@' in a, -1 when none (two indexOf calls: lastIndexOf is slower in V8). */
export function lastAt(a: string): number {
  const i = a.indexOf('@');
  return i < 0 || a.indexOf('@', i + 1) < 0 ? i : a.lastIndexOf('@');
}

/** Address with the domain part lower-cased (pflogsumm's default, without -i). */
export function normAddress(a: string): string {
  const at = lastAt(a);
  if (at < 0) return a;
  // Nearly every domain is already lower-case: the address itself, no concatenated copy.
  const d = a.slice(at);
  const low = d.toLowerCase();
  return low === d ? a : a.slice(0, at) + low;
}

export function domainOf(a: string): string {
  const at = lastAt(a);
  return (at < 0 ? a : a.slice(at + 1)).toLowerCase();
}

/**
 * pflogsumm's gimme_domain(): "mach.host.dom[ip]" → "host.dom" (2-3 letter TLDs keep
 * one more label), "unknown[ip]" → ip.
 */
export function clientDomain(client: string, ip: string): string {
  if (!client || client === 'unknown') return ip;
  // A regex, not a cache: on these short names it is cheaper than a Map lookup.
  const m = /^(?:.*)\.([^.]+)\.([^.]{3}|[^.]{2,3}\.[^.]{2})$/.exec(client);
  return m ? `${m[1]}.${m[2]}`.toLowerCase() : client;
}
