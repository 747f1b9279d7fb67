// The knowledge base and `mxdoctor explain`: codes per RFC 5321/3463 and the IANA
// registry (not the seed article's folklore), log lines, and hostile input.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';
import { explain } from '../src/knowledge/explain.js';
import { REPLY_CODES, replyCodeEntry } from '../src/knowledge/reply-codes.js';
import { ENHANCED_CODES, enhancedCodeEntry } from '../src/knowledge/enhanced-codes.js';
import { MESSAGE_PATTERNS, matchMessages } from '../src/knowledge/messages.js';
import { readFileSync } from 'node:fs';

/** The IANA registry's enumerated codes: code, title (Sample Text), first reference. */
const IANA = readFileSync(new URL('./fixtures/iana/smtp-enhanced-status-codes.tsv', import.meta.url), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t') as [string, string, string]);

const run = (args: string[], stdin?: string) => runCli(args, { stdin });

const keys = (s: string) => explain(s).messages.map((m) => m.key);

describe('knowledge base data', () => {
  test('every RFC 5321 §4.2 code and the extension codes are there, each sourced', () => {
    const want = [211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455, 500, 501, 502, 503, 504, 521, 523, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556];
    for (const c of want) assert.ok(replyCodeEntry(c), `missing ${c}`);
    assert.equal(new Set(REPLY_CODES.map((e) => e.code)).size, REPLY_CODES.length);
    for (const e of REPLY_CODES) {
      assert.match(e.source, /^(RFC \d+|IANA)/, `${e.code} source`);
      assert.ok(e.causes.length && e.fixes.length && e.meaning, `${e.code} complete`);
    }
  });

  test('enhanced codes: RFC 3463 base set and the IANA additions, unique and sourced', () => {
    const want = ['X.0.0', 'X.1.1', 'X.1.10', 'X.2.2', 'X.3.1', 'X.3.4', 'X.4.7', 'X.5.3', 'X.7.1', 'X.7.8', 'X.7.9', 'X.7.10', 'X.7.11', 'X.7.13', 'X.7.14', 'X.7.20', 'X.7.23', 'X.7.25', 'X.7.26', 'X.7.27'];
    for (const c of want) assert.ok(enhancedCodeEntry(c), `missing ${c}`);
    assert.equal(new Set(ENHANCED_CODES.map((e) => e.code)).size, ENHANCED_CODES.length);
    for (const e of ENHANCED_CODES) assert.match(e.source, /^(RFC \d+|IANA)/, `${e.code} source`);
    assert.equal(enhancedCodeEntry('5.7.8')?.title, 'Authentication credentials invalid');
    assert.equal(enhancedCodeEntry('4.7.25')?.title, 'Reverse DNS validation failed');
    assert.equal(enhancedCodeEntry('5.1.10')?.source, 'RFC 7505');
    assert.equal(enhancedCodeEntry('9.1.1'), undefined);
  });

  test('enhanced codes are exactly the IANA registry: every code, every title, the same reference', () => {
    assert.ok(IANA.length >= 80);
    assert.deepEqual(ENHANCED_CODES.map((e) => e.code).sort(), IANA.map(([c]) => c).sort(), 'the same set of codes');
    for (const [code, title, ref] of IANA) {
      const e = enhancedCodeEntry(code)!;
      // X.6.10 has no sample text in the registry: only "a duplicate of X.6.8, deprecated".
      if (title) assert.equal(e.title, title, code);
      else assert.match(e.title, /deprecated/i, code);
      if (ref.startsWith('RFC')) assert.match(e.source.replace(/ /g, ''), new RegExp(`^${ref}\\b`), `${code} source`);
    }
  });

  test('explain 4.3.6 (RFC 6710) is in the registry', () => {
    const r = explain('4.3.6').enhancedCode!;
    assert.equal(r.known, true);
    assert.equal(r.title, 'Requested priority was changed');
  });

  test('message patterns have stable unique keys and each matches a real sample', () => {
    const seen = new Set(MESSAGE_PATTERNS.map((p) => p.key));
    assert.equal(seen.size, MESSAGE_PATTERNS.length);
    for (const k of seen) assert.match(k, /^[a-z0-9]+\.[a-z0-9-]+$/);
    const matched = new Set(SAMPLES.flatMap(([s]) => matchMessages(s).map((p) => p.key)));
    for (const k of seen) assert.ok(matched.has(k), `no sample matches ${k}`);
  });
});

// [text, expected message key] — real texts (anonymised) from logs and provider docs.
const SAMPLES: [string, string][] = [
  ['550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.', 'gmail.unauthenticated-sender'],
  ['421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address.', 'gmail.rate-limited'],
  ['550-5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.', 'gmail.no-ptr'],
  ['550-5.7.1 Our system has detected that this message is likely unsolicited mail.', 'gmail.suspicious'],
  ['550-5.1.1 The email account that you tried to reach does not exist.', 'gmail.no-such-user'],
  ['452-4.2.2 The email account that you tried to reach is over quota.', 'gmail.over-quota'],
  ['550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/', 'microsoft.banned-ip'],
  ['550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'microsoft.tenant-ip-blocked'],
  ['550 5.7.1 Unfortunately, messages from [192.0.2.1] weren\'t sent. Please contact your Internet service provider since part of their network is on our block list (S3150).', 'microsoft.s3150'],
  ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'microsoft.recipient-not-found'],
  ['421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1', 'yahoo.tss'],
  ['554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org; Error: open resolver; https://check.spamhaus.org/returnc/pub/203.0.113.1', 'dnsbl.spamhaus-open-resolver'],
  ['Feb 24 16:18:40 letterman postfix/postscreen[1234]: NOQUEUE: reject: RCPT from [192.0.2.4]:5678: 550 5.7.1 Service unavailable; client [192.0.2.4] blocked using zen.spamhaus.org; from=<a@b.com> to=<c@d.com> proto=ESMTP helo=<x>', 'dnsbl.blocked-using'],
  ['Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[192.0.2.4]: 554 5.7.1 <smtp@example.com>: Relay access denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>', 'postfix.relay-access-denied'],
  ['550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table', 'postfix.user-unknown'],
  ['450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.9]', 'postfix.unknown-client-hostname'],
  ['Jan 31 13:55:24 xxx postfix/smtpd[3462]: NOQUEUE: reject: EHLO from s271272.example.net[198.51.100.238]: 504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>', 'postfix.helo-not-fqdn'],
  ['450 4.7.1 <bogus.example>: Helo command rejected: Host not found', 'postfix.helo-host-not-found'],
  ['450 4.1.8 <some@nonexistant.tld>: Sender address rejected: Domain not found', 'postfix.sender-domain-not-found'],
  ['450 4.1.2 <a@nonexistant.tld>: Recipient address rejected: Domain not found', 'postfix.recipient-domain-not-found'],
  ['553 5.7.1 <boss@example.com>: Sender address rejected: not owned by user alice', 'postfix.sender-not-owned'],
  ['552 5.3.4 Message size exceeds fixed limit', 'postfix.message-too-big'],
  ['452 4.3.1 Insufficient system storage', 'postfix.insufficient-storage'],
  ['452 4.5.3 Error: too many recipients', 'postfix.too-many-recipients'],
  ['421 4.7.0 mail.example.com Error: too many connections from 192.0.2.4', 'postfix.too-many-connections'],
  ['status=bounced (mail for example.com loops back to myself)', 'postfix.loops-back'],
  ['status=deferred (TLS is required, but was not offered by host mx.example.net[203.0.113.5])', 'postfix.tls-required-not-offered'],
  ['530 5.7.0 Must issue a STARTTLS command first', 'smtp.must-starttls'],
  ['Apr 26 10:55:19 tcc1 postfix/smtpd[21126]: warning: laptop.local[192.168.1.2]: SASL PLAIN authentication failed: generic failure', 'smtp.auth-failed'],
  ['status=deferred (connect to mx.example.net[203.0.113.5]:25: Connection timed out)', 'conn.timeout'],
  ['status=deferred (connect to mx.example.net[203.0.113.5]:25: Connection refused)', 'conn.refused'],
  ['status=deferred (connect to mx.example.net[2001:db8::1]:25: Network is unreachable)', 'conn.network-unreachable'],
  ['status=bounced (Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found)', 'dns.host-not-found'],
  ['2020-06-13 16:49:49 H=(test.corp) [192.0.2.1] F=<noreply@test.corp> rejected RCPT <x@other.corp>: relay not permitted', 'exim.relay-not-permitted'],
  ['2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: Unrouteable address', 'exim.unrouteable'],
  ['2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded', 'exim.retry-timeout'],
  ['2020-06-13 16:49:49 H=(x) [192.0.2.1] F=<a@b.example> rejected RCPT <c@d.example>: Sender verify failed', 'exim.sender-verify-failed'],
  ['2020-06-13 16:49:49 H=(test.corp) [192.0.2.1] F=<noreply@test.corp> rejected RCPT <error!@dummy.corp>: restricted characters in address', 'exim.restricted-characters'],
  ['Feb 24 16:42:00 mail dovecot: lmtp(bob@example.com): Error: save failed to INBOX: Quota exceeded (mailbox for user is full)', 'mailbox.over-quota'],
  ['Jun 13 16:30:54 platypus dovecot: imap-login: Disconnected (auth failed, 2 attempts): user=<username.bob>, method=PLAIN, rip=192.0.2.87, lip=198.51.100.194, TLS', 'dovecot.auth-failed'],
  ['Jul 02 13:49:32 hostname dovecot[442]: pop3-login: Disconnected (no auth attempts in 58 secs): user=<>, rip=192.0.2.13', 'dovecot.no-auth-attempts'],
  ['postfix/cleanup[1]: warning: ABC: write queue file: No space left on device', 'system.disk-full'],
];

describe('explain: codes', () => {
  test('each reply code family gives the RFC 5321 §4.2.1 outcome', () => {
    assert.equal(explain('250').outcome, 'success');
    assert.equal(explain('354').outcome, 'intermediate');
    assert.equal(explain('421').outcome, 'temporary');
    assert.equal(explain('421').willRetry, true);
    assert.equal(explain('550').outcome, 'permanent');
    assert.equal(explain('550').willRetry, false);
  });

  test('452 is insufficient system storage (RFC 5321), not "hardware space"', () => {
    const e = explain('452');
    assert.equal(e.recognised, true);
    assert.match(e.replyCode!.title, /insufficient system storage/i);
    assert.doesNotMatch(JSON.stringify(e), /hardware/i);
    assert.match(e.replyCode!.source, /RFC 5321 §4\.2\.3/);
    assert.equal(e.willRetry, true);
  });

  test('X.2.2 (a mailbox over quota) and X.3.1 (the system full) are told apart', () => {
    assert.equal(explain('4.2.2').enhancedCode!.title, 'Mailbox full');
    assert.equal(explain('4.3.1').enhancedCode!.title, 'Mail system full');
    assert.match(explain('4.2.2').enhancedCode!.meaning, /quota/);
    assert.doesNotMatch(explain('4.2.2').enhancedCode!.meaning, /^The mail system/);
    // The article's "452 4.5.3 Mailbox has exceeded storage quota": 4.5.3 is too many recipients.
    assert.equal(explain('452 4.5.3 Mailbox has exceeded storage quota').enhancedCode!.title, 'Too many recipients');
  });

  test('the article\'s other claims are not ours: 254/255, 421, 431, 554', () => {
    for (const c of ['254', '255', '431']) {
      const e = explain(c);
      assert.equal(e.replyCode?.known, false, `${c} is not a defined reply code`);
    }
    assert.match(explain('421').replyCode!.title, /Service not available, closing transmission channel/);
    assert.match(explain('554').replyCode!.title, /Transaction failed/);
    assert.match(explain('250').replyCode!.title, /Requested mail action okay/);
  });

  test('5.7.1 alone: enhanced meaning and permanent', () => {
    const e = explain('5.7.1');
    assert.equal(e.replyCode, undefined);
    assert.equal(e.enhancedCode!.title, 'Delivery not authorized, message refused');
    assert.equal(e.outcome, 'permanent');
    assert.ok(e.causes.length > 0 && e.fixes.length > 0);
  });

  test('unknown but well-formed codes get the generic digit semantics', () => {
    const e = explain('457');
    assert.equal(e.recognised, true);
    assert.equal(e.replyCode!.known, false);
    assert.match(e.replyCode!.meaning, /Transient/);
    assert.match(e.replyCode!.meaning, /mail system/);
    assert.equal(e.willRetry, true);
    const d = explain('5.7.99');
    assert.equal(d.enhancedCode!.known, false);
    assert.match(d.enhancedCode!.title, /Security or policy/);
    assert.equal(d.outcome, 'permanent');
  });

  test('"452 4.2.2 Mailbox full": reply, enhanced and message all recognised', () => {
    const e = explain('452 4.2.2 Mailbox full');
    assert.equal(e.replyCode!.code, '452');
    assert.equal(e.enhancedCode!.code, '4.2.2');
    assert.equal(e.text, 'Mailbox full');
    assert.deepEqual(keys('452 4.2.2 Mailbox full'), ['mailbox.over-quota']);
    assert.equal(e.willRetry, true);
    assert.ok(e.notes.some((n) => /X\.3\.1/.test(n)));
  });

  test('reply and enhanced classes that disagree are noted', () => {
    assert.ok(explain('550 4.7.1 go away').notes.some((n) => /disagree/.test(n)));
  });

  test('legacy 552 too many recipients is treated as temporary (RFC 5321 §4.5.3.1.10)', () => {
    const e = explain('552 5.5.3 Too many recipients');
    assert.equal(e.outcome, 'temporary');
    assert.ok(e.notes.some((n) => /4\.5\.3\.1\.10/.test(n)));
  });
});

describe('explain: replies and log lines', () => {
  test('a multi-line Gmail reply is joined and its text recognised', () => {
    const e = explain('550-5.7.26 This mail has been blocked because the sender is\r\n550-5.7.26 unauthenticated. Gmail requires all senders to authenticate\r\n550 5.7.26 with either SPF or DKIM.');
    assert.equal(e.replyCode!.code, '550');
    assert.equal(e.enhancedCode!.code, '5.7.26');
    assert.equal(e.text, 'This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.');
    assert.deepEqual(e.messages.map((m) => m.key), ['gmail.unauthenticated-sender']);
    assert.equal(e.willRetry, false);
  });

  test('Gmail 421-4.7.28 rate limit is temporary', () => {
    const e = explain('421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address.');
    assert.equal(e.outcome, 'temporary');
    assert.equal(e.enhancedCode!.title, 'Mail flood detected');
    assert.deepEqual(keys(e.input), ['gmail.rate-limited']);
  });

  test('Postfix status=bounced line: reply inside "said:", command, delivery', () => {
    const line = 'Jan 25 21:25:22 mx postfix/smtp[558]: DBF82E05E7: to=<x@example.net>, relay=mx.example.net[203.0.113.2]:25, delay=2.1, delays=1.7/0/0.12/0.21, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.2] said: 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))';
    const e = explain(line);
    assert.equal(e.replyCode!.code, '550');
    assert.equal(e.enhancedCode!.code, '5.1.1');
    assert.equal(e.command, 'RCPT TO');
    assert.equal(e.delivery, 'bounced');
    assert.equal(e.text, '<x@example.net>: Recipient address rejected: User unknown in virtual mailbox table');
    assert.deepEqual(e.messages.map((m) => m.key), ['postfix.user-unknown']);
    assert.equal(e.willRetry, false);
  });

  test('Postfix inline multi-line reply (ops-anchors §3.2) has its continuation prefixes removed', () => {
    const e = explain('Jan 25 21:25:22 eugeni/eugeni postfix/smtp[558]: DBF82E05E7: to=<x@gmail.com>, relay=gmail-smtp-in.l.google.com[2a00:1450:400c:c00::1a]:25, delay=2.1, delays=1.7/0/0.12/0.21, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[2a00:1450:400c:c00::1a] said: 550-5.7.1 [...] Our system has detected 550-5.7.1 that this message is likely suspicious [...] (in reply to end of DATA command))');
    assert.equal(e.text, '[...] Our system has detected that this message is likely suspicious [...]');
    assert.equal(e.command, 'end of DATA');
    assert.deepEqual(e.messages.map((m) => m.key), ['gmail.suspicious']);
  });

  test('Postfix status=deferred connect timeout: no reply code, retried, port 25 advice', () => {
    const e = explain('Feb 24 16:18:40 mail postfix/smtp[1]: 5270320179: to=<u@example.net>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.net[203.0.113.5]:25: Connection timed out)');
    assert.equal(e.replyCode, undefined);
    assert.equal(e.enhancedCode!.code, '4.4.1');
    assert.equal(e.delivery, 'deferred');
    assert.equal(e.willRetry, true);
    assert.match(e.causes[0]!, /port 25/);
  });

  test('a bare connect timeout with no codes is still temporary', () => {
    const e = explain('connect to mx.example.net[203.0.113.5]:25: Connection timed out');
    assert.equal(e.outcome, 'temporary');
    assert.equal(e.willRetry, true);
  });

  test('Postfix NOQUEUE reject with 450 4.7.25 cannot find your hostname', () => {
    const e = explain('Nov 22 22:33:44 mx postfix/smtpd[11111]: NOQUEUE: reject: RCPT from unknown[192.0.2.4]: 450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.4]; from=<a@example.com> to=<b@example.org> proto=ESMTP helo=<x.example.com>');
    assert.equal(e.command, 'RCPT');
    assert.equal(e.enhancedCode!.title, 'Reverse DNS validation failed');
    assert.deepEqual(e.messages.map((m) => m.key), ['postfix.unknown-client-hostname']);
    assert.equal(e.text, 'Client host rejected: cannot find your hostname, [192.0.2.4]');
    assert.equal(e.willRetry, true);
  });

  test('Exim ** line with "SMTP error from remote mail server after RCPT TO"', () => {
    const e = explain('2020-06-19 04:54:02 1jmFYj-00039V-QX ** bob@null.corp R=dnslookup T=remote_smtp H=mx.null.corp [203.0.113.9]: SMTP error from remote mail server after RCPT TO:<bob@null.corp>: 550 5.1.1 <bob@null.corp>: Recipient address rejected: User unknown in virtual mailbox table');
    assert.equal(e.delivery, 'bounced');
    assert.equal(e.command, 'RCPT TO');
    assert.equal(e.replyCode!.code, '550');
    assert.equal(e.enhancedCode!.code, '5.1.1');
  });

  test('Exim 4.97 ids and == defer lines are recognised', () => {
    const e = explain('2024-05-01 10:00:00 1sCwkT-00000000Ajj-3Yfg == bob@example.net R=dnslookup T=remote_smtp defer (110): Connection timed out');
    assert.equal(e.delivery, 'deferred');
    assert.deepEqual(e.messages.map((m) => m.key), ['conn.timeout']);
    assert.equal(e.willRetry, true);
  });

  test('Dovecot quota line without a code: recognised, retry undetermined', () => {
    const e = explain('Feb 24 16:42:00 mail dovecot: lmtp(bob@example.com)<123><abc>: Error: save failed to INBOX: Quota exceeded (mailbox for user is full)');
    assert.equal(e.recognised, true);
    assert.deepEqual(e.messages.map((m) => m.key), ['mailbox.over-quota']);
    assert.equal(e.willRetry, undefined);
    assert.equal(e.replyCode, undefined);
  });

  test('status=sent is success with the 250 reply', () => {
    const e = explain('Apr  7 15:35:20 m postfix/smtp[1]: ABC: to=<a@b.example>, relay=mx[192.0.2.1]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as XYZ)');
    assert.equal(e.outcome, 'success');
    assert.equal(e.text, 'Ok: queued as XYZ');
    assert.match(e.summary, /^250 2\.0\.0: Requested mail action okay/);
  });

  test('soft_bounce: deferred with a 5xx reply is noted', () => {
    const e = explain('postfix/smtp[1]: A: to=<a@b.example>, dsn=4.1.1, status=deferred (host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))');
    assert.equal(e.willRetry, true);
    assert.ok(e.notes.some((n) => /soft_bounce/.test(n)));
  });

  test('a recognised text narrows the causes: no generic 5.7.1 alternatives beside a blocklist hit', () => {
    const e = explain('550 5.7.1 Service unavailable; client [192.0.2.4] blocked using zen.spamhaus.org');
    assert.match(e.causes[0]!, /spam/);
    assert.ok(!e.causes.some((c) => /Relay access denied/.test(c)));
  });

  for (const [text, key] of SAMPLES) {
    test(`sample → ${key}`, () => assert.ok(keys(text).includes(key), `${keys(text)} for ${text}`));
  }
});

describe('explain: hostile input', () => {
  test('garbage is "not recognised", with the digits it saw', () => {
    const e = explain('999 foo 7.7.7');
    assert.equal(e.recognised, false);
    assert.deepEqual(e.tokens, ['999', '7.7.7']);
    assert.match(e.summary, /^Not recognised.*999/);
    for (const s of ['', '   ', 'hello world', '123', '12', '4.2.2.2', 'TLSv1.2', 'version 3.6.0']) assert.equal(explain(s).recognised, false, s);
  });

  test('random and adversarial input never throws and stays fast', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = '0123456789 .-:;()[]<>=\n\rabcxyzSTAUSEDF5424\u0000\u00e9\ud83d';
    const started = Date.now();
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 300);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const e = explain(s);
      assert.equal(typeof e.summary, 'string');
    }
    for (const s of ['550-'.repeat(20_000), 'connect to '.repeat(10_000), '5.'.repeat(50_000), '('.repeat(100_000), `said: ${'a '.repeat(100_000)}`, 'status=deferred '.repeat(5_000)]) {
      const e = explain(s);
      assert.ok(e.input.length <= 16_384);
    }
    assert.ok(Date.now() - started < 5000, 'took too long');
    assert.doesNotThrow(() => explain(undefined as unknown as string));
  });
});

