import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { judgeTls } from '../src/checks/server/tls.js';
import { summarizeEndpoint } from '../src/checks/server/tls-summary.js';
import { LEGACY_CIPHERS } from '../src/probes/tls-probe.js';
import { zoneLab, ids, problems, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { CA_PEM, startTlsTestServer } from './helpers/tls-servers.js';
import type { TestServer } from './helpers/tls-servers.js';
import { labPorts, probeServer } from './helpers/tls-probe.js';

const tlsIds = (p: Awaited<ReturnType<typeof probeServer>>) => judgeTls(p.endpoint, p.probe).map((f) => `${f.id}:${f.severity}`);

describe('tls check on a lab domain (STARTTLS on port 25)', () => {
  let lab: ZoneLab;
  let srv: TestServer;
  before(async () => {
    srv = await startTlsTestServer({ cert: 'valid', mode: 'smtp' });
    lab = await zoneLab(`${soa('tls.test')}@ MX 10 mail.tls.test.\nmail A 127.0.0.1\n`);
  });
  after(async () => {
    await lab.close();
    await srv.close();
  });

  test('healthy: STARTTLS, handshake, versions and FS ok; no problems; closed ports add nothing', async () => {
    const r = await lab.check('tls.test', ['tls', 'cert'], { ports: await labPorts(srv.port), stepTimeoutMs: 1000, ca: [CA_PEM] });
    assert.deepEqual(problems(r), []);
    // tls.starttls-offered belongs to the smtp family in a domain check (it stays in `mxdoctor tls`).
    assert.ok(!ids(r).includes('tls.starttls-offered'));
    for (const id of ['tls.handshake-ok', 'tls.forward-secrecy', 'tls.versions-ok', 'cert.validity-ok', 'cert.name-ok', 'cert.trusted', 'cert.key-ok']) {
      assert.ok(ids(r).includes(id), `${id} in ${ids(r).join(', ')}`);
    }
    assert.ok(r.findings.every((f) => f.subject === `mail.tls.test:${srv.port} (127.0.0.1)`));
    // The one-line service summary the human report lists under "Servers".
    const summary = r.findings.find((f) => f.id === 'tls.summary');
    assert.match(summary!.title, new RegExp(`^SMTP ${srv.port} ok \\(STARTTLS, TLS 1\\.3, cert \\d+ days\\)$`));
  });

  test('--no-servers: nothing probed', async () => {
    const before = srv.connections();
    const r = await lab.check('tls.test', ['tls', 'cert'], { ports: await labPorts(srv.port), probeServers: false });
    assert.deepEqual(ids(r), []);
    assert.equal(srv.connections(), before);
  });
});

describe('tls judgement on hermetic servers', () => {
  test('STARTTLS not offered: critical, and nothing else claimed', async () => {
    assert.deepEqual(tlsIds(await probeServer({ mode: 'smtp-no-starttls' })), ['tls.starttls-missing:critical']);
  });

  test('greeting never comes: tls.not-tested (unknown), within the step timeout', async () => {
    const t0 = performance.now();
    assert.deepEqual(tlsIds(await probeServer({ mode: 'silent' }, {}, { timeoutMs: 300 })), ['tls.not-tested:unknown']);
    assert.ok(performance.now() - t0 < 3000);
  });

  test('implicit TLS port that never finishes the handshake: tls.handshake-timeout', async () => {
    const got = tlsIds(await probeServer({ mode: 'silent' }, { implicitTls: true, service: 'submissions' }, { timeoutMs: 300 }));
    assert.deepEqual(got, ['tls.handshake-timeout:warning']);
  });

  test('not TLS at all: tls.handshake-failed', async () => {
    assert.deepEqual(tlsIds(await probeServer({ mode: 'garbage' })), ['tls.handshake-failed:critical']);
  });

  test('TLS 1.0-only: no modern version (critical) and legacy versions (warning)', async () => {
    const got = tlsIds(await probeServer({ cert: 'valid-rsa', minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: LEGACY_CIPHERS }));
    assert.ok(got.includes('tls.no-modern-version:critical'), got.join());
    assert.ok(got.includes('tls.legacy-versions:warning'), got.join());
    assert.ok(!got.includes('tls.versions-ok:ok'));
  });

  test('TLS 1.0 to 1.3 accepted: legacy versions warning only', async () => {
    const got = tlsIds(await probeServer({ cert: 'valid', minVersion: 'TLSv1', ciphers: LEGACY_CIPHERS }));
    assert.ok(got.includes('tls.legacy-versions:warning'), got.join());
    assert.ok(!got.some((g) => /no-modern|no-tls13|handshake-failed/.test(g)), got.join());
  });

  test('TLS 1.2 at most: tls.no-tls13 (info)', async () => {
    const got = tlsIds(await probeServer({ cert: 'valid', maxVersion: 'TLSv1.2' }));
    assert.ok(got.includes('tls.no-tls13:info'), got.join());
    assert.ok(got.includes('tls.versions-ok:ok'), got.join());
  });

  test('static RSA key exchange: tls.no-forward-secrecy', async () => {
    const got = tlsIds(await probeServer({ cert: 'valid-rsa', maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }));
    assert.ok(got.includes('tls.no-forward-secrecy:warning'), got.join());
  });

  test('a version that could not be tested is unknown, and versions-ok is withheld', async () => {
    const p = await probeServer({ cert: 'valid' });
    p.probe.versions[0] = { version: 'TLSv1', support: 'unknown', reason: 'TLS handshake not finished within 300 ms' };
    const got = judgeTls(p.endpoint, p.probe).map((f) => f.id);
    assert.ok(got.includes('tls.version-untested'));
    assert.ok(!got.includes('tls.versions-ok'));
  });
});

describe('summarizeEndpoint', () => {
  test('one line per endpoint', async () => {
    const now = Date.parse('2123-12-02T00:00:00Z');
    const ok = await probeServer({ cert: 'valid', mode: 'smtp' });
    assert.equal(summarizeEndpoint({ service: 'smtp', port: 25, implicitTls: false, tls: ok.probe, now }), 'SMTP 25 ok (STARTTLS, TLS 1.3, cert 30 days)');
    assert.equal(summarizeEndpoint({ service: 'imaps', port: 993, implicitTls: true, tls: ok.probe, now, status: 'warning' }), 'IMAP 993 warning (implicit TLS, TLS 1.3, cert 30 days)');
    const none = await probeServer({ mode: 'smtp-no-starttls' });
    assert.equal(summarizeEndpoint({ service: 'submission', port: 587, implicitTls: false, tls: none.probe }), 'Submission 587 critical (STARTTLS not offered)');
    assert.equal(summarizeEndpoint({ service: 'pop3', port: 110, implicitTls: false }), 'POP3 110 unknown (TLS not tested)');
  });
});
