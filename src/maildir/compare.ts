// Source folder against backup folder: messages are matched by their Maildir unique name (which
// survives new/ → cur/ and flag changes), then what is left over on both sides by content hash
// (a message renamed in the backup is present, not missing). Pure.
import { parseMaildirName, standardFlags } from './filename.js';

export interface IndexedMessage {
  /** "cur/<file name>" relative to the folder. */
  file: string;
  hash: string;
}

export interface FolderComparison {
  missing: string[];
  extra: string[];
  different: string[];
  flagsDiffer: string[];
  renamed: number;
  matched: number;
}

/** Index messages by unique name; a second file with the same unique name gets its own key. */
export function indexByBase(msgs: IndexedMessage[]): Map<string, IndexedMessage> {
  const m = new Map<string, IndexedMessage>();
  for (const msg of msgs) {
    const base = parseMaildirName(msg.file.slice(msg.file.indexOf('/') + 1)).base;
    let key = base;
    for (let i = 2; m.has(key); i++) key = `${base}#${i}`;
    m.set(key, msg);
  }
  return m;
}

export function compareFolder(source: Map<string, IndexedMessage>, backup: Map<string, IndexedMessage>): FolderComparison {
  const out: FolderComparison = { missing: [], extra: [], different: [], flagsDiffer: [], renamed: 0, matched: 0 };
  const unmatched: IndexedMessage[] = [];
  const seen = new Set<string>();
  for (const [key, msg] of source) {
    const b = backup.get(key);
    if (!b) {
      unmatched.push(msg);
      continue;
    }
    seen.add(key);
    if (b.hash !== msg.hash) out.different.push(msg.file);
    else {
      out.matched++;
      if (flagsOf(b.file) !== flagsOf(msg.file)) out.flagsDiffer.push(msg.file);
    }
  }
  const extraByHash = new Map<string, IndexedMessage[]>();
  for (const [key, msg] of backup) {
    if (seen.has(key)) continue;
    const list = extraByHash.get(msg.hash);
    if (list) list.push(msg);
    else extraByHash.set(msg.hash, [msg]);
  }
  for (const msg of unmatched) {
    const same = extraByHash.get(msg.hash);
    if (same?.length) {
      same.pop();
      out.renamed++;
      out.matched++;
    } else out.missing.push(msg.file);
  }
  for (const list of extraByHash.values()) for (const m of list) out.extra.push(m.file);
  for (const l of [out.missing, out.extra, out.different, out.flagsDiffer]) l.sort();
  return out;
}

function flagsOf(file: string): string {
  return standardFlags(parseMaildirName(file.slice(file.indexOf('/') + 1)).flags);
}
