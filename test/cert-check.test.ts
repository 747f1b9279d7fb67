import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCert } from '../src/checks/server/cert.js';
import { LEGACY_CIPHERS } from '../src/probes/tls-probe.js';
import { probeServer } from './helpers/tls-probe.js';
import type { Probed } from './helpers/tls-probe.js';

const OPTS = { certWarnDays: 30, certCritDays: 7 };
const NOW = new Date('2026-06-01T00:00:00Z');
const judged = (p: Probed, now = NOW) => judgeCert(p.endpoint, p.probe, now, OPTS).map((f) => `${f.id}:${f.severity}`);
const MX = { service: 'smtp', role: 'mx', implicitTls: false } as const;

describe('cert judgement on hermetic servers', () => {
  test('healthy: validity, name, trust, key all ok', async () => {
    assert.deepEqual(judged(await probeServer({ cert: 'valid' })), ['cert.validity-ok:ok', 'cert.name-ok:ok', 'cert.trusted:ok', 'cert.key-ok:ok']);
  });

  test('full chain through an intermediate: trusted, no chain finding', async () => {
    const got = judged(await probeServer({ cert: 'chain-leaf', certChain: 'chain-full.pem' }));
    assert.ok(got.includes('cert.trusted:ok'), got.join());
    assert.ok(!got.some((g) => g.startsWith('cert.chain-incomplete')));
  });

  test('expired: cert.expired critical, trust failure not reported twice', async () => {
    const got = judged(await probeServer({ cert: 'expired' }));
    assert.ok(got.includes('cert.expired:critical'), got.join());
    assert.ok(!got.some((g) => g.startsWith('cert.untrusted') || g.startsWith('cert.trusted')), got.join());
  });

  test('expiry thresholds with the injected clock: warning under 30 days, critical under 7', async () => {
    const p = await probeServer({ cert: 'valid' });
    assert.ok(judged(p, new Date('2123-12-10T00:00:00Z')).includes('cert.expires-soon:warning'));
    assert.ok(judged(p, new Date('2123-12-28T00:00:00Z')).includes('cert.expires-soon:critical'));
  });

  test('not yet valid: critical', async () => {
    assert.ok(judged(await probeServer({ cert: 'not-yet-valid' })).includes('cert.not-yet-valid:critical'));
  });

  test('wrong name: critical on submission, warning on port 25 (opportunistic senders)', async () => {
    assert.ok(judged(await probeServer({ cert: 'wrong-name' })).includes('cert.name-mismatch:critical'));
    const mx = judged(await probeServer({ cert: 'wrong-name', mode: 'smtp' }, MX));
    assert.ok(mx.includes('cert.name-mismatch:warning'), mx.join());
    assert.ok(mx.includes('cert.trusted:ok'), 'trust is judged separately from the name');
  });

  test('self-signed: cert.self-signed (critical; warning on MX), not also "untrusted" or "incomplete"', async () => {
    const got = judged(await probeServer({ cert: 'self-signed' }));
    assert.ok(got.includes('cert.self-signed:critical'), got.join());
    assert.ok(!got.some((g) => /untrusted|chain-incomplete/.test(g)), got.join());
    assert.ok(judged(await probeServer({ cert: 'self-signed', mode: 'smtp' }, MX)).includes('cert.self-signed:warning'));
  });

  test('leaf sent without its intermediate: cert.chain-incomplete', async () => {
    const got = judged(await probeServer({ cert: 'chain-leaf' }));
    assert.ok(got.includes('cert.chain-incomplete:critical'), got.join());
    assert.ok(!got.includes('cert.untrusted:critical'));
  });

  test('CA unknown to the trust store: incomplete when only the leaf is sent, untrusted when the root is sent too', async () => {
    const leafOnly = judged(await probeServer({ cert: 'valid' }, {}, { trustCa: false }));
    assert.ok(leafOnly.includes('cert.chain-incomplete:critical'), leafOnly.join());
    // Leaf + root: the chain is complete, but the root is not trusted (SELF_SIGNED_CERT_IN_CHAIN).
    const got = judged(await probeServer({ cert: 'valid', certChain: ['valid.pem', 'ca.pem'] }, {}, { trustCa: false }));
    assert.ok(got.includes('cert.untrusted:critical'), got.join());
    assert.ok(!got.some((g) => /chain-incomplete|self-signed/.test(g)), got.join());
  });

  test('RSA 1024: cert.weak-key', async () => {
    assert.ok(judged(await probeServer({ cert: 'rsa1024' })).includes('cert.weak-key:warning'));
  });

  test('SHA-1 signature: cert.sha1-signature, which also explains the failed verification', async () => {
    const got = judged(await probeServer({ cert: 'sha1', ciphers: LEGACY_CIPHERS }));
    assert.ok(got.includes('cert.sha1-signature:critical'), got.join());
    assert.ok(!got.includes('cert.untrusted:critical'), got.join());
  });

  test('no certificate (handshake failed): no cert findings', async () => {
    assert.deepEqual(judged(await probeServer({ mode: 'garbage' })), []);
  });
});
