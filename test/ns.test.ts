import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { authLab, ids, find, soa, checkDemoLab, problems } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

// Name servers at 127.0.0.2 (primary), 127.0.0.3 (primary + SECONDARY overlay),
// 127.0.0.4 (refuses everything), 127.0.0.5 (nothing listens: timeouts).
const two = (d: string) => `${soa(d)}@ NS ns1.${d}.\n@ NS ns2.${d}.\nns1 A 127.0.0.2\nns2 A 127.0.0.3\n`;
const MAIL = '@ MX 10 mx\nmx A 127.0.0.10\n@ TXT "v=spf1 mx -all"\n@ TXT "site-verification=abc"\n_dmarc TXT "v=DMARC1; p=reject"\n';

const ZONE = `
${two('good.test')}${MAIL}sub A 127.0.0.11
${two('serial.test')}${MAIL}
${two('spf.test')}${MAIL}
${two('mxdiff.test')}${MAIL}
${two('dmarcdiff.test')}${MAIL}
${two('noise.test')}${MAIL}
${two('qf.test')}${MAIL}
${soa('lame.test')}@ NS ns1.lame.test.
@ NS ns2.lame.test.
ns1 A 127.0.0.2
ns2 A 127.0.0.4
${soa('dead.test')}@ NS ns1.dead.test.
@ NS ns2.dead.test.
ns1 A 127.0.0.2
ns2 A 127.0.0.5
${soa('alllame.test')}@ NS ns1.alllame.test.
@ NS ns2.alllame.test.
ns1 A 127.0.0.4
ns2 A 127.0.0.5
${soa('single.test')}@ NS ns1.single.test.
ns1 A 127.0.0.2
${soa('noaddr.test')}@ NS ns1.noaddr.test.
@ NS ns2.noaddr.test.
@ NS ns3.noaddr.test.
ns1 A 127.0.0.2
ns2 A 127.0.0.3
${soa('hlf.test')}@ NS ns1.hlf.test.
@ NS ns2.hlf.test.
@ NS ns3.hlf.test.
ns1 A 127.0.0.2
ns2 A 127.0.0.3
${soa('nons.test')}@ MX 10 mx.nons.test.
${soa('v6.test')}@ NS ns1.v6.test.
@ NS ns2.v6.test.
ns1 A 127.0.0.2
ns1 AAAA ::1
ns2 A 127.0.0.3
${soa('slow.test')}@ NS ns1.slow.test.
`;

const SECONDARY = `
${soa('serial.test').replace('2026010101', '2025120101')}
$ORIGIN spf.test.
@ TXT "v=spf1 -all"
@ TXT "site-verification=abc"
$ORIGIN mxdiff.test.
@ MX 10 old-mx.mxdiff.test.
$ORIGIN dmarcdiff.test.
_dmarc TXT "v=DMARC1; p=none"
$ORIGIN noise.test.
@ TXT "site-verification=other"
@ TXT "v=spf1 mx -all"
`;

describe('ns check', () => {
  let lab: ZoneLab;
  before(async () => {
    lab = await authLab(ZONE, {
      secondary: SECONDARY,
      secondaryMisbehave: { '_dmarc.qf.test': 'timeout' },
      misbehave: { 'ns3.hlf.test': 'servfail', 'slow.test': 'servfail' },
    });
  });
  after(() => lab.close());

  test('two servers, authoritative, in agreement; evidence per server and query', async () => {
    const r = await lab.check('good.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.consistent']);
    const ev = find(r, 'ns.consistent')!.evidence as { servers: { address: string; soa: { serial: number }; spf: { records: string[] } }[] };
    assert.deepEqual(ev.servers.map((s) => s.address).sort(), ['127.0.0.2', '127.0.0.3']);
    assert.ok(ev.servers.every((s) => s.soa.serial === 2026010101 && s.spf.records[0] === 'v=spf1 mx -all'));
  });

  test('a name below the apex walks up to the zone via SOA', async () => {
    const r = await lab.check('sub.good.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.consistent']);
    assert.equal(find(r, 'ns.consistent')!.subject, 'good.test');
  });

  test('serial mismatch alone is a warning', async () => {
    const r = await lab.check('serial.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.serial-mismatch']);
    assert.match(find(r, 'ns.serial-mismatch')!.detail!, /2025120101/);
  });

  test('an unsynced SPF record is critical', async () => {
    const r = await lab.check('spf.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.spf-mismatch']);
    assert.equal(r.exitCode, 2);
    assert.match(find(r, 'ns.spf-mismatch')!.detail!, /v=spf1 -all/);
  });

  test('MX and DMARC differences are critical', async () => {
    assert.deepEqual(ids(await lab.check('mxdiff.test', ['ns'])), ['ns.mx-mismatch']);
    assert.deepEqual(ids(await lab.check('dmarcdiff.test', ['ns'])), ['ns.dmarc-mismatch']);
  });

  test('non-SPF TXT differences and record order do not count', async () => {
    assert.deepEqual(ids(await lab.check('noise.test', ['ns'])), ['ns.consistent']);
  });

  test('a refusing server and a silent server are lame', async () => {
    const r = await lab.check('lame.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.lame']);
    assert.match(find(r, 'ns.lame')!.subject!, /127\.0\.0\.4/);
    const dead = await lab.check('dead.test', ['ns']);
    assert.deepEqual(ids(dead), ['ns.lame']);
    assert.match(find(dead, 'ns.lame')!.detail!, /no answer/);
  });

  test('all servers lame is critical', async () => {
    const r = await lab.check('alllame.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.all-lame']);
    assert.equal(r.exitCode, 2);
  });

  test('a single name server', async () => {
    assert.deepEqual(ids(await lab.check('single.test', ['ns'])), ['ns.too-few', 'ns.consistent']);
  });

  test('an NS host without address; an NS host whose lookup fails is unknown', async () => {
    const r = await lab.check('noaddr.test', ['ns']);
    assert.deepEqual(ids(r).sort(), ['ns.consistent', 'ns.host-no-address']);
    assert.equal(find(r, 'ns.host-no-address')!.subject, 'ns3.noaddr.test');
    assert.deepEqual(ids(await lab.check('hlf.test', ['ns'])).sort(), ['ns.consistent', 'ns.host-lookup-failed']);
  });

  test('a zone without NS records', async () => {
    assert.deepEqual(ids(await lab.check('nons.test', ['ns'])), ['ns.none']);
  });

  test('a server that misses one query is unknown for it, not a mismatch', async () => {
    const r = await lab.check('qf.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.query-failed']);
    assert.match(find(r, 'ns.query-failed')!.detail!, /_dmarc\.qf\.test TXT/);
  });

  test('IPv6 addresses that never answer are unknown, not lame', async () => {
    const r = await lab.check('v6.test', ['ns']);
    assert.deepEqual(ids(r), ['ns.ipv6-unreachable']);
  });

  test('a failing resolver is unknown', async () => {
    assert.deepEqual(ids(await lab.check('slow.test', ['ns'])), ['ns.lookup-failed']);
  });

  test('healthy.test of the demo lab is clean', async () => {
    const r = await checkDemoLab('healthy.test', ['ns']);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(ids(r), ['ns.consistent']);
  });
});
