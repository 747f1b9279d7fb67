// The smtp and submission families of `mxdoctor check`: MX endpoints from DNS (an
// in-process zone) served by scripted SMTP servers on 127.0.0.x, plus the intrusive
// smuggling test of `mxdoctor smtp`.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { scriptedServer, responder, nxResolver } from './helpers/scripted-smtp.js';
import type { ResponderOptions, ScriptedServer } from './helpers/scripted-smtp.js';
import { zoneLab, ids, find, problems, soa } from './helpers/lab.js';
import { WELL_KNOWN_PORTS } from '../src/core/check.js';
import { createNetClient } from '../src/io/net.js';
import type { NetClient } from '../src/io/net.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { smtpHostCheck } from '../src/checks/server/smtp-host.js';
import { detectSoftware } from '../src/parsers/smtp-software.js';
import { VULNERABLE_VERSIONS } from '../src/data/vulnerable-versions.js';
import { isAffected, vulnerabilitiesOf } from '../src/checks/server/vulnerable.js';
import { parseEhlo } from '../src/parsers/smtp-ehlo.js';

const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function serve(script: Parameters<typeof scriptedServer>[0], hosts: string[], implicitTls = false): Promise<ScriptedServer> {
  const s = await scriptedServer(script, hosts, implicitTls);
  servers.push(s);
  return s;
}

const ZONE = `
${soa('two.test')}
@     MX 10 mx1.two.test.
@     MX 20 mx2.two.test.
mx1   A 127.0.0.41
mx2   A 127.0.0.42
${soa('one.test')}
@     MX 10 mx.one.test.
mx    A 127.0.0.43
$ORIGIN in-addr.arpa.
41.0.0.127 PTR mx1.two.test.
42.0.0.127 PTR mx2.two.test.
43.0.0.127 PTR other-name.one.test.
`;

async function runDomain(domain: string, smtpPort: number, extra: Record<string, unknown> = {}, zone = ZONE) {
  const lab = await zoneLab(zone);
  try {
    return await lab.check(domain, ['smtp', 'submission'], {
      // A generous slow threshold: a loaded test machine must not turn the healthy cases into warnings.
      stepTimeoutMs: 1000, slowMs: 5000, net: createNetClient(),
      ports: { ...WELL_KNOWN_PORTS, smtp: smtpPort, submission: 1, submissions: 2, imaps: 3 }, ...extra,
    });
  } finally {
    await lab.close();
  }
}

/** Different behaviour per listening address. */
function perHost(map: Record<string, ResponderOptions>) {
  return (c: Parameters<ReturnType<typeof responder>>[0], host: string) => responder({ starttls: 'ok', ...map[host] })(c);
}

describe('smtp check over the MX set', () => {
  test('two healthy MX hosts: ok findings only, banner matches PTR, submission not offered (info)', async () => {
    const s = await serve(perHost({ '127.0.0.41': { hostname: 'mx1.two.test' }, '127.0.0.42': { hostname: 'mx2.two.test' } }), ['127.0.0.41', '127.0.0.42']);
    const r = await runDomain('two.test', s.port);
    assert.deepEqual(problems(r), [], ids(r).join());
    assert.equal(r.findings.filter((f) => f.id === 'smtp.reachable').length, 2);
    assert.equal(r.findings.filter((f) => f.id === 'smtp.banner-hostname').length, 2);
    assert.equal(r.findings.filter((f) => f.id === 'smtp.postmaster-accepted').length, 2);
    assert.ok(ids(r).includes('submission.not-offered'));
  });

  test('a backup MX that refuses the domain breaks failover (critical)', async () => {
    const s = await serve(perHost({
      '127.0.0.41': { hostname: 'mx1.two.test' },
      '127.0.0.42': { hostname: 'mx2.two.test', rcpt: () => '554 5.7.1 <postmaster@two.test>: Relay access denied' },
    }), ['127.0.0.41', '127.0.0.42']);
    const r = await runDomain('two.test', s.port);
    const f = find(r, 'smtp.rcpt-domain-refused');
    assert.equal(f?.severity, 'critical', ids(r).join());
    assert.match(f!.subject!, /mx2\.two\.test/);
    assert.match(f!.detail!, /backup MX/);
  });

  test('one MX silent while the other answers: the timeout is the server\'s fault (critical)', async () => {
    const s = await serve(perHost({ '127.0.0.41': { hostname: 'mx1.two.test' } }), ['127.0.0.41']);
    const real = createNetClient();
    const net: NetClient = { ...real, connect: (h, p, t) => (h === '127.0.0.42' ? Promise.resolve({ ok: false, kind: 'timeout', error: 'no TCP answer', ms: 1 }) : real.connect(h, p, t)) };
    const r = await runDomain('two.test', s.port, { net });
    assert.equal(find(r, 'smtp.connect-timeout')?.severity, 'critical', ids(r).join());
    assert.ok(ids(r).includes('smtp.reachable'));
  });

  test('banner host name that is not the PTR name is info', async () => {
    const s = await serve(perHost({ '127.0.0.43': { hostname: 'mail.one.test' } }), ['127.0.0.43']);
    const r = await runDomain('one.test', s.port);
    assert.equal(find(r, 'smtp.banner-ptr-mismatch')?.severity, 'info', ids(r).join());
    assert.deepEqual(problems(r), []);
  });

  test('--no-servers: no SMTP probes at all', async () => {
    const r = await runDomain('one.test', 9, { probeServers: false });
    assert.deepEqual(ids(r), []);
  });
});

