// Which folders a mail store has: Maildir (cur/ new/ tmp/ at the root: INBOX), Maildir++
// (Dovecot's default: ".Sent", ".Work.Projects" beside them) and Dovecot's LAYOUT=fs (nested
// "Sent/cur"). A Dovecot dbox store is recognised so that it is reported, not misread.
import { join } from 'node:path';
import { isDirectory, listDir } from '../io/maildir-files.js';

export interface Folder {
  /** Display name: INBOX, Sent, Work.Projects, Archive/2024. */
  name: string;
  dir: string;
}

export type StoreLayout =
  | { kind: 'maildir'; folders: Folder[]; unreadable: { path: string; error: string }[] }
  | { kind: 'dbox'; evidence: string }
  | { kind: 'none' };

const MAIL_DIRS = new Set(['cur', 'new', 'tmp']);
const MAX_DEPTH = 16;

/** INBOX for the root, "Sent" for ".Sent" (Maildir++) or "Sent" (LAYOUT=fs). */
export function folderName(relative: string): string {
  if (!relative) return 'INBOX';
  return relative.split('/').map((p) => p.replace(/^\./, '')).join('/');
}

export function isMaildirFolder(dir: string): boolean {
  return isDirectory(join(dir, 'cur')) && isDirectory(join(dir, 'new'));
}

export function discoverStore(root: string): StoreLayout {
  const dbox = dboxEvidence(root);
  if (dbox) return { kind: 'dbox', evidence: dbox };
  const folders: Folder[] = [];
  const unreadable: { path: string; error: string }[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    if (isMaildirFolder(dir)) folders.push({ name: folderName(rel), dir });
    if (depth >= MAX_DEPTH) return;
    const entries = listDir(dir);
    if ('error' in entries) {
      unreadable.push({ path: dir, error: entries.error });
      return;
    }
    for (const e of entries) {
      if (!e.isDir || MAIL_DIRS.has(e.name)) continue;
      walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name, depth + 1);
    }
  };
  walk(root, '', 0);
  if (!folders.length) return { kind: 'none' };
  folders.sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'maildir', folders, unreadable };
}

/** sdbox: mailboxes/<box>/dbox-Mails/u.N; mdbox: storage/m.N. */
function dboxEvidence(root: string): string | undefined {
  const storage = listDir(join(root, 'storage'));
  if (!('error' in storage) && storage.some((e) => /^m\.\d+$/.test(e.name))) return `${join(root, 'storage')} holds mdbox files (m.N)`;
  const boxes = listDir(join(root, 'mailboxes'));
  if (!('error' in boxes)) {
    for (const b of boxes) if (b.isDir && isDirectory(join(root, 'mailboxes', b.name, 'dbox-Mails'))) return `${join(root, 'mailboxes', b.name, 'dbox-Mails')} is an sdbox mailbox`;
  }
  if (isDirectory(join(root, 'dbox-Mails'))) return `${join(root, 'dbox-Mails')} is an sdbox mailbox`;
  return undefined;
}

/**
 * Folder and message of a path inside a tar archive of a Maildir: ".../<folder>/cur/<file>".
 * The folder part is made relative to `root`, the archive's Maildir root.
 */
export function splitArchivePath(path: string): { dir: string; sub: 'cur' | 'new' | 'tmp'; file: string } | undefined {
  const parts = path.replace(/^\.\//, '').split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  const sub = parts[parts.length - 2]!;
  if (!MAIL_DIRS.has(sub)) return undefined;
  return { dir: parts.slice(0, -2).join('/'), sub: sub as 'cur' | 'new' | 'tmp', file: parts[parts.length - 1]! };
}

/** The Maildir root of an archive: the shortest folder directory that every other one is inside. */
export function archiveRoot(dirs: Iterable<string>): string {
  const all = [...new Set(dirs)].sort((a, b) => a.length - b.length);
  let root = all[0] ?? '';
  if (all.some((d) => !(d === root || d.startsWith(`${root}/`) || root === ''))) root = commonPrefix(all);
  // An archive without INBOX messages or directory entries: the shortest is a ".Folder"; its parent is the root.
  const last = root.split('/').pop() ?? '';
  if (last.startsWith('.') && last.length > 1) root = root.split('/').slice(0, -1).join('/');
  return root;
}

function commonPrefix(dirs: string[]): string {
  const split = dirs.map((d) => d.split('/'));
  const out: string[] = [];
  for (let i = 0; split.every((s) => s.length > i && s[i] === split[0]![i]); i++) out.push(split[0]![i]!);
  return out.join('/');
}

export function relativeTo(root: string, dir: string): string {
  if (!root) return dir;
  return dir === root ? '' : dir.slice(root.length + 1);
}
