import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { evaluateSpf } from '../src/checks/dns/spf-eval.js';
import type { SpfEvalInput } from '../src/checks/dns/spf-eval.js';
import { UsageError } from '../src/core/errors.js';
import { formatSpfEvaluation } from '../src/checks/dns/spf-eval-format.js';

const ZONE = `
${soa('p.test')}
@        TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_inc.p.test -all exp=why.p.test"
_inc     TXT "v=spf1 ip4:198.51.100.0/28 ?all"
why      TXT "%{i} is not allowed to send mail for %{d} (client %{c}, helo %{h})"
${soa('soft.test')}
@        TXT "v=spf1 a ~all"
@        A 192.0.2.50
${soa('neutral.test')}
@        TXT "v=spf1 ip4:192.0.2.1"
${soa('qall.test')}
@        TXT "v=spf1 ip4:192.0.2.1 ?all"
${soa('nospf.test')}
@        A 192.0.2.1
${soa('multi.test')}
@        TXT "v=spf1 -all"
@        TXT "v=spf1 +all"
${soa('syntax.test')}
@        TXT "v=spf1 ip4:192.0.2.1 foo -all"
${soa('incmissing.test')}
@        TXT "v=spf1 include:nothing.incmissing.test -all"
${soa('redirmissing.test')}
@        TXT "v=spf1 redirect=nothing.redirmissing.test"
${soa('redir.test')}
@        TXT "v=spf1 redirect=_spf.redir.test"
_spf     TXT "v=spf1 ip4:192.0.2.0/24 -all"
${soa('cidr.test')}
@        TXT "v=spf1 a:host.cidr.test/24 mx//64 -all"
@        MX 10 mx6.cidr.test.
host     A 192.0.2.10
mx6      AAAA 2001:db8:1::25
${soa('mx.test')}
@        TXT "v=spf1 mx -all"
@        MX 10 mx1.mx.test.
@        MX 20 mx2.mx.test.
mx1      A 203.0.113.1
mx2      A 203.0.113.2
${soa('mxmany.test')}
@        TXT "v=spf1 mx -all"
${Array.from({ length: 11 }, (_, k) => `@        MX ${k} m${k}.mxmany.test.\nm${k}      A 203.0.113.${k + 10}`).join('\n')}
${soa('amx.test')}
@        TXT "v=spf1 a mx -all"
@        A 192.0.2.60
@        MX 10 mx.amx.test.
mx       A 192.0.2.61
${soa('void.test')}
@        TXT "v=spf1 a:g1.void.test a:g2.void.test a:g3.void.test ip4:192.0.2.0/24 -all"
${soa('lim10.test')}
@        TXT "v=spf1 a a a a a a a a a a -all"
@        A 127.0.0.1
${soa('lim11.test')}
@        TXT "v=spf1 a a a a a a a a a include:i.lim11.test -all"
@        A 127.0.0.1
i        TXT "v=spf1 a:lim11.test ip4:192.0.2.0/24 -all"
${soa('loop.test')}
@        TXT "v=spf1 include:loop.test -all"
${soa('macro.test')}
@        TXT "v=spf1 exists:%{ir}.%{l}._spf.%{d} exists:%{h}._helo.%{d} -all"
5.2.0.192.alice._spf A 127.0.0.2
mail.example._helo   A 127.0.0.2
${soa('ptr.test')}
@        TXT "v=spf1 ptr -all"
host     A 192.0.2.30
${soa('pmacro.test')}
@        TXT "v=spf1 exists:%{p}._p.%{d} -all"
host.ptr.test._p A 127.0.0.2
${soa('2.0.192.in-addr.arpa')}
30       PTR host.ptr.test.
31       PTR host.ptr.test.
${soa('temp.test')}
@        TXT "v=spf1 ip4:192.0.2.1 include:dead.temp.test -all"
${soa('slow.test')}
@        TXT "v=spf1 -all"
`;

