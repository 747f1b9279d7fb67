// Runs every target on its own interval: jitter spreads the runs, one target never has two
// runs at once, each run has a deadline (its AbortSignal fires), at most `concurrency` runs
// hold a slot, and a target that keeps failing to be checked backs off exponentially.
// Time comes from injected timers so tests drive it with a fake clock.
import { createHash } from 'node:crypto';
import { jobsTable } from './jobs.js';
import type { Job, JobTrigger } from './jobs.js';

export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, Math.max(0, ms)).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Fleet mode: the next due time at or after `at`, an interval boundary plus a per-target offset below the jitter. */
export function alignedDue(name: string, intervalMs: number, jitterMs: number, at: number): number {
  const offset = Number.parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16) % Math.max(1, Math.min(jitterMs, intervalMs));
  return Math.ceil((at - offset) / intervalMs) * intervalMs + offset;
}

export interface ScheduledTarget {
  name: string;
  intervalMs: number;
  /** When the target's last stored run started (a restart resumes at its next slot). */
  lastRunMs?: number;
}

export interface RunOutcome {
  /** false when the target could not be checked (the run failed or hit its deadline): backs off. */
  ok: boolean;
  runId?: number;
  error?: string;
}

/** `dueAt`: when the run was due (its slot in aligned mode; now for check-now). */
export type RunFn = (target: string, signal: AbortSignal, job: Job, dueAt: number) => Promise<RunOutcome>;

export interface SchedulerOptions {
  timers: Timers;
  concurrency: number;
  jitterMs: number;
  timeoutMs: number;
  maxBackoffMs: number;
  run: RunFn;
  random?: () => number;
  /** After a deadline, how long a run may take to wind down before its slot is freed. */
  graceMs?: number;
  /**
   * Fleet mode: runs fall on interval boundaries plus a fixed per-target offset (not a random
   * jitter), so every instance computes the same due times and slots.
   */
  aligned?: boolean;
}

interface Slot { target: ScheduledTarget; nextAt: number; dueAt?: number; timer?: unknown; job?: Job; failures: number; removed?: boolean }

