import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStsTxtCandidate, looksLikeStsTxt, parseStsTxt } from '../src/parsers/mta-sts-txt.js';
import { matchingPattern, mxPatternMatches, mxPatternProblem, parseStsPolicy } from '../src/parsers/mta-sts-policy.js';

describe('MTA-STS TXT record (RFC 8461 §3.1)', () => {
  test('valid records', () => {
    for (const t of ['v=STSv1; id=20160831085700Z', 'v=STSv1; id=20160831085700Z;', 'v=STSv1;id=abc', 'v=STSv1; id=a;  ext=x.y']) {
      const r = parseStsTxt(t);
      assert.ok(r.ok, `${t}: ${!r.ok && r.error}`);
    }
    const r = parseStsTxt('v=STSv1; id=A1; foo=bar');
    assert.ok(r.ok && r.record.id === 'A1' && r.record.extensions[0]!.name === 'foo' && r.notes.length === 1);
    assert.ok(parseStsTxt(`v=STSv1; id=${'a'.repeat(32)}`).ok);
  });

  test('invalid records', () => {
    const bad = [
      'v=STSv1 id=123', // no ";" after the version: senders discard it
      'v=stsv1; id=123', // version is case-sensitive
      'v=STSv1;', // no id
      'v=STSv1; id=2026-01-01', // dashes
      `v=STSv1; id=${'a'.repeat(33)}`, // too long
      'v=STSv1; id=', // empty
      'v=STSv1; id = 123', // spaces around "="
      'v=STSv1; id=1; id=2', // twice
      'v=STSv1; id=1;; x=y', // empty field
      'v=STSv1; id=1 x=2', // missing delimiter
      'v=STSv1; rua=mailto:x', // no id
      'v=DMARC1; p=none',
    ];
    for (const t of bad) assert.equal(parseStsTxt(t).ok, false, t);
  });

  test('which records senders count', () => {
    assert.ok(isStsTxtCandidate('v=STSv1; id=1'));
    assert.ok(!isStsTxtCandidate('v=STSv1 ; id=1'));
    assert.ok(looksLikeStsTxt('v=STSv1 id=1') && looksLikeStsTxt('V = stsv1;'));
    assert.ok(!looksLikeStsTxt('google-site-verification=x'));
  });
});

describe('MTA-STS policy (RFC 8461 §3.2)', () => {
  const good = 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n';

  test('a CRLF policy parses', () => {
    const r = parseStsPolicy(good);
    assert.ok(r.ok);
    assert.deepEqual(r.policy, { version: 'STSv1', mode: 'enforce', maxAge: 604800, mx: ['mail.example.com', '*.example.net'] });
    assert.deepEqual(r.notes, []);
  });

  test('LF line ends, no final newline, trailing spaces', () => {
    const r = parseStsPolicy('version: STSv1\nmode: testing   \nmx: MX.Example.com\nmax_age:86400');
    assert.ok(r.ok);
    assert.equal(r.policy.mode, 'testing');
    assert.deepEqual(r.policy.mx, ['mx.example.com']);
  });

  test('mode none needs no mx', () => {
    const r = parseStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n');
    assert.ok(r.ok && r.policy.mx.length === 0);
  });

  test('unknown keys and blank lines are notes, not errors', () => {
    const r = parseStsPolicy('version: STSv1\nmode: enforce\n\nfoo: bar\nMode: x\nmx: a.example\nmax_age: 604800\n');
    assert.ok(r.ok);
    assert.equal(r.notes.length, 3);
    assert.ok(r.notes.some((n) => /unknown key "foo"/.test(n.message)));
    assert.ok(r.notes.some((n) => /case-sensitive/.test(n.message)));
  });

  test('version not first is a note', () => {
    const r = parseStsPolicy('mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 604800\n');
    assert.ok(r.ok && r.notes.some((n) => /first/.test(n.message)));
  });

  const invalid: [string, string, RegExp][] = [
    ['missing version', 'mode: enforce\nmx: a.example\nmax_age: 1\n', /version/],
    ['wrong version', 'version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n', /STSv1/],
    ['bad mode', 'version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n', /mode/],
    ['missing mode', 'version: STSv1\nmx: a.example\nmax_age: 1\n', /mode/],
    ['missing max_age', 'version: STSv1\nmode: enforce\nmx: a.example\n', /max_age/],
    ['max_age too large', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n', /31557600/],
    ['max_age not a number', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1w\n', /whole number/],
    ['max_age negative', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n', /whole number/],
    ['no mx in enforce', 'version: STSv1\nmode: enforce\nmax_age: 86400\n', /at least one "mx/],
    ['duplicate mode', 'version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1\n', /appears again/],
    ['not key: value', 'version: STSv1\nmode enforce\nmx: a.example\nmax_age: 1\n', /not a "key: value"/],
    ['html body', '<html><body>Not here</body></html>\n', /key: value/],
    ['bad wildcard', 'version: STSv1\nmode: enforce\nmx: mail.*.example\nmax_age: 1\n', /wildcard/],
  ];
  for (const [name, text, re] of invalid) {
    test(`invalid: ${name}`, () => {
      const r = parseStsPolicy(text);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.errors.some((e) => re.test(e.message)), JSON.stringify(!r.ok && r.errors));
    });
  }

  test('max_age limits are inclusive', () => {
    assert.ok(parseStsPolicy('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n').ok);
    assert.ok(parseStsPolicy('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 0\n').ok);
  });
});

describe('mx patterns (RFC 8461 §3.2, §4.1)', () => {
  test('pattern syntax', () => {
    for (const ok of ['mail.example.com', '*.example.com', 'xn--bcher-kva.example', 'a-b.example']) assert.equal(mxPatternProblem(ok), undefined, ok);
    for (const bad of ['', 'mail.example.com.', '*example.com', 'mail.*.example.com', '*.*.example.com', '*', '*.com.', '192.0.2.1', '-a.example', 'a b.example', '*.com']) {
      assert.ok(mxPatternProblem(bad), bad);
    }
  });

  test('a wildcard matches exactly one leftmost label', () => {
    assert.ok(mxPatternMatches('*.example.com', 'mx1.example.com'));
    assert.ok(mxPatternMatches('*.example.com', 'MX1.Example.COM.'));
    assert.ok(!mxPatternMatches('*.example.com', 'example.com'));
    assert.ok(!mxPatternMatches('*.example.com', 'a.b.example.com'));
    assert.ok(!mxPatternMatches('*.example.com', 'mx1.example.com.evil'));
  });

  test('exact patterns match exactly', () => {
    assert.ok(mxPatternMatches('mail.example.com', 'mail.example.com.'));
    assert.ok(!mxPatternMatches('mail.example.com', 'mail2.example.com'));
    assert.ok(!mxPatternMatches('example.com', 'mail.example.com'));
    assert.equal(matchingPattern(['a.example', '*.example'], 'b.example'), '*.example');
    assert.equal(matchingPattern(['a.example'], 'b.example'), undefined);
  });
});
