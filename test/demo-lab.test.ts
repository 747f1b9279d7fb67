// The demo lab's mail servers (src/lab/mail-server.ts): healthy.test comes out clean in
// every family, each mail defect domain shows its one planted defect, the servers follow
// the protocol rules the checks rely on, and `mxdoctor demo --json` covers every domain.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startLab } from '../src/lab/lab.js';
import type { Lab } from '../src/lab/lab.js';
import { planMailServers, tlsaForPort } from '../src/lab/mail-plan.js';
import { rcptReply } from '../src/lab/smtp-server.js';
import { runChecks } from '../src/index.js';
import type { Report } from '../src/core/report.js';
import { renderText } from '../src/report/text.js';
import { renderDemoTable } from '../src/report/demo-table.js';

const PROBLEM = new Set(['warning', 'critical', 'unknown']);
const problems = (r: Report) => r.findings.filter((f) => PROBLEM.has(f.severity)).map((f) => `${f.id} ${f.subject ?? ''} ${f.detail ?? ''}`);
const ids = (r: Report) => new Set(r.findings.map((f) => f.id));

let lab: Lab;
async function check(domain: string): Promise<Report> {
  const [r] = await runChecks([domain], {
    servers: [lab.resolver], authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca: [...lab.ca, ...lab.mailCa], ports: lab.mailPorts,
    loopbackOnly: true, dkimSelectors: ['mx2026'], dnsTimeoutMs: 2000, stepTimeoutMs: 3000,
    // The lab's servers share this process with the test runner: on a loaded machine an ordinary reply can take
    // 600 ms. The slow lab server greets after 1800 ms, so 1500 still tells it apart.
    slowMs: 1500,
  });
  return r!;
}

/** A raw SMTP dialogue: send each line after the previous reply, return every reply line. */
async function dialogue(address: string, port: number, lines: string[]): Promise<string[]> {
  const s = net.connect({ host: address, port });
  s.setEncoding('latin1');
  const got: string[] = [];
  let buf = '';
  let wake: (() => void) | undefined;
  s.on('data', (d: string) => { buf += d; wake?.(); });
  s.on('close', () => wake?.());
  s.on('error', () => undefined);
  const reply = async () => {
    const end = Date.now() + 3000;
    for (;;) {
      const m = /(?:^|\n)(\d{3}) [^\n]*\n/.exec(buf);
      if (m) { const out = buf.slice(0, m.index + m[0].length); buf = buf.slice(m.index + m[0].length); got.push(...out.trim().split(/\r?\n/)); return; }
      if (s.destroyed || Date.now() > end) return;
      await new Promise<void>((r) => { const t = setTimeout(r, 50); wake = () => { clearTimeout(t); r(); }; });
    }
  };
  await reply();
  for (const l of lines) { s.write(`${l}\r\n`); await reply(); }
  s.destroy();
  return got;
}

