// Summaries from the fixtures: the same totals in every timestamp format (the numbers
// pflogsumm 1.1.5 prints for postfix-rfc3164.log), rotated sets with .gz, a truncated
// .gz, year inference from mtime, Exim and Dovecot, a generated log with known counts,
// trace across daemons, and each detector.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyser, analyseText } from '../src/logs/analyse.js';
import { buildLogReport } from '../src/logs/report.js';
import { resolveSources } from '../src/logs/sources.js';
import { generatePostfixLog, newCounts } from './helpers/postfix-log-gen.js';

process.env.TZ = 'UTC';
const FX = new URL('./fixtures/logs/', import.meta.url).pathname;

async function summarise(files: string[], o: ConstructorParameters<typeof Analyser>[0] = {}) {
  const an = new Analyser(o);
  const a = await an.read(resolveSources(files));
  return { a, r: buildLogReport(a, 10, 0) };
}

// pflogsumm 1.1.5 on postfix-rfc3164.log prints exactly these (checked by logs-cli.test.ts when it is installed).
const EXPECTED = {
  received: 3, delivered: 4, forwarded: 0, deferred: 1, deferrals: 1, bounced: 2, rejected: 5, rejectPercent: 55,
  rejectWarnings: 0, held: 0, discarded: 0, bytesReceived: 16321, bytesDelivered: 23321, senders: 3, sendingDomains: 2,
  recipients: 4, recipientDomains: 3,
};

function pick(t: Record<string, number>) {
  return Object.fromEntries(Object.keys(EXPECTED).map((k) => [k, t[k]]));
}

describe('the same log in every format gives the same totals', () => {
  for (const f of ['postfix-rfc3164.log', 'postfix-rfc3339.log', 'postfix-maillog-file.log', 'postfix-short-iso.log', 'postfix-journald.json']) {
    test(f, async () => {
      const { a, r } = await summarise([join(FX, f)]);
      assert.deepEqual(pick(r.totals), EXPECTED);
      assert.equal(a.unparsed, 1, 'the one made-up smtpd line');
      assert.equal(r.lines.foreign, 1, 'the kernel line');
      assert.equal(r.totals.expired, 1);
      assert.equal(r.authFailures.smtp, 1);
      assert.equal(r.tls.length, 2);
      // journald stamps are UTC, shown in the reader's zone (UTC here); the others are written at +02:00.
      const shift = f.endsWith('.json') ? -2 : 0;
      assert.equal(r.perHour[15 + shift]!.received, 2);
      assert.equal(r.perHour[18 + shift]!.rejected, 5);
      assert.equal(r.domains.byDelivered.find((d) => d.domain === 'example.com')?.maxDelay, 1802);
      assert.ok(r.rejects.some((g) => g.code === '554' && g.enhanced === '5.7.1' && /Relay access denied/.test(g.reason) && g.explanation?.keys.includes('postfix.relay-access-denied')));
    });
  }
});

describe('files', () => {
  test('rotated set with .gz: read oldest first, same totals as the single file', async () => {
    const order = resolveSources([join(FX, 'rotated', 'mail.log*')]).map((s) => s.path.split('/').pop());
    assert.deepEqual(order, ['mail.log.2.gz', 'mail.log.1', 'mail.log']);
    const { r } = await summarise([join(FX, 'rotated', 'mail.log*')]);
    assert.deepEqual(pick(r.totals), EXPECTED);
    assert.equal(r.sources[0]!.gzip, true);
  });

  test('a truncated .gz is a warning and what was read is summarised', async () => {
    const { a, r } = await summarise([join(FX, 'truncated.log.gz')]);
    // The fixture is one log repeated: its time also goes backwards (a second, true warning).
    const damaged = a.warnings.filter((w) => /truncated/.test(w));
    assert.equal(damaged.length, 1);
    assert.ok(a.warnings.some((w) => /timestamps go backwards/.test(w)));
    assert.ok(a.lines > 100 && a.lines < 53 * 50, `${a.lines} lines`);
    assert.ok(r.totals.delivered > 0);
    assert.ok(r.findings.some((f) => f.id === 'logs.input-damaged'));
  });

  test('year inference across a year boundary from the file mtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxd-logs-'));
    cpSync(join(FX, 'year-boundary.log'), join(dir, 'mail.log'));
    const jan2 = new Date(Date.UTC(2025, 0, 2, 12));
    utimesSync(join(dir, 'mail.log'), jan2, jan2);
    const { r } = await summarise([join(dir, 'mail.log')]);
    assert.deepEqual(r.perDay.map((d) => d.date), ['2024-12-31', '2025-01-01']);
    assert.equal(r.totals.delivered, 1);
    assert.equal(r.totals.bytesDelivered, 100);
  });

  test('--since/--until filter by the written time', async () => {
    const { a, r } = await summarise([join(FX, 'postfix-rfc3339.log')], { since: Date.UTC(2025, 3, 7, 17) / 1000, until: Date.UTC(2025, 3, 7, 18, 30) / 1000 });
    assert.equal(r.totals.received, 1);
    assert.equal(r.totals.rejected, 5);
    assert.ok(a.filtered > 20);
  });
});

