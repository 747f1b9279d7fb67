// The logs benchmark's input: a deterministic Postfix log of about BENCH_LOGS_MB megabytes
// (RFC 3339 stamps, test/helpers/postfix-log-gen.ts) in bench/out/, with its known counts
// in a sidecar .json. Reused when the file and sidecar are there with the same size and seed.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generatePostfixLog, newCounts, type GenCounts } from '../test/helpers/postfix-log-gen.js';

/** Average line bytes per generated message (measured on the generator: 337.2 MB / 300,000). */
const BYTES_PER_MESSAGE = 1124;

export interface GeneratedLog {
  path: string;
  bytes: number;
  counts: GenCounts;
  messages: number;
  seed: number;
  /** Generation time; undefined when an earlier run's file was reused. */
  wallMs?: number;
}

export function ensureLog(dir: string, mb: number, seed = 42): GeneratedLog {
  mkdirSync(dir, { recursive: true });
  const messages = Math.max(1, Math.round((mb * 1e6) / BYTES_PER_MESSAGE));
  const path = join(dir, `postfix-${mb}mb-seed${seed}.log`);
  const side = `${path}.json`;
  if (existsSync(path) && existsSync(side)) {
    const prev = JSON.parse(readFileSync(side, 'utf8')) as GeneratedLog;
    if (prev.messages === messages && prev.seed === seed && statSync(path).size === prev.bytes) return { ...prev, wallMs: undefined };
  }
  const t0 = performance.now();
  const counts = newCounts();
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    // Lines are joined into ~4 MB writes: one write per line would cost more than generating it.
    let batch: string[] = [];
    let size = 0;
    for (const line of generatePostfixLog({ messages, seed, format: 'rfc3339' }, counts)) {
      batch.push(line);
      size += line.length + 1;
      if (size >= 4e6) { bytes += writeSync(fd, `${batch.join('\n')}\n`); batch = []; size = 0; }
    }
    if (batch.length) bytes += writeSync(fd, `${batch.join('\n')}\n`);
  } finally { closeSync(fd); }
  renameSync(tmp, path);
  const out: GeneratedLog = { path, bytes, counts, messages, seed, wallMs: performance.now() - t0 };
  writeFileSync(side, JSON.stringify({ ...out, wallMs: undefined }, null, 2));
  return out;
}
