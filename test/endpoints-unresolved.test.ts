// SRV targets and named hosts that give no address are still servers clients are told to
// use: the service's check reports them (host-not-found: critical; host-lookup-failed:
// unknown), never silently drops them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zoneLab, soa } from './helpers/lab.js';
import { WELL_KNOWN_PORTS } from '../src/core/check.js';
import { createNetClient } from '../src/io/net.js';

const ZONE = `
${soa('srv.test')}
@                 MX 10 mx.srv.test.
mx                A 127.0.0.250
_submission._tcp  SRV 0 1 587 gone.srv.test.
_imaps._tcp       SRV 0 1 993 flaky.srv.test.
_pop3s._tcp       SRV 0 1 995 gone.srv.test.
flaky             A 127.0.0.251
`;

const opts = {
  stepTimeoutMs: 500, slowMs: 5000, net: createNetClient(),
  ports: { ...WELL_KNOWN_PORTS, smtp: 1, submission: 1, submissions: 1, imap: 1, imaps: 1, pop3: 1, pop3s: 1 },
};

test('an SRV target that does not exist: <family>.host-not-found, critical, naming the SRV record', async () => {
  const lab = await zoneLab(ZONE);
  try {
    const r = await lab.check('srv.test', ['submission', 'pop3'], opts);
    const sub = r.findings.find((f) => f.id === 'submission.host-not-found');
    assert.equal(sub?.severity, 'critical');
    assert.equal(sub?.subject, 'gone.srv.test');
    assert.match(sub!.detail!, /_submission\._tcp SRV/);
    assert.equal(r.findings.filter((f) => f.id === 'pop3.host-not-found').length, 1);
    assert.ok(!r.findings.some((f) => f.id === 'submission.not-offered'), 'a published but broken host is not "not offered"');
  } finally {
    await lab.close();
  }
});

test('an SRV target whose lookup times out: host-lookup-failed, unknown, never "not found"', async () => {
  const lab = await zoneLab(ZONE, { misbehave: { 'flaky.srv.test': 'timeout' } }, 200);
  try {
    const r = await lab.check('srv.test', ['imap'], opts);
    const f = r.findings.find((x) => x.subject === 'flaky.srv.test');
    assert.equal(f?.id, 'imap.host-lookup-failed');
    assert.equal(f?.severity, 'unknown');
    assert.ok(!r.findings.some((x) => x.id === 'imap.host-not-found'));
  } finally {
    await lab.close();
  }
});

test('a --submission-host that does not resolve gives a finding; a healthy SRV target gives none of these', async () => {
  const lab = await zoneLab(ZONE);
  try {
    const named = await lab.check('srv.test', ['submission'], { ...opts, submissionHosts: ['nowhere.srv.test'] });
    const f = named.findings.find((x) => x.id === 'submission.host-not-found');
    assert.equal(f?.subject, 'nowhere.srv.test');
    assert.match(f!.detail!, /command line/);
    const imap = await lab.check('srv.test', ['imap'], opts);
    assert.ok(!imap.findings.some((x) => /host-(not-found|lookup-failed)/.test(x.id)), JSON.stringify(imap.findings.map((x) => x.id)));
  } finally {
    await lab.close();
  }
});

test('every host command: a lookup that fails is <family>.host-lookup-failed (unknown), NXDOMAIN is host-not-found', async () => {
  const { runTarget } = await import('../src/core/runner.js');
  const { contextFactory } = await import('../src/context.js');
  const { smtpHostCheck } = await import('../src/checks/server/smtp-host.js');
  const { imapHostCheck } = await import('../src/checks/server/imap.js');
  const { pop3HostCheck } = await import('../src/checks/server/pop3.js');
  const { lmtpHostCheck } = await import('../src/checks/server/lmtp.js');
  const { tlsHostChecks } = await import('../src/checks/server/tls-host.js');
  const lab = await zoneLab(ZONE, { misbehave: { 'flaky.srv.test': 'servfail' } }, 300);
  try {
    const cases = [
      ['smtp', [smtpHostCheck()]], ['imap', [imapHostCheck()]], ['pop3', [pop3HostCheck()]],
      ['lmtp', [lmtpHostCheck]], ['tls', tlsHostChecks()],
    ] as const;
    for (const [family, checks] of cases) {
      for (const [host, id, severity] of [['flaky.srv.test', 'host-lookup-failed', 'unknown'], ['gone.srv.test', 'host-not-found', 'critical']] as const) {
        const r = await runTarget({ kind: 'host', host, port: 2 }, {
          checks: checks as never, checkTimeoutMs: 5000, context: contextFactory(lab.resolver, { stepTimeoutMs: 300, net: createNetClient() }),
        });
        const f = r.findings.find((x) => x.id === `${family}.${id}`);
        assert.equal(f?.severity, severity, `${family} ${host}: ${JSON.stringify(r.findings.map((x) => x.id))}`);
      }
    }
  } finally {
    await lab.close();
  }
});
