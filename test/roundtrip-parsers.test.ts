// The round trip's pure parsers on real-world header samples: Received (Postfix, Gmail,
// Exim, Microsoft, Sendmail, Dovecot LMTP), the chain's delays and edge hop,
// Authentication-Results (RFC 8601), SpamAssassin and Rspamd headers, folder roles.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseReceived } from '../src/roundtrip/received.js';
import { edgeHop, hopsWithoutTls, receivedChain } from '../src/roundtrip/received-chain.js';
import { parseAuthResults, receiverResults } from '../src/roundtrip/auth-results.js';
import { parseSpamHeaders } from '../src/roundtrip/spam-headers.js';
import { headerValues, parseHeaders } from '../src/roundtrip/headers.js';
import { folderRole } from '../src/roundtrip/folder-role.js';
import { parseMailDate } from '../src/roundtrip/mail-date.js';
import { mailauthResolver } from '../src/roundtrip/mailauth-resolver.js';
import { zoneResolver } from './helpers/roundtrip-lab.js';

const unfold = (s: string) => s.replace(/\r?\n[ \t]+/g, ' ');

const POSTFIX_TLS = unfold(`from mail-wr1-f54.google.com (mail-wr1-f54.google.com [209.85.221.54])
	(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)
	 key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)
	(No client certificate requested)
	by mx.example.org (Postfix) with ESMTPS id 4Y1ZxK3bQnz9sRk
	for <user@example.org>; Tue, 14 Jan 2025 09:12:41 +0100 (CET)`);
const GMAIL_MX = 'from mail.example.org (mail.example.org. [203.0.113.5]) by mx.google.com with ESMTPS id 5b1f17b1804b1-436e2dd3b5esi1234f8f.456.2025.01.14.00.12.40 for <x@gmail.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 14 Jan 2025 00:12:40 -0800 (PST)';
const GMAIL_INTERNAL = 'by 2002:a05:6a10:e0c9:b0:5a4:4f0e:9c1d with SMTP id f9csp123456pxm; Tue, 14 Jan 2025 00:12:40 -0800 (PST)';
const EXIM = 'from [198.51.100.23] (helo=laptop.local) by mail.example.net with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <bob@example.net>) id 1tXyZa-0001Ab-2C for alice@example.org; Tue, 14 Jan 2025 08:12:39 +0000';
const MICROSOFT = 'from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:a1::14) by DB9PR04MB5678.eurprd04.prod.outlook.com (2603:10a6:10:2c3::9) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8335.17; Tue, 14 Jan 2025 08:12:38 +0000';
const SENDMAIL = 'from client.example.com (client.example.com [192.0.2.44]) by mail.example.com (8.15.2/8.15.2) with ESMTP id 50E8CbXk012345 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT) for <u@example.com>; Tue, 14 Jan 2025 08:12:37 GMT';
const PLAIN = 'from old.example.net (old.example.net [192.0.2.99]) by mx.example.org (Postfix) with ESMTP id 4Y1ZAB; Tue, 14 Jan 2025 09:12:45 +0100 (CET)';
const PICKUP = 'by mx.example.org (Postfix, from userid 1000) id 4Y1Z11; Tue, 14 Jan 2025 09:12:41 +0100 (CET)';
const AMAVIS = 'from localhost (localhost [127.0.0.1]) by mx.example.org (Postfix) with ESMTP id 4Y1Z22 for <user@example.org>; Tue, 14 Jan 2025 09:12:43 +0100 (CET)';
const LMTP = 'from mx.example.org ([127.0.0.1]) by mx.example.org with LMTP id 8Jx4Ay0shmfRGQAAUl5yeA (envelope-from <a@example.com>) for <user@example.org>; Tue, 14 Jan 2025 09:12:44 +0100';
const IPV6 = 'from mail.example.com (mail.example.com [IPv6:2001:db8::25]) by mx.example.org (Postfix) with ESMTPS id 4Y1Z33; Tue, 14 Jan 2025 09:12:41 +0100';

