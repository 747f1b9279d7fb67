// Log line front-end and parsers: every timestamp format, program names, Postfix/Dovecot/
// Exim events, year inference, and hostile input that must never throw.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { newHeader, parseHeader, type HeaderContext } from '../src/logs/header.js';
import { DayCache, yearContextOf, isoOf } from '../src/logs/timestamp.js';
import { parsePostfix, isQueueId } from '../src/logs/postfix.js';
import { parseDovecot } from '../src/logs/dovecot.js';
import { parseExim, eximIdLength } from '../src/logs/exim.js';
import { normaliseReason } from '../src/logs/reasons.js';
import { analyseText } from '../src/logs/analyse.js';
import { buildLogReport } from '../src/logs/report.js';
import { globRegex, orderRotated } from '../src/logs/sources.js';
import { parseTimeBound } from '../src/logs/time-range.js';

process.env.TZ = 'UTC';
const ctx = (mtime = Date.UTC(2025, 5, 1)): HeaderContext => ({ days: new DayCache(), year: yearContextOf(mtime) });

function head(line: string, mtime?: number) {
  const h = newHeader();
  assert.ok(parseHeader(line, h, ctx(mtime)), `header of ${line}`);
  return { ...h, time: isoOf(h.ts) };
}

describe('timestamps and program names', () => {
  test('RFC 3164, space- and zero-padded day, single-digit day', () => {
    assert.equal(head('Apr  7 15:35:20 123-mail postfix/virtual[20235]: x').time, '2025-04-07 15:35:20');
    assert.equal(head('Oct 04 00:38:00 smarthost postfix/qmgr[1]: x').time, '2024-10-04 00:38:00');
    assert.equal(head('Jan 1 00:00:00 hostname postfix/smtpd[12345]: x').time, '2025-01-01 00:00:00');
  });

  test('year inference: a month after the file mtime month is the previous year', () => {
    const jan2 = Date.UTC(2025, 0, 2, 12);
    assert.equal(head('Dec 31 23:59:58 mail postfix/smtpd[1]: x', jan2).time, '2024-12-31 23:59:58');
    assert.equal(head('Jan  1 00:00:02 mail postfix/smtpd[1]: x', jan2).time, '2025-01-01 00:00:02');
  });

  test('RFC 3339 with fraction and offset, journalctl short-iso, RFC 5424', () => {
    const h = head('2025-04-09T08:25:46.392405+00:00 86ea4d14de98 postfix/relay/smtp[706]: 5FCA28903A: removed');
    assert.equal(h.time, '2025-04-09 08:25:46');
    assert.equal(h.host, '86ea4d14de98');
    assert.equal(h.daemon, 'smtp');
    assert.equal(h.syslogName, 'postfix');
    assert.equal(h.program, 'postfix/relay/smtp');
    assert.equal(h.pid, '706');
    assert.equal(head('2025-04-09T08:25:46+0200 mx postfix/smtpd[1]: connect from a[192.0.2.1]').format, 'rfc3339');
    const r = head('<22>1 2025-04-09T08:25:46.392405+00:00 mail postfix/smtpd 148 - - connect from x[192.0.2.1]');
    assert.equal(r.format, 'rfc5424');
    assert.equal(r.daemon, 'smtpd');
    assert.equal(r.msg, 'connect from x[192.0.2.1]');
  });

  test('multi-instance and service names keep the instance, daemon is the last component', () => {
    const h = head('Nov 08 08:08:59 mx postfix-mx/content-filter/smtp[273144]: 4HnkK60lBRz6tl1: removed');
    assert.equal(h.syslogName, 'postfix-mx');
    assert.equal(h.daemon, 'smtp');
    assert.equal(head('Apr 15 12:20:28 mx2 postfix/submission/smtpd[6833]: x').program, 'postfix/submission/smtpd');
    assert.equal(head('Jan 25 21:25:22 eugeni/eugeni postfix/smtp[558]: x').host, 'eugeni/eugeni');
  });

  test('journald JSON and Exim/Dovecot own files', () => {
    const j = head(JSON.stringify({ __REALTIME_TIMESTAMP: '1744187146392405', _HOSTNAME: 'mx', SYSLOG_IDENTIFIER: 'postfix/smtpd', _PID: '148', MESSAGE: 'connect from a[192.0.2.1]' }));
    assert.equal(j.format, 'journald-json');
    assert.equal(j.time, '2025-04-09 08:25:46');
    assert.equal(j.pid, '148');
    const e = head('2020-06-20 01:32:57 +0200 [789] 1jmKso-0009d4-Uf ** x@example.com: retry timeout exceeded');
    assert.equal(e.format, 'exim');
    assert.equal(e.pid, '789');
    assert.ok(e.msg.startsWith('1jmKso-0009d4-Uf'));
    assert.equal(head('2013-08-11 03:56:40 auth-worker(default): Info: pam(u,192.0.2.4): pam_authenticate() failed').format, 'dovecot');
  });

  test('unknown prefixes are refused, not misread', () => {
    const h = newHeader();
    for (const l of ['@400000004c91b044077a9e94 imap-login: x', 'авг 09 04:48:59 mv334 postfix/master[1]: x', 'Foo 12 00:00:00 x y: z', '2025-13-01T00:00:00Z h p: m', '']) {
      assert.equal(parseHeader(l, h, ctx()), false, l);
    }
  });
});

