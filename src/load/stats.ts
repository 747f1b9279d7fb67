// What one run (or one ramp step) measured, in memory that does not grow with the number
// of messages: a fixed histogram per phase, a count per second (bounded by the duration
// ceiling), and error groups keyed by step and reply (capped in number).
import { LatencyHistogram } from './histogram.js';
import type { HistogramState } from './histogram.js';
import type { LoadFailure } from './failure.js';
import { CEILING, PHASES } from './types.js';
import type { Phase } from './types.js';

/** Distinct error groups kept; the rest are counted under "other". */
const MAX_GROUPS = 50;
/** Seconds of per-second throughput kept (the duration ceiling, plus a ramp's many steps). */
const MAX_SECONDS = (CEILING.durationMs / 1000) * 2;

export interface ErrorGroup {
  step: string;
  code?: number;
  enhanced?: string;
  kind?: string;
  count: number;
  /** The first reply text or error seen for this group. */
  sample: string;
}

/** The counters of a run, as one thread posts them to another (threads.ts). */
export interface StatsState {
  phases: Record<Phase, HistogramState>;
  counts: Record<(typeof COUNTERS)[number], number>;
  pipelining: boolean | undefined;
  perSecond: { accepted: number; failed: number }[];
  groups: [string, ErrorGroup][];
}

const COUNTERS = ['attempted', 'accepted', 'failed', 'tempFailed', 'permFailed', 'ioFailed', 'rcptRejected', 'connections'] as const;

export class LoadStats {
  readonly phases = Object.fromEntries(PHASES.map((p) => [p, new LatencyHistogram()])) as Record<Phase, LatencyHistogram>;
  attempted = 0;
  accepted = 0;
  failed = 0;
  /** Messages refused with a 4xx reply (the server's "later": throttling, greylisting, overload). */
  tempFailed = 0;
  permFailed = 0;
  /** Messages lost to timeouts, resets, closed connections, TLS. */
  ioFailed = 0;
  /** Recipients refused within messages that were still sent to the others. */
  rcptRejected = 0;
  connections = 0;
  /** Whether the server offered PIPELINING (known after the first session). */
  pipelining: boolean | undefined;
  readonly perSecond: { accepted: number; failed: number }[] = [];
  readonly groups = new Map<string, ErrorGroup>();
  private readonly t0: number;
  endedAt = 0;

  constructor(readonly concurrency: number, t0 = performance.now()) {
    this.t0 = t0;
  }

  phase(p: Phase, ms: number): void {
    this.phases[p].record(ms);
  }

  messageDone(ok: boolean, failure?: LoadFailure): void {
    const sec = Math.min(Math.floor((performance.now() - this.t0) / 1000), MAX_SECONDS - 1);
    while (this.perSecond.length <= sec) this.perSecond.push({ accepted: 0, failed: 0 });
    if (ok) {
      this.accepted++;
      this.perSecond[sec]!.accepted++;
      return;
    }
    this.failed++;
    this.perSecond[sec]!.failed++;
    if (!failure) return;
    if (failure.code === undefined) this.ioFailed++;
    else if (failure.code >= 400 && failure.code < 500) this.tempFailed++;
    else this.permFailed++;
    this.error(failure);
  }

  rcptRefused(f: LoadFailure): void {
    this.rcptRejected++;
    this.error(f);
  }

  private error(f: LoadFailure): void {
    let key = `${f.step}|${f.code ?? ''}|${f.enhanced ?? ''}|${f.kind ?? ''}`;
    if (!this.groups.has(key) && this.groups.size >= MAX_GROUPS) key = 'other';
    const g = this.groups.get(key);
    if (g) g.count++;
    else if (key === 'other') this.groups.set(key, { step: 'other', count: 1, sample: 'more kinds of errors than are listed' });
    else {
      const { text, ...rest } = f;
      this.groups.set(key, { ...rest, count: 1, sample: text });
    }
  }

  state(): StatsState {
    const phases = Object.fromEntries(PHASES.map((p) => [p, this.phases[p].state()])) as Record<Phase, HistogramState>;
    const counts = Object.fromEntries(COUNTERS.map((k) => [k, this[k]])) as StatsState['counts'];
    return { phases, counts, pipelining: this.pipelining, perSecond: this.perSecond, groups: [...this.groups] };
  }

  /** Add what another thread measured over the same seconds (its connections beside ours). */
  absorb(o: StatsState): void {
    for (const p of PHASES) this.phases[p].mergeState(o.phases[p]);
    for (const k of COUNTERS) this[k] += o.counts[k];
    this.pipelining ??= o.pipelining;
    o.perSecond.forEach((ps, i) => {
      while (this.perSecond.length <= i) this.perSecond.push({ accepted: 0, failed: 0 });
      this.perSecond[i]!.accepted += ps.accepted;
      this.perSecond[i]!.failed += ps.failed;
    });
    for (const [key, g] of o.groups) {
      const k = this.groups.has(key) || this.groups.size < MAX_GROUPS ? key : 'other';
      const have = this.groups.get(k);
      if (have) have.count += g.count;
      else this.groups.set(k, k === 'other' ? { step: 'other', count: g.count, sample: 'more kinds of errors than are listed' } : { ...g });
    }
  }

  elapsedMs(): number {
    return (this.endedAt || performance.now()) - this.t0;
  }

  /** Messages accepted per second over the whole run. */
  rate(): number {
    const s = this.elapsedMs() / 1000;
    return s > 0 ? this.accepted / s : 0;
  }

  errorRate(): number {
    const n = this.accepted + this.failed;
    return n ? this.failed / n : 0;
  }

  /** The mean of every server reply timed (greeting, EHLO, MAIL, RCPT, DATA, end of data). */
  averageReplyMs(phases: readonly Phase[]): number {
    let n = 0;
    let sum = 0;
    for (const p of phases) {
      n += this.phases[p].count;
      sum += this.phases[p].meanMs() * this.phases[p].count;
    }
    return n ? sum / n : 0;
  }
}
