import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import type { Report } from '../src/core/report.js';

// Every domain that names itself in rua needs MX, or dmarc.report-domain-no-mx fires.
const dom = (name: string, dmarc: string | string[], extra = '') => `${soa(name)}@ MX 10 mx.${name}.\nmx A 127.0.0.50\n${
  (Array.isArray(dmarc) ? dmarc : [dmarc]).map((d) => `_dmarc TXT ${d.startsWith('"') ? d : `"${d}"`}`).join('\n')}\n${extra}\n`;

const ZONE = [
  dom('good.test', 'v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@good.test'),
  dom('none.test', 'v=DMARC1; p=none'),
  `${soa('missing.test')}@ MX 10 mx.missing.test.\n`,
  dom('multi.test', ['v=DMARC1; p=reject', 'v=DMARC1; p=none']),
  dom('spfdmarc.test', 'v=spf1 -all'),
  dom('inherit.test', 'v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@inherit.test', 'sub A 127.0.0.51'),
  dom('weaksub.test', 'v=DMARC1; p=reject; sp=none; rua=mailto:d@weaksub.test', 'sub A 127.0.0.52'),
  dom('syntax.test', 'v=DMARC1 p=reject'),
  dom('vlast.test', 'p=reject; v=DMARC1'),
  dom('dup.test', 'v=DMARC1; p=reject; p=none'),
  dom('badp.test', 'v=DMARC1; p=block; rua=mailto:d@badp.test'),
  dom('badval.test', 'v=DMARC1; p=reject; adkim=x; fo=2; rua=mailto:d@badval.test'),
  dom('upper.test', 'V=DMARC1; P=reject; RUA=mailto:d@upper.test'),
  dom('bob.test', 'v=DMARC1; p=reject; aspf=bob; rua=mailto:d@bob.test'),
  dom('nop.test', 'v=DMARC1; rua=mailto:d@nop.test'),
  dom('order.test', 'v=DMARC1; rua=mailto:d@order.test; p=reject'),
  dom('unknown.test', 'v=DMARC1; p=reject; polcy=reject; rua=mailto:d@unknown.test'),
  dom('obsolete.test', 'v=DMARC1; p=reject; pct=50; ri=86400; rua=mailto:d@obsolete.test!10m'),
  dom('testing.test', 'v=DMARC1; p=reject; t=y; rua=mailto:d@testing.test'),
  dom('subweak.test', 'v=DMARC1; p=reject; sp=none; np=quarantine; rua=mailto:d@subweak.test'),
  dom('uris.test', 'v=DMARC1; p=reject; rua=mailto:a@uris.test,mailto:b@uris.test,mailto:c@uris.test; ruf=ftp://uris.test/r'),
  dom('ext.test', 'v=DMARC1; p=reject; rua=mailto:d@collector.test,mailto:d@authz.test,https://reports.other.test/dmarc'),
  `${soa('collector.test')}@ MX 10 mx.collector.test.\next.test._report._dmarc TXT "some unrelated text"\n`,
  `${soa('authz.test')}@ MX 10 mx.authz.test.\next.test._report._dmarc TXT "v=DMARC1"\n`,
  `${soa('other.test')}reports A 127.0.0.53\n`,
  dom('extfail.test', 'v=DMARC1; p=reject; rua=mailto:d@slowcollector.test'),
  `${soa('slowcollector.test')}@ MX 10 mx.slowcollector.test.\n`,
  dom('nomx.test', 'v=DMARC1; p=reject; rua=mailto:d@nomail.test'),
  `${soa('nomail.test')}@ A 127.0.0.54\n`,
  `${soa('slow.test')}@ MX 10 mx.slow.test.\n`,
].join('\n');

const BAD = new Set(['warning', 'critical', 'unknown']);
const problems = (r: Report) => r.findings.filter((f) => BAD.has(f.severity)).map((f) => f.id);

