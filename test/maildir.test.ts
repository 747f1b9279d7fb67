import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyMaildir, type MaildirFacts } from '../src/maildir/verify.js';
import { parseMaildirName } from '../src/maildir/filename.js';
import { inspectHeader } from '../src/maildir/message.js';
import { damagedStore, fileName, makeFolder, message, put } from './helpers/maildir-fixture.js';
import { runCli } from './helpers/cli.js';

const facts = (r: { facts?: Record<string, unknown> }) => r.facts!.maildir as MaildirFacts;
const ids = (r: { findings: { id: string; subject?: string }[] }) => r.findings.map((f) => `${f.id} ${f.subject ?? ''}`.trim()).sort();

test('file names: unique part, flags, S= size; Dovecot\'s "!" separator; malformed info', () => {
  assert.deepEqual(parseMaildirName('1700.M1P2.mx,S=1234,W=1260:2,RS'), { base: '1700.M1P2.mx,S=1234,W=1260', flags: 'RS', size: 1234 });
  assert.deepEqual(parseMaildirName('1700.M1P2.mx'), { base: '1700.M1P2.mx', flags: '' });
  assert.deepEqual(parseMaildirName('1700.M1P2.mx!2,S'), { base: '1700.M1P2.mx', flags: 'S' });
  assert.equal(parseMaildirName('1700.M1P2.mx:2,S,x').badInfo, true);
  assert.equal(parseMaildirName('1700.M1P2.mx:1,foo').badInfo, true);
});

test('header inspection: fields, folded Message-ID, continuation first, NUL, no header', () => {
  const ok = inspectHeader(Buffer.from('From: a@b\r\nDate: x\r\nMessage-ID:\r\n <id@x>\r\n\r\nbody'), true);
  assert.deepEqual(ok, { hasFrom: true, hasDate: true, messageId: '<id@x>' });
  assert.match(inspectHeader(Buffer.from(' folded\r\nFrom: a\r\n\r\n'), true).parseError!, /continuation/);
  assert.match(inspectHeader(Buffer.from('From: a\0\r\n\r\n'), true).parseError!, /NUL/);
  assert.match(inspectHeader(Buffer.from('hello world\n\nbody'), true).parseError!, /line 1 .* not a header field/);
  assert.equal(inspectHeader(Buffer.from('From x@y Mon Dec  7\nFrom: a\nDate: b\n\n'), true).parseError, undefined, 'an mbox From_ line is tolerated');
});

test('verify: every message counted per folder; empty, truncated, unparsable, no Date, duplicate ids, tmp found by name', async () => {
  const fx = damagedStore();
  const r = await verifyMaildir({ dir: fx.root, workers: 0 });
  const f = facts(r);
  assert.deepEqual(f.folders.map((x) => [x.name, x.messages, x.new, x.cur, x.tmp]), [['INBOX', 10, 2, 8, 1], ['Sent', 3, 0, 3, 0], ['Work.Projects', 2, 0, 2, 0]]);
  assert.equal(f.totals.messages, 15);
  const inbox = f.folders[0]!;
  const only = (n: { files: string[] }) => n.files.map((x) => x.replace(/^cur\/17000000(\d\d).*$/, '$1'));
  assert.deepEqual(only(inbox.zeroByte), ['05']);
  assert.deepEqual(only(inbox.truncated), ['06']);
  assert.deepEqual(only(inbox.parseErrors), ['07']);
  assert.deepEqual(only(inbox.missingHeaders), ['08']);
  assert.equal(inbox.duplicateMessageIds.count, 1);
  assert.equal(inbox.duplicateMessageIds.examples[0]!.messageId, '<dup@example.test>');
  assert.equal(inbox.flags.S, 8);
  assert.equal(inbox.flags.R, 1);
  assert.equal(inbox.flags.F, 1);
  assert.deepEqual(ids(r), [
    'maildir.duplicate-message-id INBOX', 'maildir.missing-header INBOX', 'maildir.parse-error INBOX',
    'maildir.tmp-files INBOX', 'maildir.truncated INBOX', 'maildir.zero-byte INBOX',
  ]);
  assert.equal(r.exitCode, 2);
  assert.equal(r.kind, 'maildir');
});

