// The daemon's core: the config, the store, the scheduler and the check contexts wired
// together. Each run is executed, stored in one transaction, then announced to listeners
// (metrics, alerts, server-sent events). Reload swaps the config without losing state.
import type { CheckContext } from '../core/check.js';
import type { Report } from '../core/report.js';
import type { ServeConfig, MonitorTarget } from '../config/serve-resolve.js';
import type { ModuleConfig } from '../config/serve-schema.js';
import { Scheduler, realTimers } from './scheduler.js';
import type { RunOutcome, Timers } from './scheduler.js';
import type { Job, JobTrigger } from './jobs.js';
import { executeTarget } from './execute.js';
import { configRedactor } from './redact.js';
import type { Redactor } from '../core/redact.js';
import { systemHostIo } from '../services/queue.js';
import type { HostIo } from '../services/queue.js';
import type { StoreDb } from './store/open.js';
import { recordRun } from './store/record-run.js';
import type { StoredRun } from './store/record-run.js';
import { lastRunStarts, prune, targetStates } from './store/queries.js';
import { LogWatcher } from './logwatch/watcher.js';
import { AlertBus } from './alerts/bus.js';

export interface RunEvent { target: MonitorTarget; report: Report; stored: StoredRun; trigger: JobTrigger }

export interface MonitorEnv {
  /** Per-target context factory for a module (resolver, sockets, thresholds). */
  contextFor(name: string, module: ModuleConfig): () => CheckContext;
  timers?: Timers;
  random?: () => number;
  /** The machine's programs and files for `local: true` targets (default: this machine). */
  hostIo?: () => HostIo;
  /** Due times on interval boundaries (fleet mode: every instance computes the same ones). */
  aligned?: boolean;
  /** How often the watched log files are read (default 1 s) and their positions saved (5 s). */
  logPollMs?: number;
  logSaveMs?: number;
}

export interface TargetLive { status: string; sinceMs: number; lastRunId: number | null; lastRunMs: number | null; report?: Report }

export class Monitor {
  readonly scheduler: Scheduler;
  /** The live watches of log targets (logwatch/). */
  readonly logs: LogWatcher;
  /** Alerts fired and resolved (alerts/engine.ts), for the event stream. */
  readonly alertEvents = new AlertBus();
  readonly live = new Map<string, TargetLive>();
  private readonly listeners = new Set<(e: RunEvent) => void | Promise<void>>();
  private readonly timers: Timers;
  private pruneTimer: unknown;
  readonly startedAt: number;
  lastReload: { at: string; ok: boolean; error?: string } | null = null;
  /** Fleet mode: due runs go to the shared queue instead of running here (fleet.ts). */
  private enqueue?: (target: string, slotStart: number, trigger: JobTrigger) => Promise<boolean>;

  private redactor: Redactor;

  constructor(public config: ServeConfig, readonly store: StoreDb, private readonly env: MonitorEnv) {
    this.redactor = configRedactor(config);
    this.timers = env.timers ?? realTimers;
    this.startedAt = this.timers.now();
    this.scheduler = new Scheduler({
      timers: this.timers, concurrency: config.schedule.concurrency, jitterMs: config.schedule.jitter, timeoutMs: config.schedule.timeout,
      maxBackoffMs: config.schedule.max_backoff, random: env.random, aligned: env.aligned,
      run: (name, signal, job, dueAt) => (this.enqueue ? this.toQueue(name, job, dueAt) : this.runTarget(name, signal, job)),
    });
    this.scheduler.setTargets(config.targets.map((t) => ({ name: t.name, intervalMs: t.intervalMs })));
    this.logs = new LogWatcher(store, this.timers, { pollMs: env.logPollMs, saveMs: env.logSaveMs });
  }

  onRun(l: (e: RunEvent) => void | Promise<void>): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  contextFor(module: string, m: ModuleConfig): () => CheckContext {
    return this.env.contextFor(module, m);
  }

  /** A copy of the report with every secret of the config redacted (redact.ts). */
  redact(r: Report): Report {
    return this.redactor.redactDeep(r);
  }

  target(name: string): MonitorTarget | undefined {
    return this.config.targets.find((t) => t.name === name);
  }

  /** Load the last known state of every target from the store, then start the schedule. */
  async start(schedule = true): Promise<void> {
    for (const s of await targetStates(this.store.db)) {
      this.live.set(s.target, { status: s.status, sinceMs: Number(s.since_ms), lastRunId: s.last_run_id, lastRunMs: s.last_run_ms == null ? null : Number(s.last_run_ms) });
    }
    await this.logs.setTargets(this.config.targets);
    this.logs.start();
    // After a restart each target resumes at the slot after its last stored run.
    const starts = await lastRunStarts(this.store.db);
    this.scheduler.setTargets(this.config.targets.map((t) => ({ name: t.name, intervalMs: t.intervalMs, ...(starts.has(t.name) ? { lastRunMs: starts.get(t.name)! } : {}) })));
    if (schedule) this.scheduler.start();
    const tick = () => {
      void prune(this.store.db, this.config.store.retention, this.timers.now()).catch(() => {});
      this.pruneTimer = this.timers.set(tick, 3_600_000);
    };
    this.pruneTimer = this.timers.set(tick, 60_000);
  }

