import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { COMMON_DKIM_SELECTORS } from '../src/data/dkim-selectors.js';

// Keys generated once with node:crypto (generateKeyPairSync), SPKI DER in base64.
const RSA2048 = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApGuKwS1xoplXFk9qemEN4+CmE4denhYnoClyAyvVEUFBQjNWDONuICKspldw/z/1zaFHhjTjHWihcLvIcMqNOVY307Z9B0bjWFNrlb9HPIkTkUOPubmIZZI44vh62aCuld9MZHZ/8bK63ptNGf3na14Hqey2HOSrhbs7L6aIG7UmjcXe8zPx9XO0tkqdMJhjZBwP2thBFPpQ4g9j5V1hPtUCm1fZHf6n9tsxldLgnXBZwnEIMLkbCE+g24oWWNJo3PVKcjSA/ZDL7E+zE6fTOi6nn5bi2HAcJJ3sPZkCAk2tZ5K0TO/O46QLLZW9nqqdXmRj1MUgOe0KEWYeUxFU2QIDAQAB';
const RSA1024 = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCmAHPLpLm3kn+GCdeZG0tGf56CU/2X1BPzen6izPxtdhaSKSZzPx5Vgl92mQMxlAvzNN9yGd8Qf2F3BUluuHZpyb7H8HsylMUTNPqHqzAkf+1gCW8Zg9jYUBgZADsM+H7EiWEIETJ69v7ck62P8NrJ7zQN69OD2TATd07NzZS/6wIDAQAB';
const RSA512 = 'MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAO50rTrZ99gHjUSYetatZggMLyj5VcCeJ8KsEdawUyVeLtiY6L+Xv0vLOuo996xsJXyzXceVYAH7RXsydW0RuDcCAwEAAQ==';
const RSA1024_PKCS1 = 'MIGJAoGBANVnRbZVQ2TQh4DCNYtiSXPuTnxQDACFc65q5AsIQLsSDhhHL3Ris3SJoUyEpOAlraNKZEWyWyjrOBg5nHhDMqy5ElKUZhoU7nGTH8MiLhcvNe+zaFjc5MUM97hVbXTy1DBx7slGw4Pt8FkREhg/4h+zHZVtBPL1DL94sUFLBG0vAgMBAAE=';
const ED25519 = 'txpOH22R4ztLJ2yaHZ/sZVvWiyTCPRbD6F8TUZoK2po=';

/** A TXT record split into <=250-character strings, as a zone file must (RFC 1035 §3.3). */
const txt = (s: string) => (s.match(/.{1,250}/g) ?? ['']).map((c) => JSON.stringify(c)).join(' ');

