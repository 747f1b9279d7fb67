import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { defaultStartTls, serviceFor, tlsHostChecks } from '../src/checks/server/tls-host.js';
import { tlsCommand } from '../src/cli/commands/tls.js';
import { parseHostTarget } from '../src/cli/host-target.js';
import { zoneLab, ids, problems, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { CA_PEM, closedPort, startTlsTestServer } from './helpers/tls-servers.js';
import type { TestServer } from './helpers/tls-servers.js';

describe('mxdoctor tls <host[:port]>', () => {
  let lab: ZoneLab;
  let smtp: TestServer;
  let imaps: TestServer;
  before(async () => {
    smtp = await startTlsTestServer({ cert: 'valid', mode: 'smtp' });
    imaps = await startTlsTestServer({ cert: 'wrong-name' });
    lab = await zoneLab(`${soa('tls.test')}mail A 127.0.0.1\n`);
  });
  after(async () => {
    await lab.close();
    await Promise.all([smtp.close(), imaps.close()]);
  });
  const run = (input: string, starttls?: 'smtp' | 'imap' | 'pop3' | 'none') => runTarget(parseHostTarget(input), {
    checks: tlsHostChecks({ starttls }), checkTimeoutMs: 10_000,
    context: contextFactory(lab.resolver, { stepTimeoutMs: 500, ca: [CA_PEM], authPort: lab.server.port }),
  });

  test('a name, SMTP STARTTLS by default: healthy, TLSA looked up (none)', async () => {
    const r = await run(`mail.tls.test:${smtp.port}`);
    assert.deepEqual(problems(r), []);
    assert.ok(ids(r).includes('tls.starttls-offered') && ids(r).includes('cert.name-ok'), ids(r).join());
  });

  test('--starttls none: implicit TLS, judged as a verifying client would (name mismatch critical)', async () => {
    const r = await run(`mail.tls.test:${imaps.port}`, 'none');
    const f = r.findings.find((x) => x.id === 'cert.name-mismatch');
    assert.equal(f?.severity, 'critical');
    assert.ok(!ids(r).includes('tls.starttls-offered'));
  });

  test('refused port: tls.connect-failed critical; unknown name: tls.host-not-found', async () => {
    const refused = await run(`127.0.0.1:${await closedPort()}`);
    assert.deepEqual(refused.findings.map((f) => `${f.id}:${f.severity}`), ['tls.connect-failed:critical']);
    const missing = await run('nope.tls.test:25');
    assert.deepEqual(missing.findings.map((f) => `${f.id}:${f.severity}`), ['tls.host-not-found:critical']);
  });

  test('STARTTLS mode from the port, like testssl.sh -t', () => {
    assert.deepEqual([25, 587, 465, 143, 993, 110, 995, 2525].map(defaultStartTls), ['smtp', 'smtp', 'none', 'imap', 'none', 'pop3', 'none', 'smtp']);
    assert.equal(serviceFor('smtp', 587), 'submission');
    assert.equal(serviceFor('none', 993), 'imaps');
    assert.equal(serviceFor('smtp', 25), 'smtp');
  });

  test('--starttls with an unknown protocol is a usage error', async () => {
    await assert.rejects(tlsCommand(['127.0.0.1:25'], { starttls: 'ftp' }), /--starttls ftp/);
  });
});
