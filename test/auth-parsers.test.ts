import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagList } from '../src/parsers/tag-list.js';
import { parseReportUri } from '../src/parsers/report-uri.js';
import { parseDmarc, effectivePolicy, isDmarcCandidate, isUsable } from '../src/parsers/dmarc.js';
import { parseDkimKey } from '../src/parsers/dkim-key.js';
import { parseTlsRpt } from '../src/parsers/tlsrpt.js';
import { parseBimi } from '../src/parsers/bimi.js';

const RSA2048 = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApGuKwS1xoplXFk9qemEN4+CmE4denhYnoClyAyvVEUFBQjNWDONuICKspldw/z/1zaFHhjTjHWihcLvIcMqNOVY307Z9B0bjWFNrlb9HPIkTkUOPubmIZZI44vh62aCuld9MZHZ/8bK63ptNGf3na14Hqey2HOSrhbs7L6aIG7UmjcXe8zPx9XO0tkqdMJhjZBwP2thBFPpQ4g9j5V1hPtUCm1fZHf6n9tsxldLgnXBZwnEIMLkbCE+g24oWWNJo3PVKcjSA/ZDL7E+zE6fTOi6nn5bi2HAcJJ3sPZkCAk2tZ5K0TO/O46QLLZW9nqqdXmRj1MUgOe0KEWYeUxFU2QIDAQAB';

test('tag list: positions, trailing ";", duplicates, bad specs', () => {
  const l = parseTagList('v=DMARC1; p=reject; ');
  assert.deepEqual(l.tags.map((t) => [t.name, t.value, t.pos]), [['v', 'DMARC1', 0], ['p', 'reject', 10]]);
  assert.deepEqual(l.errors, []);
  assert.deepEqual(parseTagList('a=1; A=2', true).duplicates, ['a']);
  assert.deepEqual(parseTagList('a=1; A=2').duplicates, [], 'DKIM tag names are case-sensitive');
  assert.equal(parseTagList('a=1;; b').errors.length, 2);
});

test('report URIs: mailto, https, !size, bad schemes', () => {
  assert.deepEqual(parseReportUri('mailto:d@Example.com!10m', true), { raw: 'mailto:d@Example.com!10m', sizeLimit: 10 * 1024 ** 2, scheme: 'mailto', target: 'd@Example.com', host: 'example.com' });
  assert.equal(parseReportUri('https://r.example.com/x', false).host, 'r.example.com');
  assert.match(parseReportUri('mailto:d@x.com!10m', false).error!, /size/);
  assert.match(parseReportUri('ftp://x.com/', false).error!, /scheme/);
  assert.match(parseReportUri('d@x.com', false).error!, /not a URI/);
  assert.match(parseReportUri('mailto:nobody', false).error!, /valid domain/);
});

