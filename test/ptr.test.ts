import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa, checkDemoLab, problems } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { canonicalIp, reverseName } from '../src/parsers/reverse-name.js';

// The ip6.arpa names below are written out by hand (RFC 3596 §2.5), not computed.
const V6_10 = `0.1.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.ip6.arpa.`; // 2001:db8::10

const ZONE = `
${soa('good.test')}
@        MX 10 mx1.good.test.
mx1      A 127.0.0.10
mx1      AAAA 2001:db8::10
${soa('noptr.test')}
@        MX 10 mx.noptr.test.
mx       A 127.0.0.11
${soa('fcrdns.test')}
@        MX 10 mx.fcrdns.test.
mx       A 127.0.0.12
other    A 127.0.0.99
${soa('multi.test')}
@        MX 10 mx.multi.test.
mx       A 127.0.0.13
alias    A 127.0.0.13
${soa('slow.test')}
@        MX 10 mx.slow.test.
mx       A 127.0.0.14
$ORIGIN in-addr.arpa.
10.0.0.127   PTR mx1.good.test.
12.0.0.127   PTR other.fcrdns.test.
13.0.0.127   PTR mx.multi.test.
13.0.0.127   PTR alias.multi.test.
$ORIGIN ip6.arpa.
${V6_10} PTR mx1.good.test.
`;

describe('ptr check', () => {
  let lab: ZoneLab;
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { '14.0.0.127.in-addr.arpa': 'timeout' } }); });
  after(() => lab.close());

  test('reverse names: in-addr.arpa and nibble ip6.arpa (RFC 3596 §2.5 example)', () => {
    assert.equal(reverseName('192.0.2.1'), '1.2.0.192.in-addr.arpa');
    assert.equal(reverseName('4321:0:1:2:3:4:567:89ab'), 'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa');
    assert.equal(reverseName('2001:db8::10'), V6_10.slice(0, -1));
    assert.equal(reverseName('mail.example'), undefined);
    assert.equal(reverseName('1::2::3'), undefined);
    assert.equal(canonicalIp('2001:DB8:0::10'), canonicalIp('2001:db8::0:10'));
  });

  test('IPv4 and IPv6 addresses with forward-confirmed PTRs', async () => {
    const r = await lab.check('good.test', ['ptr']);
    assert.deepEqual(ids(r), ['ptr.confirmed']);
    const ev = find(r, 'ptr.confirmed')!.evidence as { addresses: { address: string; ptr: string[] }[] };
    assert.deepEqual(ev.addresses.map((a) => a.address).sort(), ['127.0.0.10', '2001:db8::10']);
    assert.ok(ev.addresses.every((a) => a.ptr[0] === 'mx1.good.test'));
  });

  test('missing PTR is a warning', async () => {
    const r = await lab.check('noptr.test', ['ptr']);
    assert.deepEqual(ids(r), ['ptr.missing']);
    assert.equal(find(r, 'ptr.missing')!.subject, '127.0.0.11');
  });

  test('PTR name that does not resolve back', async () => {
    const r = await lab.check('fcrdns.test', ['ptr']);
    assert.deepEqual(ids(r), ['ptr.not-confirmed']);
    assert.match(find(r, 'ptr.not-confirmed')!.detail!, /127\.0\.0\.99/);
  });

  test('several PTR records', async () => {
    assert.deepEqual(ids(await lab.check('multi.test', ['ptr'])), ['ptr.multiple']);
  });

  test('a PTR timeout is unknown, never "missing"', async () => {
    const r = await lab.check('slow.test', ['ptr']);
    assert.deepEqual(ids(r), ['ptr.lookup-failed']);
    assert.equal(r.exitCode, 3);
  });

  test('healthy.test of the demo lab is clean', async () => {
    const r = await checkDemoLab('healthy.test', ['ptr']);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(ids(r), ['ptr.confirmed']);
  });
});
