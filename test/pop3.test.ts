// POP3 probe and check against scripted loopback servers (Dovecot-like by default),
// plus the `mxdoctor imap|pop3` commands as real processes: credentials from a file or
// the environment, never printed.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { runCli } from './helpers/cli.js';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedServer } from './helpers/scripted-smtp.js';
import { imapServer, pop3Server } from './helpers/scripted-mailbox.js';
import type { Pop3Options } from './helpers/scripted-mailbox.js';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import { pop3HostCheck } from '../src/checks/server/pop3.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { createNetClient } from '../src/io/net.js';
import type { NetClient, NetFailureKind } from '../src/io/net.js';
import type { Resolver } from '../src/io/resolver.js';
import type { Report } from '../src/core/report.js';
import type { Credentials } from '../src/probes/mailbox-facts.js';
import { WELL_KNOWN_PORTS } from '../src/core/check.js';
import { parsePop3Reply } from '../src/parsers/pop3-response.js';
import { loadCredentials } from '../src/cli/credentials.js';
import { parseHostTarget } from '../src/cli/host-target.js';

const PASSWORD = 'pop-S3cret:with colon';
const CREDS: Credentials = { user: 'probe@example.test', password: PASSWORD };
const LAB_CA = readFileSync(new URL('../src/lab/certs/ca.pem', import.meta.url), 'utf8');
const noDns: Resolver = { query: async () => { throw new Error('this test must not use DNS'); } };

async function check(port: number, o: { credentials?: Credentials; implicitTls?: boolean; net?: NetClient; resolver?: Resolver; host?: string; insecure?: boolean } = {}): Promise<Report> {
  const c = pop3HostCheck({ credentials: o.credentials, ...(o.implicitTls ? { implicitTls: true } : {}), ...(o.insecure ? { insecure: true } : {}) });
  return runTarget({ kind: 'host', host: o.host ?? '127.0.0.1', port }, {
    checks: [c], context: contextFactory(o.resolver ?? noDns, { stepTimeoutMs: 1000, net: o.net ?? createNetClient({ ca: [LAB_CA] }) }), checkTimeoutMs: 15_000,
  });
}

const servers: ScriptedServer[] = [];
async function serve(o: Pop3Options = {}, implicitTls = false): Promise<number> {
  const s = await scriptedServer(pop3Server(o), ['127.0.0.1'], implicitTls);
  servers.push(s);
  return s.port;
}
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
after(async () => { await Promise.all(servers.map((s) => s.close())); });

const problems = (r: Report) => r.findings.filter((f) => f.severity === 'warning' || f.severity === 'critical' || f.severity === 'unknown');
const summary = (r: Report) => find(r, 'pop3.summary')!.title;

describe('pop3 parser', () => {
  test('status lines and RFC 2449 response codes', () => {
    assert.deepEqual(parsePop3Reply('-ERR [AUTH] Authentication failed.'), { ok: false, code: 'AUTH', text: 'Authentication failed.' });
    assert.deepEqual(parsePop3Reply('+OK'), { ok: true, text: '' });
    assert.equal(parsePop3Reply('* OK IMAP here'), undefined);
    assert.equal(parsePop3Reply('+ERR mixed'), undefined);
  });
});

