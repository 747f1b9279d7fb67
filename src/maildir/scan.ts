// One message file read, hashed and inspected: the unit of work the hashing pool spreads over
// worker threads (or runs in this thread for small stores). The digest goes into a batch's
// shared buffer, not into the per-file record.
import { readMessageFile } from '../io/maildir-files.js';
import { MAX_HEADER_BYTES, inspectHeader } from './message.js';

export interface ScannedFile {
  size: number;
  messageId?: string;
  hasFrom: boolean;
  hasDate: boolean;
  parseError?: string;
  /** errno code when the file could not be read. */
  error?: string;
}

/** A batch of scanned files and their SHA-256 digests, 32 bytes each, in the same order. */
export interface ScannedBatch { results: ScannedFile[]; hashes: Uint8Array }

export function scanFile(path: string, chunk: Buffer, hashes: Uint8Array, at: number): ScannedFile {
  // r.head may be a view of chunk: inspected here, before the next file overwrites it.
  const r = readMessageFile(path, MAX_HEADER_BYTES, chunk);
  if (r.error) return { size: 0, hasFrom: false, hasDate: false, error: r.error };
  hashes.set(r.hash, at * 32);
  const out: ScannedFile = { size: r.size, hasFrom: false, hasDate: false };
  if (r.size === 0) return out;
  const h = inspectHeader(r.head, r.size <= r.head.length);
  out.hasFrom = h.hasFrom;
  out.hasDate = h.hasDate;
  if (h.messageId) out.messageId = h.messageId;
  if (h.parseError) out.parseError = h.parseError;
  return out;
}

/** Scan `files` (relative to `dir`) into one batch. */
export function scanBatch(dir: string, files: string[], chunk: Buffer): ScannedBatch {
  const hashes = new Uint8Array(files.length * 32);
  const results = files.map((f, i) => scanFile(`${dir}/${f}`, chunk, hashes, i));
  return { results, hashes };
}