describe('demo lab mail servers', () => {
  before(async () => { lab = await startLab(); });
  after(() => lab?.close());

  test('every service has one port, the same on every address, none of them well known', () => {
    const ports = Object.values(lab.mailPorts);
    assert.equal(new Set(ports).size, 7);
    for (const p of ports) assert.ok(p > 1024, String(p));
    const hosts = lab.mail!.hosts;
    assert.ok(hosts.some((h) => h.address === '127.0.0.20' && h.host === 'mx1.healthy.test' && h.profile === 'full'));
    assert.ok(hosts.some((h) => h.address === '127.0.0.21' && h.profile === 'full'));
    assert.ok(hosts.some((h) => h.address === '127.0.0.30' && h.profile === 'open-relay'));
  });

  test('healthy.test: no warning, critical or unknown finding in any family, and every server family ran', async () => {
    const r = await check('healthy.test');
    assert.deepEqual(problems(r), []);
    const seen = ids(r);
    for (const id of ['smtp.reachable', 'smtp.starttls-offered', 'smtp.postmaster-accepted', 'smtp.relay-refused', 'smtp.banner-hostname',
      'submission.starttls-offered', 'submission.implicit-tls-ok', 'submission.auth-mechanisms', 'tls.versions-ok', 'tls.forward-secrecy',
      'cert.trusted', 'cert.name-ok', 'cert.validity-ok', 'tlsa.match', 'imap.starttls-ok', 'imap.logindisabled', 'pop3.stls-ok']) {
      assert.ok(seen.has(id), `${id} missing`);
    }
    // Both MX hosts, IPv4 and (where the machine has it) IPv6.
    const subjects = new Set(r.findings.filter((f) => f.id === 'smtp.reachable').map((f) => f.subject));
    assert.ok(subjects.size >= 2, [...subjects].join(', '));
    assert.equal(r.findings.filter((f) => f.id === 'tlsa.match').length, subjects.size);
  });

  const DEFECTS: [string, string][] = [
    ['smtp-relay.test', 'smtp.open-relay'],
    ['smtp-expired.test', 'cert.expired'],
    ['smtp-authplain.test', 'submission.auth-before-tls'],
    ['smtp-nostarttls.test', 'smtp.starttls-missing'],
    ['smtp-slow.test', 'smtp.slow-reply'],
  ];
  test('each mail defect domain shows its defect, and only it', async () => {
    const reports = await Promise.all(DEFECTS.map(([d]) => check(d)));
    for (const [i, [domain, id]] of DEFECTS.entries()) {
      // A busy machine can make any lab reply slow: only the slow domain must show it.
      const found = problems(reports[i]!).filter((p) => domain === 'smtp-slow.test' || !/^smtp\.slow-reply /.test(p));
      assert.equal(found.length, 1, `${domain}: ${found.join('\n')}`);
      assert.ok(found[0]!.startsWith(`${id} `), `${domain}: ${found[0]}`);
    }
  });

  test('a domain whose only defect is an expired certificate: the report opens with the CRIT and its fix', async () => {
    const text = renderText([await check('smtp-expired.test')], { color: false });
    const lines = text.split('\n');
    assert.match(lines[3]!, /^ {4}CRIT +Certificate expired .*cert\.expired$/, text);
    assert.match(lines.slice(4, 8).join('\n'), /Fix: Renew the certificate/);
    assert.doesNotMatch(text, /^ +OK /m);
    assert.match(text, /^ {4}Certificates +\d+ passed · 1 problem above$/m);
    assert.ok(lines.length < 45, `${lines.length} lines`);
  });

  test('the open relay accepts outside recipients but never a message; the others refuse the relay', async () => {
    const relay = await dialogue('127.0.0.30', lab.mailPorts.smtp, ['EHLO t.test', 'MAIL FROM:<>', 'RCPT TO:<relay-test@example.net>', 'DATA', 'QUIT']);
    assert.ok(relay.includes('250 2.1.5 Ok'), relay.join('\n'));
    assert.ok(relay.some((l) => /^554 5\.7\.1 .*accepts no messages/.test(l)), relay.join('\n'));
    assert.equal(rcptReply('x@example.net', { localDomains: new Set(['healthy.test']), openRelay: false }), '554 5.7.1 <x@example.net>: Relay access denied');
    assert.equal(rcptReply('PostMaster@healthy.test', { localDomains: new Set(['healthy.test']), openRelay: false }), '250 2.1.5 Ok');
    assert.match(rcptReply('nobody@healthy.test', { localDomains: new Set(['healthy.test']), openRelay: true }), /^550 5\.1\.1/);
  });

  test('submission requires AUTH and offers it only after STARTTLS; pipelined commands are answered in order', async () => {
    const r = await dialogue('127.0.0.20', lab.mailPorts.submission, ['EHLO t.test', 'AUTH PLAIN AHVzZXIAcGFzcw==', 'MAIL FROM:<a@healthy.test>']);
    assert.ok(!r.some((l) => /AUTH/.test(l) && l.startsWith('250')), r.join('\n'));
    assert.ok(r.some((l) => l.startsWith('538 5.7.11')), r.join('\n'));
    assert.ok(r.some((l) => l.startsWith('530 5.7.0')), r.join('\n'));
    const s = net.connect({ host: '127.0.0.20', port: lab.mailPorts.smtp });
    let text = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => { text += d; });
    s.write('EHLO t.test\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster@healthy.test>\r\nRSET\r\nQUIT\r\n');
    await new Promise<void>((resolve) => s.on('close', () => resolve()));
    assert.deepEqual(text.split('\r\n').filter((l) => /^\d{3} /.test(l)).map((l) => l.slice(0, 3)), ['220', '250', '250', '250', '250', '221']);
  });

  test('a line over the cap ends the session instead of growing a buffer', async () => {
    const r = await dialogue('127.0.0.20', lab.mailPorts.smtp, [`EHLO ${'x'.repeat(5000)}`]);
    assert.ok(r.some((l) => l.startsWith('500 5.5.2')), r.join('\n'));
  });

  test('TLSA records follow the SMTP port; every demo MX address gets a server', () => {
    const moved = tlsaForPort(lab.data.records, 2525);
    assert.ok(moved.some((t) => t.name === '_2525._tcp.mx1.healthy.test'));
    assert.equal(tlsaForPort(lab.data.records, 25).length, 0);
    const plan = planMailServers(lab.data.records, lab.data.demo.map((d) => d.domain), lab.data.mail, false);
    assert.ok(!plan.some((h) => h.address === '::1'));
    for (const d of lab.data.demo) {
      for (const mx of lab.data.records.filter((x) => x.type === 'MX' && x.name === d.domain)) {
        const addrs = lab.data.records.filter((x) => x.name === mx.data.exchange && x.type === 'A').map((x) => String(x.data));
        for (const a of addrs) assert.ok(plan.some((h) => h.address === a), `${d.domain}: no server on ${a}`);
      }
    }
  });

  test('noMail starts no mail server', async () => {
    const l = await startLab({ noMail: true, noHttps: true, resolverOnly: true });
    try {
      assert.equal(l.mail, undefined);
      assert.deepEqual(l.mailCa, []);
    } finally {
      await l.close();
    }
  });
});