  async stop(): Promise<void> {
    if (this.pruneTimer !== undefined) this.timers.clear(this.pruneTimer);
    await this.scheduler.stop();
    await this.logs.stop();
  }

  /** A validated new config: targets added, removed or changed keep the state of the rest. */
  reload(next: ServeConfig): void {
    this.config = next;
    this.redactor = configRedactor(next);
    this.scheduler.setTargets(next.targets.map((t) => ({ name: t.name, intervalMs: t.intervalMs })));
    // A removed log target's saved position goes with it; a changed one starts a new watch.
    void this.logs.setTargets(next.targets, true).catch(() => undefined);
    this.lastReload = { at: new Date(this.timers.now()).toISOString(), ok: true };
  }

  reloadFailed(error: string): void {
    this.lastReload = { at: new Date(this.timers.now()).toISOString(), ok: false, error };
  }

  /** `serve --once`: every target once, at the configured concurrency; the reports in config order. */
  async runOnce(): Promise<Report[]> {
    const jobs = this.config.targets.map((t) => this.scheduler.runNow(t.name, 'once')!);
    const byTarget = new Map<string, Report>();
    const off = this.onRun((e) => { byTarget.set(e.target.name, e.report); });
    try {
      await Promise.all(jobs.map((j) => waitForJob(this.scheduler, j)));
    } finally {
      off();
    }
    return this.config.targets.map((t) => byTarget.get(t.name)).filter((r): r is Report => !!r);
  }

  useQueue(enqueue: (target: string, slotStart: number, trigger: JobTrigger) => Promise<boolean>): void {
    this.enqueue = enqueue;
  }

  private async toQueue(name: string, job: Job, dueAt: number): Promise<RunOutcome> {
    const t = this.target(name);
    if (!t) return { ok: false, error: `target ${name} is no longer configured` };
    await this.enqueue!(name, dueAt, job.trigger);
    return { ok: true };
  }

  /** A run taken from the shared queue: stored once per queue job, whichever instance runs it. */
  async runQueued(name: string, jobId: string, trigger: JobTrigger, signal: AbortSignal): Promise<RunOutcome> {
    const job = this.scheduler.jobs.create(name, trigger);
    this.scheduler.jobs.start(job);
    const out = await this.runTarget(name, signal, job, jobId);
    this.scheduler.jobs.finish(job, out, signal.aborted);
    return out;
  }

  private async runTarget(name: string, signal: AbortSignal, job: Job, queueJobId?: string): Promise<RunOutcome> {
    const target = this.target(name);
    if (!target) return { ok: false, error: `target ${name} is no longer configured` };
    const module = this.config.modules[target.module]!;
    // A round trip waits for delivery up to its destination's deadline (checked below schedule.timeout).
    const timeoutMs = target.kind === 'roundtrip' ? this.config.schedule.timeout : module.timeout ?? this.config.schedule.timeout;
    // Built on first use: a local target has no DNS or network context.
    let context: (() => CheckContext) | undefined;
    const raw = target.kind === 'logs' ? await this.logs.run(target) : await executeTarget(target, module, {
      context: () => (context ??= this.env.contextFor(target.module, module))(), timeoutMs, signal, now: () => this.timers.now(),
      onProgress: (p) => this.scheduler.jobs.progress(job, p), hostIo: this.env.hostIo ?? systemHostIo,
    });
    // Before anything keeps or shows it: the store, the live state, metrics, alerts, the API.
    const report = this.redact(raw);
    const endedMs = this.timers.now();
    const stored = await recordRun(this.store.db, { target: name, intervalMs: target.intervalMs, trigger: job.trigger === 'once' ? 'once' : job.trigger, report, endedMs, ...(queueJobId ? { jobId: queueJobId } : {}) });
    if (stored.duplicate) return { ok: true, runId: stored.id };
    const prev = this.live.get(name);
    this.live.set(name, {
      status: report.status, sinceMs: stored.statusChanged || !prev ? endedMs : prev.sinceMs, lastRunId: stored.id, lastRunMs: endedMs, report,
    });
    for (const l of this.listeners) {
      try {
        await l({ target, report, stored, trigger: job.trigger });
      } catch {
        // A listener (metrics, alerts) must not fail the run; alerts report their own failures.
      }
    }
    return { ok: !failedToCheck(report), runId: stored.id, ...(failedToCheck(report) ? { error: 'the target could not be checked (every result unknown)' } : {}) };
  }
}

/** "Could not be checked": the run hit its deadline or nothing but unknown came back. */
export function failedToCheck(r: Report): boolean {
  return r.findings.some((f) => f.id === 'monitor.run-deadline') || (r.findings.length > 0 && r.findings.every((f) => f.severity === 'unknown'));
}

export function waitForJob(s: Scheduler, job: Job): Promise<Job> {
  if (job.finishedAt) return Promise.resolve(job);
  return new Promise((resolve) => {
    const off = s.jobs.subscribe((j) => {
      if (j === job && j.finishedAt) {
        off();
        resolve(j);
      }
    });
  });
}
