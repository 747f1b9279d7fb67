// Excerpts of real logs written by Debian 12's Postfix 3.7 (maillog_file, syslog_name
// postfix-lab-mx1) and Dovecot 2.3 (log_path with its default "%b %d %H:%M:%S " stamps)
// in the real-server lab (test/lab/start-mail.sh) while `mxdoctor check` probed them;
// the only edits: the configuration path in "daemon started", and the three Dovecot lines
// of test/real/logs.test.ts's logins (from a later run) appended. The live version of this
// test is test/real/logs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyser } from '../src/logs/analyse.js';
import { buildLogReport } from '../src/logs/report.js';
import { resolveSources } from '../src/logs/sources.js';

const FX = new URL('./fixtures/logs/', import.meta.url).pathname;

test('real Debian Postfix + Dovecot logs: every line understood, the probes counted', async () => {
  const a = await new Analyser().read(resolveSources([`${FX}real-debian-postfix.log`, `${FX}real-debian-dovecot.log`]));
  const r = buildLogReport(a, 10, 0);
  assert.equal(a.lines, 153 + 53);
  assert.equal(a.unparsed, 0, a.unparsedSamples.join('\n'));
  assert.equal(a.foreign.size, 0, 'Dovecot\'s own log lines are Dovecot, not foreign');
  assert.equal(a.formats.dovecot, 53);
  // The relay test: two RCPTs to example.net refused (after client=, as pflogsumm counts it).
  assert.equal(r.totals.received, 2);
  assert.equal(r.totals.rejected, 2);
  assert.equal(r.totals.delivered, 0);
  assert.match(r.rejects[0]!.reason, /Relay access denied/);
  assert.equal(r.rejects[0]!.code, '554');
  // 36 smtpd connections on 25/587/465, 12 of them with TLS (1.3 and, from the 1.2 probe, 1.2).
  assert.equal(r.smtpd.connects, 36);
  assert.equal(r.smtpd.disconnects, 36, 'Dovecot "Disconnected" lines are not SMTP disconnects');
  assert.deepEqual(r.tls.map((t) => [t.direction, t.protocol, t.count]).sort(), [['inbound', 'TLSv1.2', 6], ['inbound', 'TLSv1.3', 6]]);
  // The TLS 1.0/1.1 probes Postfix refused (smtpd_tls_protocols >=TLSv1.2) are its TLS warnings.
  assert.deepEqual(r.findings.map((f) => f.id), ['logs.tls-failure']);
  // The last three Dovecot lines: test/real/logs.test.ts's IMAP login, then its wrong password.
  assert.deepEqual(r.dovecot.logins, [{ key: 'imap', count: 1 }]);
  assert.equal(r.dovecot.authFailures, 1);
  assert.equal(r.authFailures.byClient[0]!.ip, '127.0.0.1');
});