describe('pop3 check', () => {
  test('healthy Dovecot-like server: STLS, no USER before TLS, CAPA again over TLS', async () => {
    const log: string[] = [];
    const r = await check(await serve({ log }));
    for (const id of ['pop3.greeting-ok', 'pop3.capabilities', 'pop3.stls-ok', 'pop3.summary']) assert.ok(ids(r).includes(id), `${id} in ${ids(r)}`);
    assert.deepEqual(problems(r), []);
    assert.deepEqual(log, ['CAPA', 'STLS', 'CAPA', 'QUIT']);
    assert.match(summary(r), /^POP3 \d+ ok \(STLS, TLS 1\.[23], cert \d+ days/);
    assert.match(find(r, 'pop3.capabilities')!.detail!, /over TLS: PLAIN, LOGIN/);
  });

  test('USER offered before STLS: plaintext-login warning', async () => {
    const r = await check(await serve({ capaPlain: ['CAPA', 'USER', 'STLS', 'SASL PLAIN'] }));
    assert.equal(find(r, 'pop3.plaintext-login')!.severity, 'warning');
    assert.equal(r.exitCode, 1);
  });

  test('no STLS with USER allowed: critical', async () => {
    const r = await check(await serve({ capaPlain: ['CAPA', 'USER', 'UIDL'] }));
    assert.equal(find(r, 'pop3.stls-missing')!.severity, 'critical');
    assert.match(summary(r), /^POP3 \d+ critical \(STLS not offered\)$/);
  });

  test('STLS advertised but refused', async () => {
    const r = await check(await serve({ stls: 'refuse' }));
    assert.ok(ids(r).includes('pop3.stls-refused'));
    const broken = await check(await serve({ stls: 'broken' }));
    assert.match(find(broken, 'pop3.stls-failed')!.detail!, /./);
    assert.match(summary(broken), /STLS failed/);
  });

  test('an RFC 1939-only server without CAPA: assumed to take USER in clear', async () => {
    const r = await check(await serve({ capaPlain: null }));
    assert.ok(ids(r).includes('pop3.capa-unsupported'));
    assert.equal(find(r, 'pop3.stls-missing')!.severity, 'critical');
  });

  test('-ERR greeting, silence, garbage', async () => {
    const err = await check(await serve({ greeting: '-ERR [SYS/TEMP] too many connections' }));
    assert.ok(ids(err).includes('pop3.greeting-rejected'));
    const t0 = performance.now();
    const silent = await check(await serve({ rawGreeting: '' }));
    assert.ok(ids(silent).includes('pop3.no-greeting'));
    assert.ok(performance.now() - t0 < 4000);
    const garbage = await check(await serve({ rawGreeting: '\x00\x01\x02binary\r\n' }));
    assert.ok(ids(garbage).includes('pop3.protocol-error'));
  });

  test('implicit TLS (995) and a plaintext server on it', async () => {
    const r = await check(await serve({ tls: true }, true), { implicitTls: true });
    assert.ok(ids(r).includes('pop3.greeting-ok'));
    assert.match(summary(r), /^POP3 \d+ ok \(implicit TLS, TLS 1\.[23]/);
    assert.ok(ids(await check(await serve(), { implicitTls: true })).includes('pop3.tls-failed'));
  });

  test('refused, timeout (filtered) and other connection failures', async () => {
    const port = await closedPort();
    assert.ok(ids(await check(port)).includes('pop3.refused'));
    const real = createNetClient();
    const fake = (kind: NetFailureKind): NetClient => ({ ...real, connect: async () => ({ ok: false, kind, error: `${kind} (simulated)`, ms: 1 }) });
    assert.ok(ids(await check(port, { net: fake('timeout') })).includes('pop3.timeout'));
    assert.ok(ids(await check(port, { net: fake('reset') })).includes('pop3.connect-failed'));
  });
});

describe('pop3 login test', () => {
  const login = (u: string, p: string) => (u === CREDS.user && p === PASSWORD ? '+OK Logged in.' : '-ERR [AUTH] Authentication failed.');

  test('USER/PASS over STLS works; the password reaches the server but not the report', async () => {
    const log: string[] = [];
    const r = await check(await serve({ login, log }), { credentials: CREDS });
    assert.ok(ids(r).includes('pop3.login-ok'), ids(r).join());
    assert.ok(log.includes(`PASS ${PASSWORD}`));
    assert.ok(!JSON.stringify(r).includes('S3cret'));
  });

  test('AUTH PLAIN when USER is not offered over TLS', async () => {
    const log: string[] = [];
    const r = await check(await serve({ login, log, capaTls: ['CAPA', 'SASL PLAIN'] }), { credentials: CREDS });
    assert.ok(ids(r).includes('pop3.login-ok'));
    assert.ok(log.some((l) => l.startsWith('AUTH PLAIN ')));
    assert.ok(!JSON.stringify(r).includes(Buffer.from(`\0${CREDS.user}\0${PASSWORD}`).toString('base64')));
  });

  test('failed, locked ([IN-USE], [LOGIN-DELAY]), no answer, no TLS', async () => {
    const failed = await check(await serve({ login }), { credentials: { ...CREDS, password: 'nope' } });
    assert.equal(find(failed, 'pop3.login-failed')!.evidence!.code, 'AUTH');
    const inUse = await check(await serve({ login: () => '-ERR [IN-USE] Mailbox is locked by another POP3 session.' }), { credentials: CREDS });
    assert.ok(ids(inUse).includes('pop3.login-locked'));
    const delay = await check(await serve({ login: () => '-ERR [LOGIN-DELAY] Wait before logging in again' }), { credentials: CREDS });
    assert.ok(ids(delay).includes('pop3.login-locked'));
    const silent = await check(await serve({ login: () => null }), { credentials: CREDS });
    assert.equal(find(silent, 'pop3.login-error')!.severity, 'unknown');
    const log: string[] = [];
    const base = createNetClient();
    const remote: NetClient = { ...base, connect: (_h, port, t) => base.connect('127.0.0.1', port, t) };
    const plain = await check(await serve({ capaPlain: ['CAPA', 'USER'], login, log }), { credentials: CREDS, net: remote, host: '192.0.2.110' });
    assert.ok(ids(plain).includes('pop3.login-not-tested'), ids(plain).join(' '));
    assert.ok(!log.some((l) => /^(USER|PASS|AUTH)/.test(l)));
    // STLS with a certificate that does not verify, to a host that is not loopback: no login either.
    const untrustedNet = createNetClient({ ca: [] });
    const remoteUntrusted: NetClient = { ...untrustedNet, connect: (_h, port, t) => untrustedNet.connect('127.0.0.1', port, t) };
    const log2: string[] = [];
    const untrusted = await check(await serve({ login, log: log2 }), { credentials: CREDS, net: remoteUntrusted, host: '192.0.2.110' });
    assert.equal(find(untrusted, 'pop3.login-untrusted')?.severity, 'warning', ids(untrusted).join(' '));
    assert.ok(!log2.some((l) => /^(PASS|AUTH)/.test(l)));
    const forced = await check(await serve({ login }), { credentials: CREDS, net: remoteUntrusted, host: '192.0.2.110', insecure: true });
    assert.ok(ids(forced).includes('pop3.login-ok'), ids(forced).join(' '));
    assert.ok(ids(forced).includes('pop3.login-insecure'));
  });
});

describe('pop3 in a domain check', () => {
  test('MX fallback without POP3 is info; an unresolvable named host is critical', async () => {
    const port = await closedPort();
    const lab = await zoneLab(`${soa('pop.test')}\n@ MX 10 mx.pop.test.\nmx A 127.0.0.1\n`);
    try {
      const r = await lab.check('pop.test', ['pop3'], { stepTimeoutMs: 1000, ports: { ...WELL_KNOWN_PORTS, pop3: port, pop3s: port } });
      assert.deepEqual([...new Set(ids(r))].sort(), ['pop3.not-on-mx', 'pop3.summary']);
      const nx = await check(110, { resolver: lab.resolver, host: 'nothing.pop.test' });
      assert.equal(find(nx, 'pop3.host-not-found')!.severity, 'critical');
    } finally {
      await lab.close();
    }
  });
});

describe('credentials and host targets', () => {
  test('from a file (password may contain colons) or the environment; never half given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxd-cred-'));
    const file = join(dir, 'c');
    writeFileSync(file, `# comment\n${CREDS.user}:${PASSWORD}\n`);
    assert.deepEqual(loadCredentials('pop3', file, {}), CREDS);
    assert.deepEqual(loadCredentials('imap', undefined, { MXDOCTOR_IMAP_USER: 'u', MXDOCTOR_IMAP_PASSWORD: 'p' }), { user: 'u', password: 'p' });
    assert.equal(loadCredentials('imap', undefined, {}), undefined);
    assert.throws(() => loadCredentials('pop3', undefined, { MXDOCTOR_POP3_USER: 'u' }), /MXDOCTOR_POP3_PASSWORD/);
    writeFileSync(file, 'secretwithoutcolon\n');
    assert.throws(() => loadCredentials('pop3', file, {}), (e: Error) => !e.message.includes('secretwithoutcolon'));
  });

  test('host[:port] forms', () => {
    assert.deepEqual(parseHostTarget('Mail.Example.com:993'), { kind: 'host', host: 'mail.example.com', port: 993, input: 'Mail.Example.com:993' });
    assert.equal(parseHostTarget('[::1]:110').host, '::1');
    assert.equal(parseHostTarget('::1').port, undefined);
    assert.throws(() => parseHostTarget('mail:99999'));
    assert.throws(() => parseHostTarget('lmtp.example', true), /port/);
  });
});