describe('roundtrip: Received (RFC 5321 §4.4)', () => {
  test('Postfix with the TLS comment: from/by/with/id/for, client IP and HELO, TLS version and cipher, date', () => {
    const h = parseReceived(POSTFIX_TLS);
    assert.equal(h.from, 'mail-wr1-f54.google.com');
    assert.equal(h.fromIp, '209.85.221.54');
    assert.equal(h.helo, 'mail-wr1-f54.google.com');
    assert.equal(h.by, 'mx.example.org');
    assert.equal(h.with, 'ESMTPS');
    assert.equal(h.id, '4Y1ZxK3bQnz9sRk');
    assert.equal(h.for, 'user@example.org');
    assert.equal(h.date, '2025-01-14T08:12:41.000Z');
    assert.deepEqual([h.tls, h.tlsVersion, h.tlsCipher, h.authenticated], ['yes', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', false]);
  });

  test('Gmail, Exim, Microsoft, Sendmail: TLS from RFC 3848 protocols and each MTA\'s comment', () => {
    const g = parseReceived(GMAIL_MX);
    assert.deepEqual([g.fromIp, g.by, g.tls, g.date], ['203.0.113.5', 'mx.google.com', 'yes', '2025-01-14T08:12:40.000Z']);
    const e = parseReceived(EXIM);
    assert.deepEqual([e.from, e.fromIp, e.helo, e.tls, e.tlsVersion, e.tlsCipher, e.authenticated], ['[198.51.100.23]', '198.51.100.23', 'laptop.local', 'yes', 'TLSv1.3', 'TLS_AES_256_GCM_SHA384', true]);
    const m = parseReceived(MICROSOFT);
    assert.deepEqual([m.fromIp, m.tls, m.tlsVersion, m.with?.startsWith('Microsoft')], ['2603:10a6:20b:a1::14', 'yes', 'TLS1_2', true]);
    const s = parseReceived(SENDMAIL);
    assert.deepEqual([s.fromIp, s.with, s.tls, s.tlsVersion, s.date], ['192.0.2.44', 'ESMTP', 'yes', 'TLSv1.3', '2025-01-14T08:12:37.000Z']);
    assert.equal(parseReceived(IPV6).fromIp, '2001:db8::25');
  });

  test('plain ESMTP is "no TLS"; no `with` is "unknown"; ESMTPSA is authenticated', () => {
    assert.equal(parseReceived(PLAIN).tls, 'no');
    assert.equal(parseReceived('from a (a [192.0.2.1]) by b; Tue, 14 Jan 2025 09:12:45 +0000').tls, 'unknown');
    assert.equal(parseReceived('from a (a [192.0.2.1]) by b with ESMTPSA id 1; Tue, 14 Jan 2025 09:12:45 +0000').authenticated, true);
    assert.equal(parseReceived('from a (a [192.0.2.1]) (Authenticated sender: alice) by b with ESMTP id 1').authenticated, true);
  });

  test('garbage never throws and yields what it can', () => {
    for (const junk of ['', ';', '(((', 'from', 'by by by with', ')))(((;;;', 'from x ([999.1.1.1]) by y; 31 Feb 2026 25:00:00 +0000', 'x'.repeat(100_000), '\u0000\u00ff(\\']) {
      const h = parseReceived(junk);
      assert.equal(typeof h.tls, 'string');
      assert.ok(h.raw.length <= 1000);
    }
    assert.equal(parseReceived('from x ([999.1.1.1]) by y').fromIp, undefined, 'not an address');
    assert.equal(parseReceived('from x by y; Tue, 14 Jan 2025 25:61:00 +0000').date, undefined, 'not a time');
  });

  test('the chain: oldest hop first, per-hop delays, internal hops, the edge hop SPF judges', () => {
    // Header order is newest first (RFC 5321 §4.4).
    const chain = receivedChain([LMTP, AMAVIS, PLAIN, EXIM]);
    assert.deepEqual(chain.map((h) => h.hop), [1, 2, 3, 4]);
    assert.equal(chain[0]!.by, 'mail.example.net');
    assert.deepEqual(chain.map((h) => h.delaySeconds), [undefined, 6, -2, 1], 'a negative delay means the clocks disagree');
    assert.deepEqual(chain.map((h) => h.internal), [false, false, true, true], 'amavis on loopback and LMTP are internal');
    assert.equal(edgeHop(chain)?.fromIp, '192.0.2.99', 'the MX hop, not the submission hop nor the filter');
    assert.deepEqual(hopsWithoutTls(chain).map((h) => h.hop), [2]);
    assert.equal(edgeHop(receivedChain([PICKUP])), undefined, 'local pickup has no client');
    assert.equal(receivedChain([GMAIL_INTERNAL, GMAIL_MX])[1]!.internal, true);
    assert.equal(receivedChain(Array.from({ length: 500 }, () => PLAIN)).length, 50, 'capped');
  });
});

describe('roundtrip: Authentication-Results (RFC 8601)', () => {
  test('Gmail: authserv-id, method=result, comments, ptype.property values', () => {
    const a = parseAuthResults(unfold(`mx.google.com;
       dkim=pass header.i=@example.org header.s=s2024 header.b=AbCdEf12;
       spf=pass (google.com: domain of alice@example.org designates 203.0.113.5 as permitted sender) smtp.mailfrom=alice@example.org;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org`));
    assert.equal(a.authservId, 'mx.google.com');
    assert.deepEqual(a.results.map((r) => `${r.method}=${r.result}`), ['dkim=pass', 'spf=pass', 'dmarc=pass']);
    assert.equal(a.results[0]!.properties['header.s'], 's2024');
    assert.equal(a.results[1]!.properties['smtp.mailfrom'], 'alice@example.org');
    assert.match(a.results[1]!.comment!, /designates 203\.0\.113\.5/);
    assert.equal(a.results[2]!.comment, 'p=REJECT sp=REJECT dis=NONE');
  });

  test('Microsoft writes no authserv-id; OpenDKIM has a version, a quoted reason; none', () => {
    const ms = parseAuthResults('spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=example.org; dkim=pass (signature was verified) header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100');
    assert.equal(ms.authservId, '');
    assert.deepEqual(ms.results.map((r) => r.method), ['spf', 'dkim', 'dmarc', 'compauth']);
    assert.equal(ms.results[3]!.reason, '100');
    const od = parseAuthResults('mail.example.org 1; dkim=fail reason="signature verification failed" (2048-bit key; unprotected) header.d=example.com header.b="ab;c"');
    assert.equal(od.authservId, 'mail.example.org');
    assert.deepEqual([od.results[0]!.result, od.results[0]!.reason, od.results[0]!.properties['header.b'], od.results[0]!.comment], ['fail', 'signature verification failed', 'ab;c', '2048-bit key; unprotected']);
    assert.equal(parseAuthResults('mx.example.org; none').none, true);
    assert.equal(parseAuthResults('mx; dkim/1=PASS header.d=x').results[0]!.result, 'pass');
  });

  test('malformed fields never throw; the receiver\'s field is chosen by authserv-id', () => {
    for (const junk of ['', ';;;', '(', '"', 'x; =pass; dkim=; (a(b)c', ';'.repeat(10_000)]) assert.ok(Array.isArray(parseAuthResults(junk).results));
    assert.deepEqual(parseAuthResults('mx; =pass; dkim pass; spf=fail').errors, ['=pass', 'dkim pass']);
    const picked = receiverResults(['forged.example; dkim=pass', 'mx.rcpt.test; dkim=fail'], ['mx.rcpt.test']);
    assert.deepEqual(picked.map((a) => a.authservId), ['mx.rcpt.test']);
    assert.deepEqual(receiverResults(['top; spf=pass', 'lower; spf=fail'], ['unrelated']).map((a) => a.authservId), ['top'], 'else the topmost field');
  });
});

describe('roundtrip: spam filter headers', () => {
  test('SpamAssassin: status, folded test list, score, threshold, flag', () => {
    const fields = parseHeaders('X-Spam-Flag: NO\r\nX-Spam-Score: -0.1\r\nX-Spam-Status: No, score=-0.1 required=5.0 tests=DKIM_SIGNED,DKIM_VALID,\r\n\tDKIM_VALID_AU,SPF_HELO_NONE,SPF_PASS autolearn=ham autolearn_force=no\r\n\tversion=3.4.6\r\n\r\nbody');
    assert.deepEqual(parseSpamHeaders(fields), [{ filter: 'spamassassin', isSpam: false, score: -0.1, threshold: 5, rules: ['DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'SPF_HELO_NONE', 'SPF_PASS'] }]);
  });

  test('Rspamd: X-Spamd-Result with symbols, X-Rspamd-Score, X-Spam', () => {
    const fields = parseHeaders('X-Rspamd-Score: 6.40\r\nX-Spam: Yes\r\nX-Spamd-Result: default: True [6.40 / 15.00];\r\n\tBAYES_SPAM(5.10)[99.99%];\r\n\tDMARC_POLICY_ALLOW(-0.50)[example.org,reject];\r\n\tMIME_GOOD(-0.10)[text/plain]\r\n\r\n');
    assert.deepEqual(parseSpamHeaders(fields), [{ filter: 'rspamd', isSpam: true, score: 6.4, threshold: 15, rules: ['BAYES_SPAM', 'DMARC_POLICY_ALLOW', 'MIME_GOOD'] }]);
    assert.deepEqual(parseSpamHeaders(parseHeaders('X-Rspamd-Score: -2.9\r\n\r\n')), [{ filter: 'rspamd', rules: [], score: -2.9 }]);
  });

  test('garbage gives no numbers, never NaN; no headers, no verdict', () => {
    const [v] = parseSpamHeaders(parseHeaders('X-Spam-Status: maybe, score=abc required=\r\nX-Spam-Score: NaN\r\n\r\n'));
    assert.deepEqual(v, { filter: 'spamassassin', rules: [] });
    assert.deepEqual(parseSpamHeaders(parseHeaders('Subject: hi\r\n\r\n')), []);
  });
});

describe('roundtrip: headers, dates, folder roles, the mailauth resolver', () => {
  test('headers are unfolded, lower-cased, stop at the body, capped', () => {
    const f = parseHeaders('Received: a\r\n\tb\r\nSubject: x\r\nnot a header\r\n\r\nReceived: body');
    assert.deepEqual(headerValues(f, 'Received'), ['a b']);
    assert.equal(parseHeaders(`${'X: y\r\n'.repeat(5000)}\r\n`).length, 2000);
  });

  test('RFC 5322 dates, strictly: obsolete zones and two-digit years; nonsense is undefined', () => {
    assert.equal(parseMailDate('Tue, 14 Jan 2025 09:12:41 +0100 (CET)'), Date.parse('2025-01-14T08:12:41Z'));
    assert.equal(parseMailDate('14 Jan 25 09:12 EST'), Date.parse('2025-01-14T14:12:00Z'));
    assert.equal(parseMailDate('1 Jan 99 00:00:00 GMT'), Date.parse('1999-01-01T00:00:00Z'));
    for (const bad of ['1', 'yesterday', '32 Jan 2025 00:00:00 +0000', '1 Foo 2025 00:00:00 +0000', '1 Jan 2025 24:00:00 +0000']) assert.equal(parseMailDate(bad), undefined, bad);
  });

  test('folder roles: special-use first (RFC 6154), then the usual names', () => {
    const cases: [string, string | undefined, string | undefined, string][] = [
      ['INBOX', undefined, '/', 'inbox'], ['Inbox', '\\Inbox', '/', 'inbox'], ['Junk', undefined, '/', 'junk'], ['Spam', undefined, '.', 'junk'],
      ['[Gmail]/Spam', '\\Junk', '/', 'junk'], ['Junk E-mail', undefined, '/', 'junk'], ['Bulk', undefined, '/', 'junk'], ['INBOX.Junk', undefined, '.', 'junk'],
      ['Quarantäne', '\\Junk', '/', 'junk'], ['Archive', '\\Archive', '/', 'other'], ['Lists/Rust', undefined, '/', 'other'], ['Junkyard', undefined, '/', 'other'],
    ];
    for (const [path, use, delim, role] of cases) assert.equal(folderRole(path, use, delim), role, path);
  });

  test('mailauth resolver: dns.promises shapes; ENOTFOUND/ENODATA; temporary failures keep their own code', async () => {
    const r = mailauthResolver(zoneResolver({ 'mx.sender.test|A': ['192.0.2.10'], 'sender.test|SOA': [] }));
    assert.deepEqual(await r('sender.test', 'TXT'), [['v=spf1 ip4:192.0.2.0/24 -all']]);
    assert.deepEqual(await r('sender.test', 'MX'), [{ exchange: 'mail.sender.test', priority: 10 }]);
    assert.deepEqual(await r('mx.sender.test', 'A'), ['192.0.2.10']);
    await assert.rejects(r('nowhere.test', 'TXT'), { code: 'ENOTFOUND' });
    await assert.rejects(r('sender.test', 'AAAA'), { code: 'ENODATA' });
    const timeouts = mailauthResolver({ query: async (name, type) => ({ name, type, status: 'timeout', records: [], cnames: [], authority: [], ad: false, aa: false, rcode: '', server: 's', elapsedMs: 1 }) });
    await assert.rejects(timeouts('x.test', 'TXT'), { code: 'ETIMEOUT' });
    await assert.rejects(r('x.test', 'NAPTR'), { code: 'ENOTIMP' });
  });
});
