// One load thread (threads.ts): runs its share of a step's connections and messages with
// its own sockets and net client, on the main thread's clock origin (so its per-second
// counts line up), and posts its progress and then its counters back. 'abort' stops it.
import { parentPort, workerData } from 'node:worker_threads';
import { createNetClient } from '../io/net.js';
import { runStep } from './engine.js';
import type { StopReason } from './engine.js';
import { LoadMessage } from './message.js';
import type { StatsState } from './stats.js';
import type { LoadSettings } from './types.js';

export interface StepJob {
  settings: LoadSettings;
  concurrency: number;
  /** Distinct per thread: the Message-IDs stay unique across threads. */
  runId: string;
  /** The step's start, as performance.timeOrigin + performance.now() of the main thread. */
  startedAt: number;
}

export type StepPost = { progress: { done: number; failed: number } } | { result: { stats: StatsState; stop: StopReason } };

const job = workerData as StepJob;
const port = parentPort!;
const ac = new AbortController();
port.on('message', (m) => {
  if (m === 'abort') ac.abort();
});
// The port must not keep the thread alive once the step is over.
port.unref();
const o = job.settings;
const message = new LoadMessage({ from: o.from, to: o.to, sizeBytes: o.sizeBytes, runId: job.runId });
const r = await runStep(o, job.concurrency, message, {
  net: createNetClient({ maxPerHost: job.concurrency * 2 }), signal: ac.signal,
  onProgress: (p) => port.postMessage({ progress: { done: p.done, failed: p.failed } } satisfies StepPost),
}, job.startedAt - performance.timeOrigin);
const stats = r.stats.state();
port.postMessage({ result: { stats, stop: r.stop } } satisfies StepPost, Object.values(stats.phases).map((h) => h.counts.buffer as ArrayBuffer));