const ZONE = `
${soa('good.test')}
mx2026._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA2048}`)}
${soa('cname.test')}
selector1._domainkey CNAME selector1-cname-test._domainkey.tenant.test.
${soa('tenant.test')}
selector1-cname-test._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA2048}`)}
${soa('keys.test')}
short._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA1024}`)}
weak._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA512}`)}
pkcs1._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA1024_PKCS1}`)}
revoked._domainkey TXT "v=DKIM1; k=rsa; p="
order._domainkey TXT ${txt(`k=rsa; v=DKIM1; p=${RSA2048}`)}
nop._domainkey TXT "v=DKIM1; k=rsa"
garbage._domainkey TXT "v=DKIM1; p=not*base64!"
wrongkey._domainkey TXT "v=DKIM1; p=AAAAAAAA"
dsa._domainkey TXT "v=DKIM1; k=dsa; p=AAAA"
service._domainkey TXT ${txt(`v=DKIM1; s=tlsrpt; p=${RSA2048}`)}
testing._domainkey TXT ${txt(`v=DKIM1; t=y; p=${RSA2048}`)}
sha1._domainkey TXT ${txt(`v=DKIM1; h=sha1; p=${RSA2048}`)}
twice._domainkey TXT ${txt(`v=DKIM1; p=${RSA2048}`)}
twice._domainkey TXT "v=DKIM1; p="
${soa('ed.test')}
default._domainkey TXT "v=DKIM1; k=ed25519; p=${ED25519}"
${soa('nokeys.test')}
@ MX 10 mx.nokeys.test.
*.nokeys.test. TXT "v=spf1 -all"
${soa('slow.test')}
@ MX 10 mx.slow.test.
; a key under a selector nobody guesses: _domainkey.slow.test exists (an empty non-terminal)
unguessable._domainkey TXT "v=DKIM1; p="
${soa('nodkim.test')}
@ MX 10 mx.nodkim.test.
${soa('dkfail.test')}
`;

describe('dkim check', () => {
  let lab: ZoneLab;
  before(async () => {
    // Each guessing run sends ~24 queries at once: a roomier client timeout keeps a cold start from flaking.
    lab = await zoneLab(ZONE, { misbehave: { 'sel._domainkey.slow.test': 'timeout', 'google._domainkey.slow.test': 'servfail', '_domainkey.dkfail.test': 'servfail' } }, 1000);
  });
  after(() => lab.close());
  const given = (d: string, ...sel: string[]) => lab.check(d, ['dkim'], { dkimSelectors: sel, dkimGuess: false });
  const one = async (sel: string) => {
    const r = await given('keys.test', sel);
    return ids(r);
  };

  test('a 2048-bit RSA key under a named selector is ok, nothing else', async () => {
    const r = await lab.check('good.test', ['dkim'], { dkimSelectors: ['mx2026'] });
    assert.deepEqual(ids(r), ['dkim.key-found']);
    assert.match(find(r, 'dkim.key-found')!.detail!, /RSA 2048 bits/);
    assert.equal(r.exitCode, 0);
  });

  test("a CNAME'd selector (Microsoft 365 style) is followed, found by guessing", async () => {
    const r = await lab.check('cname.test', ['dkim']);
    assert.deepEqual(ids(r), ['dkim.key-found']);
    assert.match(find(r, 'dkim.key-found')!.detail!, /via CNAME/);
  });

  test('RSA size: <2048 warning, <1024 critical; RSAPublicKey (PKCS#1) encoding accepted', async () => {
    assert.deepEqual(await one('short'), ['dkim.key-short']);
    assert.deepEqual(await one('weak'), ['dkim.key-too-weak']);
    const r = await given('keys.test', 'pkcs1');
    assert.deepEqual(ids(r), ['dkim.key-short']);
    assert.match(find(r, 'dkim.key-short')!.detail!, /1024/);
  });

  test('revoked key (empty p=)', async () => {
    assert.deepEqual(await one('revoked'), ['dkim.key-revoked']);
  });

  test('syntax: v= not first, p= missing', async () => {
    assert.deepEqual(await one('order'), ['dkim.syntax-error']);
    assert.deepEqual(await one('nop'), ['dkim.syntax-error']);
  });

  test('undecodable key, unknown key type, not for e-mail', async () => {
    assert.deepEqual(await one('garbage'), ['dkim.key-invalid']);
    assert.deepEqual(await one('wrongkey'), ['dkim.key-invalid']);
    assert.deepEqual(await one('dsa'), ['dkim.unknown-key-type']);
    assert.deepEqual(await one('service'), ['dkim.not-for-email']);
  });

  test('testing flag and SHA-1-only keys are warnings', async () => {
    assert.deepEqual(await one('testing'), ['dkim.testing']);
    assert.deepEqual(await one('sha1'), ['dkim.sha1-only']);
  });

  test('several records at one selector', async () => {
    assert.ok((await one('twice')).includes('dkim.multiple-records'));
  });

  test('Ed25519 alone is found, with a note to add RSA', async () => {
    const found = ids(await lab.check('ed.test', ['dkim']));
    assert.deepEqual(found.sort(), ['dkim.ed25519-only', 'dkim.key-found']);
  });

  test('nothing under guessed selectors is info that says it proves nothing; wildcard TXT ignored', async () => {
    const r = await lab.check('nokeys.test', ['dkim']);
    assert.deepEqual(ids(r), ['dkim.none-found']);
    assert.equal(r.exitCode, 0);
    assert.match(find(r, 'dkim.none-found')!.detail!, /does not mean the domain lacks DKIM/);
    assert.equal((find(r, 'dkim.none-found')!.evidence!.tried as string[]).length, COMMON_DKIM_SELECTORS.length);
  });

  test('no _domainkey name at all (NXDOMAIN): the common selectors are not queried (RFC 8020), named ones are', async () => {
    const before = lab.resolver.queriesSent;
    const r = await lab.check('nodkim.test', ['dkim']);
    assert.equal(lab.resolver.queriesSent - before, 1, 'only _domainkey.nodkim.test was asked');
    assert.deepEqual(ids(r), ['dkim.none-found']);
    const f = find(r, 'dkim.none-found')!;
    assert.match(f.detail!, /_domainkey\.nodkim\.test does not exist \(NXDOMAIN\).*RFC 8020.*not queried/);
    assert.equal((f.evidence!.skipped as string[]).length, COMMON_DKIM_SELECTORS.length);
    const named = await lab.check('nodkim.test', ['dkim'], { dkimSelectors: ['mine'] });
    assert.deepEqual(ids(named).sort(), ['dkim.none-found', 'dkim.selector-not-found']);
  });

  test('an empty non-terminal or a failed _domainkey lookup proves nothing: the guesses still go out', async () => {
    // keys.test has keys under other names only, so _domainkey.keys.test is NODATA.
    const before = lab.resolver.queriesSent;
    const r = await lab.check('keys.test', ['dkim']);
    assert.equal(lab.resolver.queriesSent - before, COMMON_DKIM_SELECTORS.length + 1);
    assert.deepEqual(ids(r), ['dkim.none-found']);
    assert.match(find(r, 'dkim.none-found')!.detail!, /None of the \d+ common selectors/);
    const failed = await lab.check('dkfail.test', ['dkim']);
    assert.equal((find(failed, 'dkim.none-found')!.evidence!.tried as string[]).length, COMMON_DKIM_SELECTORS.length);
  });

  test('a named selector without a record is a warning', async () => {
    const r = await given('nokeys.test', 'missing');
    // The wildcard answers with an SPF record: for a named selector that is a broken key, not absence.
    assert.deepEqual(ids(r), ['dkim.syntax-error']);
    const r2 = await given('good.test', 'missing');
    assert.deepEqual(ids(r2), ['dkim.selector-not-found']);
  });

  test('invalid selector names and nothing to check', async () => {
    assert.deepEqual(ids(await given('good.test', 'bad selector!')), ['dkim.invalid-selector']);
    assert.deepEqual(ids(await given('good.test')), ['dkim.not-checked']);
  });

  test('lookup failures are unknown: per named selector, one for all guesses, and no "none found"', async () => {
    const r = await lab.check('slow.test', ['dkim'], { dkimSelectors: ['sel'] });
    const failed = r.findings.filter((f) => f.id === 'dkim.lookup-failed');
    assert.equal(failed.length, 2);
    assert.ok(failed.some((f) => f.subject === 'sel._domainkey.slow.test'));
    assert.ok(!ids(r).includes('dkim.none-found'));
    assert.equal(r.exitCode, 3);
  });
});