test('`mxdoctor demo --deadline`: checks still running are cut, the rest not started; unknown (exit 3), the lab closed', { timeout: 60_000 }, async () => {
  const bin = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'demo', '--json', '--deadline', '100ms', '--domain', 'healthy.test', '--domain', 'smtp-slow.test'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  // The process ends by itself: the lab's servers and the checks' sockets were closed.
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 3, err);
  assert.match(err, /--deadline passed/);
  const doc = JSON.parse(out) as { reports: Report[] };
  assert.equal(doc.reports.length, 2);
  for (const r of doc.reports) {
    assert.equal(r.status, 'unknown', r.target);
    assert.ok(r.findings.some((f) => f.id === 'run.deadline'), r.target);
  }
});

test('`mxdoctor demo --json` checks every demo domain, servers included, and exits 0', { timeout: 60_000 }, async () => {
  const bin = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'demo', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const t0 = Date.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, err);
  const doc = JSON.parse(out) as { reports: Report[] };
  const { loadLabData } = await import('../src/lab/lab.js');
  const demo = loadLabData().demo.map((d) => d.domain);
  assert.deepEqual(doc.reports.map((r) => r.target).sort(), [...demo].sort());
  const healthy = doc.reports.find((r) => r.target === 'healthy.test')!;
  // The demo judges slowness at the default 500 ms, and this run shares two cores with the rest of
  // `npm test`: a slow reply can honestly happen here. Everything else must be clean.
  assert.deepEqual(problems(healthy).filter((p) => !/^\S+\.slow-reply /.test(p)), []);
  assert.ok(ids(healthy).has('smtp.reachable') && ids(healthy).has('imap.greeting-ok'), 'the server probes ran');
  assert.ok(ids(doc.reports.find((r) => r.target === 'smtp-relay.test')!).has('smtp.open-relay'));
  // No domain may fail to reach its mail server: every demo MX address has one.
  // and a certificate naming it (a new demo MX host needs its name in `gen-lab-certs.sh mail`).
  for (const r of doc.reports) assert.ok(!r.findings.some((f) => f.id === 'smtp.connect-refused' || f.id === 'cert.name-mismatch'), r.target);
  // Each domain shows its planted defect and nothing the demo itself caused (issue 10): exactly
  // these problem ids, a slow reply on a loaded machine aside.
  for (const r of doc.reports) {
    const got = [...new Set(r.findings.filter((f) => PROBLEM.has(f.severity)).map((f) => f.id))]
      .filter((id) => id !== 'smtp.slow-reply' || r.target === 'smtp-slow.test').sort();
    assert.deepEqual(got, [...(PLANTED[r.target] ?? [])].sort(), r.target);
  }
  // The summary table: one row per domain, planted defect beside what was found, verdict last.
  const labData = loadLabData().demo;
  const table = renderDemoTable(doc.reports.map((r) => ({ planted: labData.find((d) => d.domain === r.target)!.description, report: r })), { color: false, width: 120 });
  const rows = table.split('\n');
  assert.match(rows[0]!, /^ {2}domain +planted defect +what mxdoctor found +verdict$/);
  assert.match(table, /^ {2}smtp-expired\.test +its MX presents an expired +CRIT Certificate expired +CRITICAL$/m);
  assert.match(table, /^ {2}healthy\.test +a domain with every mail record right +no problems +OK$/m);
  assert.ok(rows.every((l) => l.length <= 120), 'fits the width');
  assert.doesNotMatch(table, /selector you named/);
  console.log(`# mxdoctor demo --json: ${Date.now() - t0} ms for ${doc.reports.length} domains`);
});