export class Scheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly queue: Slot[] = [];
  private running = 0;
  private stopped = true;
  private readonly settled = new Set<Promise<void>>();
  private readonly inflight = new Set<AbortController>();
  readonly jobs;

  constructor(private readonly o: SchedulerOptions) {
    this.jobs = jobsTable(o.timers);
  }

  /** Set (or, on reload, replace) the targets; kept targets keep their schedule and failures. */
  setTargets(targets: ScheduledTarget[]): void {
    const names = new Set(targets.map((t) => t.name));
    for (const [name, slot] of this.slots) {
      if (names.has(name)) continue;
      slot.removed = true;
      if (slot.timer !== undefined) this.o.timers.clear(slot.timer);
      this.slots.delete(name);
      const qi = this.queue.indexOf(slot);
      if (qi >= 0) this.queue.splice(qi, 1);
    }
    for (const t of targets) {
      const slot = this.slots.get(t.name);
      if (slot) {
        const changed = slot.target.intervalMs !== t.intervalMs;
        slot.target = t;
        if (changed && !slot.job) this.arm(slot, this.o.timers.now() + this.jitter(t.intervalMs));
        continue;
      }
      const fresh: Slot = { target: t, nextAt: 0, failures: 0 };
      this.slots.set(t.name, fresh);
      if (!this.stopped) this.arm(fresh, this.o.timers.now() + this.jitter(t.intervalMs));
    }
  }

  start(): void {
    this.stopped = false;
    for (const slot of this.slots.values()) if (!slot.job && slot.timer === undefined) this.arm(slot, this.firstAt(slot.target));
  }

  /**
   * The first run after a start: the slot after the last stored run (a restart neither waits a
   * whole interval nor runs early), or now when that slot passed while serve was down: one
   * run, not one per missed slot.
   */
  private firstAt(t: ScheduledTarget): number {
    const now = this.o.timers.now();
    const slot = t.lastRunMs !== undefined ? t.lastRunMs + t.intervalMs : now;
    return Math.max(now, slot) + this.jitter(t.intervalMs);
  }

  /** Stop scheduling, cancel the runs in flight through their signals and wait for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const ctl of this.inflight) ctl.abort(new Error('serve is stopping'));
    for (const slot of this.slots.values()) if (slot.timer !== undefined) this.o.timers.clear(slot.timer), (slot.timer = undefined);
    this.queue.length = 0;
    await Promise.all([...this.settled]);
  }

  /** Run a target now (check now, --once). A run already queued or running is returned instead. */
  runNow(name: string, trigger: JobTrigger = 'manual'): Job | undefined {
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    if (slot.job) return slot.job;
    if (slot.timer !== undefined) this.o.timers.clear(slot.timer), (slot.timer = undefined);
    slot.dueAt = this.o.timers.now();
    this.enqueue(slot, trigger, true);
    return slot.job;
  }

  stats(): { targets: number; queued: number; running: number; concurrency: number } {
    return { targets: this.slots.size, queued: this.queue.length, running: this.running, concurrency: this.o.concurrency };
  }

  nextRunAt(name: string): number | undefined {
    const s = this.slots.get(name);
    return s && !s.job && s.timer !== undefined ? s.nextAt : undefined;
  }

  isBusy(name: string): boolean {
    return !!this.slots.get(name)?.job;
  }

  failures(name: string): number {
    return this.slots.get(name)?.failures ?? 0;
  }

  private jitter(intervalMs: number): number {
    return Math.floor((this.o.random ?? Math.random)() * Math.min(this.o.jitterMs, intervalMs));
  }

  private arm(slot: Slot, at: number): void {
    if (this.stopped || slot.removed) return;
    if (this.o.aligned) at = alignedDue(slot.target.name, slot.target.intervalMs, this.o.jitterMs, at);
    if (slot.timer !== undefined) this.o.timers.clear(slot.timer);
    slot.nextAt = at;
    slot.timer = this.o.timers.set(() => {
      slot.timer = undefined;
      slot.dueAt = at;
      this.enqueue(slot, 'schedule', false);
    }, at - this.o.timers.now());
  }

  private enqueue(slot: Slot, trigger: JobTrigger, first: boolean): void {
    if (slot.job || slot.removed) return;
    slot.job = this.jobs.create(slot.target.name, trigger);
    if (first) this.queue.unshift(slot);
    else this.queue.push(slot);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queue.length) {
      const slot = this.queue.shift()!;
      this.running++;
      const done = this.execute(slot);
      this.settled.add(done);
      void done.finally(() => this.settled.delete(done));
    }
  }

  private async execute(slot: Slot): Promise<void> {
    const job = slot.job!;
    const started = this.o.timers.now();
    const ctl = new AbortController();
    this.inflight.add(ctl);
    const deadline = this.o.timers.set(() => ctl.abort(new Error(`deadline of ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
    this.jobs.start(job);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
    // A run that ignores its signal must not hold a concurrency slot for ever: the slot is
    // freed a grace period after the deadline; the target itself stays busy until it ends.
    let grace: unknown;
    ctl.signal.addEventListener('abort', () => { grace = this.o.timers.set(release, this.o.graceMs ?? 5000); }, { once: true });
    let outcome: RunOutcome;
    try {
      outcome = await this.o.run(slot.target.name, ctl.signal, job, slot.dueAt ?? started);
    } catch (e) {
      outcome = { ok: false, error: (e as Error)?.message ?? String(e) };
    } finally {
      this.o.timers.clear(deadline);
      if (grace !== undefined) this.o.timers.clear(grace);
      this.inflight.delete(ctl);
    }
    if (ctl.signal.aborted && outcome.ok) outcome = { ...outcome, ok: false, error: outcome.error ?? 'the run hit its deadline' };
    this.jobs.finish(job, outcome, ctl.signal.aborted);
    slot.job = undefined;
    release();
    slot.failures = outcome.ok ? 0 : slot.failures + 1;
    const interval = slot.target.intervalMs;
    const delay = slot.failures ? Math.min(Math.max(interval, interval * 2 ** slot.failures), Math.max(this.o.maxBackoffMs, interval)) : interval;
    // The next run counts from this run's due time, which already holds the target's jitter:
    // the jitter is a phase drawn once per arm from outside, not added again each run (that
    // made a 60 s target run every ~65 s on average, and kept targets that started together
    // bunched).
    const base = Math.max(this.o.timers.now(), (slot.dueAt ?? started) + delay);
    this.arm(slot, base);
  }
}
