// Source folder against backup folder: messages are matched by their Maildir unique name (which
// survives new/ → cur/ and flag changes), then what is left over on both sides by content hash
// (a message renamed in the backup is present, not missing). Pure. Only the source side is
// indexed by name; the backup side is walked once against it, so one name map is alive at a time.
import { parseMaildirName, standardFlags } from './filename.js';
import { HashArena } from './hash-arena.js';

/**
 * A folder's readable messages: their file names, whether each is in new/ (1) or cur/ (0), and
 * their digests, in the same order. "cur/<name>" strings are made only for what is reported.
 */
export interface FolderIndex {
  names: string[];
  inNew: number[];
  hashes: HashArena;
}

export function emptyIndex(capacity = 1): FolderIndex {
  return { names: [], inNew: [], hashes: new HashArena(capacity) };
}

/** "new/<name>" or "cur/<name>" of message i. */
export function fileOf(x: FolderIndex, i: number): string {
  return `${x.inNew[i] ? 'new' : 'cur'}/${x.names[i]}`;
}

export interface FolderComparison {
  missing: string[];
  extra: string[];
  different: string[];
  flagsDiffer: string[];
  renamed: number;
  matched: number;
}

function baseOf(name: string): string {
  return parseMaildirName(name).base;
}

export function compareFolder(source: FolderIndex, backup: FolderIndex): FolderComparison {
  const out: FolderComparison = { missing: [], extra: [], different: [], flagsDiffer: [], renamed: 0, matched: 0 };
  // A second file with the same unique name gets the key base#2, and so on, on both sides.
  const byKey = new Map<string, number>();
  for (let i = 0; i < source.names.length; i++) {
    const base = baseOf(source.names[i]!);
    let key = base;
    for (let k = 2; byKey.has(key); k++) key = `${base}#${k}`;
    byKey.set(key, i);
  }
  const seen = new Uint8Array(source.names.length);
  const extraByHash = new Map<string, number[]>();
  for (let j = 0; j < backup.names.length; j++) {
    const base = baseOf(backup.names[j]!);
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
    if (!source.hashes.equals(i, backup.hashes, j)) out.different.push(fileOf(source, i));
    else {
      out.matched++;
      if (flagsOf(backup.names[j]!) !== flagsOf(source.names[i]!)) out.flagsDiffer.push(fileOf(source, i));
    }
  }
  byKey.clear();
  for (let i = 0; i < source.names.length; i++) {
    if (seen[i]) continue;
    const same = extraByHash.get(source.hashes.key(i));
    if (same?.length) {
      same.pop();
      out.renamed++;
      out.matched++;
    } else out.missing.push(fileOf(source, i));
  }
  for (const list of extraByHash.values()) for (const j of list) out.extra.push(fileOf(backup, j));
  for (const l of [out.missing, out.extra, out.different, out.flagsDiffer]) l.sort();
  return out;
}

function flagsOf(name: string): string {
  return standardFlags(parseMaildirName(name).flags);
}
