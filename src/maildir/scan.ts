// One message file read, hashed and inspected: the unit of work the hashing pool spreads over
// worker threads (or runs in this thread for small stores).
import { readMessageFile } from '../io/maildir-files.js';
import { MAX_HEADER_BYTES, inspectHeader } from './message.js';

export interface ScannedFile {
  size: number;
  hash: string;
  messageId?: string;
  hasFrom: boolean;
  hasDate: boolean;
  parseError?: string;
  /** errno code when the file could not be read. */
  error?: string;
}

export function scanFile(path: string, chunk: Buffer): ScannedFile {
  // r.head may be a view of chunk: inspected here, before the next file overwrites it.
  const r = readMessageFile(path, MAX_HEADER_BYTES, chunk);
  if (r.error) return { size: 0, hash: '', hasFrom: false, hasDate: false, error: r.error };
  const out: ScannedFile = { size: r.size, hash: r.hash, hasFrom: false, hasDate: false };
  if (r.size === 0) return out;
  const h = inspectHeader(r.head, r.size <= r.head.length);
  out.hasFrom = h.hasFrom;
  out.hasDate = h.hasDate;
  if (h.messageId) out.messageId = h.messageId;
  if (h.parseError) out.parseError = h.parseError;
  return out;
}
