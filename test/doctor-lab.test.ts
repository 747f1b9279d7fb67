// `mxdoctor doctor` against the in-process demo lab (DNS, MTA-STS HTTPS and mail servers on
// loopback): healthy.test gives no cause for any symptom; each planted defect ranks its cause
// first for the symptom it produces; --ip and --log feed the causes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab } from '../src/lab/lab.js';
import type { Lab } from '../src/lab/lab.js';
import { DnsClient } from '../src/io/dns-client.js';
import { diagnose } from '../src/services/doctor.js';
import type { DoctorOptions } from '../src/doctor/run.js';
import type { DoctorFacts } from '../src/doctor/facts.js';
import { SYMPTOMS } from '../src/doctor/symptoms.js';
import type { Symptom } from '../src/doctor/symptoms.js';
import { renderDoctorText } from '../src/report/doctor-text.js';
import type { Report } from '../src/core/report.js';

const LOG = new URL('./fixtures/logs/postfix-maillog-file.log', import.meta.url).pathname;
let lab: Lab;
let resolver: DnsClient;

async function doctor(domain: string, symptom: Symptom, extra: Partial<DoctorOptions> = {}): Promise<{ r: Report; d: DoctorFacts }> {
  // Through the service: it gives the doctor the logs service's reader for --log.
  const [r] = await diagnose(domain, symptom, {
    resolver, authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca: [...lab.ca, ...lab.mailCa], ports: lab.mailPorts, loopbackOnly: true,
    // healthy.test (and the mail-server domains) sign with "mx2026", which no list of common selectors has.
    dkimSelectors: domain === 'healthy.test' ? ['mx2026'] : [], stepTimeoutMs: 3000,
    // The lab shares this process: a loaded machine must not turn ordinary replies into slow ones
    // (on a busy CI box a healthy reply took 1.7 s); only the slow-greeting case uses a tighter limit.
    slowMs: domain === 'smtp-slow.test' ? 1500 : 5000, ...extra,
  });
  return { r: r!, d: r!.facts!.doctor as DoctorFacts };
}
const first = (d: DoctorFacts) => d.causes[0];