describe('submission check', () => {
  async function subZone(port587: number, port465: number) {
    return `${soa('sub.test')}
@ MX 10 mx.sub.test.
mx A 127.0.0.44
mail A 127.0.0.45
_submission._tcp SRV 0 1 ${port587} mail.sub.test.
_submissions._tcp SRV 0 1 ${port465} mail.sub.test.
`;
  }

  test('587 STARTTLS with AUTH only after TLS, and 465 implicit TLS: all ok', async () => {
    const tlsAuth = { ehlo: ['PIPELINING', 'STARTTLS'], ehloTls: ['PIPELINING', 'AUTH PLAIN LOGIN'] };
    const s587 = await serve(responder({ starttls: 'ok', ...tlsAuth }), ['127.0.0.45']);
    const s465 = await serve(responder({ ehlo: ['PIPELINING', 'AUTH PLAIN'] }), ['127.0.0.45'], true);
    const r = await runDomain('sub.test', 9, { only: ['submission'] }, await subZone(s587.port, s465.port));
    const sub = r.findings.filter((f) => f.check === 'submission');
    assert.deepEqual(sub.filter((f) => f.severity !== 'ok').map((f) => f.id), [], sub.map((f) => f.id).join());
    for (const id of ['submission.reachable', 'submission.starttls-offered', 'submission.implicit-tls-ok', 'submission.auth-mechanisms']) assert.ok(ids(r).includes(id), `${id}: ${ids(r)}`);
  });

  test('AUTH PLAIN before TLS is critical; no AUTH after TLS is a warning; plaintext on 465 fails', async () => {
    const s587 = await serve(responder({ starttls: 'ok', ehlo: ['STARTTLS', 'AUTH PLAIN LOGIN'], ehloTls: ['PIPELINING'] }), ['127.0.0.45']);
    const s465 = await serve(responder({}), ['127.0.0.45']);
    const r = await runDomain('sub.test', 9, {}, await subZone(s587.port, s465.port));
    assert.equal(find(r, 'submission.auth-before-tls')?.severity, 'critical', ids(r).join());
    assert.ok(ids(r).includes('submission.no-auth'));
    assert.ok(ids(r).includes('submission.implicit-tls-failed'));
  });

  test('587 without STARTTLS, 587 refusing STARTTLS, a dead SRV target, a 421 greeting, slow replies', async () => {
    const plain = await serve(responder({ ehlo: ['PIPELINING', 'AUTH CRAM-MD5'] }), ['127.0.0.45']);
    const dead = await serve(async () => undefined, ['127.0.0.46']);
    const deadPort = dead.port;
    await dead.close();
    let r = await runDomain('sub.test', 9, {}, await subZone(plain.port, deadPort));
    assert.ok(ids(r).includes('submission.starttls-missing'), ids(r).join());
    assert.equal(find(r, 'submission.auth-before-tls')?.severity, 'warning');
    assert.equal(find(r, 'submission.unreachable')?.severity, 'critical');
    const refusing = await serve(responder({ starttls: 'refuse', replyDelayMs: 600 }), ['127.0.0.45']);
    // slowMs 500 for this run only: the refusing server answers every command after 600 ms.
    const busy = await serve(async (c) => { c.send('421 4.7.0 too many connections'); c.close(); }, ['127.0.0.45']);
    r = await runDomain('sub.test', 9, { slowMs: 500 }, await subZone(refusing.port, busy.port));
    assert.ok(ids(r).includes('submission.starttls-failed'), ids(r).join());
    assert.ok(ids(r).includes('submission.slow-reply'));
    // 465 expects TLS from the first byte: a plaintext 421 there is a TLS failure.
    assert.ok(ids(r).includes('submission.implicit-tls-failed'));
    r = await runDomain('sub.test', 9, {}, await subZone(busy.port, deadPort));
    assert.ok(ids(r).includes('submission.session-failed'), ids(r).join());
  });
});

