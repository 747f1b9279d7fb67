// The stub resolver's per-run answer cache, bounded by bytes: two generations of half the
// budget each. New answers go to the young one; when it is full it becomes the old one and
// the previous old one is dropped; a hit in the old one moves back to the young one. That
// keeps what a bulk run keeps asking (provider includes, NS hosts) like an LRU does, at O(1)
// per call: a strict LRU on one Map evicted by `keys().next()`, which walks over every
// deleted slot at the front of the table and took 12% of a bulk run's CPU.
// Bytes, not entries (issue 15): an answer is 0.3 KB (one A record) to tens of KB (a DNSKEY
// set with its signatures); a count bound let 50,000 entries reach 100 MB per worker thread.

interface Entry<V> { value: V; bytes: number }

export class AnswerCache<V> {
  private young = new Map<string, Entry<V>>();
  private old = new Map<string, Entry<V>>();
  private youngBytes = 0;
  private oldBytes = 0;
  private readonly half: number;

  /** At most about `maxBytes` (sizes as given to set/resize); 0 keeps nothing. */
  constructor(maxBytes: number) {
    this.half = Math.ceil(maxBytes / 2);
  }

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined || this.half === 0) return hit?.value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.oldBytes -= aged.bytes;
      this.set(key, aged.value, aged.bytes);
    }
    return aged?.value;
  }

  /** `bytes`: the entry's estimated size (key included); resize() corrects it once known. */
  set(key: string, value: V, bytes: number): void {
    if (this.half === 0) return;
    const had = this.young.get(key);
    if (had) this.youngBytes -= had.bytes;
    else if (this.youngBytes + bytes > this.half && this.young.size) this.rotate();
    this.young.set(key, { value, bytes });
    this.youngBytes += bytes;
  }

  /** The size of an entry became known (an answer that arrived): still young, it counts there. */
  resize(key: string, bytes: number): void {
    const e = this.young.get(key) ?? this.old.get(key);
    if (!e) return;
    const d = bytes - e.bytes;
    e.bytes = bytes;
    if (this.young.get(key) === e) {
      this.youngBytes += d;
      if (this.youngBytes > this.half) this.rotate();
    } else this.oldBytes += d;
  }

  /** The young generation becomes the old one; the old one is dropped. */
  private rotate(): void {
    this.old = this.young;
    this.oldBytes = this.youngBytes;
    this.young = new Map();
    this.youngBytes = 0;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.youngBytes + this.oldBytes;
  }
}

/**
 * A rough size in bytes of a decoded value as V8 holds it (pointer-compressed heap: 4-byte
 * fields, small headers): enough to bound a cache, not an exact account.
 */
export function approxBytes(v: unknown, depth = 0): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 0;
  if (typeof v === 'number') return 12;
  if (typeof v === 'string') return 16 + v.length;
  if (depth > 6) return 64;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return 96 + v.byteLength;
  if (Array.isArray(v)) {
    let n = 16 + 4 * v.length;
    for (const x of v) n += approxBytes(x, depth + 1);
    return n;
  }
  if (typeof v === 'object') {
    let n = 28;
    for (const k in v) n += 4 + approxBytes((v as Record<string, unknown>)[k], depth + 1);
    return n;
  }
  return 16;
}
