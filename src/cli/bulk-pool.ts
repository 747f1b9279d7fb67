// `check --file` on several cores: worker threads (bulk-worker.ts) audit the domains, the
// main thread reads the file, hands each domain to the least busy worker and writes the
// NDJSON lines as they come back. One Node thread runs its JavaScript on one core, and a
// bulk DNS audit is CPU-bound (docs/performance.md). Each worker has its own resolver
// cache, so a name every domain shares (a provider's SPF include) is asked once per worker.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import v8 from 'node:v8';
import type { Target } from '../core/check.js';
import type { DomainLine } from './domain-list.js';
import type { FromWorker, ToWorker } from './bulk-worker.js';
import type { CheckCommandOptions } from './commands/check.js';
import { systemClock } from '../io/clock.js';

/** Below this many domains the workers' start-up (each loads every check module) does not pay; --workers overrides. */
export const POOL_MIN_DOMAINS = 500;

/**
 * How many worker threads a bulk run gets: --workers, else one per CPU (at most 4). One
 * (no pool) when the servers are probed: the per-host connection cap must hold across the run.
 */
export function poolSize(o: CheckCommandOptions): number {
  if (o.probeServers !== false || o.resolver || o.http || o.net || o.clock) return 1;
  return o.workers ?? Math.min(availableParallelism(), 4);
}

/** The first `n` lines, and whether the list goes on past them (then `lines` yields the others). */
export async function prefetch(lines: AsyncGenerator<DomainLine>, n: number): Promise<{ head: DomainLine[]; more: boolean }> {
  const head: DomainLine[] = [];
  while (head.length < n) {
    const next = await lines.next();
    if (next.done) return { head, more: false };
    head.push(next.value);
  }
  return { head, more: true };
}

/** `head`, then what `rest` still yields. */
export async function* chain<T>(head: T[], rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield* head;
  yield* rest;
}

/** What a worker is started with: the options, and the run's deadline as an epoch ms. */
export type WorkerOptions = Omit<CheckCommandOptions, 'signal'> & { deadlineAt?: number };

interface Slot {
  worker: Worker;
  busy: number;
  /** Domains for this worker not posted yet. */
  batch: ToWorker[];
}

/**
 * Audit `targets` on `size` workers, at most `concurrency` domains at once in all; `emit`
 * gets NDJSON lines (several at once) with their reports' exit codes, in completion order.
 */
export async function runPool(targets: AsyncIterable<Target>, o: CheckCommandOptions, size: number, concurrency: number,
  emit: (lines: string, exitCodes: number[]) => void): Promise<void> {
  // A signal cannot cross to a thread: the workers get the deadline as a point in time, and a
  // caller's signal firing is posted to them as a stop message.
  const { file: _file, concurrency: _c, signal, ...shared } = o;
  const deadlineAt = o.deadlineMs !== undefined ? systemClock.now() + o.deadlineMs : undefined;
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: startWorker({ ...shared, deadlineAt }), busy: 0, batch: [] }));
  const stop = () => { for (const s of slots) s.worker.postMessage({ stop: signal?.reason instanceof Error ? signal.reason.message : 'cancelled' }); };
  signal?.addEventListener('abort', stop, { once: true });
  const perWorker = Math.max(1, Math.ceil(concurrency / size));
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let inflight = 0;
  for (const s of slots) {
    s.worker.on('message', (replies: FromWorker[]) => {
      s.busy -= replies.length;
      inflight -= replies.length;
      emit(replies.map((r) => r.line).join(''), replies.map((r) => r.exitCode));
      wake?.();
    });
    // A worker that dies is a bug: stop the run rather than lose its domains silently.
    s.worker.on('error', (e) => { failure ??= new Error(`a bulk worker thread failed: ${e.message}`); wake?.(); });
    s.worker.on('exit', (code) => { if (code !== 0 && !failure) failure = new Error(`a bulk worker thread exited with code ${code}`); wake?.(); });
  }
  // Domains go out in batches too: when the loop below stops to wait, or on the next turn of the event loop.
  let sendScheduled = false;
  const send = () => {
    sendScheduled = false;
    for (const s of slots) {
      if (s.batch.length) s.worker.postMessage(s.batch);
      s.batch = [];
    }
  };
  const waitForChange = () => {
    send();
    return new Promise<void>((resolve) => { wake = resolve; });
  };
  try {
    for await (const target of targets) {
      let slot = freest(slots);
      while (!failure && slot.busy >= perWorker) {
        await waitForChange();
        slot = freest(slots);
      }
      if (failure) throw failure;
      slot.busy++;
      inflight++;
      slot.batch.push({ target });
      if (!sendScheduled) {
        sendScheduled = true;
        setImmediate(send);
      }
    }
    while (inflight > 0 && !failure) await waitForChange();
    if (failure) throw failure;
  } finally {
    signal?.removeEventListener('abort', stop);
    for (const s of slots) s.worker.removeAllListeners('exit');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

function freest(slots: Slot[]): Slot {
  let best = slots[0]!;
  for (const s of slots) if (s.busy < best.busy) best = s;
  return best;
}

/**
 * A bulk audit keeps little alive (the domains in flight and the answer cache: 30 MB of heap
 * measured after 1,500 domains) but makes garbage by the gigabyte; V8 let the old generation
 * grow to 5× what a full collection keeps (157 MB of heap for 29 MB alive, growing with the
 * list). 10% past what the last full collection kept, for every thread of the process (the
 * flag is process-wide): RSS stayed flat at about 140 MB on one thread (issue 15).
 */
export function tightenHeap(): void {
  try { v8.setFlagsFromString('--heap-growing-percent=10'); } catch { /* flags frozen: memory only */ }
}

/** From source (bin/mxdoctor.js runs the .ts files through tsx) the worker registers tsx itself first. */
function startWorker(options: WorkerOptions): Worker {
  const here = import.meta.url;
  // A young generation of 16 MB (V8's default grows to 3 × 16 MB): measured on 10,000 domains,
  // 96 MB per worker cost 60 MB more peak RSS than 16 for no CPU per domain that the loaded
  // bench machine could tell apart (docs/performance.md, section 1).
  const settings = { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: 16 } };
  if (!here.endsWith('.ts')) return new Worker(new URL('./bulk-worker.js', here), settings);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./bulk-worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
    + `.catch((e) => { console.error(\`mxdoctor: a bulk worker could not start: \${e?.message ?? e}\`); process.exit(70); });`;
  return new Worker(code, { ...settings, eval: true });
}
