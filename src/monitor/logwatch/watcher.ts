// The monitor's log watches: one LogWatch per log target, polled every second (bounded
// reads), positions and counters saved at most every few seconds and at stop, watches
// started, kept or dropped when the config is reloaded. A target's scheduled run reads what
// is new first, then judges the window (judge.ts).
import type { MonitorTarget } from '../../config/serve-resolve.js';
import type { Report } from '../../core/report.js';
import type { Timers } from '../scheduler.js';
import type { StoreDb } from '../store/open.js';
import { judge } from './judge.js';
import { forgetWatch, loadWatch, saveWatch } from './position.js';
import { LogWatch } from './watch.js';

export interface WatcherOptions { pollMs?: number; saveMs?: number }

export class LogWatcher {
  readonly watches = new Map<string, LogWatch>();
  private readonly starting = new Map<string, Promise<LogWatch>>();
  private timer: unknown;
  private lastSave = 0;
  private busy?: Promise<void>;
  private stopped = false;
  private started = false;

  constructor(private readonly store: StoreDb, private readonly timers: Timers, private readonly o: WatcherOptions = {}) {}

  /** Watches for the log targets among these; others are closed (their saved rows kept unless forget). */
  async setTargets(targets: MonitorTarget[], forgetRemoved = false): Promise<void> {
    const logs = targets.filter((t) => t.kind === 'logs' && t.logs);
    const keep = new Set(logs.map((t) => t.name));
    for (const [name, w] of this.watches) {
      const t = logs.find((x) => x.name === name);
      // Same files and settings: the running watch stays (its window and positions).
      if (t && JSON.stringify([t.logFiles, t.logs]) === JSON.stringify([w.target.logFiles, w.target.logs])) continue;
      await this.save(w);
      await w.close();
      this.watches.delete(name);
      if (!keep.has(name) && forgetRemoved) await forgetWatch(this.store.db, name);
    }
    for (const t of logs) if (!this.watches.has(t.name)) await this.watch(t);
    this.arm();
  }

  private async watch(t: MonitorTarget): Promise<LogWatch> {
    const pending = this.starting.get(t.name);
    if (pending) return pending;
    const p = loadWatch(this.store.db, t.name).then(async (saved) => {
      const w = new LogWatch(t, saved, () => this.timers.now());
      this.watches.set(t.name, w);
      await w.poll();
      return w;
    }).finally(() => this.starting.delete(t.name));
    this.starting.set(t.name, p);
    return p;
  }

  /** Polls every pollMs while there is something to watch (no timer at all without log targets). */
  start(): void {
    this.started = true;
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.stopped || !this.started || !this.watches.size) return;
    this.timer = this.timers.set(() => {
      this.busy = this.pollAll().catch(() => undefined).finally(() => {
        this.busy = undefined;
        this.timer = undefined;
        this.arm();
      });
    }, this.o.pollMs ?? 1000);
  }

  async pollAll(): Promise<void> {
    for (const w of this.watches.values()) await w.poll();
    if (this.timers.now() - this.lastSave >= (this.o.saveMs ?? 5000)) await this.saveAll();
  }

  async saveAll(): Promise<void> {
    this.lastSave = this.timers.now();
    for (const w of this.watches.values()) await this.save(w);
  }

  private async save(w: LogWatch): Promise<void> {
    const positions = w.positions();
    // A first position counts too (a file opened at its end, nothing read yet): the next
    // start, even `serve --once` from cron, then reads what came after it.
    const key = JSON.stringify([...positions]);
    if (!w.dirty && key === w.savedKey) return;
    w.dirty = false;
    w.savedKey = key;
    await saveWatch(this.store.db, w.target.name, positions, w.counters, this.timers.now());
  }

  /** A log target's run: read what is new, then judge the window. */
  async run(t: MonitorTarget): Promise<Report> {
    const startedMs = this.timers.now();
    const w = this.watches.get(t.name) ?? await this.watch(t);
    await w.poll();
    return judge(w, this.timers.now(), startedMs);
  }

  /** The window judged now, for the API (nothing read, nothing consumed). */
  peek(name: string): Report | undefined {
    const w = this.watches.get(name);
    return w ? judge(w, this.timers.now(), this.timers.now(), true) : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    await this.busy;
    await this.saveAll();
    for (const w of this.watches.values()) await w.close();
    this.watches.clear();
  }
}
