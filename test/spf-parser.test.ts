import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isSpfRecord, parseSpf } from '../src/parsers/spf.js';
import type { SpfMechanism } from '../src/parsers/spf.js';
import { expandMacroString, parseMacroString, truncateDomain } from '../src/parsers/spf-macro.js';
import { cidrMatch, dottedIp, formatIp, parseIp, parseIPv6, reverseName } from '../src/parsers/spf-ip.js';

const errors = (r: string | string[]) => parseSpf(r).issues.filter((i) => i.level === 'error');
const firstError = (r: string) => {
  const e = errors(r)[0];
  assert.ok(e, `expected an error in ${JSON.stringify(r)}`);
  return e;
};
const mech = (r: string, k = 0) => parseSpf(r).mechanisms[k] as SpfMechanism;

describe('spf parser: valid records', () => {
  test('every mechanism, qualifier and cidr form', () => {
    const r = parseSpf('v=spf1 +a -mx ~ptr ?exists:%{i}.x.example.com include:_spf.example.com a:host.example.com/24 mx/24//64 a//96 '
      + 'ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::ffff:192.0.2.1 ip4:192.0.2.1 redirect=_spf.example.org exp=explain.%{d} foo-bar=anything%%');
    assert.deepEqual(r.issues, []);
    assert.equal(r.valid, true);
    assert.deepEqual(r.mechanisms.map((m) => `${m.qualifier}${m.name}`), ['+a', '-mx', '~ptr', '?exists', '+include', '+a', '+mx', '+a', '+ip4', '+ip6', '+ip6', '+ip4']);
    const a = r.mechanisms[5]!;
    assert.equal(a.domainSpec!.text, 'host.example.com');
    assert.equal(a.cidr4, 24);
    assert.deepEqual([r.mechanisms[6]!.cidr4, r.mechanisms[6]!.cidr6], [24, 64]);
    assert.deepEqual([r.mechanisms[7]!.cidr4, r.mechanisms[7]!.cidr6], [undefined, 96]);
    assert.deepEqual(r.mechanisms[8]!.ip, [192, 0, 2, 0]);
    assert.equal(r.redirect!.value.text, '_spf.example.org');
    assert.equal(r.exp!.value.hasMacros, true);
    assert.equal(r.terms.filter((t) => t.kind === 'modifier').length, 3);
  });

  test('case-insensitive names, repeated and trailing spaces', () => {
    assert.deepEqual(errors('V=SPF1  MX   Include:Example.COM  -ALL  '), []);
    assert.equal(mech('v=spf1 MX').name, 'mx');
  });

  test('record selection (§4.5)', () => {
    assert.equal(isSpfRecord('v=spf1'), true);
    assert.equal(isSpfRecord('v=spf1 -all'), true);
    assert.equal(isSpfRecord('V=SPF1 -all'), true);
    assert.equal(isSpfRecord('v=spf10 -all'), false);
    assert.equal(isSpfRecord(' v=spf1 -all'), false);
    assert.equal(isSpfRecord('v=spf2.0/pra -all'), false);
  });

  test('unknown modifiers are allowed; the all position is recorded', () => {
    const r = parseSpf('v=spf1 mx ?all x-tag=%{d}');
    assert.equal(r.valid, true);
    assert.equal(r.all!.qualifier, '?');
  });
});