describe('mxdoctor imap|pop3 (processes)', () => {
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

  test('pop3 with env credentials and --transcript: login ok, password nowhere in the output', async () => {
    const log: string[] = [];
    const port = await serve({ login: (u, p) => (p === PASSWORD ? '+OK Logged in.' : '-ERR [AUTH] no'), log });
    const r = await run(['pop3', `127.0.0.1:${port}`, '--transcript', '--step-timeout', '2000', '-v'], { MXDOCTOR_POP3_USER: CREDS.user, MXDOCTOR_POP3_PASSWORD: PASSWORD });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pop3\.login-ok/);
    assert.match(r.stdout, /C: PASS <redacted>/);
    assert.ok(log.includes(`PASS ${PASSWORD}`));
    assert.ok(!(r.stdout + r.stderr).includes('S3cret'));
  });

  test('imap with --credentials file and --json: wrong password is critical, not echoed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxd-cred-'));
    const file = join(dir, 'c');
    writeFileSync(file, `${CREDS.user}:Wrong-Pa55\n`);
    const s = await scriptedServer(imapServer({ starttls: 'ok' }));
    servers.push(s);
    const r = await run(['imap', `127.0.0.1:${s.port}`, '--credentials', file, '--json', '--step-timeout', '2000']);
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.reports[0].findings.some((f: { id: string }) => f.id === 'imap.login-failed'));
    assert.ok(!r.stdout.includes('Wrong-Pa55'));
  });
});
