// IMAP probe and check against scripted loopback servers: Dovecot-like healthy STARTTLS,
// every failure the probe must name, login outcomes, and passwords that never leak.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedServer } from './helpers/scripted-smtp.js';
import { imapServer, DOVECOT_GREETING } from './helpers/scripted-mailbox.js';
import type { ImapOptions } from './helpers/scripted-mailbox.js';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import { imapHostCheck } from '../src/checks/server/imap.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { createNetClient } from '../src/io/net.js';
import type { NetClient } from '../src/io/net.js';
import type { Resolver } from '../src/io/resolver.js';
import type { Report } from '../src/core/report.js';
import type { Credentials } from '../src/probes/mailbox-facts.js';
import { WELL_KNOWN_PORTS } from '../src/core/check.js';
import { parseImapLine, capabilitiesOf } from '../src/parsers/imap-response.js';
import { readFileSync } from 'node:fs';

// The scripted servers present the lab certificate; trusting the lab CA makes "cert untrusted" mean something.
const LAB_CA = readFileSync(new URL('../src/lab/certs/ca.pem', import.meta.url), 'utf8');

const PASSWORD = 'S3cr3t-pa55"word';
const CREDS: Credentials = { user: 'probe@example.test', password: PASSWORD };
const noDns: Resolver = { query: async () => { throw new Error('this test must not use DNS'); } };

async function check(port: number, o: { credentials?: Credentials; implicitTls?: boolean; net?: NetClient; resolver?: Resolver; host?: string; untrusted?: boolean; stepTimeoutMs?: number; insecure?: boolean } = {}): Promise<Report> {
  const c = imapHostCheck({ credentials: o.credentials, ...(o.implicitTls ? { implicitTls: true } : {}), ...(o.insecure ? { insecure: true } : {}) });
  return runTarget({ kind: 'host', host: o.host ?? '127.0.0.1', port }, {
    checks: [c], context: contextFactory(o.resolver ?? noDns, { stepTimeoutMs: o.stepTimeoutMs ?? 1000, ...(o.net ? { net: o.net } : { net: createNetClient({ ca: o.untrusted ? [] : [LAB_CA] }) }) }), checkTimeoutMs: 15_000,
  });
}

const servers: ScriptedServer[] = [];
async function serve(o: ImapOptions = {}, implicitTls = false): Promise<number> {
  const s = await scriptedServer(imapServer(o), ['127.0.0.1'], implicitTls);
  servers.push(s);
  return s.port;
}
after(async () => { await Promise.all(servers.map((s) => s.close())); });

const severities = (r: Report) => r.findings.map((f) => f.severity);
const summary = (r: Report) => find(r, 'imap.summary')!.title;

describe('imap parser', () => {
  test('Dovecot greeting: capabilities from the response code', () => {
    const r = parseImapLine(DOVECOT_GREETING)!;
    assert.equal(r.status, 'OK');
    assert.equal(r.code, 'CAPABILITY');
    const caps = capabilitiesOf(r)!;
    assert.ok(caps.includes('STARTTLS') && caps.includes('LOGINDISABLED') && caps.includes('AUTH=PLAIN'));
    assert.equal(r.text, 'Dovecot (Debian) ready.');
    assert.deepEqual(capabilitiesOf(parseImapLine('* capability imap4rev1 starttls')!), ['IMAP4REV1', 'STARTTLS']);
    assert.equal(parseImapLine('a1 NO [AUTHENTICATIONFAILED] Authentication failed.')!.code, 'AUTHENTICATIONFAILED');
    assert.equal(parseImapLine('\x16\x03\x01garbage'), undefined);
  });
});

