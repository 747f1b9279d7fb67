// Reads big inputs on two cores: the sources are cut into parts (split.ts); this thread
// reads the first part while worker threads read the others, and the parts are merged in
// order (merge.ts). Small inputs, stdin, --follow, --trace and callbacks stay on this thread.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { Analyser, evictionWarning, type AnalyseOptions, type Analysis } from './analyse.js';
import { reviveAnalysis, mergeAnalysis } from './merge.js';
import { sourceWeight, splitSources } from './split.js';
import { limitYoungGeneration } from './heap.js';
import type { LogSource } from './sources.js';

/** Below this many bytes a worker's start-up (≈ 50 ms, more from source) is not worth it. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** Threads by default: two cores (each worker costs ≈ 16 MB, docs/logs.md "Speed and memory"). */
const DEFAULT_THREADS = 2;
/**
 * A worker's young generation cap, MB (3 × V8's semi-space). The semi-spaces stay at 1-2 MB
 * anyway (heap.ts); a cap below 12 made V8 promote more and the old generation grow (measured:
 * 20 MB of old space with 3, 9 MB with 12).
 */
const WORKER_YOUNG_MB = 12;

/** The options a worker can be given (no callbacks: they cannot cross threads). */
export type PartOptions = Omit<AnalyseOptions, 'follow' | 'onTrace' | 'onEvent' | 'trace'>;

export interface PartJob { sources: LogSource[]; options: PartOptions }

/** Threads to read with: 1 = this thread only. MXDOCTOR_LOGS_THREADS overrides (tests, tuning). */
export function threadsFor(sources: LogSource[], o: AnalyseOptions, env = process.env): number {
  if (o.follow || o.trace || o.onTrace || o.onEvent) return 1;
  const weight = sourceWeight(sources);
  if (weight === undefined) return 1; // stdin
  const forced = env.MXDOCTOR_LOGS_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.max(1, Number(forced));
  if (weight < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(DEFAULT_THREADS, availableParallelism()));
}

/** Analyse the sources, on several threads when they are big enough (threadsFor). */
export async function analyseSources(sources: LogSource[], o: AnalyseOptions): Promise<Analysis> {
  limitYoungGeneration();
  const threads = threadsFor(sources, o);
  const parts = threads > 1 ? splitSources(sources, threads) : [sources];
  if (parts.length < 2) return new Analyser(o).read(sources);
  const later = parts.slice(1).map((p) => startPart({ sources: p, options: { ...o, part: 'later' } }));
  // The first part starts once the workers have reset the young-generation limit (heap.ts).
  await Promise.all(later.map((w) => w.ready));
  let a: Analysis;
  try {
    a = await new Analyser({ ...o, part: 'first' }).read(parts[0]!);
  } catch (e) {
    // The error ends the run: workers still reading would keep the process alive for minutes.
    await Promise.all(later.map((w) => w.stop()));
    throw e;
  }
  const max = o.unparsedSamples ?? 20;
  const failed: string[] = [];
  for (const [i, w] of later.entries()) {
    // A worker that failed (it should not: its heap is not capped) is read again here.
    const part = await w.result.catch((e: Error) => {
      failed.push(`a reader thread failed (${e.message}); its part was read again on the main thread`);
      return new Analyser({ ...o, part: 'later' }).read(parts[i + 1]!);
    });
    mergeAnalysis(a, reviveAnalysis(part), max);
  }
  a.warnings.push(...failed);
  evictionWarning(a);
  return a;
}

interface Started { ready: Promise<void>; result: Promise<Analysis>; stop(): Promise<unknown> }

function startPart(job: PartJob): Started {
  const opts = { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
  const here = import.meta.url;
  let w: Worker;
  // The young-generation flag is set again before anything is loaded (heap.ts). From source
  // (tsx), the worker registers tsx's loader first: a worker does not inherit the main thread's.
  const entry = JSON.stringify(new URL(`./part-worker.${here.endsWith('.ts') ? 'ts' : 'js'}`, here).href);
  const load = here.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${entry}); })`
    : `import(${entry})`;
  try {
    w = new Worker(`require('node:v8').setFlagsFromString('--semi-space-growth-factor=1'); ${load};`, { ...opts, eval: true });
  } catch (e) {
    return { ready: Promise.resolve(), result: Promise.reject(e), stop: async () => undefined };
  }
  let ready!: () => void;
  const readyP = new Promise<void>((r) => { ready = r; });
  const result = new Promise<Analysis>((resolve, reject) => {
    let got: Analysis | undefined;
    w.on('message', (m: { ready?: true; analysis?: Analysis }) => {
      if (m.ready) ready();
      else got = m.analysis;
    });
    w.once('error', reject);
    w.once('exit', (code) => (got ? resolve(got) : reject(new Error(`log reader thread exited (code ${code}) without a result`))));
  });
  // A worker that dies before it is ready must not hold up the first part.
  result.catch(() => ready());
  return { ready: readyP, result, stop: () => w.terminate() };
}
