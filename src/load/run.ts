// `runLoad`: one load run at the asked concurrency, or with ramp the steps 1, 2, 5, 10...
// up to it, each with the whole bound (N messages or S seconds per step). A ramp stops
// early once a step is far past the thresholds: more load would only hurt the server.
import { randomBytes } from 'node:crypto';
import { runStep } from './engine.js';
import type { StopReason } from './engine.js';
import { LoadMessage } from './message.js';
import { LoadStats } from './stats.js';
import { runStepThreads, threadsFor } from './threads.js';
import { RAMP_STEPS } from './types.js';
import type { LoadDeps, LoadSettings } from './types.js';

export interface LoadRun {
  settings: LoadSettings;
  /** One per concurrency step (one in all without ramp). */
  steps: LoadStats[];
  /** Everything together (the steps' histograms merged). */
  total: LoadStats;
  stop: StopReason;
  /** With ramp: the steps not run because one before was far past the thresholds. */
  rampCutShort?: { atConcurrency: number };
  /** The server offered PIPELINING (first connection that got that far). */
  pipelining?: boolean;
  startedAt: Date;
  durationMs: number;
}

/** How far past a threshold a ramp step must be for the ramp to stop. */
const RAMP_STOP_FACTOR = 4;

export function rampSteps(max: number): number[] {
  const steps = RAMP_STEPS.filter((c) => c < max);
  return [...steps, max];
}

export async function runLoad(o: LoadSettings, deps: LoadDeps): Promise<LoadRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const runId = randomBytes(4).toString('hex');
  const message = new LoadMessage({ from: o.from, to: o.to, sizeBytes: o.sizeBytes, runId });
  const levels = o.ramp ? rampSteps(o.concurrency) : [o.concurrency];
  const steps: LoadStats[] = [];
  let stop: StopReason = 'bound';
  let rampCutShort: LoadRun['rampCutShort'];
  for (const c of levels) {
    const threads = threadsFor(o.threads ?? 1, c);
    const r = threads > 1 ? await runStepThreads(o, c, threads, runId, deps) : await runStep(o, c, message, deps);
    steps.push(r.stats);
    stop = r.stop;
    if (stop !== 'bound') break;
    const far = r.stats.errorRate() > o.thresholds.errorRate * RAMP_STOP_FACTOR * 10
      || r.stats.averageReplyMs(['greeting', 'mail', 'rcpt', 'data', 'eod']) > o.thresholds.averageReplyMs * RAMP_STOP_FACTOR;
    if (o.ramp && far && c !== levels[levels.length - 1]) {
      rampCutShort = { atConcurrency: c };
      break;
    }
  }
  const total = new LoadStats(o.concurrency, t0);
  for (const s of steps) mergeInto(total, s);
  total.endedAt = performance.now();
  const pipelining = steps.find((s) => s.pipelining !== undefined)?.pipelining;
  return {
    settings: o, steps, total, stop, ...(rampCutShort ? { rampCutShort } : {}), ...(pipelining !== undefined ? { pipelining } : {}),
    startedAt, durationMs: performance.now() - t0,
  };
}

function mergeInto(t: LoadStats, s: LoadStats): void {
  for (const p of Object.keys(t.phases) as (keyof LoadStats['phases'])[]) t.phases[p].merge(s.phases[p]);
  t.attempted += s.attempted;
  t.accepted += s.accepted;
  t.failed += s.failed;
  t.tempFailed += s.tempFailed;
  t.permFailed += s.permFailed;
  t.ioFailed += s.ioFailed;
  t.rcptRejected += s.rcptRejected;
  t.connections += s.connections;
  for (const ps of s.perSecond) t.perSecond.push({ ...ps });
  for (const [k, g] of s.groups) {
    const have = t.groups.get(k);
    if (have) have.count += g.count;
    else t.groups.set(k, { ...g });
  }
}
