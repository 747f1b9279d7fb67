// The real-server suite, logs part: `mxdoctor logs` on the logs Debian's Postfix and Dovecot
// wrote during the suite (test/lab/run/mail/: each Postfix instance's maillog_file and
// Dovecot's log_path). Runs after mail.test.ts (run-real-suite.sh orders it last) and adds
// known traffic of its own: a relay attempt (rejected), STARTTLS, an IMAP login and a
// failed one. Every line must be understood, and every count must match the raw lines.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imapLogin, smtpRelayAttemptWithStarttls } from '../helpers/lab-traffic.js';

const BIN = new URL('../../bin/mxdoctor.js', import.meta.url).pathname;
const RUN = new URL('../lab/run/mail/', import.meta.url).pathname;
const TAG = `logs-test-${process.pid}`;

const files = () => [
  ...readdirSync(RUN).filter((d) => d.startsWith('postfix-')).map((d) => join(RUN, d, 'maillog')).filter(existsSync),
  join(RUN, 'dovecot', 'dovecot.log'),
];

interface Summary { totals: Record<string, number>; rejects: { reason: string; count: number }[]; tls: { direction: string; count: number }[];
  smtpd: { connects: number }; dovecot: { logins: { key: string; count: number }[] }; authFailures: { imapPop3: number };
  unparsed: { count: number; samples: string[] }; foreignPrograms: unknown[]; formats?: unknown }

describe('mxdoctor logs on the real lab logs', () => {
  let j: Summary;
  let raw: string;
  before(async () => {
    assert.ok(existsSync(join(RUN, 'postfix-mx1', 'maillog')), 'no lab logs: run `npm run test:real`');
    await smtpRelayAttemptWithStarttls(TAG, 'logs-test.invalid');
    assert.match(await imapLogin('lab-password'), /^a1 OK/m);
    assert.match(await imapLogin('wrong-password'), /^a1 NO/m);
    // postlogd and Dovecot's log process write asynchronously: wait for our lines.
    for (let i = 0; i < 50; i++) {
      raw = files().map((f) => readFileSync(f, 'utf8')).join('');
      if (raw.includes(TAG) && /auth failed|Password mismatch|Login aborted.*auth/.test(raw)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const r = spawnSync(process.execPath, [BIN, 'logs', '--json', '--unparsed', '--top', '100', ...files()], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const rep = JSON.parse(r.stdout).reports[0];
    j = { ...rep.facts.logs, findings: rep.findings };
  });

  const lines = (re: RegExp) => raw.split('\n').filter((l) => re.test(l)).length;

  test('every Postfix and Dovecot line is understood', () => {
    assert.equal(j.unparsed.count, 0, j.unparsed.samples.join('\n'));
    assert.deepEqual(j.foreignPrograms, [], 'Dovecot\'s own log_path lines are read as Dovecot');
  });
  test('rejections: every reject line counted, ours among the relay denials', () => {
    assert.equal(j.totals.rejected, lines(/ reject: /));
    const relay = j.rejects.find((g) => /Relay access denied/.test(g.reason));
    assert.ok(relay && relay.count >= 1);
    assert.ok(raw.includes(`<${TAG}@example.net>: Relay access denied`));
  });
  test('SMTP connections and TLS sessions match the raw lines', () => {
    assert.equal(j.smtpd.connects, lines(/\/smtpd\[\d+\]: connect from /));
    const inbound = j.tls.filter((t) => t.direction === 'inbound').reduce((n, t) => n + t.count, 0);
    assert.equal(inbound, lines(/TLS connection established from /));
    assert.ok(inbound >= 1);
  });
  test('Dovecot: our IMAP login and our failed login are counted', () => {
    const imap = j.dovecot.logins.find((l) => l.key === 'imap');
    assert.equal(imap?.count, lines(/imap-login: Info: Login: /));
    assert.ok(imap!.count >= 1);
    assert.ok(j.authFailures.imapPop3 >= 1, 'the wrong password is an IMAP auth failure');
  });
});