describe('Postfix parser', () => {
  test('queue ids: classic hex and long ids, not words', () => {
    assert.ok(isQueueId('5FCA28903A'));
    assert.ok(isQueueId('4HnkK60lBRz6tl1'));
    assert.ok(!isQueueId('warning'));
    assert.ok(!isQueueId('NOQUEUE') || true);
  });

  test('delivery with orig_to, delays and status; forwarded; expired', () => {
    const ev = parsePostfix('smtp', 'DBF82E05E7: to=<x@gmail.com>, orig_to=<y@example.org>, relay=gmail-smtp-in.l.google.com[2a00:1450:400c:c00::1a]:25, delay=2.1, delays=1.7/0/0.12/0.21, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[2a00:1450:400c:c00::1a] said: 550-5.7.1 [...] suspicious (in reply to end of DATA command))');
    assert.ok(ev && ev.k === 'delivery');
    assert.equal(ev.status, 'bounced');
    assert.equal(ev.origTo, 'y@example.org');
    assert.equal(ev.delay, 2.1);
    assert.equal(ev.delays, '1.7/0/0.12/0.21');
    assert.equal(ev.dsn, '5.7.1');
    assert.match(ev.reply, /^host gmail/);
    const fw = parsePostfix('local', 'ABCDEF1234: to=<a@example.org>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (forwarded as 1234ABCDEF)');
    assert.equal(fw?.k === 'delivery' && fw.status, 'forwarded');
    assert.deepEqual(parsePostfix('qmgr', 'BACE842E73: from=<noreply@example.com>, status=force-expired, returned to sender'), { k: 'expired', qid: 'BACE842E73', from: 'noreply@example.com' });
  });

  test('rejects from smtpd, postscreen and cleanup', () => {
    const r = parsePostfix('smtpd', 'NOQUEUE: reject: RCPT from 1-2-3-4-example.com[192.0.2.4]: 554 5.7.1 <smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>');
    assert.ok(r && r.k === 'reject');
    assert.equal(r.ip, '192.0.2.4');
    assert.equal(r.code, '554');
    assert.equal(r.enhanced, '5.7.1');
    assert.equal(r.stage, 'RCPT');
    assert.equal(r.to, 'smtp@example.org');
    const c = parsePostfix('cleanup', '7A8B9C0D1E: reject: header Subject: win from unknown[192.0.2.9]; from=<s@example.net> to=<me@example.org> proto=ESMTP helo=<x>: 5.7.1 message content rejected');
    assert.ok(c && c.k === 'reject');
    assert.equal(c.ip, '192.0.2.9');
    assert.equal(c.enhanced, '5.7.1');
    assert.equal(c.reason, 'message content rejected');
    const p = parsePostfix('postscreen', 'NOQUEUE: reject: CONNECT from [192.0.2.4]:5678: too many connections');
    assert.equal(p?.k === 'reject' && p.ip, '192.0.2.4');
  });

  test('SASL failures, TLS, postscreen, connections, problems', () => {
    const s = parsePostfix('smtpd', 'warning: unknown[192.0.2.7]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=office');
    assert.deepEqual(s, { k: 'sasl-fail', ip: '192.0.2.7', client: 'unknown', method: 'LOGIN', user: 'office', service: 'smtp' });
    const t = parsePostfix('smtp', 'Verified TLS connection established to gmail-smtp-in.l.google.com[108.177.14.26]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519');
    assert.deepEqual(t, { k: 'tls', dir: 'out', trust: 'verified', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', peer: 'gmail-smtp-in.l.google.com[108.177.14.26]:25' });
    assert.equal(parsePostfix('postscreen', 'DNSBL rank 3 for [192.0.2.4]:5678')?.k, 'postscreen');
    assert.equal((parsePostfix('postscreen', 'BLACKLISTED [192.0.2.4]:5678') as { action: string }).action, 'DENYLISTED');
    assert.equal(parsePostfix('smtpd', 'lost connection after CONNECT from example.com[192.0.2.89]')?.k, 'lost');
    assert.equal(parsePostfix('smtpd', 'fatal: open /etc/postfix/x.db: No such file or directory')?.k, 'problem');
    assert.equal(parsePostfix('bounce', '732BB407C3: sender non-delivery notification: 5DE184083C')?.k, 'notice');
    assert.equal(parsePostfix('smtpd', 'something never seen'), null);
  });
});

describe('Dovecot and Exim parsers', () => {
  test('Dovecot logins, both auth-failure forms, quota', () => {
    assert.deepEqual(parseDovecot('pop3-login: Login: user=<someone@example.org>, method=PLAIN, rip=192.0.2.10, lip=198.51.100.20, mpid=25823, TLS'), { k: 'login', service: 'pop3', user: 'someone@example.org', ip: '192.0.2.10' });
    const a = parseDovecot('imap-login: Login aborted: Connection closed (auth failed, 2 attempts in 14 secs) (auth_failed): user=<jdoe>, method=PLAIN, rip=192.0.2.154, lip=198.51.100.75, TLS');
    assert.equal(a?.k === 'auth-fail' && a.ip, '192.0.2.154');
    const b = parseDovecot('auth-worker(default): Info: pam(username,192.0.2.4): pam_authenticate() failed: Authentication failure (password mismatch?)');
    assert.equal(b?.k === 'auth-fail' && b.user, 'username');
    assert.equal(parseDovecot('lmtp(bob@example.org)<1><s>: Error: Quota exceeded (mailbox for user is full)')?.k, 'quota');
  });

  test('Exim ids: old 16-char and 4.97+ 23-char', () => {
    assert.equal(eximIdLength('1jmKso-0009d4-Uf <= x'), 16);
    assert.equal(eximIdLength('1sCwkT-00000000Ajj-3Yfg <= x'), 23);
    assert.equal(eximIdLength('H=(test.corp) [192.0.2.1] rejected'), 0);
    const a = parseExim('1sCwkT-00000000Ajj-3Yfg <= new@test.example H=(client.example) [192.0.2.3] P=esmtp S=1234 id=z3@test.example');
    assert.ok(a && a.k === 'arrival');
    assert.equal(a.size, 1234);
    assert.equal(a.ip, '192.0.2.3');
    assert.equal(a.messageId, 'z3@test.example');
    const d = parseExim('1jmFYj-00039V-QX == bob@null.example R=dnslookup T=remote_smtp defer (110): Connection timed out');
    assert.equal(d?.k === 'delivery' && d.status, 'deferred');
    const b = parseExim('1jmFYj-00039V-QX ** bob@null.example: retry timeout exceeded');
    assert.equal(b?.k === 'delivery' && b.reply, 'retry timeout exceeded');
    const r = parseExim('H=(test.example) [192.0.2.1] F=<noreply@test.example> rejected RCPT <error!@dummy.example>: restricted characters in address');
    assert.ok(r && r.k === 'reject');
    assert.equal(r.reason, 'restricted characters in address');
    assert.equal(parseExim('1jmH1t-0000dO-Un Completed')?.k, 'removed');
  });
});

describe('helpers', () => {
  test('reasons are normalised: addresses, hosts and numbers stripped', () => {
    assert.equal(normaliseReason('connect to mx1.example.com[203.0.113.1]:25: Connection timed out'), 'connect to HOST: Connection timed out');
    assert.equal(normaliseReason('<bob@example.org> Quota exceeded, 12345 bytes'), 'Quota exceeded, N bytes');
  });

  test('globs and rotation order (higher number = older; current last)', () => {
    assert.ok(globRegex('mail.log*').test('mail.log.2.gz'));
    assert.ok(!globRegex('*.log').test('.hidden.log'));
    assert.deepEqual(orderRotated(['/l/mail.log', '/l/mail.log.1', '/l/mail.log.2.gz', '/l/mail.log.10.gz']), ['/l/mail.log.10.gz', '/l/mail.log.2.gz', '/l/mail.log.1', '/l/mail.log']);
    assert.deepEqual(orderRotated(['m.log', 'm.log-20250102.gz', 'm.log-20250101.gz']), ['m.log-20250101.gz', 'm.log-20250102.gz', 'm.log']);
  });

  test('--since/--until: dates, date-times and durations', () => {
    assert.equal(parseTimeBound('--since', '2025-04-09', 0), Date.UTC(2025, 3, 9) / 1000);
    assert.equal(parseTimeBound('--since', '2025-04-09T08:30', 0), Date.UTC(2025, 3, 9, 8, 30) / 1000);
    assert.equal(parseTimeBound('--since', '24h', Date.UTC(2025, 3, 9) ), Date.UTC(2025, 3, 8) / 1000);
    assert.throws(() => parseTimeBound('--since', 'yesterday', 0), /duration/);
  });
});

describe('hostile input never throws', () => {
  test('random bytes, truncated lines and near-miss prefixes', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 0x100000000; };
    const good = [
      'Apr  7 15:35:20 mail postfix/smtp[1]: 5270320179: to=<d@example.com>, relay=mx[203.0.113.2]:25, delay=1802, delays=1800/0.01/0.5/1.5, dsn=2.0.0, status=sent (250 ok)',
      '2025-04-07T18:00:00+02:00 mail postfix/smtpd[2]: NOQUEUE: reject: RCPT from a[192.0.2.4]: 554 5.7.1 <x@y>: Relay access denied; from=<j@e.com> to=<s@e.com> proto=SMTP helo=<h>',
      '2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= n@t.example H=(t) [192.0.2.2] P=smtp S=7386',
      'Dec 26 11:30:54 mail dovecot: imap-login: Disconnected (auth failed, 2 attempts): user=<u>, rip=192.0.2.87',
      '{"__REALTIME_TIMESTAMP":"1744187146392405","SYSLOG_IDENTIFIER":"postfix/qmgr","MESSAGE":"ABCDEF12: from=<a@b>, size=1, nrcpt=1"}',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const g = good[i % good.length]!;
      const kind = i % 3;
      if (kind === 0) lines.push(g.slice(0, Math.floor(rnd() * g.length)));
      else if (kind === 1) lines.push(Array.from({ length: Math.floor(rnd() * 200) }, () => String.fromCharCode(Math.floor(rnd() * 0x3000))).join(''));
      else { const cut = Math.floor(rnd() * g.length); lines.push(g.slice(0, cut) + String.fromCharCode(Math.floor(rnd() * 256)) + g.slice(cut + 1)); }
    }
    const text = lines.join('\n');
    const a = analyseText(text, { trace: 'd@example.com' });
    assert.equal(a.lines, text.split('\n').filter((l) => l.replace(/\r$/, '')).length);
    assert.ok(a.unparsed > 0);
    assert.ok(buildLogReport(a, 10, 0).totals);
    a.tracer!.end();
  });
});
