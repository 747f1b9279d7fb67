// `mxdoctor doctor` on zones served in-process with scripted SMTP servers on 127.0.0.6x:
// no MX, null MX, MX refusing port 25, a dead primary MX, an unreachable submission port,
// greylisting, and no SRV records with nothing on the MX hosts.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { scriptedServer, responder } from './helpers/scripted-smtp.js';
import type { ScriptedServer } from './helpers/scripted-smtp.js';
import { closedPort } from './helpers/tls-servers.js';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { WELL_KNOWN_PORTS } from '../src/core/check.js';
import type { ServicePorts } from '../src/core/check.js';
import { createNetClient } from '../src/io/net.js';
import { runDoctor } from '../src/doctor/run.js';
import type { DoctorFacts } from '../src/doctor/facts.js';
import type { Symptom } from '../src/doctor/symptoms.js';
import type { Report } from '../src/core/report.js';

const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });
async function serve(...a: Parameters<typeof scriptedServer>): Promise<ScriptedServer> {
  const s = await scriptedServer(...a);
  servers.push(s);
  return s;
}

/** Zone text built after the servers are up (their ports go into SRV records). */
async function diagnose(zone: string, domain: string, symptom: Symptom, ports: Partial<ServicePorts>): Promise<{ r: Report; d: DoctorFacts }> {
  const lab: ZoneLab = await zoneLab(zone);
  try {
    const r = await runDoctor(domain, symptom, {
      resolver: lab.resolver, authPort: lab.server.port, net: createNetClient({ loopbackOnly: true }),
      ports: { ...WELL_KNOWN_PORTS, ...ports }, stepTimeoutMs: 3000, slowMs: 5000, dnsblZones: ['dnsbl.invalid'],
    });
    return { r, d: r.facts!.doctor as DoctorFacts };
  } finally {
    await lab.close();
  }
}
/** SOA plus one NS on the lab server, so the zones show their own defect, not a missing delegation. */
const head = (origin: string) => `${soa(origin)}@ NS ns1.${origin}.\nns1 A 127.0.0.1\n`;
const order = (d: DoctorFacts) => d.causes.map((c) => `${c.rank} ${c.id} ${c.likelihood} [${c.evidence.join(',')}]`).join('\n');