describe('smtp smuggling (--intrusive, one host, the named recipient only)', () => {
  async function smuggle(o: ResponderOptions, intrusive = true, stepTimeoutMs = 1000) {
    const log: string[] = [];
    const s = await serve(responder({ starttls: 'ok', rcpt: () => '250 2.1.5 Ok', ...o, log }), ['127.0.0.1']);
    const report = await runTarget({ kind: 'host', host: '127.0.0.1', port: s.port }, {
      checks: [smtpHostCheck()],
      context: contextFactory(nxResolver, { stepTimeoutMs, net: createNetClient(), relayTest: false, intrusive, intrusiveRcpt: 'me@scripted.test' }),
      checkTimeoutMs: 15_000,
    });
    return { report, log };
  }

  test('a server that ends DATA at <LF>.<LF> is flagged; the message went to the named recipient only', async () => {
    const { report, log } = await smuggle({ data: 'bare-lf' });
    assert.equal(find(report, 'smtp.smuggling-accepted')?.severity, 'critical', ids(report).join());
    assert.deepEqual(log.filter((l) => l.startsWith('RCPT')), ['RCPT TO:<me@scripted.test>']);
    assert.equal(log.filter((l) => l === 'DATA').length, 1);
  });

  test('a vulnerable server behind a slow filter (answers after 2.3 s) is still accepted: the test waits the step timeout', async () => {
    const t0 = performance.now();
    const { report } = await smuggle({ data: 'bare-lf', dataReplyDelayMs: 2300 }, true, 4000);
    assert.equal(find(report, 'smtp.smuggling-accepted')?.severity, 'critical', ids(report).join());
    assert.ok(performance.now() - t0 < 20_000);
  });

  test('a late answer to <LF>.<LF> (after the step timeout) followed by replies to the body as commands: accepted', async () => {
    const { report } = await smuggle({ data: 'bare-lf', dataReplyDelayMs: 1300 }, true, 1000);
    assert.equal(find(report, 'smtp.smuggling-accepted')?.severity, 'critical', ids(report).join());
    assert.match(find(report, 'smtp.smuggling-accepted')!.detail!, /late/);
  });

  test('no answer to either end of data: smtp.smuggling-no-answer (unknown), within the bound', async () => {
    const t0 = performance.now();
    const { report } = await smuggle({ data: 'silent' }, true, 800);
    assert.equal(find(report, 'smtp.smuggling-no-answer')?.severity, 'unknown', ids(report).join());
    assert.ok(!ids(report).includes('smtp.smuggling-rejected'));
    assert.ok(performance.now() - t0 < 20_000);
  });

  test('strict servers and servers refusing bare LF pass; a refused RCPT is inconclusive; no test without --intrusive', async () => {
    assert.ok(ids((await smuggle({ data: 'strict' })).report).includes('smtp.smuggling-rejected'));
    const rej = (await smuggle({ data: 'reject-bare-lf' })).report;
    assert.ok(ids(rej).includes('smtp.smuggling-rejected'), ids(rej).join());
    assert.ok(ids((await smuggle({ rcpt: () => '550 5.1.1 User unknown' })).report).includes('smtp.smuggling-inconclusive'));
    const off = await smuggle({ data: 'bare-lf' }, false);
    assert.ok(!off.log.includes('DATA'));
    assert.ok(!ids(off.report).some((i) => i.startsWith('smtp.smuggling')));
  });
});

describe('smtp parsers and the vulnerable-versions data', () => {
  test('software from banners; version ranges per branch', () => {
    assert.deepEqual(detectSoftware(['mx ESMTP Exim 4.96 Mon, 01 Jan 2024'])?.version, '4.96');
    assert.equal(detectSoftware(['mx ESMTP Postfix (Debian/GNU)'])?.version, undefined);
    assert.equal(detectSoftware(['mx ESMTP Sendmail 8.15.2/8.15.2; Mon'])?.version, '8.15.2');
    assert.equal(detectSoftware(['mx.example.com ESMTP ready']), undefined);
    const pf = VULNERABLE_VERSIONS.find((v) => v.cve.includes('CVE-2023-51764'))!;
    assert.ok(isAffected(pf, '3.7.9') && !isAffected(pf, '3.7.10') && !isAffected(pf, '3.9.1') && isAffected(pf, '3.4.14'));
    assert.deepEqual(vulnerabilitiesOf('OpenSMTPD', '6.6.1').map((v) => v.cve[0]), ['CVE-2020-7247']);
    assert.deepEqual(vulnerabilitiesOf('OpenSMTPD', '6.3.0'), []);
    for (const v of VULNERABLE_VERSIONS) assert.match(v.source, /^https:\/\//);
  });

  test('EHLO keywords are case-insensitive and SIZE 0 means no limit', () => {
    const c = parseEhlo(['mx Hello', 'size 0', 'starttls', 'auth plain', 'AUTH=LOGIN']);
    assert.equal(c.size, 0);
    assert.ok(c.starttls);
    assert.deepEqual(c.auth, ['PLAIN', 'LOGIN']);
    assert.equal(c.authLegacyOnly, false);
  });
});

describe('mxdoctor smtp usage', () => {
  test('--intrusive needs --rcpt and exactly one host; --rcpt alone is refused', async () => {
    const { smtpCommand } = await import('../src/cli/commands/smtp.js');
    await assert.rejects(smtpCommand(['127.0.0.1:2525'], { intrusive: true }), /--rcpt/);
    await assert.rejects(smtpCommand(['127.0.0.1:2525', '127.0.0.2:2525'], { intrusive: true, rcpt: 'me@example.test' }), /exactly one host/);
    await assert.rejects(smtpCommand(['127.0.0.1:2525'], { rcpt: 'me@example.test' }), /only used with --intrusive/);
  });
});
