// DNS blacklists (RFC 5782) against fake list zones served by the in-process lab DNS:
// listings, refusals and odd answers are told apart, and nothing but a documented
// listing code is ever reported as "listed".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';
import { zoneLab, ids, find, soa, checkDemoLab, problems } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { dnsblQueryName, judgeAnswer, judgeCode, subjectKind } from '../src/parsers/dnsbl.js';
import { DNSBL_LISTS, customList, selectLists } from '../src/data/dnsbl.js';
import { dnsblAddressCheck } from '../src/checks/reputation/dnsbl.js';
import { blacklistTarget } from '../src/cli/commands/blacklist.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import type { AddressTarget } from '../src/core/check.js';

const V6_11 = '1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';
const ZEN = DNSBL_LISTS.find((l) => l.zone === 'zen.spamhaus.org')!;
const URIBL = DNSBL_LISTS.find((l) => l.zone === 'multi.uribl.com')!;
const SURBL = DNSBL_LISTS.find((l) => l.zone === 'multi.surbl.org')!;

// zen.spamhaus.org has an SOA; the other list zones have none, so their NXDOMAIN comes without one.
const ZONE = `
${soa('clean.test')}
@     MX 10 mx.clean.test.
mx    A 127.0.0.10
mx    AAAA 2001:db8::10
${soa('listed.test')}
@     MX 10 mx.listed.test.
mx    A 127.0.0.11
mx    AAAA 2001:db8::11
${soa('refused.test')}
@     MX 10 mx.refused.test.
mx    A 127.0.0.12
${soa('slow.test')}
@     MX 10 mx.slow.test.
mx    A 127.0.0.13
${soa('slower.test')}
@     MX 10 mx.slower.test.
mx    A 127.0.0.15
${soa('odd.test')}
@     MX 10 mx.odd.test.
mx    A 127.0.0.14
${soa('spammy.test')}
@     MX 10 mx.clean.test.
${soa('nullmx.test')}
@     MX 0 .
${soa('mxfail.test')}
${soa('zen.spamhaus.org')}
11.0.0.127             A 127.0.0.2
11.0.0.127             A 127.0.0.4
11.0.0.127             TXT "Listed in the SBL, see https://check.spamhaus.org/"
${V6_11}               A 127.0.0.3
12.0.0.127             A 127.255.255.254
14.0.0.127             A 127.0.0.8
$ORIGIN dnsbl-1.uceprotect.net.
11.0.0.127             A 127.0.0.2
$ORIGIN bl.spamcop.net.
14.0.0.127             A 192.0.2.1
$ORIGIN dbl.spamhaus.org.
spammy.test            A 127.0.1.2
$ORIGIN multi.uribl.com.
refused.test           A 127.0.0.1
spammy.test            A 127.0.0.4
$ORIGIN multi.surbl.org.
spammy.test            A 127.0.0.24
$ORIGIN bl.example.test.
10.0.0.127             A 127.0.0.5
`;