describe('Exim, Dovecot, multi-instance', () => {
  test('Exim main log, old and 4.97+ ids', async () => {
    const { r } = await summarise([join(FX, 'exim-mainlog')]);
    assert.deepEqual([r.totals.received, r.totals.delivered, r.totals.deferred, r.totals.bounced, r.totals.rejected], [3, 4, 1, 1, 1]);
    assert.equal(r.totals.bytesReceived, 7386 + 16655 + 1234);
    assert.ok(r.bounces.some((g) => /retry timeout exceeded/.test(g.reason)));
  });

  test('Dovecot: logins, auth failures by rip, quota, disk full', async () => {
    const { r } = await summarise([join(FX, 'dovecot.log'), join(FX, 'dovecot-own.log')]);
    assert.equal(r.authFailures.imapPop3, 4);
    assert.deepEqual(r.authFailures.byClient.map((c) => c.ip).sort(), ['192.0.2.13', '192.0.2.154', '192.0.2.4', '192.0.2.87']);
    assert.deepEqual(r.dovecot.logins.map((x) => [x.key, x.count]).sort(), [['imap', 1], ['pop3', 1]]);
    assert.equal(r.dovecot.quota[0]?.top[0]?.key, 'bob@example.org');
    const ids = r.findings.map((f) => f.id);
    assert.ok(ids.includes('logs.mailbox-full') && ids.includes('logs.disk-full'), ids.join());
  });

  test('multi-instance names, relay/smtp, smtpd milter-reject and RFC 5424 are counted', async () => {
    const { a, r } = await summarise([join(FX, 'multi-instance.log')]);
    assert.equal(a.unparsed, 0);
    assert.deepEqual([r.totals.received, r.totals.delivered, r.totals.rejected], [1, 2, 1]);
    assert.equal(r.lines.formats.rfc5424, 1);
  });
});

test('a generated 10k-line log: the summary has the generator\'s counts', () => {
  const counts = newCounts();
  const text = [...generatePostfixLog({ messages: 1300, format: 'rfc3339' }, counts)].join('\n');
  assert.ok(counts.lines >= 9000, `${counts.lines} lines`);
  const a = analyseText(text);
  const t = buildLogReport(a, 10, 0).totals;
  assert.equal(a.unparsed, 0);
  assert.deepEqual(
    [t.received, t.delivered, t.deferred, t.deferrals, t.bounced, t.rejected, t.bytesReceived, t.bytesDelivered],
    [counts.received, counts.delivered, counts.deferred, counts.deferrals, counts.bounced, counts.rejected, counts.bytesReceived, counts.bytesDelivered],
  );
  assert.equal(a.summary.inFlight.size, 0, 'every removed message left the in-flight map');
});

test('the in-flight map is capped and evictions are counted', () => {
  const counts = newCounts();
  const lines = [...generatePostfixLog({ messages: 300 }, counts)].filter((l) => !l.endsWith(': removed'));
  const a = analyseText(lines.join('\n'), { inFlightCap: 50 });
  assert.ok(a.summary.inFlight.size <= 50);
  assert.ok(a.summary.inFlight.evicted > 0);
});

describe('trace', () => {
  test('by queue id: every daemon\'s lines in order, with the bounce notice linked', async () => {
    const { a } = await summarise([join(FX, 'postfix-rfc3164.log')], { trace: '199041033BE' });
    const msgs = a.tracer!.end();
    assert.deepEqual(msgs.map((m) => m.qid), ['199041033BE', '5DE184083C']);
    assert.deepEqual([...new Set(msgs[0]!.lines.map((l) => l.program))], ['postfix/smtpd', 'postfix/cleanup', 'postfix/qmgr', 'postfix/virtual', 'postfix/lmtp', 'postfix/bounce']);
    assert.ok(msgs[0]!.lines.some((l) => l.problem && /Quota exceeded/.test(l.text)));
    assert.deepEqual(msgs[0]!.next, ['5DE184083C']);
  });

  test('by address and by message-id, NOQUEUE rejects included', async () => {
    const byAddr = (await summarise([join(FX, 'postfix-rfc3339.log')], { trace: 'dave@example.com' })).a.tracer!.end();
    assert.deepEqual(byAddr.map((m) => m.qid), ['5270320179']);
    assert.equal(byAddr[0]!.lines.filter((l) => l.event === 'delivery').length, 2);
    const byId = (await summarise([join(FX, 'postfix-rfc3339.log')], { trace: '<c3@example.org>' })).a.tracer!.end();
    assert.deepEqual(byId.map((m) => m.qid), ['BACE842E72', '6F1A2B3C4D']);
    const noq = (await summarise([join(FX, 'postfix-rfc3339.log')], { trace: 'smtp@example.com' })).a.tracer!.end();
    assert.equal(noq[0]?.qid, 'NOQUEUE');
    const exim = (await summarise([join(FX, 'exim-mainlog')], { trace: '1sCwkT-00000000Ajj-3Yfg' })).a.tracer!.end();
    assert.equal(exim[0]?.lines.length, 3);
  });
});