test('verify --against a Maildir copy: exactly the deleted, corrupted and extra files; flag changes and moves are not losses', async () => {
  const fx = damagedStore();
  const backup = mkdtempSync(join(tmpdir(), 'mxd-backup-'));
  cpSync(fx.root, backup, { recursive: true });
  const inbox = fx.files.INBOX!;
  // Deleted in the backup: one INBOX message and the whole Work.Projects folder.
  rmSync(join(backup, inbox[2]!));
  rmSync(join(backup, '.Work.Projects'), { recursive: true });
  // Corrupted: same name, other bytes.
  writeFileSync(join(backup, inbox[3]!), message(4).replace('Body', 'B0dy'));
  // Read and answered since: new/ → cur/ with flags; a renamed copy (same content, other name).
  renameSync(join(backup, inbox[0]!), join(backup, inbox[0]!.replace('new/', 'cur/') + ':2,S'));
  const sent = fx.files.Sent!;
  renameSync(join(backup, '.Sent', sent[0]!), join(backup, '.Sent', 'cur', 'renamed-by-a-tool:2,S'));
  renameSync(join(backup, '.Sent', sent[1]!), join(backup, '.Sent', sent[1]!.replace(/:2,S$/, ':2,FS')));
  // Only in the backup: a message deleted since.
  put(join(backup, '.Sent'), 'cur', fileName(42, message(42), 'S'), message(42));
  const r = await verifyMaildir({ dir: fx.root, against: backup, workers: 0 });
  const b = facts(r).backup!;
  assert.equal(b.complete, false);
  assert.equal(b.kind, 'maildir');
  const byName = Object.fromEntries(b.folders.map((x) => [x.name, x]));
  assert.deepEqual(byName.INBOX!.missing.files, [inbox[2]]);
  assert.deepEqual(byName.INBOX!.different.files, [inbox[3]]);
  assert.equal(byName.INBOX!.flagsDiffer.count, 1, 'new/ → cur/ with S is a flag change');
  assert.equal(byName.Sent!.renamed, 1);
  assert.deepEqual(byName.Sent!.missing.files, []);
  assert.equal(byName.Sent!.flagsDiffer.count, 1);
  assert.equal(byName.Sent!.extra.count, 1);
  assert.equal(byName['Work.Projects']!.folderMissing, true);
  assert.equal(byName['Work.Projects']!.missing.count, 2);
  assert.deepEqual(b.totals, { missing: 3, extra: 1, different: 1, flagsDiffer: 2, renamed: 1 });
  assert.ok(ids(r).includes('maildir.backup-missing Work.Projects'));
  assert.ok(ids(r).includes('maildir.backup-extra Sent'));
  assert.ok(ids(r).includes('maildir.backup-flags-differ INBOX'));
  assert.ok(ids(r).includes('maildir.backup-different INBOX'));
  assert.equal(r.exitCode, 2);
  // An exact copy is complete.
  const copy = mkdtempSync(join(tmpdir(), 'mxd-copy-'));
  cpSync(fx.root, copy, { recursive: true });
  const ok = await verifyMaildir({ dir: fx.root, against: copy, workers: 0 });
  assert.equal(facts(ok).backup!.complete, true);
  assert.ok(ids(ok).includes(`maildir.backup-complete ${copy}`));
});