describe('doctor with scripted servers', () => {
  test('no MX and no address: "no MX" first for cannot-receive; the sender domain unresolvable for cannot-send', async () => {
    const zone = `${head('nomx.test')}www A 127.0.0.60\n`;
    const recv = await diagnose(zone, 'nomx.test', 'cannot-receive', {});
    assert.equal(recv.d.causes[0]?.id, 'no-mx', order(recv.d));
    assert.equal(recv.d.causes[0]?.likelihood, 'high');
    assert.equal(recv.r.exitCode, 2);
    const send = await diagnose(zone, 'nomx.test', 'cannot-send', {});
    assert.equal(send.d.causes[0]?.id, 'sender-domain-unresolvable', order(send.d));
  });

  test('a null MX is the cause of not receiving, and the doctor.cause verdict makes the exit code critical', async () => {
    const { r, d } = await diagnose(`${head('nullmx.test')}@ MX 0 .\n`, 'nullmx.test', 'cannot-receive', {});
    assert.equal(d.causes[0]?.id, 'null-mx', order(d));
    assert.equal(r.findings.find((f) => f.id === 'doctor.cause')?.severity, 'critical');
    assert.equal(r.exitCode, 2);
  });

  test('the only MX refuses port 25: "no MX server accepts connections" first', async () => {
    const zone = `${head('refused.test')}@ MX 10 mx.refused.test.\nmx A 127.0.0.61\n`;
    const { d } = await diagnose(zone, 'refused.test', 'cannot-receive', { smtp: await closedPort() });
    assert.equal(d.causes[0]?.id, 'mx-unreachable', order(d));
    assert.deepEqual(d.causes[0]?.evidence, ['smtp.connect-refused']);
  });

  test('the primary MX is down, the backup answers: first cause of "slow", only a low cause of not receiving', async () => {
    const s = await serve(responder({ hostname: 'mx2.backup.test', ehlo: ['PIPELINING'] }), ['127.0.0.62']);
    const zone = `${head('backup.test')}@ MX 10 mx1.backup.test.\n@ MX 20 mx2.backup.test.\nmx1 A 127.0.0.61\nmx2 A 127.0.0.62\n`;
    const slow = await diagnose(zone, 'backup.test', 'slow', { smtp: s.port, submission: 1, submissions: 2 });
    assert.equal(slow.d.causes[0]?.id, 'mx-partly-unreachable', order(slow.d));
    assert.equal(slow.d.causes[0]?.likelihood, 'high');
    assert.match(slow.d.causes[0]!.evidenceFindings[0]!.subject!, /mx1\.backup\.test/);
    const recv = await diagnose(zone, 'backup.test', 'cannot-receive', { smtp: s.port });
    assert.ok(!recv.d.causes.some((c) => c.id === 'mx-unreachable'), order(recv.d));
    assert.equal(recv.d.causes.find((c) => c.id === 'mx-partly-unreachable')?.likelihood, 'low', order(recv.d));
  });

  test('the submission port published in SRV refuses connections: first cause of client-cannot-connect', async () => {
    const port = await closedPort();
    const zone = `${head('subdown.test')}@ MX 10 mx.subdown.test.\nmx A 127.0.0.63\nmail A 127.0.0.63
_submission._tcp SRV 0 1 ${port} mail.subdown.test.\n_submissions._tcp SRV 0 0 0 .
_imap._tcp SRV 0 0 0 .\n_imaps._tcp SRV 0 0 0 .\n_pop3._tcp SRV 0 0 0 .\n_pop3s._tcp SRV 0 0 0 .\n`;
    const { r, d } = await diagnose(zone, 'subdown.test', 'client-cannot-connect', { smtp: port });
    assert.equal(d.causes[0]?.id, 'submission-unreachable', order(d));
    assert.equal(d.causes[0]?.likelihood, 'high');
    assert.equal(r.exitCode, 2);
    assert.ok(!r.findings.some((f) => f.check === 'smtp'), 'port 25 is not probed for mail apps');
  });

  test('greylisting on the MX: a cause of slow mail, not of unreachable mail', async () => {
    const s = await serve(responder({
      hostname: 'mx.grey.test', ehlo: ['PIPELINING'],
      rcpt: (a) => `450 4.2.0 <${a}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/`,
    }), ['127.0.0.64']);
    const zone = `${head('grey.test')}@ MX 10 mx.grey.test.\nmx A 127.0.0.64\n`;
    const slow = await diagnose(zone, 'grey.test', 'slow', { smtp: s.port, submission: 1, submissions: 2 });
    assert.ok(slow.d.causes.some((c) => c.id === 'greylisting' && c.likelihood === 'medium'), order(slow.d));
    const recv = await diagnose(zone, 'grey.test', 'cannot-receive', { smtp: s.port });
    assert.ok(!recv.d.causes.some((c) => c.id === 'greylisting'));
    assert.ok(recv.d.couldNotCheck.some((f) => f.id === 'smtp.rcpt-inconclusive'));
  });

  test('no SRV records and no service on the MX host: no submission first, no discovery as a lower cause', async () => {
    const s = await serve(responder({ hostname: 'mx.nosrv.test', ehlo: ['PIPELINING'] }), ['127.0.0.65']);
    const zone = `${head('nosrv.test')}@ MX 10 mx.nosrv.test.\nmx A 127.0.0.65\n`;
    const { r, d } = await diagnose(zone, 'nosrv.test', 'client-cannot-connect', { smtp: s.port, submission: 1, submissions: 2, imap: 3, imaps: 4, pop3: 5, pop3s: 6 });
    assert.equal(d.causes[0]?.id, 'submission-not-offered', order(d));
    const discovery = d.causes.find((c) => c.id === 'no-service-discovery');
    assert.deepEqual(discovery?.evidence, ['doctor.srv-missing'], order(d));
    assert.ok(r.findings.some((f) => f.id === 'doctor.srv-missing' && f.area === 'Diagnosis'));
  });
});
