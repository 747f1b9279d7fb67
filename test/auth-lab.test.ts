// The demo lab's zones for DMARC, DKIM, TLS-RPT and BIMI: healthy.test is clean, and each
// demo domain in auth.zone shows the defect its @demo line promises.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZONES_DIR } from '../src/lab/lab.js';
import { zoneLab, ids } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const FAMILIES = ['dmarc', 'dkim', 'tlsrpt', 'bimi'];
const BAD = new Set(['warning', 'critical', 'unknown']);

describe('lab zones: dmarc, dkim, tlsrpt, bimi', () => {
  let lab: ZoneLab;
  before(async () => {
    const text = ['base.zone', 'auth.zone'].map((f) => readFileSync(join(ZONES_DIR, f), 'utf8')).join('\n');
    lab = await zoneLab(text, {}, 1000);
  });
  after(() => lab.close());

  test('healthy.test: no warnings, and every family shows what it checked', async () => {
    const r = await lab.check('healthy.test', FAMILIES, { dkimSelectors: ['mx2026'] });
    assert.deepEqual(r.findings.filter((f) => BAD.has(f.severity)).map((f) => f.id), []);
    for (const id of ['dmarc.valid', 'dmarc.policy-enforced', 'dkim.key-found', 'tlsrpt.valid', 'bimi.valid']) assert.ok(ids(r).includes(id), id);
    assert.equal(r.exitCode, 0);
  });

  test('healthy.test without a selector: guessing finds nothing, and says so as info', async () => {
    const r = await lab.check('healthy.test', ['dkim']);
    assert.deepEqual(ids(r), ['dkim.none-found']);
  });

  const demos: [string, string[]][] = [
    ['dmarc-none.test', ['dmarc.policy-none', 'dmarc.no-rua']],
    ['dmarc-extrua.test', ['dmarc.external-report-unauthorized']],
    ['dkim-weak.test', ['dkim.key-short', 'dkim.key-revoked']],
    ['tlsrpt-bad.test', ['tlsrpt.invalid-uri', 'bimi.dmarc-not-enforced', 'dmarc.pct-partial']],
  ];
  for (const [domain, want] of demos) {
    test(`${domain} shows its defect`, async () => {
      const r = await lab.check(domain, FAMILIES);
      assert.deepEqual(r.findings.filter((f) => BAD.has(f.severity)).map((f) => f.id).sort(), [...want].sort());
    });
  }
});
