import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const ZONE = `
${soa('good.test')}
_dmarc TXT "v=DMARC1; p=reject"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@good.test,https://reports.good.test/tlsrpt"
default._bimi TXT "v=BIMI1; l=https://good.test/logo.svg; a=https://good.test/vmc.pem"
sub A 127.0.0.60
${soa('none.test')}
@ MX 10 mx.none.test.
${soa('sts.test')}
_mta-sts TXT "v=STSv1; id=2026"
${soa('multi.test')}
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:a@multi.test"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:b@multi.test"
default._bimi TXT "v=BIMI1; l=https://multi.test/a.svg"
default._bimi TXT "v=BIMI1; l=https://multi.test/b.svg"
${soa('norua.test')}
_smtp._tls TXT "v=TLSRPTv1; ruf=mailto:a@norua.test"
default._bimi TXT "v=BIMI1; a=https://norua.test/vmc.pem"
${soa('case.test')}
_smtp._tls TXT "v=tlsrptv1; rua=mailto:a@case.test"
default._bimi TXT "v=BIMI1 l=https://case.test/logo.svg"
${soa('baduri.test')}
_dmarc TXT "v=DMARC1; p=reject"
_smtp._tls TXT "v=TLSRPTv1; rua=tls@baduri.test"
default._bimi TXT "v=BIMI1; l=http://baduri.test/logo.svg"
${soa('nocert.test')}
_dmarc TXT "v=DMARC1; p=quarantine"
default._bimi TXT "v=BIMI1; l=https://nocert.test/logo.svg"
${soa('declined.test')}
default._bimi TXT "v=BIMI1; l=; a=;"
${soa('weak.test')}
_dmarc TXT "v=DMARC1; p=none"
default._bimi TXT "v=BIMI1; l=https://weak.test/logo.svg; a=https://weak.test/vmc.pem"
${soa('nodmarc.test')}
default._bimi TXT "v=BIMI1; l=https://nodmarc.test/logo.svg; a=https://nodmarc.test/vmc.pem"
${soa('subnone.test')}
_dmarc TXT "v=DMARC1; p=reject; sp=none"
default._bimi TXT "v=BIMI1; l=https://subnone.test/logo.svg; a=https://subnone.test/vmc.pem"
${soa('slow.test')}
@ MX 10 mx.slow.test.
`;

describe('tlsrpt check', () => {
  let lab: ZoneLab;
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { '_smtp._tls.slow.test': 'timeout', 'default._bimi.slow.test': 'servfail' } }); });
  after(() => lab.close());
  const run = async (d: string) => ids(await lab.check(d, ['tlsrpt']));

  test('a valid record with mailto: and https: URIs', async () => {
    const r = await lab.check('good.test', ['tlsrpt']);
    assert.deepEqual(ids(r), ['tlsrpt.valid']);
    assert.deepEqual(find(r, 'tlsrpt.valid')!.evidence!.rua, ['mailto:tls@good.test', 'https://reports.good.test/tlsrpt']);
  });

  test('missing is info, but a warning when MTA-STS is published', async () => {
    const r = await lab.check('none.test', ['tlsrpt']);
    assert.deepEqual(ids(r), ['tlsrpt.missing']);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(await run('sts.test'), ['tlsrpt.missing-with-mta-sts']);
  });

  test('several records', async () => {
    assert.deepEqual(await run('multi.test'), ['tlsrpt.multiple']);
  });

  test('syntax: no rua, wrong-case version', async () => {
    assert.deepEqual(await run('norua.test'), ['tlsrpt.syntax-error']);
    assert.deepEqual(await run('case.test'), ['tlsrpt.syntax-error']);
  });

  test('a rua without a URI scheme', async () => {
    assert.deepEqual(await run('baduri.test'), ['tlsrpt.invalid-uri']);
  });

  test('a timeout is unknown, never "missing"', async () => {
    assert.deepEqual(await run('slow.test'), ['tlsrpt.lookup-failed']);
  });
});

describe('bimi check', () => {
  let lab: ZoneLab;
  before(async () => { lab = await zoneLab(ZONE, { misbehave: { 'default._bimi.slow.test': 'servfail' } }); });
  after(() => lab.close());
  const run = async (d: string) => ids(await lab.check(d, ['bimi'])).sort();

  test('a valid record with a certificate under p=reject: ok only', async () => {
    assert.deepEqual(await run('good.test'), ['bimi.valid']);
  });

  test('a subdomain without a record uses the organizational domain\'s', async () => {
    const r = await lab.check('sub.good.test', ['bimi']);
    assert.deepEqual(ids(r), ['bimi.valid']);
    assert.equal(find(r, 'bimi.valid')!.subject, 'default._bimi.good.test');
  });

  test('absent is info', async () => {
    const r = await lab.check('none.test', ['bimi']);
    assert.deepEqual(ids(r), ['bimi.missing']);
    assert.equal(r.exitCode, 0);
  });

  test('several records, syntax errors, non-HTTPS logo', async () => {
    assert.deepEqual(await run('multi.test'), ['bimi.multiple']);
    assert.deepEqual(await run('norua.test'), ['bimi.syntax-error']);
    assert.deepEqual(await run('case.test'), ['bimi.syntax-error']);
    assert.deepEqual(await run('baduri.test'), ['bimi.invalid-uri']);
  });

  test('no certificate is info; an empty l= declines', async () => {
    assert.deepEqual(await run('nocert.test'), ['bimi.no-certificate', 'bimi.valid']);
    assert.deepEqual(await run('declined.test'), ['bimi.declined']);
  });

  test('DMARC weaker than quarantine/reject (or missing, or sp=none) makes BIMI ineffective', async () => {
    for (const d of ['weak.test', 'nodmarc.test', 'subnone.test']) {
      assert.deepEqual(await run(d), ['bimi.dmarc-not-enforced', 'bimi.valid'], d);
    }
  });

  test('a SERVFAIL is unknown', async () => {
    assert.deepEqual(await run('slow.test'), ['bimi.lookup-failed']);
  });
});
