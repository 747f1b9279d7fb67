import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { startLabDns } from '../src/lab/dns-server.js';
import { loadLabData } from '../src/lab/lab.js';
import { DnsClient } from '../src/io/dns-client.js';
import { runChecks } from '../src/index.js';
import type { Resolver } from '../src/io/resolver.js';
import { spfCheck } from '../src/checks/dns/spf.js';
import { pointAt } from '../src/checks/dns/spf-judge.js';

const long = (n: number, from = 1) => Array.from({ length: n }, (_, k) => `ip4:192.0.${from + Math.floor(k / 250)}.${k % 250}`).join(' ');

const ZONE = `
${soa('good.test')}
@        MX 10 mx.good.test.
mx       A 127.0.0.10
@        TXT "v=spf1 mx -all"
${soa('none.test')}
@        TXT "google-site-verification=abc"
@        TXT " v=spf1 -all"
${soa('multi.test')}
@        TXT "v=spf1 -all"
@        TXT "v=spf1 ip4:192.0.2.1 -all"
${soa('syntax.test')}
@        TXT "v=spf1 mx ip4:192.0.2.300 -all"
${soa('glued.test')}
@        TXT "v=spf1 include:good.test" "include:other.test -all"
${soa('after.test')}
@        TXT "v=spf1 -all mx"
${soa('plusall.test')}
@        TXT "v=spf1 +all"
${soa('neutral.test')}
@        TXT "v=spf1 ip4:192.0.2.0/24 ?all"
${soa('noall.test')}
@        TXT "v=spf1 ip4:192.0.2.0/24"
${soa('redir.test')}
@        TXT "v=spf1 redirect=_spf.redir.test"
_spf     TXT "v=spf1 ip4:192.0.2.0/24 ~all"
${soa('redirmissing.test')}
@        TXT "v=spf1 redirect=_spf.redirmissing.test"
${soa('many.test')}
@        TXT "v=spf1 mx a include:i1.many.test include:i2.many.test include:i3.many.test -all"
@        A 127.0.0.20
@        MX 10 mx.many.test.
mx       A 127.0.0.21
i1       TXT "v=spf1 a:mx.many.test mx:many.test include:i4.many.test ~all"
i2       TXT "v=spf1 a:mx.many.test ip4:192.0.2.0/24 -all"
i3       TXT "v=spf1 ip6:2001:db8::/32 exists:%{i}.x.many.test -all"
i4       TXT "v=spf1 a:mx.many.test a:mx.many.test -all"
${soa('void.test')}
@        TXT "v=spf1 a:gone1.void.test a:gone2.void.test exists:gone3.void.test -all"
${soa('amx.test')}
@        TXT "v=spf1 a mx -all"
@        A 127.0.0.30
@        MX 10 mx1.amx.test.
@        MX 20 mx2.amx.test.
@        MX 30 mx3.amx.test.
mx1      A 127.0.0.31
mx2      A 127.0.0.32
mx3      A 127.0.0.33
${soa('cidr.test')}
@        TXT "v=spf1 a:host.cidr.test/24 mx:cidr.test/24//64 -all"
@        MX 10 host.cidr.test.
host     A 127.0.0.40
${soa('loop.test')}
@        TXT "v=spf1 include:a.loop.test -all"
a        TXT "v=spf1 include:b.loop.test -all"
b        TXT "v=spf1 include:a.loop.test -all"
${soa('rloop.test')}
@        TXT "v=spf1 redirect=rloop.test"
${soa('dup.test')}
@        TXT "v=spf1 include:x.dup.test include:y.dup.test -all"
x        TXT "v=spf1 ip4:192.0.2.1 -all"
y        TXT "v=spf1 include:x.dup.test -all"
${soa('ptr.test')}
@        TXT "v=spf1 ptr -all"
${soa('mxmany.test')}
@        TXT "v=spf1 mx -all"
${Array.from({ length: 11 }, (_, k) => `@        MX ${k} m${k}.mxmany.test.\nm${k}      A 127.0.1.${k}`).join('\n')}
${soa('incmissing.test')}
@        TXT "v=spf1 include:nospf.incmissing.test -all"
nospf    A 127.0.0.50
${soa('nested.test')}
@        TXT "v=spf1 include:broken.nested.test include:twice.nested.test -all"
broken   TXT "v=spf1 foo -all"
twice    TXT "v=spf1 -all"
twice    TXT "v=spf1 ~all"
${soa('incall.test')}
@        TXT "v=spf1 include:_spf.incall.test -all"
_spf     TXT "v=spf1 +all"
${soa('noaddr.test')}
@        TXT "v=spf1 a:nohost.noaddr.test mx:nomx.noaddr.test -all"
nomx     A 127.0.0.60
${soa('big.test')}
@        TXT "v=spf1 ${long(14)}" " ${long(14, 3)}" " ${long(14, 5)} -all"
${soa('type99.test')}
@        TXT "v=spf1 -all"
@        SPF "v=spf1 -all"
${soa('macro.test')}
@        TXT "v=spf1 exists:%{ir}.%{v}._spf.%{d} include:%{d2}.example -all"
${soa('exp.test')}
@        TXT "v=spf1 -all exp=explain.exp.test"
${soa('expbad.test')}
@        TXT "v=spf1 -all exp=explain.expbad.test"
explain  TXT "bad %x macro"
${soa('slow.test')}
@        TXT "v=spf1 -all"
${soa('inctimeout.test')}
@        TXT "v=spf1 include:dead.inctimeout.test a:slowhost.inctimeout.test -all"
`;

