// A latency histogram of fixed size (HDR-like, log-bucketed): values in microseconds, exact
// below 128 µs, then 64 sub-buckets per power of two (at most 1.6% error) up to about
// 73 minutes. Memory is the same for ten messages or ten million: the load test's
// "memory flat in the message count".
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per power of two
const LINEAR = SUB * 2; // 0..127 µs: one bucket per µs
const MAX_EXP = 32; // 2^32 µs ≈ 71.6 min: anything longer is counted there
const SIZE = LINEAR + (MAX_EXP - SUB_BITS - 1) * SUB;

export interface Percentiles {
  count: number;
  /** Milliseconds, rounded to 0.01 ms. */
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** A histogram as posted between threads (the counts array is transferred, not copied). */
export interface HistogramState {
  counts: Float64Array;
  count: number;
  sumUs: number;
  maxUs: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(SIZE);
  count = 0;
  private sumUs = 0;
  private maxUs = 0;

  state(): HistogramState {
    return { counts: this.counts, count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }

  /** Fold in a histogram another thread recorded. */
  mergeState(o: HistogramState): void {
    for (let i = 0; i < SIZE; i++) this.counts[i]! += o.counts[i]!;
    this.count += o.count;
    this.sumUs += o.sumUs;
    if (o.maxUs > this.maxUs) this.maxUs = o.maxUs;
  }

  /** Record one duration in milliseconds (performance.now() differences). */
  record(ms: number): void {
    const us = ms <= 0 ? 0 : Math.min(Math.round(ms * 1000), 2 ** MAX_EXP - 1);
    this.counts[indexOf(us)]!++;
    this.count++;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** Fold another histogram in (the ramp's total over its steps). */
  merge(o: LatencyHistogram): void {
    this.mergeState(o.state());
  }

  meanMs(): number {
    return this.count ? this.sumUs / this.count / 1000 : 0;
  }

  /** The value at quantile q (0..1), in ms: the upper edge of its bucket, never above the max seen. */
  quantileMs(q: number): number {
    if (!this.count) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperOf(i), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  summary(): Percentiles {
    const r = (v: number) => Math.round(v * 100) / 100;
    return { count: this.count, mean: r(this.meanMs()), p50: r(this.quantileMs(0.5)), p90: r(this.quantileMs(0.9)), p99: r(this.quantileMs(0.99)), max: r(this.maxUs / 1000) };
  }
}

function indexOf(us: number): number {
  if (us < LINEAR) return us;
  const exp = 31 - Math.clz32(us); // ≥ 7
  const sub = (us >>> (exp - SUB_BITS)) & (SUB - 1);
  return LINEAR + (exp - SUB_BITS - 1) * SUB + sub;
}

function upperOf(i: number): number {
  if (i < LINEAR) return i;
  const exp = Math.floor((i - LINEAR) / SUB) + SUB_BITS + 1;
  const sub = (i - LINEAR) % SUB;
  return (SUB + sub + 1) * 2 ** (exp - SUB_BITS) - 1;
}
