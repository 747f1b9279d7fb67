// The saved read position of a watched log file and its store rows (migration 006). A file is
// "the same" after a restart when device and inode match, it is at least as long as the
// offset, and its first bytes hash as before: an inode reused by a new file (deleted and
// recreated, logrotate `create`) differs in its first line, which holds a time stamp.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';

export interface FilePosition {
  dev: number;
  ino: number;
  /** The start of the first line not yet counted. */
  offset: number;
  /** How many leading bytes headHash covers (up to HEAD_BYTES; fewer while the file is short). */
  headLen: number;
  headHash: string;
}

export const HEAD_BYTES = 1024;

export async function headOf(fh: FileHandle, size: number): Promise<{ len: number; hash: string }> {
  const len = Math.min(HEAD_BYTES, size);
  const b = Buffer.alloc(len);
  const { bytesRead } = len ? await fh.read(b, 0, len, 0) : { bytesRead: 0 };
  return { len: bytesRead, hash: createHash('sha256').update(b.subarray(0, bytesRead)).digest('hex') };
}

/** Is the file now at the path the one the position was saved for (headHash: of its first saved.headLen bytes)? */
export function sameFile(saved: FilePosition, now: { dev: number; ino: number; size: number }, headHash: string): boolean {
  return saved.dev === now.dev && saved.ino === now.ino && now.size >= saved.offset && headHash === saved.headHash;
}

export interface SavedWatch {
  positions: Map<string, FilePosition>;
  counters: Record<string, number>;
}

export async function loadWatch(db: Kysely<DB>, target: string): Promise<SavedWatch> {
  const rows = await db.selectFrom('log_positions').selectAll().where('target', '=', target).execute();
  const c = await db.selectFrom('log_counters').select('counters').where('target', '=', target).executeTakeFirst();
  let counters: Record<string, number> = {};
  try {
    const parsed = c ? JSON.parse(c.counters) : {};
    if (parsed && typeof parsed === 'object') for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) counters[k] = v;
  } catch {
    counters = {}; // A damaged row: the totals start again (Prometheus reads it as a counter reset).
  }
  return {
    positions: new Map(rows.map((r) => [r.path, { dev: Number(r.dev), ino: Number(r.ino), offset: Number(r.offset), headLen: r.head_len, headHash: r.head_hash }])),
    counters,
  };
}

/** Positions and the counters up to them, in one transaction: both or neither. */
export async function saveWatch(db: Kysely<DB>, target: string, positions: Map<string, FilePosition>, counters: Record<string, number>, nowMs: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const [path, p] of positions) {
      const row = { dev: p.dev, ino: p.ino, offset: p.offset, head_len: p.headLen, head_hash: p.headHash, updated_ms: nowMs };
      await tx.insertInto('log_positions').values({ target, path, ...row })
        .onConflict((oc) => oc.columns(['target', 'path']).doUpdateSet(row)).execute();
    }
    const text = JSON.stringify(counters);
    await tx.insertInto('log_counters').values({ target, counters: text, updated_ms: nowMs })
      .onConflict((oc) => oc.column('target').doUpdateSet({ counters: text, updated_ms: nowMs })).execute();
  });
}

/** A log target removed from the config: its positions go (a later target of that name starts afresh). */
export async function forgetWatch(db: Kysely<DB>, target: string): Promise<void> {
  await db.deleteFrom('log_positions').where('target', '=', target).execute();
  await db.deleteFrom('log_counters').where('target', '=', target).execute();
}