describe('evaluateSpf (RFC 7208 check_host)', () => {
  let lab: ZoneLab;
  const ev = (domain: string, ip: string, extra: Partial<SpfEvalInput> = {}) => evaluateSpf(lab.resolver, { ip, domain, ...extra });
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { 'dead.temp.test': 'servfail', 'slow.test': 'timeout' } }); });
  after(() => lab.close());

  test('pass by ip4, with the matched mechanism and path', async () => {
    const r = await ev('p.test', '192.0.2.5');
    assert.equal(r.result, 'pass');
    assert.equal(r.mechanism, 'ip4:192.0.2.0/24');
    assert.equal(r.matchedIn, 'p.test');
    assert.equal(r.lookups, 0);
    assert.deepEqual(r.path.map((s) => s.outcome), ['record', 'match']);
  });

  test('pass by ip6, and IPv4-mapped IPv6 counts as IPv4', async () => {
    assert.equal((await ev('p.test', '2001:db8::1')).result, 'pass');
    assert.equal((await ev('p.test', '::ffff:192.0.2.5')).mechanism, 'ip4:192.0.2.0/24');
  });

  test('pass through include: the chain names both records', async () => {
    const r = await ev('p.test', '198.51.100.3');
    assert.equal(r.result, 'pass');
    assert.deepEqual(r.chain, [{ domain: 'p.test', term: 'include:_inc.p.test' }, { domain: '_inc.p.test', term: 'ip4:198.51.100.0/28' }]);
    assert.equal(r.mechanism, 'ip4:198.51.100.0/28');
    assert.equal(r.lookups, 1);
  });

  test('fail, with the exp= explanation expanded (§6.2)', async () => {
    const r = await ev('p.test', '203.0.113.9', { helo: 'mta.example' });
    assert.equal(r.result, 'fail');
    assert.equal(r.mechanism, '-all');
    assert.equal(r.explanation, '203.0.113.9 is not allowed to send mail for p.test (client 203.0.113.9, helo mta.example)');
    // the include gave neutral (?all): no match, evaluation went on
    assert.ok(r.path.some((s) => s.term === 'include:_inc.p.test' && s.outcome === 'no-match'));
  });

  test('softfail, neutral (default and ?all), none', async () => {
    assert.equal((await ev('soft.test', '203.0.113.9')).result, 'softfail');
    assert.equal((await ev('soft.test', '192.0.2.50')).result, 'pass');
    const n = await ev('neutral.test', '203.0.113.9');
    assert.equal(n.result, 'neutral');
    assert.equal(n.mechanism, undefined);
    assert.equal((await ev('qall.test', '203.0.113.9')).mechanism, '?all');
    assert.equal((await ev('nospf.test', '192.0.2.1')).result, 'none');
    assert.equal((await ev('absent.nospf.test', '192.0.2.1')).result, 'none');
  });

  test('permerror: multiple records, syntax error, include or redirect without SPF, mx over 10 hosts', async () => {
    assert.equal((await ev('multi.test', '192.0.2.1')).result, 'permerror');
    const s = await ev('syntax.test', '192.0.2.1');
    assert.equal(s.result, 'permerror');
    assert.match(s.reason, /position 21/);
    assert.equal((await ev('incmissing.test', '192.0.2.1')).result, 'permerror');
    assert.equal((await ev('redirmissing.test', '192.0.2.1')).result, 'permerror');
    assert.equal((await ev('mxmany.test', '203.0.113.10')).result, 'permerror');
  });

  test('redirect: the target decides', async () => {
    const r = await ev('redir.test', '192.0.2.9');
    assert.equal(r.result, 'pass');
    assert.deepEqual(r.chain.map((c) => c.term), ['redirect=_spf.redir.test', 'ip4:192.0.2.0/24']);
    assert.equal((await ev('redir.test', '203.0.113.1')).result, 'fail');
  });

  test('a:host/24 and mx//64 use the prefix lengths', async () => {
    assert.equal((await ev('cidr.test', '192.0.2.77')).mechanism, 'a:host.cidr.test/24');
    assert.equal((await ev('cidr.test', '2001:db8:1::99')).mechanism, 'mx//64');
    assert.equal((await ev('cidr.test', '192.0.3.1')).result, 'fail');
  });

  test('mx: matches any MX host; host address lookups do not count', async () => {
    const r = await ev('mx.test', '203.0.113.2');
    assert.equal(r.result, 'pass');
    assert.equal(r.lookups, 1);
  });

  test('"a mx -all": no void lookups for an IPv4 client; one for IPv6 (only the a term)', async () => {
    const v4 = await ev('amx.test', '203.0.113.1');
    assert.deepEqual([v4.result, v4.lookups, v4.voidLookups], ['fail', 2, 0]);
    const v6 = await ev('amx.test', '2001:db8::9');
    assert.deepEqual([v6.result, v6.lookups, v6.voidLookups], ['fail', 2, 1]);
  });

  test('a third void lookup is a permerror (§4.6.4)', async () => {
    const r = await ev('void.test', '192.0.2.1');
    assert.equal(r.result, 'permerror');
    assert.equal(r.voidLookups, 3);
    assert.match(r.reason, /void/);
  });

  test('10 lookups is fine, the 11th (inside an include) is a permerror', async () => {
    const ten = await ev('lim10.test', '192.0.2.1');
    assert.deepEqual([ten.result, ten.lookups], ['fail', 10]);
    const eleven = await ev('lim11.test', '192.0.2.1');
    assert.equal(eleven.result, 'permerror');
    assert.match(eleven.reason, /more than 10 DNS lookups/);
  });

  test('an include loop ends in permerror at the lookup limit', async () => {
    const r = await ev('loop.test', '192.0.2.1');
    assert.equal(r.result, 'permerror');
    assert.equal(r.lookups, 11);
  });

  test('macros: l, i (reversed), d and h are expanded', async () => {
    const r = await ev('macro.test', '192.0.2.5', { sender: 'alice@macro.test' });
    assert.equal(r.result, 'pass');
    assert.equal(r.mechanism, 'exists:%{ir}.%{l}._spf.%{d}');
    assert.equal((await ev('macro.test', '192.0.2.5', { sender: 'bob@macro.test' })).result, 'fail');
    const h = await ev('macro.test', '192.0.2.9', { sender: 'bob@macro.test', helo: 'mail.example' });
    assert.equal(h.mechanism, 'exists:%{h}._helo.%{d}');
    // "a..b" makes an empty label: no match, not a DNS failure (temperror)
    assert.equal((await ev('macro.test', '192.0.2.5', { sender: 'a..b@macro.test' })).result, 'fail');
  });

  test('the path formats as indented lines', async () => {
    const lines = formatSpfEvaluation(await ev('p.test', '198.51.100.3'));
    assert.match(lines[0]!, /^SPF pass for 198\.51\.100\.3/);
    assert.ok(lines.some((l) => /^ {4}_inc\.p\.test: "v=spf1/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('ip4:198.51.100.0/28 → match')));
  });

  test('ptr and the p macro use forward-confirmed reverse names', async () => {
    assert.equal((await ev('ptr.test', '192.0.2.30')).result, 'pass');
    // 192.0.2.31 has a PTR to host.ptr.test, but host.ptr.test does not resolve back to it
    assert.equal((await ev('ptr.test', '192.0.2.31')).result, 'fail');
    assert.equal((await ev('pmacro.test', '192.0.2.30')).result, 'pass');
    assert.equal((await ev('pmacro.test', '192.0.2.31')).result, 'fail');
  });

  test('temperror: a SERVFAIL inside the tree or a timeout at the top', async () => {
    const r = await ev('temp.test', '203.0.113.1');
    assert.equal(r.result, 'temperror');
    assert.deepEqual(r.chain[0], { domain: 'temp.test', term: 'include:dead.temp.test' });
    // the address matched before the broken include: no lookup needed, pass
    assert.equal((await ev('temp.test', '192.0.2.1')).result, 'pass');
    assert.equal((await ev('slow.test', '192.0.2.1')).result, 'temperror');
  });

  test('sender defaults: domain from the sender, postmaster without a local-part', async () => {
    const r = await evaluateSpf(lab.resolver, { ip: '192.0.2.5', sender: 'someone@p.test' });
    assert.deepEqual([r.domain, r.result], ['p.test', 'pass']);
    assert.equal((await evaluateSpf(lab.resolver, { ip: '192.0.2.5', sender: 'p.test' })).sender, 'postmaster@p.test');
    assert.equal((await ev('p.test', '192.0.2.5')).sender, 'postmaster@p.test');
  });

  test('misuse throws UsageError', async () => {
    await assert.rejects(ev('p.test', 'not-an-ip'), UsageError);
    await assert.rejects(evaluateSpf(lab.resolver, { ip: '192.0.2.1' }), UsageError);
  });

  test('the check emits spf.evaluation with a severity per result', async () => {
    const cases: [string, string, string][] = [
      ['p.test', '192.0.2.5', 'info'], ['p.test', '203.0.113.9', 'warning'], ['soft.test', '203.0.113.9', 'warning'],
      ['neutral.test', '203.0.113.9', 'warning'], ['nospf.test', '192.0.2.1', 'warning'], ['syntax.test', '192.0.2.1', 'critical'],
      ['temp.test', '203.0.113.1', 'unknown'],
    ];
    for (const [domain, ip, severity] of cases) {
      const f = find(await lab.check(domain, ['spf'], { spfIp: ip }), 'spf.evaluation')!;
      assert.equal(f.severity, severity, `${domain} ${ip}`);
      assert.ok(Array.isArray(f.evidence!.path));
    }
    const bad = find(await lab.check('p.test', ['spf'], { spfIp: 'nope' }), 'spf.evaluation')!;
    assert.equal(bad.severity, 'unknown');
    const none = await lab.check('p.test', ['spf']);
    assert.equal(find(none, 'spf.evaluation'), undefined);
  });
});
