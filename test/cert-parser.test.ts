import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { checkChain, expiryLevel, isSelfSigned, keyInfo, matchesName, validity, weakSignatures, describeCert } from '../src/parsers/certificate.js';
import { decodeOid, signatureAlgorithm } from '../src/parsers/cert-signature.js';
import { associationData, matchTlsa } from '../src/parsers/tlsa-match.js';
import { parseTlsa } from '../src/parsers/tlsa.js';
import { certFile } from './helpers/tls-servers.js';

const cert = (name: string) => new X509Certificate(certFile(`${name}.pem`));
const NOW = new Date('2026-06-01T00:00:00Z');

describe('certificate facts', () => {
  test('validity: valid, expired, not yet valid, days left', () => {
    const v = validity(cert('valid'), NOW);
    assert.equal(v.state, 'valid');
    assert.equal(v.notAfter, '2124-01-01T00:00:00.000Z');
    assert.equal(validity(cert('expired'), NOW).state, 'expired');
    assert.ok(validity(cert('expired'), NOW).daysLeft < -1900);
    assert.equal(validity(cert('not-yet-valid'), NOW).state, 'not-yet-valid');
    assert.equal(validity(cert('valid'), new Date('2123-12-02T00:00:00Z')).daysLeft, 30);
  });

  test('expiry thresholds: critical under crit, warning under warn', () => {
    assert.equal(expiryLevel(6, 30, 7), 'critical');
    assert.equal(expiryLevel(7, 30, 7), 'warning');
    assert.equal(expiryLevel(29, 30, 7), 'warning');
    assert.equal(expiryLevel(30, 30, 7), 'ok');
  });

  test('name match: SAN DNS, IP, wildcard one label only (RFC 6125 §6.4.3)', () => {
    const c = cert('valid');
    assert.equal(matchesName(c, 'mx1.healthy.test'), true);
    assert.equal(matchesName(c, 'MX1.Healthy.Test.'), true);
    assert.equal(matchesName(c, '127.0.0.1'), true);
    assert.equal(matchesName(c, '::1'), true);
    assert.equal(matchesName(c, '127.0.0.2'), false);
    assert.equal(matchesName(c, 'mx3.healthy.test'), false);
    const w = cert('wildcard');
    assert.equal(matchesName(w, 'a.wild.tls.test'), true);
    assert.equal(matchesName(w, 'a.b.wild.tls.test'), false);
    assert.equal(matchesName(w, 'wild.tls.test'), false);
    assert.equal(matchesName(cert('wrong-name'), 'mail.tls.test'), false);
  });

  test('key type and strength (internet.nl thresholds)', () => {
    assert.deepEqual([keyInfo(cert('valid')).strength, keyInfo(cert('valid')).curve], ['good', 'prime256v1']);
    assert.deepEqual([keyInfo(cert('valid-rsa')).strength, keyInfo(cert('valid-rsa')).bits], ['sufficient', 2048]);
    assert.deepEqual([keyInfo(cert('rsa1024')).strength, keyInfo(cert('rsa1024')).text], ['insufficient', 'RSA 1024 bits']);
  });

  test('signature algorithm from the DER (Node 20 does not expose it)', () => {
    assert.deepEqual(signatureAlgorithm(cert('valid').raw), { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256', weakDigest: false });
    assert.deepEqual(signatureAlgorithm(cert('sha1').raw), { oid: '1.2.840.10045.4.1', name: 'ecdsa-with-SHA1', weakDigest: true });
    assert.equal(signatureAlgorithm(Buffer.from([0x30, 0x82, 0xff])), undefined, 'truncated');
    assert.equal(signatureAlgorithm(Buffer.alloc(0)), undefined);
    assert.equal(signatureAlgorithm(cert('valid').raw.subarray(0, 40)), undefined);
    assert.equal(decodeOid(Buffer.from('2a864886f70d01010b', 'hex')), '1.2.840.113549.1.1.11');
    assert.equal(decodeOid(Buffer.from([0x2a, 0x86])), undefined, 'ends inside an arc');
    assert.equal(weakSignatures([cert('sha1'), cert('ca')]).length, 1);
    assert.equal(weakSignatures([cert('valid'), cert('ca')]).length, 0);
  });

  test('self-signed, chain links', () => {
    assert.equal(isSelfSigned(cert('self-signed')), true);
    assert.equal(isSelfSigned(cert('ca')), true);
    assert.equal(isSelfSigned(cert('valid')), false);
    assert.deepEqual(checkChain([cert('valid'), cert('ca')]), { complete: true });
    assert.deepEqual(checkChain([cert('chain-leaf'), cert('intermediate'), cert('ca')]), { complete: true });
    const broken = checkChain([cert('chain-leaf')]);
    assert.equal(broken.complete, false);
    assert.match(broken.missingIssuer ?? '', /intermediate/);
    assert.equal(checkChain([cert('chain-leaf'), cert('ca')]).brokenAt, 0, 'the CA did not sign the leaf');
    assert.equal(describeCert(cert('valid'), NOW).signature, 'ecdsa-with-SHA256');
  });
});

describe('TLSA matching (RFC 6698 §2.1, RFC 7672 §3.1)', () => {
  const leaf = cert('chain-leaf');
  const inter = cert('intermediate');
  const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
  const rec = (u: number, s: number, m: number, hex: string) => parseTlsa({ usage: u, selector: s, matchingType: m, certificate: Buffer.from(hex, 'hex') });

  test('association data per selector and matching type', () => {
    assert.equal(associationData(leaf, 1, 1), createHash('sha256').update(spki).digest('hex'));
    assert.equal(associationData(leaf, 0, 2), createHash('sha512').update(leaf.raw).digest('hex'));
    assert.equal(associationData(leaf, 0, 0), leaf.raw.toString('hex'));
    assert.equal(associationData(leaf, 2, 1), undefined);
  });

  test('DANE-EE matches the leaf, DANE-TA a CA the leaf chains to, PKIX usages are ignored', () => {
    const ee = rec(3, 1, 1, associationData(leaf, 1, 1)!);
    assert.equal(matchTlsa([ee], [leaf, inter]).index, 0);
    const ta = rec(2, 0, 1, associationData(inter, 0, 1)!);
    assert.equal(matchTlsa([ta], [leaf, inter]).index, 1);
    assert.equal(matchTlsa([ta], [leaf]).record, undefined, 'the TA must be in the chain');
    const pkix = rec(1, 1, 1, associationData(leaf, 1, 1)!);
    assert.deepEqual(matchTlsa([pkix], [leaf, inter]), { usable: [] });
    const other = rec(3, 1, 1, associationData(cert('valid'), 1, 1)!);
    assert.equal(matchTlsa([other], [leaf, inter]).record, undefined);
    assert.equal(matchTlsa([rec(2, 1, 1, associationData(inter, 1, 1)!)], [leaf, cert('ca')]).record, undefined, 'chain link broken before the TA');
  });
});