describe('dnsbl query names and codes (RFC 5782)', () => {
  test('IPv4 reversed octets, IPv6 reversed nibbles, names as they are', () => {
    assert.equal(dnsblQueryName('192.0.2.1', 'zen.spamhaus.org'), '1.2.0.192.zen.spamhaus.org');
    assert.equal(dnsblQueryName('2001:db8::11', 'zen.spamhaus.org'), `${V6_11}.zen.spamhaus.org`);
    assert.equal(dnsblQueryName('Example.COM.', 'dbl.spamhaus.org'), 'example.com.dbl.spamhaus.org');
    assert.deepEqual(['192.0.2.1', '::1', 'example.com'].map(subjectKind), ['ip4', 'ip6', 'domain']);
  });

  test('Spamhaus error codes and 127.0.0.1 are never listings', () => {
    for (const code of ['127.255.255.252', '127.255.255.254', '127.255.255.255']) assert.equal(judgeCode(ZEN, code).status, 'refused', code);
    assert.equal(judgeCode(ZEN, '127.0.0.1').status, 'unexpected');
    assert.equal(judgeCode(ZEN, '127.0.0.8').status, 'unexpected');
    assert.equal(judgeCode(ZEN, '10.0.0.2').status, 'unexpected');
    assert.equal(judgeCode(URIBL, '127.0.0.1').status, 'refused');
    assert.equal(judgeCode(customList('x.test'), '127.0.0.1').status, 'unexpected');
    assert.equal(judgeCode(customList('x.test'), '127.255.255.254').status, 'unexpected');
    assert.equal(judgeCode(customList('x.test'), '127.0.0.254').status, 'listed');
  });

  test('listing codes carry their meaning and weight; bitmasks combine', () => {
    const v = judgeAnswer(ZEN, ['127.0.0.2', '127.0.0.10']);
    assert.equal(v.status, 'listed');
    assert.match(v.codes.map((c) => c.meaning).join('|'), /SBL.*\|PBL/);
    const s = judgeCode(SURBL, '127.0.0.24');
    assert.equal(s.status, 'listed');
    assert.match(s.meaning, /PH.*MW/);
    assert.equal(judgeCode(SURBL, '127.0.0.3').status, 'unexpected'); // bit 0 is never a listing
    assert.equal(judgeCode(URIBL, '127.0.0.4').weight, 'minor');
    assert.equal(judgeCode(URIBL, '127.0.0.6').weight, 'major');
    // A listing beside a refusal still counts as the listing.
    assert.equal(judgeAnswer(ZEN, ['127.255.255.254', '127.0.0.4']).status, 'listed');
  });

  test('--dnsbl zones replace the built-in set; known zones keep their codes; DQS zones map to Spamhaus', () => {
    assert.equal(selectLists([]).length, DNSBL_LISTS.length);
    assert.ok(DNSBL_LISTS.length >= 8 && DNSBL_LISTS.length <= 10);
    const [a, b, c] = selectLists(['ZEN.spamhaus.org.', 'bl.example.test', 'abc123.zen.dq.spamhaus.net']);
    assert.equal(a, ZEN);
    assert.equal(b!.listing[0]!.to, '127.0.0.254');
    assert.equal(c!.errors.length, ZEN.errors.length);
  });
});