describe('spf parser: errors with positions', () => {
  const cases: [string, number, RegExp][] = [
    ['v=spf1 ip4:192.0.2.300 -all', 11, /not a valid IPv4/],
    ['v=spf1 ip4:192.0.02.1', 11, /not a valid IPv4/],
    ['v=spf1 ip4:2001:db8::1', 11, /looks like IPv6/],
    ['v=spf1 ip6:192.0.2.1', 11, /looks like IPv4/],
    ['v=spf1 ip6:2001:db8:::1', 11, /not a valid IPv6/],
    ['v=spf1 ip4:192.0.2.0/33', 21, /prefix length/],
    ['v=spf1 ip6:2001:db8::/129', 22, /prefix length/],
    ['v=spf1 a:example.com/024', 21, /prefix length/],
    ['v=spf1 ip4', 10, /needs an address/],
    ['v=spf1 include', 14, /needs a domain/],
    ['v=spf1 exists:', 14, /empty domain/],
    ['v=spf1 foo -all', 7, /unknown mechanism "foo"/],
    ['v=spf1 mx.example.com', 7, /did you mean "mx:example.com"/],
    ['v=spf1 -all:x', 11, /"all" takes no argument/],
    ['v=spf1 a:1.2.3.4', 9, /IP address, not a domain/],
    ['v=spf1 a:localhost', 9, /single label/],
    ['v=spf1 a:exa..mple.com', 13, /empty label/],
    ['v=spf1 include:example.com,x', 23, /"com,x" is not a valid top-level label/],
    ['v=spf1 redirect=a.example redirect=b.example', 26, /more than once/],
    ['v=spf1 exp=a.example exp=b.example', 21, /more than once/],
    ['v=spf1 -redirect=a.example', 7, /cannot have a qualifier/],
    ['v=spf1 redirect=', 16, /needs a domain/],
    ['v=spf1 -all\tmx', 11, /only spaces/],
    ['v=spf1-all', 6, /followed by a space/],
    ['spf1 -all', 0, /must start with "v=spf1"/],
    ['v=spf1 include:%{x}.example.com', 17, /unknown macro letter "x"/],
    ['v=spf1 include:%{d0}.example.com', 18, /must be nonzero/],
    ['v=spf1 include:%{d2!}.example.com', 19, /not a transformer or delimiter/],
    ['v=spf1 include:%{c}.example.com', 17, /only allowed in exp/],
    ['v=spf1 exists:%{d.example.com', 14, /never closed/],
    ['v=spf1 exists:100%.example.com', 17, /not a macro/],
    ['v=spf1 exists:%{i}.bl_', 18, /must end with a macro or with "\." and a top-level label/],
    ['v=spf1 exists:%{d}.123', 18, /top-level label/],
    ['v=spf1 exists:x%', 15, /lone "%"/],
  ];
  for (const [record, position, message] of cases) {
    test(record, () => {
      const e = firstError(record);
      assert.match(e.message, message);
      assert.equal(e.position, position);
      assert.equal(e.marker, `${record}\n${' '.repeat(position)}^`);
      assert.equal(parseSpf(record).valid, false);
    });
  }

  test('several errors are all reported, in order', () => {
    const e = errors('v=spf1 ip4:1.2.3 foo a:%{z}.example.com -all');
    assert.deepEqual(e.map((x) => x.position), [11, 17, 25]);
  });

  test('warnings: terms after all, redirect with all, modifier named like a mechanism', () => {
    const r = parseSpf('v=spf1 -all mx redirect=x.example include=foo.example');
    assert.equal(r.valid, true);
    assert.deepEqual(r.issues.map((i) => [i.level, i.position]), [['warning', 12], ['warning', 15], ['warning', 34]]);
  });
});

describe('spf parser: character-strings (§3.3)', () => {
  test('strings are joined without a separator and their lengths kept', () => {
    const r = parseSpf(['v=spf1 ip4:192.0.2.1', ' -all']);
    assert.equal(r.text, 'v=spf1 ip4:192.0.2.1 -all');
    assert.deepEqual(r.stringLengths, [20, 5]);
    assert.equal(r.valid, true);
  });

  test('a missing space at a join is pointed out (a warning: §7.1 allows ":" in a target, so the record is valid)', () => {
    const r = parseSpf(['v=spf1 include:a.example', 'include:b.example -all']);
    assert.equal(r.valid, true);
    assert.match(r.issues.find((i) => i.level === 'warning')!.message, /joined without a space.*string 1/);
  });

  test('RFC 7208 §7.1: any visible character but "%" in a target is valid, with a warning; %%, %_ and %- are macros', () => {
    const odd = parseSpf('v=spf1 a:foo:bar/baz.example.com -all');
    assert.equal(odd.valid, true);
    assert.deepEqual(odd.issues.map((i) => i.level), ['warning']);
    assert.match(odd.issues[0]!.message, /":" is not a host-name character/);
    const esc = parseSpf('v=spf1 exists:macro%%percent%_%_space%-url-space.example.com -all');
    assert.equal(esc.valid, true);
    assert.equal(esc.mechanisms[0]!.domainSpec!.hasMacros, true);
  });

  test('a string over 255 bytes is measured (only possible off the wire)', () => {
    const big = `v=spf1 ${'ip4:192.0.2.1 '.repeat(20)}`;
    assert.ok(parseSpf([big, '-all']).stringLengths[0]! > 255);
  });
});

