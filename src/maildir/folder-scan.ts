// One folder of a Maildir read completely: its messages listed (cur/ and new/), scanned by the
// hashing pool, and tallied batch by batch into the folder's facts (counts, sizes, flags,
// problems with the file names). What stays per message is its name and its 32-byte digest (for
// the backup comparison), plus its Message-ID on the side whose duplicates are judged.
import { join } from 'node:path';
import { listDir, listNames } from '../io/maildir-files.js';
import { isMessageName, parseMaildirName } from './filename.js';
import type { HashPool } from './hash-pool.js';
import { emptyIndex, fileOf, type FolderIndex } from './compare.js';
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

/** `duplicates: false` (the backup side): Message-IDs are not kept, only names and digests. */
export async function scanFolder(folder: Folder, pool: HashPool, o: { maxNames: number; onProgress?: (n: number) => void; duplicates?: boolean }): Promise<{ facts: FolderFacts; index: FolderIndex }> {
  const f: FolderFacts = {
    name: folder.name, messages: 0, bytes: 0, new: 0, cur: 0, tmp: 0, flags: {},
    zeroByte: named(), truncated: named(), parseErrors: { ...named(), examples: [] }, missingHeaders: named(), noMessageId: named(),
    duplicateMessageIds: { count: 0, examples: [] }, unreadable: { ...named(), examples: [] }, badInfo: named(),
  };
  // Listed as names (new/ first, then cur/), the "sub/name" strings made per batch or when reported.
  const listed = emptyIndex();
  for (const sub of ['new', 'cur'] as const) {
    const names = listNames(join(folder.dir, sub));
    if ('error' in names) {
      note(f.unreadable, `${sub}/`, o.maxNames);
      f.unreadable.examples.push({ file: `${sub}/`, error: names.error });
      continue;
    }
    for (const name of names) {
      if (!isMessageName(name)) continue;
      listed.names.push(name);
      listed.inNew.push(sub === 'new' ? 1 : 0);
      f[sub]++;
    }
  }
  const tmp = listDir(join(folder.dir, 'tmp'));
  if (!('error' in tmp)) f.tmp = tmp.filter((e) => !e.isDir && isMessageName(e.name)).length;
  const index = emptyIndex(listed.names.length);
  // Message-ID → the first file's position in the listing; lists only for the ones seen twice.
  const firstById = new Map<string, number>();
  const byId = new Map<string, { first: number; files: string[] }>();
  const duplicates = o.duplicates !== false;
  const files = { length: listed.names.length, slice: (a: number, b: number) => listed.names.slice(a, b).map((_, k) => fileOf(listed, a + k)) };
  await pool.scan(folder.dir, files, (from, batch) => {
    for (let k = 0; k < batch.results.length; k++) {
      const i = from + k;
      const name = listed.names[i]!;
      const sub = listed.inNew[i] ? 'new' : 'cur';
      // Made only for what is reported: a string per message would be garbage by the million.
      const file = () => fileOf(listed, i);
      const s = batch.results[k]!;
      // A directory in cur/ or new/ is not a message (readdir without types cannot tell first).
      if (s.error === 'EISDIR') {
        f[sub]--;
        continue;
      }
      if (s.error) {
        note(f.unreadable, file(), o.maxNames);
        if (f.unreadable.examples.length < o.maxNames) f.unreadable.examples.push({ file: file(), error: s.error });
        continue;
      }
      f.messages++;
      f.bytes += s.size;
      index.names.push(name);
      index.inNew.push(listed.inNew[i]!);
      index.hashes.push(batch.hashes, k * 32);
      const parsed = parseMaildirName(name);
      const fl = parsed.flags;
      for (let c = 0; c < fl.length; c++) if (fl.indexOf(fl[c]!) === c) f.flags[fl[c]!] = (f.flags[fl[c]!] ?? 0) + 1;
      if (parsed.badInfo) note(f.badInfo, file(), o.maxNames);
      if (s.size === 0) {
        note(f.zeroByte, file(), o.maxNames);
        continue;
      }
      // A cut-off file is reported once, as truncated: what its header lacks follows from that.
      if (parsed.size !== undefined && parsed.size !== s.size) {
        note(f.truncated, file(), o.maxNames);
        continue;
      }
      if (s.parseError) {
        note(f.parseErrors, file(), o.maxNames);
        if (f.parseErrors.examples.length < o.maxNames) f.parseErrors.examples.push({ file: file(), error: s.parseError });
        continue;
      }
      if (!s.hasFrom || !s.hasDate) note(f.missingHeaders, file(), o.maxNames);
      if (!s.messageId) note(f.noMessageId, file(), o.maxNames);
      else if (duplicates) {
        const first = firstById.get(s.messageId);
        if (first === undefined) firstById.set(s.messageId, i);
        else {
          const dup = byId.get(s.messageId);
          if (dup) dup.files.push(file());
          else byId.set(s.messageId, { first, files: [fileOf(listed, first), file()] });
        }
      }
    }
  }, o.onProgress);
  firstById.clear();
  // In the order of each Message-ID's first file, as the folder lists them.
  for (const [messageId, { files: list }] of [...byId].sort((a, b) => a[1].first - b[1].first)) {
    f.duplicateMessageIds.count += list.length - 1;
    if (f.duplicateMessageIds.examples.length < o.maxNames) f.duplicateMessageIds.examples.push({ messageId, files: list.slice(0, 10) });
  }
  return { facts: f, index };
}
