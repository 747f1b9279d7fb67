import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const ZONE = `
${soa('good.test')}
@        MX 10 mx1.good.test.
@        MX 20 mx2.good.test.
mx1      A 127.0.0.10
mx1      AAAA ::1
mx2      A 127.0.0.11
${soa('nullmx.test')}
@        MX 0 .
${soa('mixednull.test')}
@        MX 0 .
@        MX 10 mx.mixednull.test.
mx       A 127.0.0.12
${soa('implicit.test')}
@        A 127.0.0.13
${soa('nothing.test')}
www      A 127.0.0.14
${soa('bad.test')}
@        MX 10 alias.bad.test.
@        MX 20 alias.bad.test.
@        MX 30 192.0.2.1.
@        MX 40 gone.bad.test.
alias    CNAME real.bad.test.
real     A 127.0.0.15
${soa('slow.test')}
@        MX 10 mx.slow.test.
${soa('halfslow.test')}
@        MX 10 mx.halfslow.test.
`;

describe('mx check', () => {
  let lab: ZoneLab;
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { 'slow.test': 'timeout', 'mx.halfslow.test': 'servfail' } }); });
  after(() => lab.close());

  test('healthy domain: present, two hosts, IPv6, nothing else', async () => {
    const r = await lab.check('good.test', ['mx']);
    assert.deepEqual(ids(r), ['mx.present']);
    assert.equal(r.exitCode, 0);
  });

  test('null MX is info, not an error', async () => {
    const r = await lab.check('nullmx.test', ['mx']);
    assert.deepEqual(ids(r), ['mx.null']);
    assert.equal(r.exitCode, 0);
  });

  test('null MX mixed with others is critical', async () => {
    assert.ok(ids(await lab.check('mixednull.test', ['mx'])).includes('mx.null-with-others'));
  });

  test('implicit MX is explained', async () => {
    const r = await lab.check('implicit.test', ['mx']);
    assert.deepEqual(ids(r), ['mx.implicit']);
    assert.match(find(r, 'mx.implicit')!.detail!, /127\.0\.0\.13/);
  });

  test('no MX and no address', async () => {
    assert.deepEqual(ids(await lab.check('nothing.test', ['mx'])), ['mx.none']);
  });

  test('NXDOMAIN domain', async () => {
    assert.deepEqual(ids(await lab.check('absent.good.test', ['mx'])), ['mx.domain-not-found']);
  });

  test('CNAME target, IP literal, missing address, duplicate', async () => {
    const found = ids(await lab.check('bad.test', ['mx']));
    for (const id of ['mx.target-cname', 'mx.target-ip-literal', 'mx.target-no-address', 'mx.duplicate']) assert.ok(found.includes(id), id);
    assert.ok(!found.includes('mx.present'));
  });

  test('single host and no IPv6 are noted', async () => {
    const found = ids(await lab.check('mixednull.test', ['mx']));
    assert.ok(found.includes('mx.single-host'));
    assert.ok(found.includes('mx.no-ipv6'));
  });

  test('an MX host whose lookup fails is unknown, not "no address"', async () => {
    const found = ids(await lab.check('halfslow.test', ['mx']));
    assert.ok(found.includes('mx.target-lookup-failed'));
    assert.ok(!found.includes('mx.target-no-address'));
  });

  test('a timeout is unknown, never "missing"', async () => {
    const r = await lab.check('slow.test', ['mx']);
    assert.deepEqual(ids(r), ['mx.lookup-failed']);
    assert.equal(r.exitCode, 3);
  });
});
