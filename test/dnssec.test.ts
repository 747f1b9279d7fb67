import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa, checkDemoLab, problems } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const DIGEST = 'c1ae6c426cc3efdbf24bfa6e5991d3355e709b5ed577ad7751673445a300f0f2';

// One file stands for the whole tree: DS records sit at the child's name, as the
// parent serves them. secureZones/bogusZones tell the lab resolver what validates.
const ZONE = `
${soa('test')}
signed       DS 1000 13 2 ${DIGEST}
broken       DS 1001 13 2 ${DIGEST}
island       DS 1002 13 2 ${DIGEST}
weak         DS 1003 5 1 ${DIGEST.slice(0, 40)}
mxbroken     DS 1004 13 2 ${DIGEST}
mixed        DS 1005 13 2 ${DIGEST}
mixed2       DS 1006 13 2 ${DIGEST}
sha1plus     DS 1007 13 1 ${DIGEST.slice(0, 40)}
sha1plus     DS 1007 13 2 ${DIGEST}
${soa('signed.test')}
@        MX 10 mx.signed.test.
mx       A 127.0.0.10
${soa('plain.test')}
@        MX 10 mx.plain.test.
mx       A 127.0.0.11
${soa('broken.test')}
@        MX 10 mx.broken.test.
mx       A 127.0.0.12
${soa('island.test')}
@        MX 10 mx.signed.test.
mx       A 127.0.0.13
${soa('weak.test')}
@        MX 10 mx.signed.test.
${soa('sha1plus.test')}
@        MX 10 mx.signed.test.
${soa('mixed.test')}
@        MX 10 mx.signed.test.
@        MX 20 mx.plainhost.test.
${soa('mixed2.test')}
@        MX 10 mx.island.test.
${soa('mxbroken.test')}
@        MX 10 mx.brokenhost.test.
${soa('plainhost.test')}
mx       A 127.0.0.14
${soa('brokenhost.test')}
mx       A 127.0.0.15
${soa('slow.test')}
@        MX 10 mx.slow.test.
${soa('slowmx.test')}
@        MX 10 mx.slowmx.test.
`;

const SECURE = ['signed.test', 'weak.test', 'sha1plus.test', 'mixed.test', 'mixed2.test', 'mxbroken.test', 'slowmx.test'];
const BOGUS = ['broken.test', 'brokenhost.test'];

describe('dnssec check', () => {
  let lab: ZoneLab;
  let plainResolver: ZoneLab;
  before(async () => {
    lab = await zoneLab(ZONE, { secureZones: SECURE, bogusZones: BOGUS, misbehave: { 'slow.test': 'timeout', 'mx.slowmx.test': 'timeout' } });
    plainResolver = await zoneLab(ZONE); // a resolver that does not validate: never sets AD
  });
  after(async () => { await lab.close(); await plainResolver.close(); });

  test('signed and validated, with the DS as evidence', async () => {
    const r = await lab.check('signed.test', ['dnssec']);
    assert.deepEqual(ids(r).sort(), ['dnssec.mx-signed', 'dnssec.signed']);
    assert.deepEqual((find(r, 'dnssec.signed')!.evidence as { ds: string[] }).ds, [`1000 13 2 ${DIGEST}`]);
  });

  test('no DS at the parent: unsigned is a warning saying why (no DANE, forgeable MX); the MX host in the same zone is not repeated', async () => {
    const r = await lab.check('plain.test', ['dnssec']);
    assert.deepEqual(ids(r), ['dnssec.unsigned']);
    assert.equal(r.exitCode, 1);
    const f = find(r, 'dnssec.unsigned')!;
    assert.equal(f.severity, 'warning');
    assert.match(f.detail ?? '', /MX and TLSA records can be forged/);
    assert.match(f.detail ?? '', /no DANE/);
  });

  test('SERVFAIL that goes away with CD is a broken chain (critical)', async () => {
    const r = await lab.check('broken.test', ['dnssec']);
    assert.deepEqual(ids(r), ['dnssec.bogus']);
    assert.equal(r.exitCode, 2);
  });

  test('DS published but the validating resolver does not authenticate the domain', async () => {
    assert.deepEqual(ids(await lab.check('island.test', ['dnssec'])).sort(), ['dnssec.mx-signed', 'dnssec.not-validated']);
  });

  test('deprecated DS algorithm and SHA-1-only digest are flagged; SHA-1 next to SHA-256 is not', async () => {
    const r = await lab.check('weak.test', ['dnssec']);
    assert.ok(ids(r).includes('dnssec.ds-deprecated-algorithm'));
    assert.match(find(r, 'dnssec.ds-deprecated-algorithm')!.detail!, /RSASHA1/);
    assert.ok(!ids(await lab.check('sha1plus.test', ['dnssec'])).includes('dnssec.ds-deprecated-algorithm'));
  });

  test('MX host in an unsigned zone is info, in a bogus zone critical, in an island a warning', async () => {
    const mixed = await lab.check('mixed.test', ['dnssec']);
    assert.deepEqual(ids(mixed).sort(), ['dnssec.mx-signed', 'dnssec.mx-unsigned', 'dnssec.signed']);
    assert.equal(find(mixed, 'dnssec.mx-unsigned')!.subject, 'mx.plainhost.test');
    const broken = await lab.check('mxbroken.test', ['dnssec']);
    assert.deepEqual(ids(broken).sort(), ['dnssec.mx-bogus', 'dnssec.signed']);
    assert.deepEqual(ids(await lab.check('mixed2.test', ['dnssec'])).sort(), ['dnssec.mx-not-validated', 'dnssec.signed']);
  });

  test('a non-validating resolver: DS says signed, so the result is unknown, not "unsigned"', async () => {
    const r = await plainResolver.check('signed.test', ['dnssec']);
    assert.deepEqual(ids(r), ['dnssec.resolver-not-validating']);
    assert.equal(r.exitCode, 3);
    // Without DS the domain is unsigned whatever the resolver does.
    assert.deepEqual(ids(await plainResolver.check('plain.test', ['dnssec'])), ['dnssec.unsigned']);
  });

  test('timeouts are unknown', async () => {
    assert.deepEqual(ids(await lab.check('slow.test', ['dnssec'])), ['dnssec.lookup-failed']);
    const r = await lab.check('slowmx.test', ['dnssec']);
    assert.deepEqual(ids(r).sort(), ['dnssec.mx-lookup-failed', 'dnssec.signed']);
  });

  test('healthy.test of the demo lab is clean', async () => {
    const r = await checkDemoLab('healthy.test', ['dnssec']);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(ids(r).sort(), ['dnssec.mx-signed', 'dnssec.signed']);
  });
});