test('verify --against tar and tar.gz archives (GNU tar): same verdicts; a truncated archive is damaged', async () => {
  const fx = damagedStore();
  const work = mkdtempSync(join(tmpdir(), 'mxd-tar-'));
  const copy = join(work, 'Maildir');
  cpSync(fx.root, copy, { recursive: true });
  rmSync(join(copy, fx.files.INBOX![1]!));
  writeFileSync(join(copy, '.Sent', fx.files.Sent![2]!), 'changed');
  const { spawnSync } = await import('node:child_process');
  assert.equal(spawnSync('tar', ['-C', work, '-cf', join(work, 'b.tar'), 'Maildir']).status, 0);
  assert.equal(spawnSync('tar', ['-C', work, '--format=pax', '-czf', join(work, 'b.tar.gz'), 'Maildir']).status, 0);
  for (const archive of ['b.tar', 'b.tar.gz']) {
    const r = await verifyMaildir({ dir: fx.root, against: join(work, archive), workers: 0 });
    const b = facts(r).backup!;
    assert.equal(b.kind, 'tar');
    assert.equal(b.damage, undefined, archive);
    assert.deepEqual(b.folders.map((x) => [x.name, x.inSource, x.inBackup, x.missing.count, x.different.count, x.extra.count]),
      [['INBOX', 10, 9, 1, 0, 0], ['Sent', 3, 3, 0, 1, 0], ['Work.Projects', 2, 2, 0, 0, 0]], archive);
    assert.deepEqual(b.folders[0]!.missing.files, [fx.files.INBOX![1]]);
  }
  const { readFileSync } = await import('node:fs');
  const gz = readFileSync(join(work, 'b.tar.gz'));
  writeFileSync(join(work, 'cut.tar.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  const cut = await verifyMaildir({ dir: fx.root, against: join(work, 'cut.tar.gz'), workers: 0 });
  assert.ok(facts(cut).backup!.damage);
  assert.ok(ids(cut).includes(`maildir.backup-damaged ${join(work, 'cut.tar.gz')}`));
  assert.equal(facts(cut).backup!.complete, false);
  writeFileSync(join(work, 'junk.tar'), Buffer.alloc(2048, 7));
  const junk = await verifyMaildir({ dir: fx.root, against: join(work, 'junk.tar'), workers: 0 });
  assert.match(facts(junk).backup!.damage!, /not a tar header/);
});

test('verify: unreadable files (a dangling link), no Message-ID, malformed flags part', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mxd-odd-'));
  makeFolder(root);
  const m = message(1).replace(/Message-ID: [^\r]*\r\n/, '');
  put(root, 'cur', fileName(1, m, 'S'), m);
  put(root, 'cur', `${fileName(2, message(2), 'S')},x`, message(2));
  symlinkSync(join(root, 'gone'), join(root, 'cur', '1700000003.M3P1.mx:2,S'));
  makeFolder(join(root, 'Archive', '2024'));
  const r = await verifyMaildir({ dir: root, workers: 0 });
  assert.deepEqual(facts(r).folders.map((x) => x.name), ['INBOX', 'Archive/2024'], "Dovecot's LAYOUT=fs nests folders");
  assert.deepEqual(ids(r), ['maildir.bad-info INBOX', 'maildir.no-message-id INBOX', 'maildir.unreadable INBOX']);
  const f = facts(r).folders[0]!;
  assert.equal(f.messages, 2);
  assert.deepEqual(f.unreadable.examples, [{ file: 'cur/1700000003.M3P1.mx:2,S', error: 'ENOENT' }]);
  assert.equal(r.exitCode, 2);
});

test('tar archives with names over 100 bytes: GNU long names and pax headers', async () => {
  const { spawnSync } = await import('node:child_process');
  const work = mkdtempSync(join(tmpdir(), 'mxd-longtar-'));
  const root = join(work, 'home', 'a-rather-long-user-directory-name', 'Maildir');
  const deep = join(root, '.Projects.Customers.Some-Very-Long-Customer-Name-2026');
  makeFolder(root);
  makeFolder(deep);
  const long = `${fileName(1, message(1), 'S').replace('.mx,', `.${'m'.repeat(80)}.example.test,`)}`;
  put(deep, 'cur', long, message(1));
  put(root, 'cur', fileName(2, message(2), 'S'), message(2));
  for (const format of ['gnu', 'pax']) {
    const archive = join(work, `b-${format}.tar`);
    assert.equal(spawnSync('tar', ['-C', work, `--format=${format}`, '-cf', archive, 'home']).status, 0);
    const r = await verifyMaildir({ dir: root, against: archive, workers: 0 });
    const b = facts(r).backup!;
    assert.equal(b.complete, true, `${format}: ${JSON.stringify(b.folders)}`);
    assert.deepEqual(b.folders.map((x) => [x.name, x.inBackup]), [['INBOX', 1], ['Projects.Customers.Some-Very-Long-Customer-Name-2026', 1]]);
  }
});

test('verify: dbox is reported as not supported; a directory without Maildir is not-maildir; exit 3', async () => {
  const dbox = mkdtempSync(join(tmpdir(), 'mxd-dbox-'));
  mkdirSync(join(dbox, 'mailboxes', 'INBOX', 'dbox-Mails'), { recursive: true });
  const r = await verifyMaildir({ dir: dbox, workers: 0 });
  assert.deepEqual(ids(r), [`maildir.dbox-unsupported ${dbox}`]);
  assert.equal(r.exitCode, 3);
  const mdbox = mkdtempSync(join(tmpdir(), 'mxd-mdbox-'));
  mkdirSync(join(mdbox, 'storage'));
  writeFileSync(join(mdbox, 'storage', 'm.1'), '');
  assert.equal((await verifyMaildir({ dir: mdbox, workers: 0 })).findings[0]!.id, 'maildir.dbox-unsupported');
  const empty = mkdtempSync(join(tmpdir(), 'mxd-empty-'));
  const e = await verifyMaildir({ dir: empty, workers: 0 });
  assert.deepEqual(ids(e), [`maildir.not-maildir ${empty}`]);
  assert.equal(e.exitCode, 3);
});

test('verify on worker threads gives the same result as in one thread (2,500 messages)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mxd-many-'));
  makeFolder(root);
  for (let n = 0; n < 2500; n++) {
    const m = message(n, { id: n % 1000 === 7 ? '<same@x>' : undefined });
    put(root, 'cur', fileName(n, n === 1234 ? '' : m, 'S'), n === 1234 ? '' : m);
  }
  const one = await verifyMaildir({ dir: root, workers: 0 });
  const pool = await verifyMaildir({ dir: root, workers: 2 });
  assert.deepEqual(facts(pool).folders, facts(one).folders);
  assert.equal(facts(pool).totals.messages, 2500);
  assert.equal(facts(pool).folders[0]!.zeroByte.count, 1);
  assert.equal(facts(pool).folders[0]!.duplicateMessageIds.count, 2);
});

