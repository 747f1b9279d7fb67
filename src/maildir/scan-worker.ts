// A hashing worker thread of `maildir verify` (hash-pool.ts): scans the batches of file paths
// the main thread posts and posts back their results in the same order.
import { parentPort } from 'node:worker_threads';
import { scanFile } from './scan.js';

export interface ScanBatch { id: number; paths: string[] }
export interface ScanReply { id: number; results: ReturnType<typeof scanFile>[] }

const chunk = Buffer.allocUnsafe(64 * 1024);
parentPort!.on('message', (b: ScanBatch) => {
  const reply: ScanReply = { id: b.id, results: b.paths.map((p) => scanFile(p, chunk)) };
  parentPort!.postMessage(reply);
});
