// Maildir trees for the maildir tests, written to a temporary directory: Maildir++ folders,
// messages with flags and Dovecot's S= sizes, and a few damaged files of each kind.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function message(n: number, o: { id?: string; from?: boolean; date?: boolean; body?: string } = {}): string {
  const lines = [
    o.from === false ? '' : `From: Sender ${n} <s${n}@example.test>`,
    'To: alice@example.test',
    `Subject: message ${n}`,
    o.date === false ? '' : 'Date: Mon, 7 Dec 2026 10:00:00 +0000',
    `Message-ID: ${o.id ?? `<m${n}@example.test>`}`,
  ].filter(Boolean);
  return `${lines.join('\r\n')}\r\n\r\n${o.body ?? `Body of message ${n}.\r\n`}`;
}

/** Dovecot-style name: "<time>.M<n>P1.host,S=<size>,W=<size>:2,<flags>". */
export function fileName(n: number, content: string, flags = '', sizeOverride?: number): string {
  const size = sizeOverride ?? Buffer.byteLength(content);
  return `17000000${String(n).padStart(2, '0')}.M${n}P1.mx,S=${size},W=${size}:2,${flags}`;
}

export function makeFolder(dir: string): void {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
}

export function put(dir: string, sub: 'cur' | 'new' | 'tmp', name: string, content: string | Buffer): string {
  writeFileSync(join(dir, sub, name), content);
  return `${sub}/${name}`;
}

export interface Fixture {
  root: string;
  files: Record<string, string[]>;
}

/**
 * INBOX: 4 good (2 new, 2 cur seen/replied), one empty, one truncated, one garbage, one without
 * Date, two with the same Message-ID, a tmp/ leftover. Sent: 3 good. Work.Projects: 2 good.
 */
export function damagedStore(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'mxd-maildir-'));
  const files: Record<string, string[]> = { INBOX: [], Sent: [], 'Work.Projects': [] };
  makeFolder(root);
  writeFileSync(join(root, 'dovecot-uidlist'), '3 V1 N1\n');
  const add = (folder: string, dir: string, sub: 'cur' | 'new', n: number, content: string, flags = '', size?: number) => {
    const name = fileName(n, content, flags, size);
    files[folder]!.push(put(dir, sub, sub === 'new' ? name.replace(/:2,.*$/, '') : name, content));
  };
  add('INBOX', root, 'new', 1, message(1));
  add('INBOX', root, 'new', 2, message(2));
  add('INBOX', root, 'cur', 3, message(3), 'S');
  add('INBOX', root, 'cur', 4, message(4), 'RS');
  add('INBOX', root, 'cur', 5, '', 'S');
  add('INBOX', root, 'cur', 6, message(6).slice(0, 40), 'S', Buffer.byteLength(message(6)));
  add('INBOX', root, 'cur', 7, 'this is not a mail message\nat all\n', 'S');
  add('INBOX', root, 'cur', 8, message(8, { date: false }), 'S');
  add('INBOX', root, 'cur', 9, message(9, { id: '<dup@example.test>' }), 'S');
  add('INBOX', root, 'cur', 10, message(10, { id: '<dup@example.test>' }), 'FS');
  put(root, 'tmp', '1700000099.M99P1.mx', 'partial');
  const sent = join(root, '.Sent');
  makeFolder(sent);
  writeFileSync(join(sent, 'maildirfolder'), '');
  for (const n of [11, 12, 13]) add('Sent', sent, 'cur', n, message(n), 'S');
  const work = join(root, '.Work.Projects');
  makeFolder(work);
  for (const n of [14, 15]) add('Work.Projects', work, 'cur', n, message(n, { body: '例子 中文 body\r\n' }), 'S');
  return { root, files };
}