describe('doctor on the demo lab', () => {
  before(async () => {
    lab = await startLab();
    resolver = new DnsClient({ servers: [lab.resolver], timeoutMs: 2000, retries: 1 });
  });
  after(async () => {
    resolver?.close();
    await lab?.close();
  });

  test('healthy.test: no cause for any symptom, "no cause found", exit 0, and what was fine', async () => {
    for (const s of SYMPTOMS) {
      const { r, d } = await doctor('healthy.test', s);
      assert.deepEqual(d.causes.map((c) => `${c.id} ${c.evidence.join(',')}`), [], s);
      assert.equal(r.kind, 'doctor');
      assert.equal(r.exitCode, 0, `${s}: ${r.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info').map((f) => f.id).join(', ')}`);
      assert.ok(r.findings.some((f) => f.id === 'doctor.no-cause-found'), s);
      assert.ok(Object.keys(d.fine).length > 3, s);
      assert.match(renderDoctorText(r, { color: false }), /No likely cause found/);
    }
  });

  test('client-cannot-connect keeps only submission/IMAP/POP3 findings; cannot-receive only port 25', async () => {
    const client = await doctor('healthy.test', 'client-cannot-connect');
    assert.ok(client.d.fine['imap.starttls-ok'] && client.d.fine['submission.implicit-tls-ok'], JSON.stringify(client.d.fine));
    assert.ok(client.d.otherServices > 0);
    assert.ok(!client.r.findings.some((f) => f.id === 'tls.handshake-ok' && /:\d+ /.test(f.subject ?? '') && f.subject!.includes(`:${lab.mailPorts.smtp} `)));
    const recv = await doctor('healthy.test', 'cannot-receive');
    assert.ok(!recv.r.findings.some((f) => f.subject?.includes(`:${lab.mailPorts.imaps} `)));
    assert.ok(recv.d.fine['smtp.reachable']);
  });

  const DEFECTS: [string, Symptom, string, string][] = [
    ['spf-lookups.test', 'cannot-send', 'spf-permerror', 'spf.too-many-lookups'],
    ['spf-double.test', 'spam-folder', 'spf-permerror', 'spf.multiple'],
    ['dnsbl-listed.test', 'cannot-send', 'blacklisted', 'dnsbl.listed'],
    ['no-ptr.test', 'cannot-send', 'reverse-dns', 'ptr.missing'],
    ['bogus-dnssec.test', 'cannot-receive', 'dnssec-bogus', 'dnssec.bogus'],
    ['sts-mxmiss.test', 'cannot-receive', 'mta-sts-mx-not-covered', 'mta-sts.mx-not-covered'],
    ['out-of-sync.test', 'spam-folder', 'name-servers-auth-out-of-sync', 'ns.spf-mismatch'],
    ['lame-ns.test', 'slow', 'name-server-lame', 'ns.lame'],
    ['smtp-slow.test', 'slow', 'mx-slow-replies', 'smtp.slow-reply'],
    ['smtp-relay.test', 'client-cannot-connect', 'submission-not-offered', 'submission.not-offered'],
  ];
  for (const [domain, symptom, cause, evidence] of DEFECTS) {
    test(`${domain} ${symptom}: ${cause} ranks first`, async () => {
      const { r, d } = await doctor(domain, symptom);
      assert.equal(first(d)?.id, cause, d.causes.map((c) => `${c.rank} ${c.id} ${c.score}`).join('\n'));
      assert.ok(first(d)!.evidence.includes(evidence), first(d)!.evidence.join());
      assert.ok(r.exitCode === 1 || r.exitCode === 2, String(r.exitCode));
      const verdict = r.findings.find((f) => f.id === 'doctor.cause' && f.subject === cause);
      assert.equal((verdict?.evidence as { rank: number }).rank, 1);
    });
  }

  test('an MTA-STS enforce policy makes the uncovered MX "high", with the reason', async () => {
    const c = first((await doctor('sts-mxmiss.test', 'cannot-receive')).d)!;
    assert.equal(c.likelihood, 'high');
    assert.match(c.note ?? '', /enforce/);
  });

  test('an expired MX certificate without MTA-STS or DANE is only a low cause of not receiving', async () => {
    const { d, r } = await doctor('smtp-expired.test', 'cannot-receive');
    assert.deepEqual(d.causes.map((c) => [c.id, c.likelihood]), [['mx-certificate-invalid', 'low']]);
    assert.equal(r.exitCode, 2, 'the exit code is the worst relevant finding: cert.expired is critical');
  });

  test('bogus DNSSEC: the lookups it breaks are listed as "could not check", not as causes', async () => {
    const { d } = await doctor('bogus-dnssec.test', 'cannot-receive');
    assert.ok(d.couldNotCheck.some((f) => f.id === 'mx.lookup-failed'), d.couldNotCheck.map((f) => f.id).join());
    assert.ok(!d.causes.some((c) => c.evidence.includes('mx.lookup-failed')));
    assert.match(renderDoctorText((await doctor('bogus-dnssec.test', 'cannot-receive')).r, { color: false }), /Could not check/);
  });

  test('--ip: SPF does not list the sending address → the first cause of cannot-send; its blocklists are checked', async () => {
    const { d, r } = await doctor('healthy.test', 'cannot-send', { sendingIp: '192.0.2.1' });
    assert.equal(first(d)?.id, 'spf-ip-not-authorized');
    assert.equal(d.sendingIp, '192.0.2.1');
    assert.ok(r.findings.some((f) => f.id === 'dnsbl.not-listed' && f.subject === '192.0.2.1 (sending address)'),
      r.findings.filter((f) => f.check === 'dnsbl').map((f) => `${f.id} ${f.subject}`).join('\n'));
    // 192.0.2.1 has no PTR in the lab: its reverse DNS is checked like the MX addresses', and is a cause.
    assert.ok(r.findings.some((f) => f.id === 'ptr.missing' && f.subject === '192.0.2.1 (sending address)'),
      r.findings.filter((f) => f.check === 'ptr').map((f) => `${f.id} ${f.subject}`).join('\n'));
    assert.ok(d.causes.some((c) => c.evidence.includes('ptr.missing')), d.causes.map((c) => c.id).join());
  });

  test('--log: blocklist refusals in the mail log rank first for cannot-send on an otherwise healthy domain', async () => {
    const { d, r } = await doctor('healthy.test', 'cannot-send', { logs: [LOG] });
    assert.equal(first(d)?.id, 'log-blocklisted');
    assert.ok(d.causes.some((c) => c.id === 'log-fatal-errors'));
    assert.deepEqual(d.logs?.files, [LOG]);
    assert.ok(r.findings.some((f) => f.id === 'logs.blacklist-block' && f.area === 'Logs'));
    assert.equal(r.exitCode, 2);
  });
});