/** The problems each demo domain must show: its planted defect, and only it. */
const PLANTED: Record<string, string[]> = {
  'dmarc-none.test': ['dmarc.policy-none', 'dmarc.no-rua'],
  'dmarc-extrua.test': ['dmarc.external-report-unauthorized'],
  'dkim-weak.test': ['dkim.key-revoked', 'dkim.key-short'],
  'tlsrpt-bad.test': ['dmarc.pct-partial', 'tlsrpt.invalid-uri', 'bimi.dmarc-not-enforced'],
  'dnsbl-listed.test': ['dnsbl.listed'],
  'dnsbl-refused.test': ['dnsbl.query-refused'],
  'out-of-sync.test': ['ns.spf-mismatch', 'ns.serial-mismatch'],
  'lame-ns.test': ['ns.lame'],
  // Broken DNSSEC: every lookup through a validating resolver fails, so each family is unknown.
  'bogus-dnssec.test': ['dnssec.bogus', 'mx.lookup-failed', 'spf.lookup-failed', 'ns.lookup-failed', 'mta-sts.txt-lookup-failed', 'dkim.lookup-failed', 'dmarc.lookup-failed', 'tlsrpt.lookup-failed', 'bimi.lookup-failed', 'dnsbl.lookup-failed', 'submission.host-lookup-failed'],
  'no-ptr.test': ['ptr.missing'],
  'fcrdns-fail.test': ['ptr.not-confirmed'],
  'dane-pkix.test': ['dane.pkix-usage'],
  // The unsigned zone is the plant: DANE does not apply there (RFC 7672 §2.2).
  'dane-insecure.test': ['dnssec.unsigned', 'dane.not-applicable'],
  'smtp-relay.test': ['smtp.open-relay'],
  'smtp-expired.test': ['cert.expired'],
  'smtp-authplain.test': ['submission.auth-before-tls'],
  'smtp-nostarttls.test': ['smtp.starttls-missing'],
  'smtp-slow.test': ['smtp.slow-reply'],
  'sts-mxmiss.test': ['mta-sts.mx-not-covered'],
  'sts-html.test': ['mta-sts.policy-content-type'],
  'sts-404.test': ['mta-sts.policy-http-status'],
  'sts-nohost.test': ['mta-sts.policy-host-missing'],
  'sts-badid.test': ['mta-sts.txt-invalid'],
  'sts-testing.test': ['mta-sts.max-age-short'],
  'sts-badcert.test': ['mta-sts.policy-tls-invalid'],
  'sts-redirect.test': ['mta-sts.policy-redirect'],
  'sts-badpolicy.test': ['mta-sts.policy-invalid'],
  'spf-lookups.test': ['spf.too-many-lookups'],
  'spf-plusall.test': ['spf.all-pass'],
  'spf-double.test': ['spf.multiple'],
  'spf-syntax.test': ['spf.syntax-error'],
  'spf-void.test': ['spf.too-many-void-lookups', 'spf.include-missing', 'spf.target-no-address'],
};

test('`mxdoctor demo --serve` prints how to reach the lab first, documents its flags, and stops on Ctrl-C', { timeout: 60_000 }, async () => {
  const bin = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'demo', '--serve', '--domain', 'healthy.test'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let outWhenServeLine = -1;
  let stopped = false;
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => {
    err += d;
    if (outWhenServeLine < 0 && /lab running/.test(err)) outWhenServeLine = out.length;
    if (!stopped && /Ctrl-C to stop/.test(err)) { stopped = true; child.kill('SIGINT'); }
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  assert.equal(code, 0, `${signal} ${err}`);
  assert.match(err.split('\n')[0]!, /^lab running until Ctrl-C; from another terminal: mxdoctor check healthy\.test --resolver 127\.0\.0\.1:\d+ --auth-port \d+ --https-port \d+ --ports smtp=\d+.* --ca \S+ca\.pem$/);
  assert.ok(outWhenServeLine >= 0 && !/healthy\.test +a domain/.test(out.slice(0, outWhenServeLine)), 'the line comes before the report');
  assert.match(out, /healthy\.test +a domain with every mail record right +no problems +OK/);
  const help = spawn(process.execPath, [bin, 'check', '--help']);
  let h = '';
  help.stdout.on('data', (d) => { h += d; });
  await new Promise((r) => help.on('close', r));
  for (const flag of ['--auth-port', '--https-port', '--ports', '--ca', '--resolver']) assert.ok(h.includes(flag), `check --help documents ${flag}`);
});
