// --rate R/s: one schedule shared by every connection, slot i at start + i/R (so a slow
// moment is not followed by a burst larger than one slot per worker), and a sleep that
// the run's AbortSignal cuts short.

export class RateSchedule {
  private nextAt = performance.now();
  private readonly gapMs: number;

  constructor(perSecond: number) {
    this.gapMs = 1000 / perSecond;
  }

  /** Wait for the next slot; false when the run ends (signal, or the slot is past `endAt`). */
  async next(signal: AbortSignal | undefined, endAt: number): Promise<boolean> {
    const now = performance.now();
    // Never bank more than one slot of idle time: the rate is a ceiling, not a debt.
    const at = Math.max(this.nextAt, now - this.gapMs);
    this.nextAt = at + this.gapMs;
    if (at >= endAt) return false;
    if (at > now + 1) await sleep(at - now, signal);
    return !signal?.aborted;
  }
}

/** setTimeout as a promise that resolves early when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
