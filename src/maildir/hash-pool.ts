// Parallel hashing: file names go in batches to worker threads (scan-worker.ts), at most two
// batches per worker in flight, and come back to the caller batch by batch in file order (a
// small reorder buffer), so memory is bounded by the batches in flight, not by the folder. A
// store too small to repay the workers' start-up is scanned in this thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanReply, ScanRequest } from './scan-worker.js';
import { scanBatch, type ScannedBatch } from './scan.js';

const BATCH = 512;

/** Receives the results of files[from, from + batch.results.length), batches in order. */
export type OnBatch = (from: number, batch: ScannedBatch) => void;

/** Paths relative to the scanned directory, made a batch at a time (an array will do). */
export interface FileList { length: number; slice(from: number, to: number): string[] }

export interface HashPool {
  scan(dir: string, files: FileList, onBatch: OnBatch, onProgress?: (n: number) => void): Promise<void>;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return Math.min(availableParallelism(), 4);
}

/** `workers` 0: everything in this thread. */
export function createHashPool(workers: number, signal?: AbortSignal): HashPool {
  if (workers <= 0) return inlinePool(signal);
  let started: Worker[] | undefined;
  let failure: Error | undefined;
  const waiting = new Map<number, (r: ScanReply) => void>();
  let nextId = 0;
  const start = () => {
    started ??= Array.from({ length: workers }, () => {
      const w = startWorker();
      w.on('message', (r: ScanReply) => { const done = waiting.get(r.id); waiting.delete(r.id); done?.(r); });
      w.on('error', (e) => { failure = e; for (const done of waiting.values()) done({ id: -1, results: [], hashes: new Uint8Array(0) }); waiting.clear(); });
      return w;
    });
    return started;
  };
  return {
    async scan(dir, files, onBatch, onProgress) {
      const ws = start();
      let cursor = 0;
      // Replies arrive out of order across lanes; they are handed on in file order.
      const ready = new Map<number, ScannedBatch>();
      let next = 0;
      const lane = async (w: Worker) => {
        while (cursor < files.length) {
          if (signal?.aborted) throw new Error('cancelled');
          const from = cursor;
          cursor += BATCH;
          const req: ScanRequest = { id: nextId++, dir, files: files.slice(from, from + BATCH) };
          const reply = await new Promise<ScanReply>((resolve) => { waiting.set(req.id, resolve); w.postMessage(req); });
          if (failure) throw failure;
          ready.set(from, reply);
          for (let b = ready.get(next); b; b = ready.get(next)) {
            ready.delete(next);
            onBatch(next, b);
            next += b.results.length;
          }
          onProgress?.(reply.results.length);
        }
      };
      // Two lanes per worker: one batch is being read while the other's reply travels back.
      await Promise.all(ws.flatMap((w) => [lane(w), lane(w)]));
    },
    async close() {
      await Promise.all((started ?? []).map((w) => w.terminate()));
    },
  };
}

function inlinePool(signal?: AbortSignal): HashPool {
  const chunk = Buffer.allocUnsafe(64 * 1024);
  return {
    async scan(dir, files, onBatch, onProgress) {
      for (let from = 0; from < files.length; from += BATCH) {
        if (signal?.aborted) throw new Error('cancelled');
        const batch = scanBatch(dir, files.slice(from, from + BATCH), chunk);
        onBatch(from, batch);
        onProgress?.(batch.results.length);
        await new Promise((r) => setImmediate(r));
      }
    },
    async close() {},
  };
}

function startWorker(): Worker {
  const here = import.meta.url;
  // A larger young generation (V8's default semi-space is 16 MB): scanning makes short-lived
  // strings and objects by the thousand per batch, and fewer scavenges cut CPU per message.
  const settings = { resourceLimits: { maxYoungGenerationSizeMb: 64 } };
  if (!here.endsWith('.ts')) return new Worker(new URL('./scan-worker.js', here), settings);
  // Running from source (tests, bin/mxdoctor.js without a build): the worker needs tsx too.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./scan-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { ...settings, eval: true });
}