describe('imap check', () => {
  test('healthy Dovecot-like server: STARTTLS, LOGINDISABLED, capabilities again over TLS, no warnings', async () => {
    const log: string[] = [];
    const r = await check(await serve({ starttls: 'ok', log }));
    for (const id of ['imap.greeting-ok', 'imap.capabilities', 'imap.starttls-ok', 'imap.logindisabled', 'imap.summary']) assert.ok(ids(r).includes(id), `${id} in ${ids(r)}`);
    assert.ok(!severities(r).some((s) => s === 'warning' || s === 'critical' || s === 'unknown'), JSON.stringify(r.findings, null, 1));
    // The lab certificate is trusted (lab CA) but names mta-sts.* hosts, not 127.0.0.1.
    assert.match(summary(r), /^IMAP \d+ ok \(STARTTLS, TLS 1\.[23], cert \d+ days, cert name mismatch\)$/);
    // Capabilities come from the greeting, then again after TLS (RFC 9051 §6.2.1), then LOGOUT.
    assert.deepEqual(log.map((l) => l.split(' ')[1]), ['STARTTLS', 'CAPABILITY', 'LOGOUT']);
    assert.match(find(r, 'imap.capabilities')!.detail!, /login mechanisms over TLS: PLAIN, LOGIN/);
    assert.equal(r.exitCode, 0);
  });

  test('greeting without capabilities: the CAPABILITY command is used', async () => {
    const log: string[] = [];
    const r = await check(await serve({ greeting: '* OK IMAP ready', capabilityPlain: ['* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED'], starttls: 'ok', log }));
    assert.ok(ids(r).includes('imap.starttls-ok'));
    assert.deepEqual(log.map((l) => l.split(' ')[1]), ['CAPABILITY', 'STARTTLS', 'CAPABILITY', 'LOGOUT']);
  });

  test('LOGINDISABLED missing before TLS: plaintext credentials warning', async () => {
    const r = await check(await serve({ greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready', starttls: 'ok' }));
    assert.equal(find(r, 'imap.plaintext-login')!.severity, 'warning');
    assert.ok(!ids(r).includes('imap.logindisabled'));
    assert.equal(r.exitCode, 1);
  });

  test('no STARTTLS with plaintext login: critical; with LOGINDISABLED only a warning', async () => {
    const open = await check(await serve({ greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready' }));
    assert.equal(find(open, 'imap.starttls-missing')!.severity, 'critical');
    assert.ok(ids(open).includes('imap.plaintext-login'));
    assert.match(summary(open), /^IMAP \d+ critical \(STARTTLS not offered\)$/);
    const closed = await check(await serve({ greeting: '* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready' }));
    assert.equal(find(closed, 'imap.starttls-missing')!.severity, 'warning');
  });

  test('STARTTLS advertised but refused', async () => {
    const r = await check(await serve({ starttls: 'refuse' }));
    assert.ok(ids(r).includes('imap.starttls-refused'));
  });

  test('plaintext injected after the STARTTLS go-ahead: no TLS on a tainted stream', async () => {
    const r = await check(await serve({ starttls: 'inject' }));
    assert.match(find(r, 'imap.starttls-failed')!.detail!, /after its STARTTLS go-ahead/);
  });

  test('greeting BYE is a rejection', async () => {
    const r = await check(await serve({ greeting: '* BYE Too many connections from your IP' }));
    assert.match(find(r, 'imap.greeting-rejected')!.detail!, /Too many connections/);
    assert.equal(r.exitCode, 2);
  });

  test('PREAUTH greeting is critical and stops before STARTTLS', async () => {
    const log: string[] = [];
    const r = await check(await serve({ greeting: '* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] logged in as nobody', log }));
    assert.ok(ids(r).includes('imap.preauth'));
    assert.ok(!log.some((l) => /STARTTLS/.test(l)));
  });

  test('a server that never finishes its greeting: no-greeting within the step timeout', async () => {
    const port = await serve({ rawGreeting: '* OK still thinking' });
    const t0 = performance.now();
    const r = await check(port);
    assert.ok(ids(r).includes('imap.no-greeting'), ids(r).join());
    assert.ok(performance.now() - t0 < 4000);
  });

  test('a silent server (tarpit) and a server that closes at once', async () => {
    const silent = await check(await serve({ rawGreeting: '' }));
    assert.ok(ids(silent).includes('imap.no-greeting'));
    const s = await scriptedServer(async (c) => c.close());
    servers.push(s);
    assert.ok(ids(await check(s.port)).includes('imap.no-greeting'));
  });

  test('binary garbage and an endless line are protocol errors', async () => {
    const garbage = await check(await serve({ rawGreeting: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a]) }));
    assert.ok(ids(garbage).includes('imap.protocol-error'));
    const long = await check(await serve({ rawGreeting: `* OK ${'x'.repeat(100_000)}` }));
    assert.match(find(long, 'imap.protocol-error')!.detail!, /longer than/);
  });

  test('a huge literal is refused, a small one is folded in', async () => {
    const huge = await check(await serve({ greeting: '* OK ready', capabilityPlain: ['* CAPABILITY {99999999}'] }));
    assert.match(find(huge, 'imap.protocol-error')!.detail!, /99999999-byte literal/);
    const small = await check(await serve({ greeting: '* OK ready', capabilityPlain: ['* ID ("name" {9}\r\nDove\r\ncot)', '* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED'], starttls: 'ok' }));
    assert.ok(ids(small).includes('imap.starttls-ok'), ids(small).join());
  });

  test('implicit TLS on "993": capabilities over TLS, no STARTTLS findings', async () => {
    const r = await check(await serve({ greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready', tls: true }, true), { implicitTls: true });
    assert.ok(ids(r).includes('imap.greeting-ok'));
    assert.ok(!ids(r).some((id) => id.startsWith('imap.starttls') || id === 'imap.plaintext-login'));
    assert.match(summary(r), /^IMAP \d+ ok \(implicit TLS, TLS 1\.[23], cert \d+ days, cert name mismatch\)$/);
    const untrusted = await check(await serve({ greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready', tls: true }, true), { implicitTls: true, untrusted: true });
    assert.match(summary(untrusted), /cert \d+ days, cert untrusted\)$/);
  });

  test('implicit TLS against a plaintext server: tls-failed', async () => {
    const r = await check(await serve(), { implicitTls: true });
    assert.ok(ids(r).includes('imap.tls-failed'), ids(r).join());
  });

  test('closed port is refused; a filtered one (timeout) and other failures are told apart', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await check(port);
    assert.ok(ids(refused).includes('imap.refused'));
    assert.match(summary(refused), /^IMAP \d+ refused$/);
    const real = createNetClient();
    const fake = (kind: 'timeout' | 'unreachable'): NetClient => ({ ...real, connect: async () => ({ ok: false, kind, error: `${kind} (simulated)`, ms: 1 }) });
    assert.ok(ids(await check(port, { net: fake('timeout') })).includes('imap.timeout'));
    assert.ok(ids(await check(port, { net: fake('unreachable') })).includes('imap.connect-failed'));
  });
});

describe('imap login test', () => {
  const ok = (u: string, p: string) => (u === CREDS.user && p === PASSWORD ? 'OK [CAPABILITY IMAP4rev1 IDLE] Logged in' : 'NO [AUTHENTICATIONFAILED] Authentication failed.');

  test('login ok over STARTTLS; the password is sent but never reported', async () => {
    const log: string[] = [];
    const r = await check(await serve({ starttls: 'ok', login: ok, log }), { credentials: CREDS });
    assert.ok(ids(r).includes('imap.login-ok'), ids(r).join());
    assert.ok(log.some((l) => l.includes('S3cr3t-pa55\\"word')), 'the server received the password');
    assert.ok(!JSON.stringify(r).includes('S3cr3t'), 'no trace of the password in the report');
    assert.match(summary(r), /login ok/);
  });

  test('LOGINDISABLED even over TLS: AUTHENTICATE PLAIN, with SASL-IR or a continuation', async () => {
    for (const caps of ['IMAP4rev1 LOGINDISABLED SASL-IR AUTH=PLAIN', 'IMAP4rev1 LOGINDISABLED AUTH=PLAIN']) {
      const log: string[] = [];
      const r = await check(await serve({ starttls: 'ok', capsTls: caps, login: ok, log }), { credentials: CREDS });
      assert.ok(ids(r).includes('imap.login-ok'), `${caps}: ${ids(r)}`);
      assert.ok(log.some((l) => /AUTHENTICATE PLAIN/.test(l)));
      assert.ok(!JSON.stringify(r).includes(Buffer.from(`\0${CREDS.user}\0${PASSWORD}`).toString('base64')));
    }
  });

  test('wrong password: login-failed', async () => {
    const r = await check(await serve({ starttls: 'ok', login: ok }), { credentials: { ...CREDS, password: 'wrong' } });
    assert.equal(find(r, 'imap.login-failed')!.evidence!.code, 'AUTHENTICATIONFAILED');
    assert.equal(r.exitCode, 2);
    assert.doesNotMatch(find(r, 'imap.login-failed')!.detail!, /held the answer back/);
    const slow = await check(await serve({ starttls: 'ok', login: ok, loginDelayMs: 1100 }), { credentials: { ...CREDS, password: 'wrong' }, stepTimeoutMs: 3000 });
    assert.match(find(slow, 'imap.login-failed')!.detail!, /held the answer back 1\d{3} ms/);
  });

  test('lockout: [UNAVAILABLE] and "too many" are not a wrong password', async () => {
    const a = await check(await serve({ starttls: 'ok', login: () => 'NO [UNAVAILABLE] Temporary authentication failure.' }), { credentials: CREDS });
    assert.ok(ids(a).includes('imap.login-locked'));
    const b = await check(await serve({ starttls: 'ok', login: () => 'NO Too many failed logins, try later' }), { credentials: CREDS });
    assert.ok(ids(b).includes('imap.login-locked'));
  });

  test('no answer to LOGIN: login-error (unknown), within the timeout', async () => {
    const r = await check(await serve({ starttls: 'ok', login: () => null }), { credentials: CREDS });
    assert.equal(find(r, 'imap.login-error')!.severity, 'unknown');
  });

  test('no TLS to a host that is not loopback: the password is never sent, unless --insecure (then said)', async () => {
    const base = createNetClient({ ca: [LAB_CA] });
    const remote: NetClient = { ...base, connect: (_h, port, t) => base.connect('127.0.0.1', port, t) };
    const log: string[] = [];
    const plain = { greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready', login: ok, log };
    const r = await check(await serve(plain), { credentials: CREDS, net: remote, host: '192.0.2.143' });
    assert.ok(ids(r).includes('imap.login-not-tested'), ids(r).join(' '));
    assert.ok(!log.some((l) => /LOGIN|AUTHENTICATE/.test(l)));
    const forced = await check(await serve(plain), { credentials: CREDS, net: remote, host: '192.0.2.143', insecure: true });
    assert.ok(ids(forced).includes('imap.login-ok'), ids(forced).join(' '));
    assert.match(find(forced, 'imap.login-insecure')!.detail!, /--insecure/);
    // On loopback the password does not leave the machine: the rule allows the login.
    const local = await check(await serve(plain), { credentials: CREDS });
    assert.ok(ids(local).includes('imap.login-ok'), ids(local).join(' '));
    assert.ok(!ids(local).includes('imap.login-insecure'));
  });

  test('TLS whose certificate does not verify, host not loopback: no login (imap.login-untrusted) unless --insecure', async () => {
    const base = createNetClient({ ca: [] });
    const remote: NetClient = { ...base, connect: (_h, port, t) => base.connect('127.0.0.1', port, t) };
    const log: string[] = [];
    const r = await check(await serve({ starttls: 'ok', login: ok, log }), { credentials: CREDS, net: remote, host: '192.0.2.143' });
    assert.equal(find(r, 'imap.login-untrusted')?.severity, 'warning', ids(r).join(' '));
    assert.ok(!log.some((l) => /LOGIN|AUTHENTICATE/.test(l)), 'no password to an unverified server');
    const forced = await check(await serve({ starttls: 'ok', login: ok }), { credentials: CREDS, net: remote, host: '192.0.2.143', insecure: true });
    assert.ok(ids(forced).includes('imap.login-ok'));
    assert.ok(ids(forced).includes('imap.login-insecure'));
  });
});

describe('imap in a domain check', () => {
  test('SRV-published host is probed; MX fallback without IMAP is only info', async () => {
    const port = await serve({ starttls: 'ok' });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const lab = await zoneLab(`${soa('srv.test')}
@ MX 10 mx.srv.test.
mx A 127.0.0.1
mail A 127.0.0.1
_imap._tcp SRV 0 1 ${port} mail.srv.test.
_imaps._tcp SRV 0 0 0 .
${soa('fallback.test')}
@ MX 10 mx.fallback.test.
mx A 127.0.0.1
${soa('gone.test')}
@ MX 10 mx.gone.test.
`);
    try {
      const ports = { ...WELL_KNOWN_PORTS, imap: closedPort, imaps: closedPort };
      const srv = await lab.check('srv.test', ['imap'], { stepTimeoutMs: 1000, ports });
      assert.deepEqual(ids(srv).sort(), ['imap.capabilities', 'imap.greeting-ok', 'imap.logindisabled', 'imap.starttls-ok', 'imap.summary']);
      assert.equal(find(srv, 'imap.summary')!.subject, `mail.srv.test:${port} (127.0.0.1)`);
      const fb = await lab.check('fallback.test', ['imap'], { stepTimeoutMs: 1000, ports });
      assert.deepEqual([...new Set(ids(fb))].sort(), ['imap.not-on-mx', 'imap.summary']);
      assert.equal(fb.exitCode, 0);
      const off = await lab.check('fallback.test', ['imap'], { stepTimeoutMs: 1000, ports, probeServers: false });
      assert.deepEqual(ids(off), []);
      // A host named on the command line that does not resolve.
      const nx = await check(143, { resolver: lab.resolver, host: 'nothing.gone.test' });
      assert.equal(find(nx, 'imap.host-not-found')!.severity, 'critical');
    } finally {
      await lab.close();
    }
  });
});
