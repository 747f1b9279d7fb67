// A hashing worker thread of `maildir verify` (hash-pool.ts): scans the batches of file names
// the main thread posts and posts back their results in the same order, the digests in one
// transferred buffer (no copy, no string per message).
import { parentPort } from 'node:worker_threads';
import { scanBatch, type ScannedBatch } from './scan.js';

export interface ScanRequest { id: number; dir: string; files: string[] }
export interface ScanReply extends ScannedBatch { id: number }

const chunk = Buffer.allocUnsafe(64 * 1024);
parentPort!.on('message', (b: ScanRequest) => {
  const reply: ScanReply = { id: b.id, ...scanBatch(b.dir, b.files, chunk) };
  parentPort!.postMessage(reply, [reply.hashes.buffer as ArrayBuffer]);
});
