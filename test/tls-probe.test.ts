import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createNetClient } from '../src/io/net.js';
import { plainOpener } from '../src/probes/tls-opener.js';
import { smtpStartTlsOpener } from '../src/probes/smtp/opener.js';
import { probeTls, LEGACY_CIPHERS } from '../src/probes/tls-probe.js';
import type { TlsProbeResult } from '../src/probes/tls-probe.js';
import { classifyVersionFailure } from '../src/probes/tls-version-failure.js';
import { CA_PEM, startTlsTestServer } from './helpers/tls-servers.js';
import type { TestServerOptions } from './helpers/tls-servers.js';

const net = createNetClient({ ca: [CA_PEM] });
const support = (r: TlsProbeResult) => Object.fromEntries(r.versions.map((v) => [v.version, v.support]));

async function probe(o: TestServerOptions, timeoutMs = 1000): Promise<TlsProbeResult> {
  const srv = await startTlsTestServer(o);
  try {
    return await probeTls(net, {
      host: '127.0.0.1', port: srv.port, servername: 'mail.tls.test', timeoutMs, heloName: 'probe.test',
      opener: o.mode?.startsWith('smtp') ? smtpStartTlsOpener : plainOpener,
    });
  } finally {
    await srv.close();
  }
}

describe('TLS probe', () => {
  test('healthy implicit TLS: 1.2 and 1.3 yes, 1.0/1.1 no, chain to the test CA, trusted, FS', async () => {
    const r = await probe({ cert: 'valid' });
    assert.equal(r.open, undefined);
    assert.equal(r.failure, undefined);
    const h = r.handshake!;
    assert.equal(h.protocol, 'TLSv1.3');
    assert.equal(h.forwardSecrecy, true);
    assert.equal(h.authorized, true);
    assert.equal(h.pinned, undefined);
    assert.match(h.keyExchange ?? '', /ECDH|X25519/);
    assert.equal(h.chain.length, 2, 'leaf plus the CA Node completes from the trust store');
    assert.match(h.chain[0]!.subject, /mail\.tls\.test/);
    assert.match(h.chain[1]!.subject, /mxdoctor test CA/);
    assert.deepEqual(support(r), { TLSv1: 'no', 'TLSv1.1': 'no', 'TLSv1.2': 'yes', 'TLSv1.3': 'yes' });
  });

  test('STARTTLS over the scripted SMTP server', async () => {
    const r = await probe({ cert: 'valid', mode: 'smtp' });
    assert.equal(r.handshake?.protocol, 'TLSv1.3');
    assert.equal(support(r)['TLSv1.2'], 'yes');
  });

  test('STARTTLS not offered: the opener stops at the starttls stage', async () => {
    const r = await probe({ mode: 'smtp-no-starttls' });
    assert.equal(r.open?.stage, 'starttls');
    assert.equal(r.handshake, undefined);
    assert.ok(r.versions.every((v) => v.support === 'unknown'), 'no TLS reached: unknown, not "no"');
  });

  test('TLS 1.2-only server: 1.3 inferred "no" from the negotiated version', async () => {
    const r = await probe({ cert: 'valid', maxVersion: 'TLSv1.2' });
    assert.equal(r.handshake?.protocol, 'TLSv1.2');
    assert.deepEqual(support(r), { TLSv1: 'no', 'TLSv1.1': 'no', 'TLSv1.2': 'yes', 'TLSv1.3': 'no' });
  });

  // Node 20's OpenSSL 3.0 serves TLS 1.0 only at security level 0 (see README of test/fixtures/certs).
  test('TLS 1.0-only server: default handshake fails, the pinned SECLEVEL=0 probe succeeds and supplies the facts', async () => {
    const r = await probe({ cert: 'valid', minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: LEGACY_CIPHERS });
    assert.ok(r.failure, 'the default (TLS 1.2+) handshake fails');
    assert.equal(r.handshake?.protocol, 'TLSv1');
    assert.equal(r.handshake?.pinned, 'TLSv1');
    assert.deepEqual(support(r), { TLSv1: 'yes', 'TLSv1.1': 'no', 'TLSv1.2': 'no', 'TLSv1.3': 'no' });
  });

  test('static RSA key exchange: no forward secrecy', async () => {
    const r = await probe({ cert: 'valid-rsa', maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' });
    assert.equal(r.handshake?.protocol, 'TLSv1.2');
    assert.equal(r.handshake?.forwardSecrecy, false);
    assert.equal(r.handshake?.keyExchange, undefined);
  });

  test('a server that never answers the ClientHello: timeout within the step timeout, versions unknown', async () => {
    const t0 = performance.now();
    const r = await probe({ mode: 'silent' }, 300);
    assert.ok(performance.now() - t0 < 3000, 'bounded by the step timeout, never hangs');
    assert.equal(r.failure?.kind, 'timeout');
    assert.equal(r.handshake, undefined);
    assert.ok(r.versions.every((v) => v.support === 'unknown'), 'a timeout is not a refusal');
  });

  test('a non-TLS service: handshake failure with an OpenSSL code, no handshake facts', async () => {
    const r = await probe({ mode: 'garbage' });
    assert.equal(r.handshake, undefined);
    assert.equal(r.failure?.kind, 'tls');
    assert.match(r.failure?.code ?? '', /^ERR_SSL_|ECONNRESET/);
  });

  test('expired and self-signed: handshake completes, trust reported as OpenSSL saw it', async () => {
    const expired = await probe({ cert: 'expired' });
    assert.equal(expired.handshake?.authorized, false);
    assert.equal(expired.handshake?.authorizationError, 'CERT_HAS_EXPIRED');
    const self = await probe({ cert: 'self-signed' });
    assert.equal(self.handshake?.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(self.handshake?.chain.length, 1);
  });

  test('leaf without its intermediate: the chain stops at the leaf', async () => {
    const r = await probe({ cert: 'chain-leaf' });
    assert.equal(r.handshake?.authorized, false);
    assert.equal(r.handshake?.chain.length, 1);
    const full = await probe({ cert: 'chain-leaf', certChain: 'chain-full.pem' });
    assert.equal(full.handshake?.authorized, true);
    assert.equal(full.handshake?.chain.length, 3);
  });
});

describe('version failure classification', () => {
  const f = (kind: any, error: string, code?: string) => classifyVersionFailure({ kind, error, ms: 1, ...(code ? { code } : {}) });
  test('server refusals are "no", local refusals and timeouts "unknown"', () => {
    assert.equal(f('tls', 'x', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION').support, 'no');
    assert.equal(f('tls', 'x', 'ERR_SSL_UNSUPPORTED_PROTOCOL').support, 'no');
    assert.equal(f('tls', 'ECONNRESET: Client network socket disconnected', 'ECONNRESET').support, 'no');
    assert.equal(f('tls', 'x', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE').support, 'unknown');
    assert.equal(f('tls', 'x', 'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED').support, 'unknown');
    assert.equal(f('timeout', 'TLS handshake not finished within 300 ms').support, 'unknown');
    assert.equal(f('tls', 'something new').support, 'unknown');
  });
});