describe('spf check', () => {
  let lab: ZoneLab;
  const check = async (d: string) => ids(await lab.check(d, ['spf']));
  before(async () => {
    lab = await zoneLab(ZONE, { misbehave: { 'slow.test': 'timeout', 'dead.inctimeout.test': 'servfail', 'slowhost.inctimeout.test': 'timeout' } });
  });
  after(() => lab.close());

  test('healthy record: valid, -all, lookups counted, nothing else', async () => {
    const r = await lab.check('good.test', ['spf']);
    assert.deepEqual(ids(r).sort(), ['spf.all-ok', 'spf.lookup-count', 'spf.valid']);
    assert.equal(find(r, 'spf.lookup-count')!.evidence!.lookups, 1);
  });

  test('missing record is a warning and explains look-alikes', async () => {
    const r = await lab.check('none.test', ['spf']);
    assert.deepEqual(ids(r), ['spf.missing']);
    assert.equal(r.findings[0]!.severity, 'warning');
    assert.match(r.findings[0]!.detail!, / v=spf1 -all/);
    assert.deepEqual(await check('absent.good.test'), ['spf.missing']);
  });

  test('two records are critical', async () => {
    assert.deepEqual(await check('multi.test'), ['spf.multiple']);
  });

  test('syntax error carries the position and a caret marker', async () => {
    const r = await lab.check('syntax.test', ['spf']);
    const f = find(r, 'spf.syntax-error')!;
    assert.equal(f.severity, 'critical');
    const e = (f.evidence!.errors as { position: number; marker: string }[])[0]!;
    assert.equal(e.position, 14);
    assert.equal(e.marker.split('\n')[1], `${' '.repeat(14)}^`);
    assert.ok(!ids(r).includes('spf.valid') && !ids(r).includes('spf.all-ok'));
  });

  test('the caret line survives re-wrapping and long records show a window', () => {
    assert.equal(pointAt('v=spf1 foo', 7), 'v=spf1 foo\n───────^');
    const text = `v=spf1 ${'ip4:192.0.2.1 '.repeat(12)}bad -all`;
    const [line, caret] = pointAt(text, text.indexOf('bad')).split('\n') as [string, string];
    assert.ok(line.startsWith('…') && line.length <= 82);
    assert.equal(line.slice(caret.length - 1, caret.length + 2), 'bad');
  });

  test('strings joined without a space: the warning says so', async () => {
    const f = find(await lab.check('glued.test', ['spf']), 'spf.syntax-warning')!;
    assert.match(f.detail!, /joined without a space/);
  });

  test('terms after all are a syntax warning', async () => {
    assert.ok((await check('after.test')).includes('spf.syntax-warning'));
  });

  test('all qualifiers: +all critical, ?all and no all warnings, redirect inherits', async () => {
    assert.ok((await check('plusall.test')).includes('spf.all-pass'));
    assert.ok((await check('neutral.test')).includes('spf.all-neutral'));
    assert.ok((await check('noall.test')).includes('spf.all-missing'));
    const r = await check('redir.test');
    assert.ok(r.includes('spf.all-ok') && !r.includes('spf.all-missing'), r.join());
  });

  test('redirect to a domain without SPF is include-missing', async () => {
    assert.ok((await check('redirmissing.test')).includes('spf.include-missing'));
  });

  test('lookups counted recursively, with the tree and per-node counts', async () => {
    const r = await lab.check('many.test', ['spf']);
    const f = find(r, 'spf.too-many-lookups')!;
    assert.equal(f.severity, 'critical');
    // root 5 (mx a 3×include) + i1 3 + i4 2 + i2 1 + i3 1 (exists with a macro still costs one)
    assert.equal(f.evidence!.lookups, 12);
    const tree = f.evidence!.tree as any;
    assert.equal(tree.lookups, 5);
    assert.equal(tree.totalLookups, 12);
    const i1 = tree.children.find((c: any) => c.domain === 'i1.many.test');
    assert.deepEqual([i1.lookups, i1.totalLookups], [3, 5]);
    assert.ok(ids(r).includes('spf.macro-terms'));
  });

  test('void lookups: more than two is critical', async () => {
    const r = await lab.check('void.test', ['spf']);
    assert.equal(find(r, 'spf.too-many-void-lookups')!.evidence!.voidLookups, 3);
  });

  test('"a mx -all" on an IPv4-only domain: no void lookups, MX host lookups not counted', async () => {
    const r = await lab.check('amx.test', ['spf']);
    assert.deepEqual(ids(r).sort(), ['spf.all-ok', 'spf.lookup-count', 'spf.valid']);
    const e = find(r, 'spf.lookup-count')!.evidence!;
    assert.equal(e.lookups, 2);
    assert.equal(e.voidLookups, 0);
  });

  test('"a:host/24" is a host with a prefix length, not a host named "host/24"', async () => {
    const r = await lab.check('cidr.test', ['spf']);
    assert.deepEqual(ids(r).sort(), ['spf.all-ok', 'spf.lookup-count', 'spf.valid']);
  });

  test('include and redirect loops', async () => {
    const loop = find(await lab.check('loop.test', ['spf']), 'spf.loop')!;
    assert.match(loop.detail!, /a\.loop\.test → b\.loop\.test → a\.loop\.test/);
    assert.ok((await check('rloop.test')).includes('spf.loop'));
  });

  test('duplicate includes', async () => {
    const f = find(await lab.check('dup.test', ['spf']), 'spf.duplicate-include')!;
    assert.equal(f.subject, 'x.dup.test');
  });

  test('ptr is deprecated', async () => {
    assert.ok((await check('ptr.test')).includes('spf.ptr-deprecated'));
  });

  test('mx with more than 10 hosts', async () => {
    assert.ok((await check('mxmany.test')).includes('spf.mx-too-many-hosts'));
  });

  test('include target without SPF, broken nested records', async () => {
    assert.ok((await check('incmissing.test')).includes('spf.include-missing'));
    const r = await lab.check('nested.test', ['spf']);
    const nested = r.findings.filter((f) => f.id === 'spf.nested-invalid').map((f) => f.subject).sort();
    assert.deepEqual(nested, ['broken.nested.test', 'twice.nested.test']);
  });

  test('including a record that ends in +all is critical', async () => {
    const f = find(await lab.check('incall.test', ['spf']), 'spf.all-pass')!;
    assert.equal(f.subject, '_spf.incall.test');
  });

  test('a and mx targets without addresses', async () => {
    const r = await lab.check('noaddr.test', ['spf']);
    const subjects = r.findings.filter((f) => f.id === 'spf.target-no-address').map((f) => f.subject).sort();
    assert.deepEqual(subjects, ['nohost.noaddr.test', 'nomx.noaddr.test']);
  });

  test('answer over 512 bytes', async () => {
    const f = find(await lab.check('big.test', ['spf']), 'spf.record-too-large')!;
    assert.ok((f.evidence!.answerBytes as number) > 512);
  });

  test('obsolete SPF RR type 99', async () => {
    assert.ok((await check('type99.test')).includes('spf.obsolete-rr-type'));
    assert.ok(!(await check('good.test')).includes('spf.obsolete-rr-type'));
  });

  test('macros are parsed, counted, not followed', async () => {
    const r = await lab.check('macro.test', ['spf']);
    assert.ok(ids(r).includes('spf.valid'));
    assert.equal(find(r, 'spf.lookup-count')!.evidence!.lookups, 2);
    assert.equal((find(r, 'spf.macro-terms')!.evidence!.terms as unknown[]).length, 2);
  });

  test('exp= without a usable explanation', async () => {
    assert.ok((await check('exp.test')).includes('spf.exp-invalid'));
    assert.ok((await check('expbad.test')).includes('spf.exp-invalid'));
  });

  test('a timeout is unknown, never "missing"', async () => {
    const r = await lab.check('slow.test', ['spf']);
    assert.deepEqual(ids(r), ['spf.lookup-failed']);
    assert.equal(r.exitCode, 3);
  });

  test('SERVFAIL or timeout inside the tree is unknown, never include-missing or no-address', async () => {
    const r = await lab.check('inctimeout.test', ['spf']);
    const found = ids(r);
    assert.equal(found.filter((i) => i === 'spf.lookup-failed').length, 2);
    for (const bad of ['spf.include-missing', 'spf.target-no-address', 'spf.missing', 'spf.nested-invalid']) assert.ok(!found.includes(bad), bad);
    assert.match(find(r, 'spf.lookup-count')!.detail!, /at least/);
  });

  test('a character-string over 255 bytes (only possible off the wire) is flagged', async () => {
    const chunk = `v=spf1 ${long(20)}`; // > 255 bytes in one string
    assert.ok(Buffer.byteLength(chunk) > 255);
    const fake: Resolver = {
      async query(name, type, opts) {
        const r = await lab.resolver.query(name, type, opts);
        if (name === 'good.test' && type === 'TXT') return { ...r, records: [{ ...r.records[0]!, data: [chunk, ' -all'] }] };
        return r;
      },
    };
    const [rep] = await runChecks(['good.test'], { resolver: fake, only: ['spf'] });
    assert.deepEqual(find(rep!, 'spf.string-too-long')!.evidence!.strings, [Buffer.byteLength(chunk), 5]);
  });

  test('the family declares exactly the ids tested here (spf.evaluation: spf-eval.test.ts)', () => {
    const tested = ['spf.valid', 'spf.missing', 'spf.multiple', 'spf.lookup-failed', 'spf.syntax-error', 'spf.syntax-warning', 'spf.all-pass', 'spf.all-neutral',
      'spf.all-missing', 'spf.all-ok', 'spf.lookup-count', 'spf.too-many-lookups', 'spf.too-many-void-lookups', 'spf.loop', 'spf.duplicate-include',
      'spf.ptr-deprecated', 'spf.mx-too-many-hosts', 'spf.include-missing', 'spf.nested-invalid', 'spf.target-no-address', 'spf.record-too-large',
      'spf.string-too-long', 'spf.obsolete-rr-type', 'spf.macro-terms', 'spf.exp-invalid', 'spf.evaluation'];
    assert.deepEqual(spfCheck.findings.map((f) => f.id).sort(), tested.sort());
  });
});

describe('spf on the lab zones', () => {
  test('healthy.test has no SPF warnings; each demo domain shows its defect', async () => {
    const data = loadLabData();
    const server = await startLabDns({ records: data.records, misbehave: data.misbehave });
    const resolver = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: 1500, retries: 0 });
    try {
      const expect: Record<string, string> = {
        'spf-lookups.test': 'spf.too-many-lookups', 'spf-plusall.test': 'spf.all-pass', 'spf-double.test': 'spf.multiple',
        'spf-syntax.test': 'spf.syntax-error', 'spf-void.test': 'spf.too-many-void-lookups',
      };
      const reports = await runChecks(['healthy.test', ...Object.keys(expect)], { resolver, only: ['spf'] });
      const healthy = reports[0]!;
      assert.deepEqual(healthy.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info').map((f) => f.id), []);
      assert.ok(ids(healthy).includes('spf.valid'));
      for (const r of reports.slice(1)) assert.ok(ids(r).includes(expect[r.target]!), `${r.target}: ${ids(r).join()}`);
      for (const d of Object.keys(expect)) assert.ok(data.demo.some((x) => x.domain === d), `${d} listed with @demo`);
    } finally {
      resolver.close();
      await server.close();
    }
  });
});
