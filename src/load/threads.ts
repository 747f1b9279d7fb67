// `--threads N`: a step's connections split over worker threads (step-worker.ts), for when
// one thread's CPU is the limit: a new connection costs the Node process about twice a C
// client's CPU, so at high concurrency one thread can run out before the server does. Opt-in:
// on a machine whose cores the server itself needs, more threads take CPU from it. Each gets its
// share of the connections, the message budget and the rate; the main thread sums their
// histograms, counters and per-second counts, forwards the signal and reports progress.
import { Worker } from 'node:worker_threads';
import type { StopReason } from './engine.js';
import { LoadStats } from './stats.js';
import type { StepJob, StepPost } from './step-worker.js';
import type { LoadDeps, LoadSettings } from './types.js';

/** Connections per thread below which a thread is not worth its start-up. */
const MIN_PER_THREAD = 5;
const PROGRESS_EVERY_MS = 500;

/** Threads for a step of `concurrency` connections: at most `max`, each with at least 5 connections. */
export function threadsFor(max: number, concurrency: number): number {
  return Math.max(1, Math.min(max, Math.floor(concurrency / MIN_PER_THREAD)));
}

export async function runStepThreads(o: LoadSettings, concurrency: number, threads: number, runId: string, deps: Omit<LoadDeps, 'net'>): Promise<{ stats: LoadStats; stop: StopReason }> {
  const t0 = performance.now();
  const stats = new LoadStats(concurrency, t0);
  const part = (total: number, i: number) => Math.floor(total / threads) + (i < total % threads ? 1 : 0);
  const progress = new Array<{ done: number; failed: number }>(threads).fill({ done: 0, failed: 0 });
  const workers: Worker[] = [];
  const onAbort = () => workers.forEach((w) => w.postMessage('abort'));
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  let last = { at: t0, done: 0 };
  const tick = () => {
    const now = performance.now();
    const done = progress.reduce((a, p) => a + p.done, 0);
    const failed = progress.reduce((a, p) => a + p.failed, 0);
    const rate = ((done + failed - last.done) * 1000) / Math.max(1, now - last.at);
    last = { at: now, done: done + failed };
    const eta = o.messages !== undefined ? (rate > 0 ? ((o.messages - done - failed) / rate) * 1000 : undefined) : t0 + o.durationMs! - now;
    deps.onProgress?.({ done, failed, rate, elapsedMs: now - t0, ...(eta !== undefined ? { etaMs: Math.max(0, eta) } : {}), concurrency });
  };
  const timer = deps.onProgress ? setInterval(tick, PROGRESS_EVERY_MS) : undefined;
  timer?.unref();
  try {
    const results = await Promise.all(Array.from({ length: threads }, (_, i) => {
      const settings: LoadSettings = {
        ...o, ...(o.messages !== undefined ? { messages: part(o.messages, i) } : {}),
        ...(o.ratePerSecond ? { ratePerSecond: o.ratePerSecond / threads } : {}),
      };
      const job: StepJob = { settings, concurrency: part(concurrency, i), runId: `${runId}${i}`, startedAt: performance.timeOrigin + t0 };
      return new Promise<Extract<StepPost, { result: unknown }>['result']>((resolve, reject) => {
        const w = startWorker(job);
        workers.push(w);
        let got: Extract<StepPost, { result: unknown }>['result'] | undefined;
        w.on('message', (m: StepPost) => {
          if ('progress' in m) progress[i] = m.progress;
          else got = m.result;
        });
        w.once('error', reject);
        w.once('exit', (code) => (got ? resolve(got) : reject(new Error(`load thread ${i} exited (code ${code}) without its figures`))));
        if (deps.signal?.aborted) w.postMessage('abort');
      });
    }));
    for (const r of results) stats.absorb(r.stats);
    stats.endedAt = performance.now();
    const stops = results.map((r) => r.stop);
    const stop: StopReason = deps.signal?.aborted || stops.includes('aborted') ? 'aborted' : stops.every((s) => s === 'unreachable') ? 'unreachable' : 'bound';
    return { stats, stop };
  } finally {
    if (timer) clearInterval(timer);
    deps.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function startWorker(job: StepJob): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./step-worker.js', here), { workerData: job });
  // Running from source (tests, bin/mxdoctor.js without a build): the thread needs tsx too.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./step-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: job });
}