test('DMARC: defaults, policies, DMARCbis notes', () => {
  const r = parseDmarc('v=DMARC1; p=Reject; sp=none; rua=mailto:a@x.com');
  assert.equal(r.p, 'reject');
  assert.equal(effectivePolicy(r, false), 'reject');
  assert.equal(effectivePolicy(r, true), 'none');
  assert.deepEqual([r.adkim, r.aspf, r.pct], ['r', 'r', 100]);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(parseDmarc('v=DMARC1; p=none; pct=0; rf=afrf; ri=3600').issues.map((i) => i.kind), ['obsolete-tag']);
  assert.deepEqual(parseDmarc('v=DMARC1; p=none; pct=101').issues.map((i) => i.kind), ['rejected-value', 'obsolete-tag']);
  assert.deepEqual(parseDmarc('v=DMARC1; p=none; pct=abc').issues.map((i) => i.kind), ['invalid-value', 'obsolete-tag']);
  assert.deepEqual(parseDmarc(' v=DMARC1; p=none').issues.map((i) => i.kind), ['syntax']);
  assert.deepEqual(parseDmarc('v=dmarc1; p=none').issues.map((i) => i.kind), ['syntax']);
  // RFC 7489 §6.4: tag names are ABNF strings (case-insensitive); only the value DMARC1 is exact.
  const upper = parseDmarc('V=DMARC1; P=reject; ADKIM=s');
  assert.deepEqual([upper.issues, upper.p, upper.adkim, isUsable(upper)], [[], 'reject', 's', true]);
  assert.deepEqual(parseDmarc('V=dmarc1; P=reject').issues.map((i) => i.kind), ['syntax']);
  // The values OpenDMARC's own test suite rejects (DMARC_PARSE_ERROR_BAD_VALUE): the record is discarded.
  for (const [tag, bad] of [['adkim', 'bob'], ['aspf', 'bob'], ['rf', 'bob'], ['ri', 'bob'], ['pct', '500']]) {
    const r = parseDmarc(`v=DMARC1; p=none; ${tag}=${bad};`);
    assert.deepEqual(r.issues.filter((i) => i.kind === 'rejected-value').map((i) => i.tag), [tag], `${tag}=${bad}`);
    assert.equal(isUsable(r), false, `${tag}=${bad}`);
  }
  // OpenDMARC takes "strict" (a word starting like s): RFC-invalid, ignored, but not discarded.
  assert.deepEqual(parseDmarc('v=DMARC1; p=none; adkim=strict').issues.map((i) => i.kind), ['invalid-value']);
  assert.ok(isDmarcCandidate('v=DMARC1 p=reject') && isDmarcCandidate('p=none; v=DMARC1') && !isDmarcCandidate('v=spf1 -all'));
});

test('DKIM key: RSA size from SPKI, whitespace inside p=, Ed25519 length, flags', () => {
  const spaced = RSA2048.replace(/(.{64})/g, '$1 ');
  const k = parseDkimKey(`v=DKIM1; k=rsa; t=y:s; h=sha256; p=${spaced}`);
  assert.deepEqual([k.bits, k.testing, k.strict, k.hashes, k.issues], [2048, true, true, ['sha256'], []]);
  assert.equal(parseDkimKey('p=').revoked, true);
  assert.deepEqual(parseDkimKey(`k=ed25519; p=${Buffer.alloc(32, 7).toString('base64')}`).issues, []);
  assert.equal(parseDkimKey(`k=ed25519; p=${Buffer.alloc(31).toString('base64')}`).issues[0]!.kind, 'key-invalid');
  assert.equal(parseDkimKey('v=DKIM2; p=').issues[0]!.kind, 'syntax');
});

test('TLS-RPT: exact version, rua required, extensions allowed', () => {
  const r = parseTlsRpt('v=TLSRPTv1; rua=mailto:a@x.com, https://r.x.com/; ext.name=1;');
  assert.deepEqual([r.errors, r.rua.length, r.extensions], [[], 2, [{ name: 'ext.name', value: '1' }]]);
  assert.equal(parseTlsRpt('v=TLSRPTv1;').errors.length, 1);
  assert.equal(parseTlsRpt('v=TLSRPTv1; rua=mailto:a@x.com; rua=mailto:b@x.com').errors.length, 1);
});

test('BIMI: logo and authority, declination, http refused', () => {
  const b = parseBimi('v=BIMI1; l=https://x.com/l.svg; a=https://x.com/v.pem');
  assert.deepEqual([b.logo, b.authority, b.errors, b.declined], ['https://x.com/l.svg', 'https://x.com/v.pem', [], false]);
  assert.equal(parseBimi('v=BIMI1; l=;').declined, true);
  assert.equal(parseBimi('v=BIMI1; l=http://x.com/l.svg').badUris.length, 1);
});

test('parsers never throw on garbage', () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = 'v=DMARC1;pkrua:mailto@!,. \t=;;\u00e9\u0000BIMI1TLSRPTv1/+';
  for (let i = 0; i < 2000; i++) {
    const s = Array.from({ length: Math.floor(rnd() * 60) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    parseDmarc(s); parseDkimKey(s); parseTlsRpt(s); parseBimi(s);
  }
});
