// One log target's live watch: its files followed (tail.ts), every line into the sliding
// window of detectors (window.ts) and the lifetime counters (counters.ts); the read positions
// and the counters saved together (position.ts), so a restart neither skips nor recounts.
import type { MonitorTarget } from '../../config/serve-resolve.js';
import { LogTail } from './tail.js';
import { LogWindow, type LineTotals } from './window.js';
import { countEvent, counterKey } from './counters.js';
import type { FilePosition, SavedWatch } from './position.js';

export interface FileState {
  path: string;
  exists: boolean;
  size: number;
  /** Where the next line starts (bytes); size − offset is what is still to read. */
  offset: number | null;
  rotations: number;
  cutLines: number;
  error?: string;
}

export class LogWatch {
  readonly tails: LogTail[];
  readonly window: LogWindow;
  readonly counters: Record<string, number>;
  /** Said once each, in the next run's report (lines possibly missed across a restart). */
  notes: string[] = [];
  /** Counters changed since the last save. */
  dirty = false;
  /** The positions as last saved (JSON), to save a changed one even without new lines. */
  savedKey = '';
  readonly startedMs: number;

  constructor(readonly target: MonitorTarget, saved: SavedWatch, private readonly now: () => number) {
    this.startedMs = now();
    this.counters = { ...saved.counters };
    const inc = (key: string) => { this.counters[key] = (this.counters[key] ?? 0) + 1; this.dirty = true; };
    this.window = new LogWindow(target.logs!.windowMs, (ev, h) => countEvent(ev, h, inc), (r: keyof LineTotals) => inc(counterKey('mxdoctor_log_lines_total', r)));
    this.window.advance(this.startedMs);
    this.tails = target.logFiles.map((path) => new LogTail(path, this.window.line, {
      start: target.logs!.start, saved: saved.positions.get(path), note: (t) => this.notes.push(t),
    }));
  }

  private chain: Promise<unknown> = Promise.resolve();

  /** Reads what was appended to every file since the last poll (one poll at a time). */
  poll(): Promise<number> {
    const p = this.chain.then(() => this.pollNow());
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async pollNow(): Promise<number> {
    this.window.advance(this.now());
    let got = 0;
    for (const t of this.tails) got += await t.poll();
    if (got) this.dirty = true;
    return got;
  }

  positions(): Map<string, FilePosition> {
    const m = new Map<string, FilePosition>();
    for (const t of this.tails) {
      const p = t.position();
      if (p) m.set(t.path, p);
    }
    return m;
  }

  files(): FileState[] {
    return this.tails.map((t) => {
      const p = t.position();
      return { path: t.path, exists: t.exists, size: t.size, offset: p ? p.offset : null, rotations: t.rotations, cutLines: t.cutLines, ...(t.lastError ? { error: t.lastError } : {}) };
    });
  }

  async close(): Promise<void> {
    for (const t of this.tails) await t.close();
  }
}
