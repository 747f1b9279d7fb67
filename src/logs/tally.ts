// Bounded counting tables: per-key count and bytes with a cap on distinct keys, so memory
// follows the number of distinct senders/recipients/reasons up to a limit, never the file size.

export interface TallyRow {
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

export class Tally {
  readonly map = new Map<string, TallyRow>();
  /** Adds to keys beyond the cap: counted in totals, not listed. */
  overflowCount = 0;

  constructor(readonly cap = 1_000_000) {}

  /** Returns true when the key was new (distinct counts). */
  add(key: string, count = 1, bytes = 0): boolean {
    const row = this.map.get(key);
    if (row) { row.count += count; row.bytes += bytes; return false; }
    if (this.map.size >= this.cap) { this.overflowCount += count; return false; }
    const k = own(key);
    this.map.set(k, { key: k, count, bytes });
    return true;
  }

  get size(): number {
    return this.map.size;
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

/** Address with the domain part lower-cased (pflogsumm's default, without -i). */
export function normAddress(a: string): string {
  const at = a.lastIndexOf('@');
  return at < 0 ? a : a.slice(0, at) + a.slice(at).toLowerCase();
}

export function domainOf(a: string): string {
  const at = a.lastIndexOf('@');
  return at < 0 ? a.toLowerCase() : a.slice(at + 1).toLowerCase();
}

/**
 * pflogsumm's gimme_domain(): "mach.host.dom[ip]" → "host.dom" (2-3 letter TLDs keep
 * one more label), "unknown[ip]" → ip.
 */
export function clientDomain(client: string, ip: string): string {
  if (!client || client === 'unknown') return ip;
  const m = /^(?:.*)\.([^.]+)\.([^.]{3}|[^.]{2,3}\.[^.]{2})$/.exec(client);
  return m ? `${m[1]}.${m[2]}`.toLowerCase() : client;
}
