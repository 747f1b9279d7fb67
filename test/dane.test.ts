import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa, checkDemoLab, problems } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { hasRolloverScheme, isUsableForSmtp, parseTlsa } from '../src/parsers/tlsa.js';

const H1 = 'c1ae6c426cc3efdbf24bfa6e5991d3355e709b5ed577ad7751673445a300f0f2';
const H2 = '18f319e7bcd425c75c172992a31f0fad984ee3e0b9821adeab89946128808c73';
const tlsa = (u: number, s: number, m: number, hex: string) => ({ usage: u, selector: s, matchingType: m, certificate: Buffer.from(hex, 'hex') });

const ZONE = `
${soa('test')}
island   DS 1002 13 2 ${H1}
${soa('good.test')}
@             MX 10 mx.good.test.
mx            A 127.0.0.10
_25._tcp.mx   TLSA 3 1 1 ${H1}
_25._tcp.mx   TLSA 3 1 1 ${H2}
${soa('ta.test')}
@             MX 10 mx.ta.test.
_25._tcp.mx   TLSA 3 1 1 ${H1}
_25._tcp.mx   TLSA 2 0 1 ${H2}
${soa('one.test')}
@             MX 10 mx.one.test.
_25._tcp.mx   TLSA 3 1 1 ${H1}
${soa('none.test')}
@             MX 10 mx.none.test.
mx            A 127.0.0.11
${soa('bad.test')}
@             MX 10 mx.bad.test.
_25._tcp.mx   TLSA 3 1 1 ${H1.slice(0, 32)}
_25._tcp.mx   TLSA 3 1 2 ${H1}
_25._tcp.mx   TLSA 4 1 1 ${H1}
${soa('pkix.test')}
@             MX 10 mx.pkix.test.
_25._tcp.mx   TLSA 0 0 1 ${H1}
_25._tcp.mx   TLSA 1 1 1 ${H2}
${soa('insecure.test')}
@             MX 10 mx.insecure.test.
_25._tcp.mx   TLSA 3 1 1 ${H1}
_25._tcp.mx   TLSA 3 1 1 ${H2}
${soa('island.test')}
@             MX 10 mx.island.test.
@             MX 20 mx.good.test.
_25._tcp.mx   TLSA 3 1 1 ${H1}
${soa('toinsecure.test')}
@             MX 10 mx.insecure.test.
${soa('toinsecure2.test')}
@             MX 10 mx.good.test.
${soa('islandonly.test')}
@             MX 10 mx.island.test.
${soa('viabogus.test')}
@             MX 10 mx.bogushost.test.
${soa('bogushost.test')}
mx            A 127.0.0.12
_25._tcp.mx   TLSA 3 1 1 ${H1}
${soa('slow.test')}
@             MX 10 mx.slow.test.
`;

const SECURE = ['good.test', 'ta.test', 'one.test', 'none.test', 'bad.test', 'pkix.test', 'slow.test', 'toinsecure.test', 'viabogus.test'];

