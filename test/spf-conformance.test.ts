// The OpenSPF RFC 7208 test suite (release 2014.04, test/fixtures/spf/rfc7208-tests.yml,
// licence beside it) run against evaluateSpf: every test of every scenario must give one of
// the results the suite accepts, and the explanation it expects (DEFAULT: no exp= text).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSpf } from '../src/checks/dns/spf-eval.js';
import { loadSuite, SuiteResolver } from './helpers/spf-suite.js';

const SUITE = loadSuite(new URL('./fixtures/spf/rfc7208-tests.yml', import.meta.url).pathname);

test('the suite is all there: 16 scenarios, 203 tests', () => {
  assert.equal(SUITE.length, 16);
  assert.equal(SUITE.reduce((n, s) => n + s.tests.length, 0), 203);
});

for (const scenario of SUITE) {
  describe(scenario.description, () => {
    for (const t of scenario.tests) {
      test(`${t.name} (RFC 7208 ${t.spec})`, async () => {
        const resolver = new SuiteResolver(scenario.zone);
        // The drivers check MAIL FROM, or HELO when MAIL FROM is empty (§2.3, §2.4).
        const sender = t.mailfrom || `postmaster@${t.helo}`;
        const domain = t.mailfrom ? t.mailfrom.slice(t.mailfrom.lastIndexOf('@') + 1) : t.helo;
        const r = await evaluateSpf(resolver, { ip: t.host, sender, helo: t.helo, domain, receiver: 'receiver.example.org' });
        const want = Array.isArray(t.result) ? t.result : [t.result];
        assert.ok(want.includes(r.result), `${t.name}: got ${r.result} (${r.reason}), want ${want.join(' or ')}${t.description ? ` — ${t.description}` : ''}`);
        if (t.explanation !== undefined && r.result === 'fail') {
          assert.equal(r.explanation ?? 'DEFAULT', t.explanation, `${t.name}: explanation`);
        }
      });
    }
  });
}