describe('dnsbl check', () => {
  let lab: ZoneLab;
  const opts = { stepTimeoutMs: 3000 };
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { '13.0.0.127.zen.spamhaus.org': 'timeout', '15.0.0.127.zen.spamhaus.org': 'timeout', 'mxfail.test': 'servfail' } }); });
  after(() => lab.close());

  test('clean domain: every address and the domain are not listed', async () => {
    const r = await lab.check('clean.test', ['dnsbl'], opts);
    assert.deepEqual(ids(r), ['dnsbl.not-listed', 'dnsbl.not-listed', 'dnsbl.not-listed']);
    assert.equal(r.exitCode, 0);
    const v4 = r.findings.find((f) => f.subject === 'mx.clean.test (127.0.0.10)')!;
    assert.equal((v4.evidence!.lists as string[]).length, DNSBL_LISTS.filter((l) => l.kinds.includes('ip4')).length);
    const v6 = r.findings.find((f) => f.subject === 'mx.clean.test (2001:db8::10)')!;
    assert.deepEqual(v6.evidence!.lists, ['zen.spamhaus.org']);
    const dom = r.findings.find((f) => f.subject === 'clean.test')!;
    assert.deepEqual(dom.evidence!.lists, ['dbl.spamhaus.org', 'multi.surbl.org', 'multi.uribl.com']);
  });

  test('listed IPv4 (with TXT reason), listed IPv6 in nibble form, minor list as a warning', async () => {
    const r = await lab.check('listed.test', ['dnsbl'], opts);
    const listed = r.findings.filter((f) => f.id === 'dnsbl.listed');
    const zen4 = listed.find((f) => f.subject === 'mx.listed.test (127.0.0.11)' && f.evidence!.zone === 'zen.spamhaus.org')!;
    assert.equal(zen4.severity, 'critical');
    assert.deepEqual((zen4.evidence!.codes as { code: string }[]).map((c) => c.code), ['127.0.0.2', '127.0.0.4']);
    assert.match(zen4.detail!, /SBL.*XBL/);
    assert.deepEqual(zen4.evidence!.txt, ['Listed in the SBL, see https://check.spamhaus.org/']);
    assert.equal(zen4.evidence!.delistUrl, 'https://check.spamhaus.org/');
    assert.equal(zen4.evidence!.query, '11.0.0.127.zen.spamhaus.org');
    const zen6 = listed.find((f) => f.subject === 'mx.listed.test (2001:db8::11)')!;
    assert.equal(zen6.evidence!.query, `${V6_11}.zen.spamhaus.org`);
    assert.match(zen6.detail!, /CSS/);
    const uce = listed.find((f) => f.evidence!.zone === 'dnsbl-1.uceprotect.net')!;
    assert.equal(uce.severity, 'warning');
    assert.equal(listed.length, 3);
    assert.ok(!ids(r).includes('dnsbl.not-listed') || r.findings.filter((f) => f.id === 'dnsbl.not-listed').every((f) => f.subject === 'listed.test'));
    assert.equal(r.exitCode, 2);
  });

  test('127.255.255.254 from Spamhaus is unknown with the reason, never listed', async () => {
    const r = await lab.check('refused.test', ['dnsbl'], opts);
    assert.ok(!ids(r).includes('dnsbl.listed'));
    const f = find(r, 'dnsbl.query-refused')!;
    assert.equal(f.severity, 'unknown');
    assert.equal(f.subject, 'zen.spamhaus.org');
    assert.match(f.detail!, /public\/open resolver.*use your own resolver or a DQS key/s);
    assert.equal(r.exitCode, 3);
  });

  test('URIBL 127.0.0.1 is a refusal, not a listing', async () => {
    const r = await lab.check('refused.test', ['dnsbl'], opts);
    const f = r.findings.find((x) => x.id === 'dnsbl.query-refused' && x.subject === 'multi.uribl.com')!;
    assert.match(f.detail!, /127\.0\.0\.1 \(query refused/);
  });

  test('undocumented codes and answers outside 127/8 are unexpected, not listed', async () => {
    const r = await lab.check('odd.test', ['dnsbl'], opts);
    const odd = r.findings.filter((f) => f.id === 'dnsbl.unexpected-answer').map((f) => f.subject).sort();
    assert.deepEqual(odd, ['bl.spamcop.net', 'zen.spamhaus.org']);
    assert.ok(!ids(r).includes('dnsbl.listed'));
  });

  test('a timeout is unknown (lookup failed), and the other lists still count', async () => {
    const r = await lab.check('slow.test', ['dnsbl'], opts);
    const f = find(r, 'dnsbl.lookup-failed')!;
    assert.equal(f.subject, 'zen.spamhaus.org');
    assert.match(f.detail!, /timeout|within/);
    const ok = r.findings.find((x) => x.id === 'dnsbl.not-listed' && x.subject === 'mx.slow.test (127.0.0.13)')!;
    assert.match(ok.detail!, /1 could not tell/);
    assert.ok(!ids(r).includes('dnsbl.listed'));
  });

  test('the overall deadline ends slow lookups as unknown', async () => {
    const t0 = Date.now();
    // Its own name: the resolver caches answers, a timeout included.
    const r = await lab.check('slower.test', ['dnsbl'], { stepTimeoutMs: 200 });
    assert.ok(Date.now() - t0 < 900, 'did not wait for the 1 s DNS timeout');
    assert.match(find(r, 'dnsbl.lookup-failed')!.detail!, /200 ms blacklist deadline/);
  });

  test('domain lists: DBL, SURBL bitmask, URIBL grey', async () => {
    const r = await lab.check('spammy.test', ['dnsbl'], opts);
    const byZone = Object.fromEntries(r.findings.filter((f) => f.id === 'dnsbl.listed').map((f) => [f.evidence!.zone, f]));
    assert.equal(byZone['dbl.spamhaus.org'].severity, 'critical');
    assert.equal(byZone['dbl.spamhaus.org'].subject, 'spammy.test');
    assert.match(byZone['multi.surbl.org'].detail!, /PH: phishing; MW: malware/);
    assert.equal(byZone['multi.uribl.com'].severity, 'warning');
  });

  test('--dnsbl: only the named zone; an unknown zone treats 127.0.0.2-254 as listed', async () => {
    const r = await lab.check('clean.test', ['dnsbl'], { ...opts, dnsblZones: ['bl.example.test'] });
    const f = find(r, 'dnsbl.listed')!;
    assert.equal(f.evidence!.zone, 'bl.example.test');
    assert.equal(f.severity, 'critical');
    for (const ok of r.findings.filter((x) => x.id === 'dnsbl.not-listed')) assert.deepEqual(ok.evidence!.lists, ['bl.example.test']);
  });

  test('null MX: no addresses, only the domain lists; MX lookup failure is unknown', async () => {
    const r = await lab.check('nullmx.test', ['dnsbl'], opts);
    assert.deepEqual(ids(r).sort(), ['dnsbl.no-addresses', 'dnsbl.not-listed']);
    const fail = await lab.check('mxfail.test', ['dnsbl'], opts);
    assert.ok(fail.findings.some((f) => f.id === 'dnsbl.lookup-failed' && f.subject === 'mxfail.test'));
  });

  test('address targets (mxdoctor blacklist): an IP, an IPv6 address, a host name', async () => {
    const run = (input: string) => runTarget<AddressTarget>(blacklistTarget(input), {
      checks: [dnsblAddressCheck], checkTimeoutMs: 5000, context: contextFactory(lab.resolver, opts),
    });
    const ip = await run('127.0.0.11');
    assert.equal(ip.kind, 'address');
    assert.deepEqual(ip.findings.filter((f) => f.id === 'dnsbl.listed').map((f) => f.evidence!.zone).sort(), ['dnsbl-1.uceprotect.net', 'zen.spamhaus.org']);
    assert.ok(ip.findings.every((f) => f.check === 'dnsbl'));
    const v6 = await run('[2001:db8::11]');
    assert.deepEqual(v6.findings.map((f) => f.id), ['dnsbl.listed']);
    const host = await run('mx.listed.test');
    const subjects = new Set(host.findings.map((f) => f.subject));
    assert.ok(subjects.has('mx.listed.test (127.0.0.11)') && subjects.has('mx.listed.test'), [...subjects].join(', '));
    assert.throws(() => blacklistTarget('not a name!'), /is not an IP address or a name: it contains a space/);
  });

  test('the CLI: mxdoctor blacklist --json exits 2 for a listed address', async () => {
    const out = await runCli(['blacklist', '127.0.0.11', '--json', '--resolver', `${lab.server.host}:${lab.server.port}`, '--timeout', '1000']);
    assert.equal(out.code, 2);
    const doc = JSON.parse(out.stdout);
    assert.equal(doc.reports[0].kind, 'address');
    assert.ok(doc.reports[0].findings.some((f: { id: string }) => f.id === 'dnsbl.listed'));
  });
});

describe('dnsbl in the demo lab', () => {
  test('healthy.test is on no list (the lab answers NXDOMAIN under every built-in zone)', async () => {
    const r = await checkDemoLab('healthy.test', ['dnsbl']);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(ids(r), ['dnsbl.not-listed', 'dnsbl.not-listed', 'dnsbl.not-listed', 'dnsbl.not-listed']);
  });

  test('dnsbl-listed.test is listed on the lab copy of Spamhaus ZEN', async () => {
    const r = await checkDemoLab('dnsbl-listed.test', ['dnsbl']);
    assert.ok(r.findings.some((f) => f.id === 'dnsbl.listed' && f.evidence!.zone === 'zen.spamhaus.org' && f.severity === 'critical'));
  });
});