describe('dane check', () => {
  let lab: ZoneLab;
  let plainResolver: ZoneLab;
  before(async () => {
    lab = await zoneLab(ZONE, { secureZones: SECURE, bogusZones: ['bogushost.test'], misbehave: { '_25._tcp.mx.slow.test': 'timeout' } });
    plainResolver = await zoneLab(ZONE);
  });
  after(async () => { await lab.close(); await plainResolver.close(); });

  test('parser: fields, digest lengths, full data and hostile input', () => {
    assert.ok(isUsableForSmtp(parseTlsa(tlsa(3, 1, 1, H1))));
    assert.match(parseTlsa(tlsa(3, 1, 1, H1.slice(0, 62))).problems[0]!, /32 bytes, found 31/);
    assert.match(parseTlsa(tlsa(3, 1, 2, H1)).problems[0]!, /64 bytes, found 32/);
    assert.ok(parseTlsa(tlsa(3, 1, 2, H1 + H2)).problems.length === 0);
    assert.ok(parseTlsa(tlsa(3, 1, 0, `30${H1}`)).problems.length === 0);
    assert.match(parseTlsa(tlsa(3, 1, 0, H1)).problems[0]!, /SEQUENCE/);
    assert.equal(parseTlsa(tlsa(3, 2, 3, H1)).problems.length, 2);
    assert.ok(parseTlsa(tlsa(1, 1, 1, H1)).pkix);
    assert.ok(parseTlsa(undefined).problems.length >= 4);
    assert.ok(parseTlsa(Buffer.from('junk')).problems.length > 0);
    assert.ok(hasRolloverScheme([parseTlsa(tlsa(3, 1, 1, H1)), parseTlsa(tlsa(2, 0, 1, H2))]));
    assert.ok(!hasRolloverScheme([parseTlsa(tlsa(3, 1, 1, H1)), parseTlsa(tlsa(3, 1, 1, H1))]));
    assert.ok(!hasRolloverScheme([parseTlsa(tlsa(2, 0, 1, H1)), parseTlsa(tlsa(2, 0, 1, H2))]));
  });

  test('DANE-EE records, validated, with a rollover scheme', async () => {
    const r = await lab.check('good.test', ['dane']);
    assert.deepEqual(ids(r), ['dane.present']);
    assert.equal((find(r, 'dane.present')!.evidence as { records: string[] }).records.length, 2);
    assert.deepEqual(ids(await lab.check('ta.test', ['dane'])), ['dane.present']);
  });

  test('a single record: no rollover scheme (info)', async () => {
    const r = await lab.check('one.test', ['dane']);
    assert.deepEqual(ids(r).sort(), ['dane.no-rollover', 'dane.present']);
    assert.equal(r.exitCode, 0);
  });

  test('no TLSA is info', async () => {
    const r = await lab.check('none.test', ['dane']);
    assert.deepEqual(ids(r), ['dane.none']);
    assert.equal(find(r, 'dane.none')!.subject, 'mx.none.test');
  });

  test('malformed records: short digest, SHA-512 of the wrong length, unknown usage', async () => {
    const r = await lab.check('bad.test', ['dane']);
    assert.deepEqual(ids(r), ['dane.tlsa-invalid']);
    const detail = find(r, 'dane.tlsa-invalid')!.detail!;
    assert.match(detail, /found 16/);
    assert.match(detail, /64 bytes, found 32/);
    assert.match(detail, /usage 4/);
  });

  test('PKIX-TA/PKIX-EE usages are not for SMTP', async () => {
    assert.deepEqual(ids(await lab.check('pkix.test', ['dane'])), ['dane.pkix-usage']);
  });

  test('TLSA in an unsigned zone reached through a validated MX RRset is ignored by senders', async () => {
    assert.deepEqual(ids(await lab.check('toinsecure.test', ['dane'])), ['dane.insecure']);
  });

  test('an insecure MX RRset: DANE does not apply (RFC 7672 §2.2.1), TLSA records are not judged as if it did', async () => {
    // insecure.test is unsigned: its TLSA records have no effect (a warning, since they were meant to).
    const r = await lab.check('insecure.test', ['dane']);
    assert.deepEqual(r.findings.map((f) => `${f.id}:${f.severity}`), ['dane.not-applicable:warning']);
    assert.match(find(r, 'dane.not-applicable')!.detail!, /not DNSSEC-validated \(no DS for insecure\.test\).*mx\.insecure\.test/);
    // island.test has DS but no AD: even mx.good.test's valid, validated TLSA gives no DANE through it.
    const island = await lab.check('island.test', ['dane']);
    assert.deepEqual(island.findings.map((f) => `${f.id}:${f.severity}`), ['dane.not-applicable:warning']);
    assert.deepEqual((find(island, 'dane.not-applicable')!.evidence as { hostsWithTlsa: string[] }).hostsWithTlsa.sort(), ['mx.good.test', 'mx.island.test']);
    // Only a provider's host (another domain's) has TLSA: information, dnssec.unsigned says the rest.
    const viaProvider = await lab.check('toinsecure2.test', ['dane']);
    assert.deepEqual(viaProvider.findings.map((f) => `${f.id}:${f.severity}`), ['dane.not-applicable:info']);
    // No TLSA anywhere: the same fact, for information.
    const none = await plainResolver.check('none.test', ['dane']);
    assert.deepEqual(none.findings.map((f) => `${f.id}:${f.severity}`), ['dane.not-applicable:info']);
  });

  test('a non-validating resolver cannot tell (unknown)', async () => {
    // island.test has DS, so its MX RRset is "unverifiable", not insecure: the hosts are judged.
    assert.deepEqual(ids(await plainResolver.check('island.test', ['dane'])).sort(), ['dane.insecure', 'dane.validation-unknown']);
    // An unsigned zone stays unsigned: no DS is a fact without validation.
    assert.deepEqual(ids(await plainResolver.check('insecure.test', ['dane'])), ['dane.not-applicable']);
  });

  test('bogus TLSA answer is critical; a timeout is unknown', async () => {
    const r = await lab.check('viabogus.test', ['dane']);
    assert.deepEqual(ids(r), ['dane.tlsa-bogus']);
    assert.equal(r.exitCode, 2);
    const slow = await lab.check('slow.test', ['dane']);
    assert.deepEqual(ids(slow), ['dane.lookup-failed']);
    assert.equal(slow.exitCode, 3);
  });

  test('healthy.test of the demo lab is clean', async () => {
    const r = await checkDemoLab('healthy.test', ['dane']);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(ids(r), ['dane.present', 'dane.present']);
  });
});
