// A fake clock for the scheduler and the monitor: timers fire only when a test advances
// time, in due order, with promises settled between them.
import type { Timers } from '../../src/monitor/scheduler.js';

export class FakeTimers implements Timers {
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(public t = 0) {}
  now() { return this.t; }
  set(fn: () => void, ms: number) { const id = ++this.seq; this.pending.set(id, { at: this.t + Math.max(0, ms), fn }); return id; }
  clear(h: unknown) { this.pending.delete(h as number); }
  /** Due times of the timers armed now (what a test reads to see the next run). */
  dueTimes(): number[] { return [...this.pending.values()].map((p) => p.at).sort((a, b) => a - b); }
  /** Advance time, firing due timers in order and letting promises settle between them. */
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = [...this.pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
    await flush();
  }
}

export async function flush() {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}