describe('spf macros (§7)', () => {
  // The examples of RFC 7208 §7.4.
  const values = { s: 'strong-bad@email.example.com', l: 'strong-bad', o: 'email.example.com', d: 'email.example.com', i: '192.0.2.3', v: 'in-addr', h: 'mx.example.org' };
  const ex = (m: string, v: Record<string, string> = values) => {
    const { value, errors } = parseMacroString(m, 0, 'explanation');
    assert.deepEqual(errors, []);
    return expandMacroString(value, v);
  };
  const table: [string, string][] = [
    ['%{s}', 'strong-bad@email.example.com'], ['%{o}', 'email.example.com'], ['%{d}', 'email.example.com'], ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'], ['%{d2}', 'example.com'], ['%{d1}', 'com'], ['%{dr}', 'com.example.email'], ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'], ['%{l-}', 'strong.bad'], ['%{lr}', 'strong-bad'], ['%{lr-}', 'bad.strong'], ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ['%{S}', 'strong-bad%40email.example.com'],
    ['100%% %_%-', '100%  %20'],
    ['%{h}', 'mx.example.org'],
  ];
  for (const [m, want] of table) test(`${m} → ${want}`, () => assert.equal(ex(m), want));

  test('IPv6 i macro (§7.4)', () => {
    const ip = parseIp('2001:db8::cb01')!;
    assert.equal(ex('%{ir}.%{v}._spf.%{d2}', { ...values, i: dottedIp(ip), v: 'ip6' }),
      '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com');
  });

  test('macros in a domain-spec: c, r, t only in exp text; SP only in exp text', () => {
    assert.equal(parseMacroString('%{c}', 0, 'domain').errors.length, 1);
    assert.equal(parseMacroString('%{c} %{r} %{t}', 0, 'explanation').errors.length, 0);
    assert.equal(parseMacroString('a b', 0, 'domain').errors.length, 1);
  });

  test('over-long expansions lose labels on the left (§7.3)', () => {
    const name = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
    const t = truncateDomain(name);
    assert.ok(t.length <= 253);
    assert.ok(t.endsWith('.example.com') && t.startsWith('b'));
  });
});

describe('spf ip helpers', () => {
  test('IPv6 forms, mapped IPv4, CIDR, reverse names', () => {
    assert.deepEqual(parseIPv6('::1')!.slice(14), [0, 1]);
    assert.equal(parseIPv6('1:2:3:4:5:6:7:8:9'), undefined);
    assert.equal(parseIPv6('fe80::1%eth0'), undefined);
    assert.deepEqual(parseIp('::ffff:192.0.2.1'), { version: 4, bytes: [192, 0, 2, 1] });
    assert.equal(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
    assert.ok(cidrMatch([192, 0, 2, 200], [192, 0, 2, 7], 24));
    assert.ok(!cidrMatch([192, 0, 2, 200], [192, 0, 3, 7], 24));
    assert.ok(cidrMatch([192, 0, 2, 200], [192, 0, 3, 7], 23));
    assert.ok(cidrMatch([10, 0, 0, 0], [192, 0, 3, 7], 0));
    assert.equal(reverseName(parseIp('192.0.2.3')!), '3.2.0.192.in-addr.arpa');
    assert.match(reverseName(parseIp('2001:db8::cb01')!), /^1\.0\.b\.c\.0(\.0)+\.8\.b\.d\.0\.1\.0\.0\.2\.ip6\.arpa$/);
  });
});