test('maildir verify CLI: --json document, exit code, usage errors as one line', async () => {
  const fx = damagedStore();
  const r = await runCli(['maildir', 'verify', fx.root, '--json', '--workers', '0']);
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.reports[0].facts.maildir.totals.messages, 15);
  const t = await runCli(['maildir', 'verify', fx.root, '--against', fx.root, '--ignore', 'maildir.*']);
  assert.equal(t.code, 0, t.stdout + t.stderr);
  assert.match(t.stdout, /INBOX +10 .* 2 +8 +1 empty, 1 truncated, 1 unparsable, 1 without From\/Date, 1 duplicate ids/);
  assert.match(t.stdout, /Backup .*: complete/);
  const missing = await runCli(['maildir', 'verify', join(fx.root, 'nope')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /^mxdoctor: maildir verify .*nope: no such directory/);
  const action = await runCli(['maildir', 'check', fx.root]);
  assert.equal(action.code, 3);
  assert.match(action.stderr, /unknown command 'check'/);
});

test('compare: names first (a repeated unique name pairs in order), then digests; digests kept as bytes', async () => {
  const { compareFolder } = await import('../src/maildir/compare.js');
  const { HashArena } = await import('../src/maildir/hash-arena.js');
  const index = (entries: [string, number][]) => {
    const hashes = new HashArena(1);
    for (const [, h] of entries) hashes.push(Buffer.alloc(32, h));
    return { names: entries.map(([f]) => f.slice(4)), inNew: entries.map(([f]) => (f.startsWith('new/') ? 1 : 0)), hashes };
  };
  const source = index([['cur/a:2,S', 1], ['new/a', 2], ['cur/b:2,', 3], ['cur/c:2,', 4], ['cur/d:2,', 5]]);
  const backup = index([['cur/a:2,S', 1], ['cur/a:2,RS', 2], ['cur/x:2,', 3], ['cur/y:2,', 9], ['cur/d:2,', 6]]);
  assert.deepEqual(compareFolder(source, backup), {
    missing: ['cur/c:2,'], extra: ['cur/y:2,'], different: ['cur/d:2,'], flagsDiffer: ['new/a'], renamed: 1, matched: 3,
  });
  // 2,000 messages: the arena grows past its first capacity and keeps every digest.
  const big = new HashArena(1);
  for (let i = 0; i < 2000; i++) big.push(Buffer.alloc(32, i % 251));
  assert.equal(big.count, 2000);
  assert.ok(big.bytes(1999).equals(Buffer.alloc(32, 1999 % 251)));
});

test('a directory inside cur/ or new/ is not a message and not an unreadable file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mxd-maildir-dir-'));
  makeFolder(root);
  for (const n of [1, 2]) put(root, 'cur', fileName(n, message(n), 'S'), message(n));
  mkdirSync(join(root, 'cur', '1700000099.M9P9.host:2,S'));
  mkdirSync(join(root, 'new', '1700000098.M8P8.host'));
  const r = await verifyMaildir({ dir: root, against: root, workers: 0 });
  const f = (r.facts!.maildir as MaildirFacts).folders[0]!;
  assert.deepEqual([f.messages, f.cur, f.new, f.unreadable.count], [2, 2, 0, 0]);
  assert.equal((r.facts!.maildir as MaildirFacts).backup!.complete, true);
});