describe('detectors', () => {
  const ids = (text: string) => buildLogReport(analyseText(text, { mtimeMs: Date.UTC(2025, 5, 1) }), 10, 0).findings.map((f) => f.id);
  const L = (msg: string, i = 0) => `Apr  7 10:${String(i % 60).padStart(2, '0')}:00 mx ${msg}`;

  test('clean log: logs.no-problems', () => {
    assert.deepEqual(ids(L('postfix/smtpd[1]: connect from a[192.0.2.1]')), ['logs.no-problems']);
  });

  test('fatal, disk full, TLS and DNS failures', () => {
    const got = ids([
      L('postfix/smtpd[1]: fatal: open /etc/postfix/virtual.db: No such file or directory'),
      L('postfix/cleanup[2]: warning: 1234567890: write queue file: No space left on device'),
      L('postfix/smtpd[3]: warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading'),
      L('postfix/smtp[4]: ABCDEF1234: to=<a@nx.example>, relay=none, delay=0.1, delays=0/0/0.1/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=nx.example type=MX: Host not found)'),
    ].join('\n'));
    for (const id of ['logs.fatal', 'logs.disk-full', 'logs.tls-failure', 'logs.dns-failure']) assert.ok(got.includes(id), `${id} in ${got}`);
  });

  test('relay denied bursts, brute force, Dovecot auth failures, port 25 timeouts, deferred pile-up', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) lines.push(L(`postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.${i}]: 554 5.7.1 <a${i}@example.com>: Relay access denied; from=<s@example.net> to=<a${i}@example.com> proto=SMTP helo=<x>`, i));
    for (let i = 0; i < 25; i++) lines.push(L(`postfix/smtpd[1]: warning: unknown[198.51.100.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=u${i}`, i));
    for (let i = 0; i < 12; i++) lines.push(L(`dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<u${i}>, method=PLAIN, rip=203.0.113.${i}, lip=198.51.100.1`, i));
    for (let i = 0; i < 25; i++) {
      const q = `ABCDE${String(10000 + i)}`;
      lines.push(L(`postfix/smtpd[1]: ${q}: client=c.example[192.0.2.1]`, i));
      lines.push(L(`postfix/smtp[2]: ${q}: to=<r@d${i}.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.d${i}.example[203.0.113.${i}]:25: Connection timed out)`, i));
    }
    const got = ids(lines.join('\n'));
    for (const id of ['logs.relay-denied', 'logs.auth-brute-force', 'logs.dovecot-auth-failures', 'logs.port25-timeout', 'logs.deferred-pile-up']) assert.ok(got.includes(id), `${id} in ${got}`);
  });

  test('blocklists and mailbox over quota; many unparsed lines', () => {
    const got = ids([
      L('postfix/smtp[4]: ABCDEF1234: to=<a@example.com>, relay=mx.example.com[203.0.113.2]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host mx.example.com[203.0.113.2] said: 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command))'),
      L('postfix/lmtp[5]: ABCDEF1235: to=<b@example.org>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=4.2.2, status=deferred (host mail[private/dovecot-lmtp] said: 452 4.2.2 <b@example.org> Quota exceeded (mailbox for user is full) (in reply to RCPT TO command))'),
      L('postfix/smtpd[6]: gibberish that no parser knows'),
    ].join('\n'));
    for (const id of ['logs.blacklist-block', 'logs.mailbox-full', 'logs.unparsed-lines']) assert.ok(got.includes(id), `${id} in ${got}`);
  });
});

test('a log fed through stdin-like text with CRLF endings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-logs-'));
  writeFileSync(join(dir, 'crlf.log'), 'Apr  7 15:35:19 mail postfix/smtpd[1]: 199041033BE: client=a[192.0.2.5]\r\n');
  const a = analyseText('Apr  7 15:35:19 mail postfix/smtpd[1]: 199041033BE: client=a[192.0.2.5]\r\n');
  assert.equal(a.summary.t.received, 1);
});