describe('mxdoctor explain (CLI)', () => {
  test('explain "452 4.2.2 Mailbox full" prints the parts and exits 0', async () => {
    const r = await run(['explain', '452 4.2.2 Mailbox full']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Reply code\s+452\s+Requested action not taken: insufficient system storage/);
    assert.match(r.stdout, /Enhanced code\s+4\.2\.2\s+Mailbox full/);
    assert.match(r.stdout, /mailbox\.over-quota/);
    assert.match(r.stdout, /Will be retried: yes/);
    assert.match(r.stdout, /Likely causes:/);
    assert.match(r.stdout, /What to do:/);
  });

  test('--json, several words, and stdin with -', async () => {
    const j = await run(['explain', '--json', '550', '5.1.1', 'no', 'such', 'user']);
    assert.equal(j.code, 0);
    const e = JSON.parse(j.stdout);
    assert.equal(e.enhancedCode.code, '5.1.1');
    assert.equal(e.willRetry, false);
    const s = await run(['explain', '-'], '421-4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred\r\n421 4.7.0 due to user complaints\r\n');
    assert.equal(s.code, 0);
    assert.match(s.stdout, /yahoo\.tss/);
    assert.match(s.stdout, /Will be retried: yes/);
  });

  test('nothing recognised: one line on stderr, exit 3', async () => {
    const r = await run(['explain', 'hello', 'world']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^mxdoctor: explain: not recognised/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
