// `mxdoctor doctor` as a user runs it: usage errors (exit 3, one line), --help, the text
// diagnosis, --json validity and exit codes, --log, against an in-process zone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const LOG = new URL('./fixtures/logs/postfix-maillog-file.log', import.meta.url).pathname;
const ZONE = `${soa('nomx.test')}@ NS ns1.nomx.test.\nns1 A 127.0.0.1\nwww A 127.0.0.70
${soa('ok.test')}@ NS ns1.ok.test.\nns1 A 127.0.0.1\n@ MX 10 mx.ok.test.\nmx A 127.0.0.71
@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"\n$ORIGIN in-addr.arpa.\n71.0.0.127 PTR mx.ok.test.\n`;

describe('doctor cli', () => {
  let lab: ZoneLab;
  let dns: string[];
  before(async () => {
    lab = await zoneLab(ZONE);
    dns = ['--resolver', `${lab.server.host}:${lab.server.port}`, '--auth-port', String(lab.server.port), '--dnsbl', 'dnsbl.invalid'];
  });
  after(() => lab.close());

  test('an unknown symptom is a one-line usage error listing the symptoms (exit 3)', async () => {
    const r = await runCli(['doctor', 'broken', 'ok.test']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^mxdoctor: doctor: unknown symptom "broken"; give one of cannot-receive, cannot-send, slow, client-cannot-connect, spam-folder/);
  });

  test('a missing domain, a bad --ip and an --only family the symptom does not use are usage errors', async () => {
    assert.equal((await runCli(['doctor', 'slow'])).code, 3);
    const ip = await runCli(['doctor', 'cannot-send', 'ok.test', '--ip', 'mail.ok.test']);
    assert.equal(ip.code, 3);
    assert.match(ip.stderr, /--ip mail\.ok\.test: not an IPv4 or IPv6 address/);
    const only = await runCli(['doctor', 'cannot-receive', 'ok.test', '--only', 'spf', ...dns]);
    assert.equal(only.code, 3);
    assert.match(only.stderr, /--only spf: not a check family of "cannot-receive", which runs mx, ns/);
    const log = await runCli(['doctor', 'cannot-send', 'ok.test', '--log', '/nonexistent/mail.log', ...dns]);
    assert.equal(log.code, 3);
    assert.match(log.stderr, /cannot read \/nonexistent\/mail\.log/);
  });

  test('--help names the symptoms, the flags and how likelihood is meant', async () => {
    const r = await runCli(['doctor', '--help']);
    assert.equal(r.code, 0);
    for (const s of ['cannot-receive', 'cannot-send', 'slow', 'client-cannot-connect', 'spam-folder', '--ip', '--log', '--no-servers', '--resolver', 'not a probability']) {
      assert.ok(r.stdout.includes(s), s);
    }
    assert.match((await runCli(['--help'])).stdout, /\bdoctor\b/);
  });

  test('text: the symptom, the ranked causes with evidence and fix, exit code of the worst finding', async () => {
    const r = await runCli(['doctor', 'cannot-receive', 'nomx.test', ...dns]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^nomx\.test {2}cannot-receive: mail sent to this domain does not arrive/);
    assert.match(r.stdout, /Likely causes/);
    assert.match(r.stdout, /1\. likelihood: high {2}The domain has no MX record and no address to deliver to {2}no-mx/);
    assert.match(r.stdout, /CRIT {2}mx\.none/);
    assert.match(r.stdout, /Fix: Publish "@ MX 10/);
    assert.match(r.stdout, /Next steps/);
  });

  test('--json: one valid document, a doctor report with facts.doctor and the underlying findings', async () => {
    const r = await runCli(['doctor', 'cannot-receive', 'nomx.test', '--json', ...dns]);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'mxdoctor.report/v1');
    assert.equal(doc.exitCode, 2);
    assert.equal(r.code, 2);
    const [rep] = doc.reports;
    assert.equal(rep.kind, 'doctor');
    assert.equal(rep.target, 'nomx.test');
    assert.equal(rep.facts.doctor.symptom, 'cannot-receive');
    const [c] = rep.facts.doctor.causes;
    assert.deepEqual([c.rank, c.id, c.likelihood, c.evidence], [1, 'no-mx', 'high', ['mx.none']]);
    assert.ok(c.fix && c.why);
    assert.ok(rep.findings.some((f: { id: string; area: string }) => f.id === 'mx.none' && f.area === 'MX'));
    assert.ok(rep.findings.some((f: { id: string; area: string }) => f.id === 'doctor.cause' && f.area === 'Diagnosis'));
  });

  test('--log (DNS only): the log\'s blocklist refusals are the first cause of cannot-send', async () => {
    const r = await runCli(['doctor', 'cannot-send', 'ok.test', '--no-servers', '--log', LOG, '--json', ...dns]);
    const doc = JSON.parse(r.stdout);
    const d = doc.reports[0].facts.doctor;
    assert.equal(d.causes[0].id, 'log-blocklisted', JSON.stringify(d.causes.map((c: { id: string }) => c.id)));
    assert.equal(d.serversProbed, false);
    assert.deepEqual(d.logs.files, [LOG]);
    assert.ok(!doc.reports[0].findings.some((f: { check: string }) => f.check === 'smtp'));
    assert.equal(r.code, 2);
  });
});
