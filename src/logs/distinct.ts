// How many distinct keys a table has seen, once the table itself no longer holds them all
// (sketch.ts evicts rows). Exact first: a set of 53-bit fingerprints (8 bytes a key, no
// strings kept; two different keys share one with odds of about n² ÷ 2^54, 1 in 18,000 at a
// million keys). Past MAX_EXACT keys it turns into a HyperLogLog (Flajolet et al. 2007,
// 2^14 registers: 16 KB, standard error 1.04 ÷ √16384 = 0.81%) and says it is an estimate.

/** Fingerprints kept before switching to the estimate: 16 MB of table at most. */
export const MAX_EXACT = 1 << 20;
const P = 14;
const M = 1 << P;

/** A 53-bit fingerprint of s, never 0 (0 marks an empty slot). */
export function fingerprint(s: string): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9e3779b9 | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 16; h1 = Math.imul(h1, 0x85ebca6b); h1 ^= h1 >>> 13;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35); h2 ^= h2 >>> 16;
  return (h1 >>> 0) * 2097152 + (h2 >>> 11) || 1;
}

export class Distinct {
  constructor(readonly maxExact = MAX_EXACT) {}

  /** Open addressing, linear probing; undefined once the estimate took over. */
  table: Float64Array | undefined = new Float64Array(1024);
  n = 0;
  /** HyperLogLog registers, from the switch on. */
  hll: Uint8Array | undefined;

  get approximate(): boolean {
    return this.hll !== undefined;
  }

  /** The count (an estimate when `approximate`). */
  get count(): number {
    return this.hll ? estimate(this.hll) : this.n;
  }

  /** Adds the key; true when it was not there (always false for the estimate). */
  add(key: string): boolean {
    return this.addPrint(fingerprint(key));
  }

  has(key: string): boolean {
    const t = this.table;
    if (!t) return true; // unknown: the caller assumes the worst (seen before)
    const f = fingerprint(key);
    const mask = t.length - 1;
    for (let i = f & mask; ; i = (i + 1) & mask) {
      if (t[i] === 0) return false;
      if (t[i] === f) return true;
    }
  }

  addPrint(f: number): boolean {
    const t = this.table;
    if (!t) { hllAdd(this.hll!, f); return false; }
    const mask = t.length - 1;
    let i = f & mask;
    for (; t[i] !== 0; i = (i + 1) & mask) if (t[i] === f) return false;
    t[i] = f;
    if (++this.n * 2 > t.length) this.grow();
    return true;
  }

  /** Takes a key back (boundary corrections); the estimate cannot. */
  remove(key: string): void {
    const t = this.table;
    if (!t) return;
    const mask = t.length - 1;
    const f = fingerprint(key);
    let i = f & mask;
    for (; t[i] !== f; i = (i + 1) & mask) if (t[i] === 0) return;
    t[i] = 0;
    this.n--;
    // Backward shift: later entries of the probe run move up so that lookups still find them.
    for (let j = (i + 1) & mask; t[j] !== 0; j = (j + 1) & mask) {
      const home = t[j]! & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) { t[i] = t[j]!; t[j] = 0; i = j; }
    }
  }

  merge(o: Distinct): void {
    if (o.table) { for (const f of o.table) if (f !== 0) this.addPrint(f); return; }
    if (this.table) this.toEstimate();
    const h = this.hll!;
    o.hll!.forEach((r, i) => { if (r > h[i]!) h[i] = r; });
  }

  private grow(): void {
    const old = this.table!;
    if (this.n > this.maxExact) { this.toEstimate(); return; }
    this.table = new Float64Array(old.length * 2);
    this.n = 0;
    for (const f of old) if (f !== 0) this.addPrint(f);
  }

  private toEstimate(): void {
    const h = (this.hll = new Uint8Array(M));
    for (const f of this.table!) if (f !== 0) hllAdd(h, f);
    this.table = undefined;
  }
}

function hllAdd(h: Uint8Array, f: number): void {
  const idx = f & (M - 1);
  // The 39 bits above the index: rank = position of the first 1 bit, from the top.
  const w = Math.floor(f / M);
  const rank = w === 0 ? 40 : 39 - Math.floor(Math.log2(w));
  if (rank > h[idx]!) h[idx] = rank;
}

function estimate(h: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (const r of h) { sum += 2 ** -r; if (r === 0) zeros++; }
  const alpha = 0.7213 / (1 + 1.079 / M);
  const e = (alpha * M * M) / sum;
  // Small ranges: linear counting (the registers still empty say more than the harmonic mean).
  return Math.round(e <= 2.5 * M && zeros ? M * Math.log(M / zeros) : e);
}
