// Parallel hashing: file paths go in batches to worker threads (scan-worker.ts), at most two
// batches per worker in flight, so memory is bounded by the batches, not the store. A store too
// small to repay the workers' start-up is scanned in this thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanBatch, ScanReply } from './scan-worker.js';
import { scanFile, type ScannedFile } from './scan.js';

const BATCH = 512;

export interface HashPool {
  scan(paths: string[], onProgress?: (n: number) => void): Promise<ScannedFile[]>;
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
      w.on('error', (e) => { failure = e; for (const done of waiting.values()) done({ id: -1, results: [] }); waiting.clear(); });
      return w;
    });
    return started;
  };
  return {
    async scan(paths, onProgress) {
      const ws = start();
      const out: ScannedFile[] = new Array(paths.length);
      let cursor = 0;
      const lane = async (w: Worker) => {
        while (cursor < paths.length) {
          if (signal?.aborted) throw new Error('cancelled');
          const from = cursor;
          cursor += BATCH;
          const batch: ScanBatch = { id: nextId++, paths: paths.slice(from, from + BATCH) };
          const reply = await new Promise<ScanReply>((resolve) => { waiting.set(batch.id, resolve); w.postMessage(batch); });
          if (failure) throw failure;
          for (let i = 0; i < reply.results.length; i++) out[from + i] = reply.results[i]!;
          onProgress?.(reply.results.length);
        }
      };
      // Two lanes per worker: one batch is being read while the other's reply travels back.
      await Promise.all(ws.flatMap((w) => [lane(w), lane(w)]));
      return out;
    },
    async close() {
      await Promise.all((started ?? []).map((w) => w.terminate()));
    },
  };
}

function inlinePool(signal?: AbortSignal): HashPool {
  const chunk = Buffer.allocUnsafe(64 * 1024);
  return {
    async scan(paths, onProgress) {
      const out: ScannedFile[] = [];
      for (const p of paths) {
        if (signal?.aborted) throw new Error('cancelled');
        out.push(scanFile(p, chunk));
        if (out.length % BATCH === 0) {
          onProgress?.(BATCH);
          await new Promise((r) => setImmediate(r));
        }
      }
      onProgress?.(out.length % BATCH);
      return out;
    },
    async close() {},
  };
}

function startWorker(): Worker {
  const here = import.meta.url;
  // A larger young generation (V8's default semi-space is 16 MB): scanning makes short-lived
  // strings and objects by the million, and fewer scavenges cut CPU per message.
  const settings = { resourceLimits: { maxYoungGenerationSizeMb: 64 } };
  if (!here.endsWith('.ts')) return new Worker(new URL('./scan-worker.js', here), settings);
  // Running from source (tests, bin/mxdoctor.js without a build): the worker needs tsx too.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./scan-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { ...settings, eval: true });
}
