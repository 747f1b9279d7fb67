// Bounded counting tables: per-key count and bytes with a cap on distinct keys, so memory
// follows the number of distinct senders/recipients/reasons up to a limit, never the file size.

export interface TallyRow {
  key: string;
  count: number;
  bytes: number;
  /** Split reads only: when the key was first counted, to put merged rows in reading order (merge.ts). */
  seq?: number;
}

/**
 * A private copy of s. A slice of a log line shares the line's 1 MiB read chunk in V8
 * (SlicedString); a key kept in a long-lived map would pin that chunk in memory.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (` ${s}`).slice(1);
}

export class Tally {
  readonly map = new Map<string, TallyRow>();
  /** Adds to keys beyond the cap: counted in totals, not listed. */
  overflowCount = 0;

  constructor(readonly cap = 1_000_000) {}

  /** Returns true when the key was new (distinct counts). */
  add(key: string, count = 1, bytes = 0, seq?: number): boolean {
    const row = this.map.get(key);
    if (row) {
      row.count += count; row.bytes += bytes;
      if (seq !== undefined && row.seq !== undefined && seq < row.seq) row.seq = seq;
      return false;
    }
    if (this.map.size >= this.cap) { this.overflowCount += count; return false; }
    const k = own(key);
    this.map.set(k, seq === undefined ? { key: k, count, bytes } : { key: k, count, bytes, seq });
    return true;
  }

  get size(): number {
    return this.map.size;
  }

  /** Adds a later part's rows after this table's own (split reads: merge.ts). */
  merge(o: Tally): void {
    for (const r of o.map.values()) this.add(r.key, r.count, r.bytes, r.seq);
    this.overflowCount += o.overflowCount;
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

  /** Takes back what add() counted (boundary corrections); a row left with no count is dropped. */
  sub(key: string, count: number, bytes: number): void {
    const row = this.map.get(key);
    if (!row) { this.overflowCount -= count; return; }
    row.count -= count;
    row.bytes -= bytes;
    if (row.count <= 0) this.map.delete(key);
  }

  top(n: number, by: 'count' | 'bytes' = 'count'): TallyRow[] {
    return topN(this.map.values(), n, (r) => r[by]).filter((r) => r[by] > 0);
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
