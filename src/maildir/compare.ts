// Source folder against backup folder: messages are matched by their Maildir unique name (which
// survives new/ → cur/ and flag changes), then what is left over on both sides by content hash
// (a message renamed in the backup is present, not missing). Pure. Only the source side is
// indexed by name; the backup side is walked once against it, so one name map is alive at a time.
import { parseMaildirName, standardFlags } from './filename.js';
import type { HashArena } from './hash-arena.js';

/** A folder's readable messages: "cur/<file name>" relative to the folder, and their digests in the same order. */
export interface FolderIndex {
  files: string[];
  hashes: HashArena;
}

export interface FolderComparison {
  missing: string[];
  extra: string[];
  different: string[];
  flagsDiffer: string[];
  renamed: number;
  matched: number;
}

function baseOf(file: string): string {
  return parseMaildirName(file.slice(file.indexOf('/') + 1)).base;
}

export function compareFolder(source: FolderIndex, backup: FolderIndex): FolderComparison {
  const out: FolderComparison = { missing: [], extra: [], different: [], flagsDiffer: [], renamed: 0, matched: 0 };
  // A second file with the same unique name gets the key base#2, and so on, on both sides.
  const byKey = new Map<string, number>();
  for (let i = 0; i < source.files.length; i++) {
    const base = baseOf(source.files[i]!);
    let key = base;
    for (let k = 2; byKey.has(key); k++) key = `${base}#${k}`;
    byKey.set(key, i);
  }
  const seen = new Uint8Array(source.files.length);
  const extraByHash = new Map<string, number[]>();
  for (let j = 0; j < backup.files.length; j++) {
    const base = baseOf(backup.files[j]!);
    let i = byKey.get(base);
    for (let k = 2; i !== undefined && seen[i]; k++) i = byKey.get(`${base}#${k}`);
    if (i === undefined) {
      const h = backup.hashes.key(j);
      const list = extraByHash.get(h);
      if (list) list.push(j);
      else extraByHash.set(h, [j]);
      continue;
    }
    seen[i] = 1;
    if (!source.hashes.equals(i, backup.hashes, j)) out.different.push(source.files[i]!);
    else {
      out.matched++;
      if (flagsOf(backup.files[j]!) !== flagsOf(source.files[i]!)) out.flagsDiffer.push(source.files[i]!);
    }
  }
  byKey.clear();
  for (let i = 0; i < source.files.length; i++) {
    if (seen[i]) continue;
    const same = extraByHash.get(source.hashes.key(i));
    if (same?.length) {
      same.pop();
      out.renamed++;
      out.matched++;
    } else out.missing.push(source.files[i]!);
  }
  for (const list of extraByHash.values()) for (const j of list) out.extra.push(backup.files[j]!);
  for (const l of [out.missing, out.extra, out.different, out.flagsDiffer]) l.sort();
  return out;
}

function flagsOf(file: string): string {
  return standardFlags(parseMaildirName(file.slice(file.indexOf('/') + 1)).flags);
}