describe('dmarc check', () => {
  let lab: ZoneLab;
  before(async () => {
    lab = await zoneLab(ZONE, { misbehave: {
      '_dmarc.slow.test': 'timeout', 'extfail.test._report._dmarc.slowcollector.test': 'servfail',
    } });
  });
  after(() => lab.close());
  const run = (d: string) => lab.check(d, ['dmarc']);
  const has = async (d: string, ...want: string[]) => {
    const found = ids(await run(d));
    for (const id of want) assert.ok(found.includes(id), `${d}: expected ${id} in ${found.join(', ')}`);
    return found;
  };

  test('healthy record: valid, enforced, alignment, no problems', async () => {
    const r = await run('good.test');
    assert.deepEqual(ids(r).sort(), ['dmarc.alignment', 'dmarc.policy-enforced', 'dmarc.valid']);
    assert.match(find(r, 'dmarc.alignment')!.detail!, /DKIM alignment strict/);
    assert.equal(r.exitCode, 0);
  });

  test('p=none is a warning; without rua the record does nothing (warning)', async () => {
    const r = await run('none.test');
    assert.deepEqual(problems(r).sort(), ['dmarc.no-rua', 'dmarc.policy-none']);
    assert.equal(r.exitCode, 1);
  });

  test('missing record is a warning, not critical', async () => {
    const r = await run('missing.test');
    assert.deepEqual(ids(r), ['dmarc.missing']);
    assert.equal(find(r, 'dmarc.missing')!.severity, 'warning');
  });

  test('multiple records are critical', async () => {
    assert.deepEqual(ids(await run('multi.test')), ['dmarc.multiple']);
  });

  test('an SPF record at _dmarc is flagged, and DMARC is still missing', async () => {
    assert.deepEqual(ids(await run('spfdmarc.test')).sort(), ['dmarc.missing', 'dmarc.spf-at-dmarc']);
  });

  test('a subdomain inherits the organizational domain record and its sp', async () => {
    const r = await run('sub.inherit.test');
    assert.ok(ids(r).includes('dmarc.inherited'));
    assert.match(find(r, 'dmarc.policy-enforced')!.detail!, /sp=quarantine/);
    const weak = await run('sub.weaksub.test');
    assert.ok(ids(weak).includes('dmarc.policy-none'), 'sp=none applies to the subdomain');
  });

  test('syntax errors are critical and suppress dmarc.valid', async () => {
    for (const d of ['syntax.test', 'vlast.test']) {
      const found = await has(d, 'dmarc.syntax-error');
      assert.ok(!found.includes('dmarc.valid'), d);
    }
    assert.ok(!(await has('dup.test', 'dmarc.duplicate-tag')).includes('dmarc.valid'));
    assert.ok(!(await has('badp.test', 'dmarc.invalid-policy')).includes('dmarc.valid'));
  });

  test('invalid values, missing p, tag order, unknown tags', async () => {
    const bad = await run('badval.test');
    // fo=2 is ignored by receivers; adkim=x makes OpenDMARC discard the record.
    assert.deepEqual(bad.findings.filter((f) => f.id === 'dmarc.invalid-value').map((f) => f.subject), ['fo']);
    assert.deepEqual(bad.findings.filter((f) => f.id === 'dmarc.value-rejected').map((f) => f.subject), ['adkim']);
    const nop = await has('nop.test', 'dmarc.policy-missing');
    assert.ok(!nop.includes('dmarc.policy-none'), 'missing p is not reported twice');
    await has('order.test', 'dmarc.tag-order');
    await has('unknown.test', 'dmarc.unknown-tag');
  });

  test('tag names are case-insensitive (RFC 7489 §6.4): V=DMARC1; P=reject is valid and enforced', async () => {
    const r = await run('upper.test');
    assert.ok(r.findings.some((f) => f.id === 'dmarc.valid'));
    assert.ok(r.findings.some((f) => f.id === 'dmarc.policy-enforced'));
    assert.deepEqual(problems(r), []);
  });

  test('a value OpenDMARC refuses (aspf=bob) is critical with evidence, never "valid and enforced"', async () => {
    const r = await run('bob.test');
    const f = find(r, 'dmarc.value-rejected');
    assert.equal(f?.severity, 'critical');
    assert.match(f?.detail ?? '', /OpenDMARC.*discard/);
    assert.deepEqual([f?.evidence?.tag, f?.evidence?.value], ['aspf', 'bob']);
    assert.ok(!ids(r).includes('dmarc.valid') && !ids(r).includes('dmarc.policy-enforced'));
  });

  test('pct < 100, DMARCbis-removed tags, !size, testing mode', async () => {
    await has('obsolete.test', 'dmarc.pct-partial', 'dmarc.obsolete-tag', 'dmarc.size-limit');
    await has('testing.test', 'dmarc.testing-mode');
  });

  test('subdomain policies weaker than p: sp=none warning, np=quarantine info', async () => {
    const r = await run('subweak.test');
    const weak = r.findings.filter((f) => f.id === 'dmarc.subdomain-policy-weaker');
    assert.deepEqual(weak.map((f) => `${f.subject}:${f.severity}`).sort(), ['np:info', 'sp:warning']);
  });

  test('too many URIs and an unsupported scheme', async () => {
    await has('uris.test', 'dmarc.too-many-uris', 'dmarc.invalid-uri');
  });

  test('external destinations: authorized, unauthorized (unrelated TXT does not count)', async () => {
    const r = await run('ext.test');
    assert.equal(find(r, 'dmarc.external-report-unauthorized')!.subject, 'collector.test');
    const ok = r.findings.filter((f) => f.id === 'dmarc.external-report-authorized').map((f) => f.subject);
    assert.deepEqual(ok, ['authz.test']);
    const https = r.findings.find((f) => f.subject === 'reports.other.test');
    assert.equal(https?.id, 'dmarc.external-report-unauthorized', 'https destinations need authorization too');
  });

  test('authorization lookup failure is unknown, not unauthorized', async () => {
    const found = await has('extfail.test', 'dmarc.report-lookup-failed');
    assert.ok(!found.includes('dmarc.external-report-unauthorized'));
  });

  test('report address in a domain without MX', async () => {
    await has('nomx.test', 'dmarc.report-domain-no-mx');
  });

  test('a timeout is unknown, never "missing"', async () => {
    const r = await run('slow.test');
    assert.deepEqual(ids(r), ['dmarc.lookup-failed']);
    assert.equal(r.exitCode, 3);
  });
});
