// The real-server suite, mailbox backup part: mail delivered by Debian's Postfix over LMTP into
// Dovecot's Maildir (test/lab/start-mail.sh; the Sieve rule files [SPAM] mail into .Junk),
// flags set by Dovecot itself, then the store copied and the copy damaged: two messages
// deleted, one corrupted, one truncated. `mxdoctor maildir verify --against` must name exactly
// those, for the copied tree and for a tar.gz of it; its counts per folder must match what
// Dovecot itself reports (doveadm mailbox status).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA, DOVECOT_CONF, LAB, MAIL_RUN, RESOLVER, mailboxesWithToken, mxJson, requireMailLab, waitFor } from '../helpers/real-lab.js';

const MAILDIR = join(MAIL_RUN, 'dovecot', 'home', 'lab', 'Maildir');

function doveadm(args: string[]): string {
  const r = spawnSync('doveadm', ['-c', DOVECOT_CONF, ...args], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, `doveadm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Messages per mailbox as Dovecot counts them. */
function dovecotCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of doveadm(['-f', 'tab', 'mailbox', 'status', '-u', LAB.user, 'messages', '*']).split('\n').slice(1).filter(Boolean)) {
    const [box, n] = line.split('\t');
    out[box!] = Number(n);
  }
  return out;
}

/** The Maildir file of the message with this token, relative to its folder ("cur/…"). */
function fileOf(folderDir: string, token: string): string {
  for (const sub of ['cur', 'new']) {
    for (const f of readdirSync(join(folderDir, sub))) if (readFileSync(join(folderDir, sub, f), 'latin1').includes(token)) return `${sub}/${f}`;
  }
  throw new Error(`no file with ${token} in ${folderDir}`);
}

describe('mxdoctor maildir verify on a real Dovecot mail store', () => {
  before(() => requireMailLab(['127.0.2.1:587']));

  test('deliver, copy, damage the copy: exactly the deleted, corrupted and truncated messages are reported', async () => {
    const tokens: { token: string; spam: boolean }[] = [];
    for (let i = 0; i < 6; i++) {
      const spam = i >= 4;
      const r = await mxJson(['send', '--server', 'mx1.mail-lab.test:587', '--from', LAB.user, '--to', LAB.user, '--auth-user', LAB.user,
        '--resolver', RESOLVER, '--ca', CA, '--subject', `${spam ? '[SPAM] ' : ''}maildir verify ${i}`, '--body', `message ${i} ${'x'.repeat(200 * i)}`],
      { env: { MXDOCTOR_SMTP_PASSWORD: LAB.password } });
      assert.equal(r.code, 0, r.stdout);
      tokens.push({ token: r.rep.facts!.send.token, spam });
    }
    for (const t of tokens) {
      const where = await waitFor(() => mailboxesWithToken(LAB.user, t.token).length ? mailboxesWithToken(LAB.user, t.token) : undefined, 20_000);
      assert.deepEqual(where, [t.spam ? 'Junk' : 'INBOX'], `token ${t.token}`);
    }
    // Dovecot marks two of them read and one flagged: real ":2,S" / ":2,FS" file names.
    doveadm(['flags', 'add', '-u', LAB.user, '\\Seen', 'mailbox', 'INBOX', 'header', 'X-Mxdoctor-Token', tokens[0]!.token]);
    doveadm(['flags', 'add', '-u', LAB.user, '\\Seen \\Flagged', 'mailbox', 'INBOX', 'header', 'X-Mxdoctor-Token', tokens[1]!.token]);

    const counts = dovecotCounts();
    const work = mkdtempSync(join(tmpdir(), 'mxd-real-maildir-'));
    const copy = join(work, 'Maildir');
    cpSync(MAILDIR, copy, { recursive: true });
    const junk = join(copy, '.Junk');
    const deleted = [`INBOX ${fileOf(copy, tokens[2]!.token)}`, `Junk ${fileOf(junk, tokens[4]!.token)}`];
    rmSync(join(copy, fileOf(copy, tokens[2]!.token)));
    rmSync(join(junk, fileOf(junk, tokens[4]!.token)));
    const corrupted = fileOf(copy, tokens[3]!.token);
    const bytes = readFileSync(join(copy, corrupted));
    const at = bytes.length - 3;
    bytes[at] = bytes[at]! ^ 0x20;
    writeFileSync(join(copy, corrupted), bytes);
    const truncated = fileOf(copy, tokens[0]!.token);
    truncateSync(join(copy, truncated), 50);

    const r = await mxJson(['maildir', 'verify', MAILDIR, '--against', copy, '--max-names', '100000']);
    assert.equal(r.code, 2, r.stdout);
    const m = r.rep.facts!.maildir;
    // Every folder Dovecot knows, with the number of messages Dovecot counts.
    for (const [box, n] of Object.entries(counts)) {
      const f = m.folders.find((x: { name: string }) => x.name === box);
      assert.ok(f, `folder ${box} found`);
      assert.equal(f.messages, n, `${box}: ${f.messages} messages, Dovecot says ${n}`);
    }
    const b = m.backup;
    assert.equal(b.complete, false);
    const listed = (key: 'missing' | 'different') => b.folders.flatMap((f: any) => f[key].files.map((x: string) => `${f.name} ${x}`)).sort();
    assert.deepEqual(listed('missing'), deleted.sort());
    assert.deepEqual(listed('different'), [`INBOX ${corrupted}`, `INBOX ${truncated}`].sort());
    assert.equal(b.totals.extra, 0);
    assert.ok(r.rep.findings.some((f) => f.id === 'maildir.backup-missing' && f.subject === 'Junk'));

    // The damaged copy on its own: the truncated file is caught by Dovecot's S= size in its name.
    const alone = await mxJson(['maildir', 'verify', copy]);
    const tr = alone.rep.facts!.maildir.folders.find((x: { name: string }) => x.name === 'INBOX').truncated;
    assert.deepEqual(tr.files, [truncated]);
    assert.equal(alone.code, 2);

    // The same copy as a tar.gz: the same verdict.
    assert.equal(spawnSync('tar', ['-C', work, '-czf', join(work, 'backup.tar.gz'), 'Maildir']).status, 0);
    const t = await mxJson(['maildir', 'verify', MAILDIR, '--against', join(work, 'backup.tar.gz'), '--max-names', '100000']);
    assert.equal(t.rep.facts!.maildir.backup.kind, 'tar');
    const tl = (key: 'missing' | 'different') => t.rep.facts!.maildir.backup.folders.flatMap((f: any) => f[key].files.map((x: string) => `${f.name} ${x}`)).sort();
    assert.deepEqual(tl('missing'), deleted.sort());
    assert.deepEqual(tl('different'), [`INBOX ${corrupted}`, `INBOX ${truncated}`].sort());

    // An untouched copy is complete.
    const clean = join(work, 'clean');
    cpSync(MAILDIR, clean, { recursive: true });
    const ok = await mxJson(['maildir', 'verify', MAILDIR, '--against', clean]);
    assert.equal(ok.rep.facts!.maildir.backup.complete, true);
    rmSync(work, { recursive: true, force: true });
  });
});
