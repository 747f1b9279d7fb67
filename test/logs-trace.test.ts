// `logs --trace <address>`: a NOQUEUE reject is not a message (every reject of every client
// says "NOQUEUE"), and the queue id a remote server gave the message is not ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseText } from '../src/logs/analyse.js';
import { parsePostfix } from '../src/logs/postfix.js';
import { runCli } from './helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const L = (t: string, msg: string) => `Dec  7 10:00:${t} mx ${msg}`;
const noq = (t: string, ip: string, to: string, from: string) =>
  L(t, `postfix/smtpd[100]: NOQUEUE: reject: RCPT from unknown[${ip}]: 554 5.7.1 <${to}>: Relay access denied; from=<${from}> to=<${to}> proto=ESMTP helo=<x>`);

const LOG = [
  ...Array.from({ length: 40 }, (_, i) => noq(String(i % 60).padStart(2, '0'), `192.0.2.${i + 1}`, `other${i}@example.org`, `spam${i}@bad.test`)),
  noq('41', '192.0.2.99', 'target@example.org', 'x@bad.test'),
  L('42', 'postfix/smtpd[101]: 4ABC123DEF: client=localhost[127.0.0.1]'),
  L('42', 'postfix/cleanup[102]: 4ABC123DEF: message-id=<m1@example.org>'),
  L('42', 'postfix/qmgr[201]: 4ABC123DEF: from=<me@example.org>, size=500, nrcpt=1 (queue active)'),
  // A content filter on this host: the re-injected message's lines come before the "queued as".
  L('43', 'postfix/smtpd[103]: 5BCD234EF0: client=localhost[127.0.0.1]'),
  L('43', 'postfix/qmgr[201]: 5BCD234EF0: from=<me@example.org>, size=600, nrcpt=1 (queue active)'),
  L('43', 'postfix/smtp[200]: 4ABC123DEF: to=<target@example.org>, relay=127.0.0.1[127.0.0.1]:10025, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5BCD234EF0)'),
  L('43', 'postfix/qmgr[201]: 4ABC123DEF: removed'),
  L('44', 'postfix/smtp[204]: 5BCD234EF0: to=<target@example.org>, relay=mx.remote.test[198.51.100.7]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E7D6C5B)'),
  L('44', 'postfix/qmgr[201]: 5BCD234EF0: removed'),
].join('\n');

test('a NOQUEUE reject has no queue id', () => {
  const ev = parsePostfix('smtpd', 'NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 <a@example.org>: Relay access denied; from=<s@bad.test> to=<a@example.org> proto=ESMTP helo=<x>');
  assert.equal(ev?.k, 'reject');
  assert.equal(ev && 'qid' in ev ? ev.qid : undefined, '');
});

test('--trace <address> lists only the NOQUEUE reject of that address, not all of them', () => {
  const msgs = analyseText(LOG, { trace: 'target@example.org' }).tracer!.end();
  const rejects = msgs.filter((m) => m.qid === 'NOQUEUE');
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0]!.lines.length, 1);
  assert.match(rejects[0]!.lines[0]!.text, /target@example\.org/);
  assert.deepEqual(msgs.map((m) => m.qid), ['NOQUEUE', '4ABC123DEF', '5BCD234EF0']);
});

test('a content filter hand-off is followed; the remote server\'s queue id is shown as theirs', () => {
  const msgs = analyseText(LOG, { trace: 'target@example.org' }).tracer!.end();
  const first = msgs.find((m) => m.qid === '4ABC123DEF')!;
  assert.deepEqual(first.next, ['5BCD234EF0']);
  const second = msgs.find((m) => m.qid === '5BCD234EF0')!;
  assert.deepEqual(second.next, [], '9F8E7D6C5B is not a queue id of this server');
  assert.deepEqual(second.remote, [{ relay: 'mx.remote.test[198.51.100.7]:25', qid: '9F8E7D6C5B' }]);
});

test('the CLI trace: header without the remote id, which is labelled as the next server\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-trace-'));
  const file = join(dir, 'mail.log');
  writeFileSync(file, `${LOG}\n`);
  const r = await runCli(['logs', '--trace', 'target@example.org', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stdout.match(/NOQUEUE: reject/g) ?? []).length, 1);
  const header = r.stdout.split('\n').find((l) => l.startsWith('5BCD234EF0'))!;
  assert.doesNotMatch(header, /9F8E7D6C5B/);
  assert.match(r.stdout, /queued it as 9F8E7D6C5B \(its queue id, not ours\)/);
});
