// One folder of a Maildir read completely: its messages listed (cur/ and new/), scanned by the
// hashing pool, and tallied into the folder's facts (counts, sizes, flags, problems with the
// file names). The per-message results are returned for the backup comparison, then dropped.
import { join } from 'node:path';
import { listDir } from '../io/maildir-files.js';
import { isMessageName, parseMaildirName } from './filename.js';
import type { HashPool } from './hash-pool.js';
import type { IndexedMessage } from './compare.js';
import type { Folder } from './layout.js';

export interface Named { count: number; files: string[] }

export interface FolderFacts {
  name: string;
  messages: number;
  bytes: number;
  new: number;
  cur: number;
  tmp: number;
  /** Messages per flag letter (S seen, R replied, F flagged, T trashed, D draft, P passed). */
  flags: Record<string, number>;
  zeroByte: Named;
  truncated: Named;
  parseErrors: Named & { examples: { file: string; error: string }[] };
  missingHeaders: Named;
  noMessageId: Named;
  duplicateMessageIds: { count: number; examples: { messageId: string; files: string[] }[] };
  unreadable: Named & { examples: { file: string; error: string }[] };
  badInfo: Named;
}

export function named(): Named {
  return { count: 0, files: [] };
}

export function note(n: Named, file: string, max: number): void {
  n.count++;
  if (n.files.length < max) n.files.push(file);
}

export async function scanFolder(folder: Folder, pool: HashPool, o: { maxNames: number; onProgress?: (n: number) => void }): Promise<{ facts: FolderFacts; messages: IndexedMessage[] }> {
  const f: FolderFacts = {
    name: folder.name, messages: 0, bytes: 0, new: 0, cur: 0, tmp: 0, flags: {},
    zeroByte: named(), truncated: named(), parseErrors: { ...named(), examples: [] }, missingHeaders: named(), noMessageId: named(),
    duplicateMessageIds: { count: 0, examples: [] }, unreadable: { ...named(), examples: [] }, badInfo: named(),
  };
  const files: string[] = [];
  for (const sub of ['new', 'cur'] as const) {
    const entries = listDir(join(folder.dir, sub));
    if ('error' in entries) {
      note(f.unreadable, `${sub}/`, o.maxNames);
      f.unreadable.examples.push({ file: `${sub}/`, error: entries.error });
      continue;
    }
    for (const e of entries) {
      if (e.isDir || !isMessageName(e.name)) continue;
      files.push(`${sub}/${e.name}`);
      f[sub]++;
    }
  }
  const tmp = listDir(join(folder.dir, 'tmp'));
  if (!('error' in tmp)) f.tmp = tmp.filter((e) => !e.isDir && isMessageName(e.name)).length;
  const scanned = await pool.scan(files.map((file) => join(folder.dir, file)), o.onProgress);
  const messages: IndexedMessage[] = [];
  const byId = new Map<string, string[]>();
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const s = scanned[i]!;
    if (s.error) {
      note(f.unreadable, file, o.maxNames);
      if (f.unreadable.examples.length < o.maxNames) f.unreadable.examples.push({ file, error: s.error });
      continue;
    }
    f.messages++;
    f.bytes += s.size;
    messages.push({ file, hash: s.hash });
    const name = parseMaildirName(file.slice(4));
    for (const flag of new Set(name.flags)) f.flags[flag] = (f.flags[flag] ?? 0) + 1;
    if (name.badInfo) note(f.badInfo, file, o.maxNames);
    if (s.size === 0) {
      note(f.zeroByte, file, o.maxNames);
      continue;
    }
    // A cut-off file is reported once, as truncated: what its header lacks follows from that.
    if (name.size !== undefined && name.size !== s.size) {
      note(f.truncated, file, o.maxNames);
      continue;
    }
    if (s.parseError) {
      note(f.parseErrors, file, o.maxNames);
      if (f.parseErrors.examples.length < o.maxNames) f.parseErrors.examples.push({ file, error: s.parseError });
      continue;
    }
    if (!s.hasFrom || !s.hasDate) note(f.missingHeaders, file, o.maxNames);
    if (!s.messageId) note(f.noMessageId, file, o.maxNames);
    else {
      const list = byId.get(s.messageId);
      if (list) list.push(file);
      else byId.set(s.messageId, [file]);
    }
  }
  for (const [messageId, list] of byId) {
    if (list.length < 2) continue;
    f.duplicateMessageIds.count += list.length - 1;
    if (f.duplicateMessageIds.examples.length < o.maxNames) f.duplicateMessageIds.examples.push({ messageId, files: list.slice(0, 10) });
  }
  return { facts: f, messages };
}
