// The SMTP client and `mxdoctor smtp host:port` against scripted loopback servers:
// a healthy server and every misbehaviour the probe must name, each within its timeout.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { scriptedServer, responder, nxResolver } from './helpers/scripted-smtp.js';
import type { ResponderOptions, ScriptedConn, ScriptedServer } from './helpers/scripted-smtp.js';
import { ids, find, problems } from './helpers/lab.js';
import { smtpHostCheck } from '../src/checks/server/smtp-host.js';
import { probeSmtp } from '../src/probes/smtp/client.js';
import { smtpStartTlsOpener } from '../src/probes/smtp/opener.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import type { ContextOptions } from '../src/context.js';
import { createNetClient } from '../src/io/net.js';
import type { NetClient } from '../src/io/net.js';
import type { Report } from '../src/core/report.js';

const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function serve(script: (c: ScriptedConn) => Promise<void>): Promise<number> {
  const s = await scriptedServer(script);
  servers.push(s);
  return s.port;
}

const STEP = 1000;

async function check(port: number, o: ContextOptions & { domain?: string; host?: string } = {}): Promise<Report> {
  const { domain, host, ...ctxOpts } = o;
  return runTarget({ kind: 'host', host: host ?? '127.0.0.1', port }, {
    checks: [smtpHostCheck(domain ? { domain } : {})],
    context: contextFactory(o.resolver ?? nxResolver, { stepTimeoutMs: STEP, slowMs: 5000, net: createNetClient(), ...ctxOpts }),
    checkTimeoutMs: 15_000,
  });
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

const healthy = (o: ResponderOptions = {}) => responder({ starttls: 'ok', strictSync: true, ...o });

describe('smtp host check: healthy server', () => {
  test('greeting, EHLO, STARTTLS, EHLO again, RCPT tests, RSET, QUIT; one command at a time', async () => {
    const log: string[] = [];
    const r = await check(await serve(healthy({ log })), { domain: 'scripted.test' });
    assert.deepEqual(problems(r), [], ids(r).join());
    for (const id of ['smtp.reachable', 'smtp.starttls-offered', 'smtp.relay-refused', 'smtp.postmaster-accepted', 'smtp.version-hidden']) assert.ok(ids(r).includes(id), `${id} in ${ids(r)}`);
    // strictSync answers early talkers with 554 and hangs up: the whole dialogue got through, so we never pipelined.
    assert.deepEqual(log, ['EHLO mxdoctor.invalid', 'STARTTLS', 'EHLO mxdoctor.invalid', 'MAIL FROM:<>', 'RCPT TO:<postmaster@scripted.test>', 'RCPT TO:<relay-test@example.net>', 'RSET', 'QUIT']);
    assert.ok(!log.some((l) => l.startsWith('DATA')), 'never DATA');
    const ev = find(r, 'smtp.reachable')!.evidence as any;
    assert.equal(ev.capabilities.size, 10240000);
    assert.equal(ev.capabilities.starttls, true);
    assert.equal(ev.capabilitiesTls.starttls, false);
    assert.ok(Array.isArray(ev.transcript) && ev.transcript.some((l: string) => l.includes('C: STARTTLS')));
    assert.ok(ev.steps.some((s: any) => s.step === 'ehlo-tls'));
  });

  test('the probe records every capability, and the opener stops right after STARTTLS 220', async () => {
    const port = await serve(healthy({ ehlo: ['SIZE', 'PIPELINING', 'STARTTLS', 'AUTH=LOGIN PLAIN', 'SMTPUTF8', 'CHUNKING', 'DSN', 'REQUIRETLS', 'XCLIENT NAME ADDR'] }));
    const r = await probeSmtp(createNetClient(), { host: 'mx.scripted.test', address: '127.0.0.1', port, implicitTls: false, heloName: 'probe.invalid', timeoutMs: STEP });
    const c = r.ehlo!.caps!;
    assert.equal(c.size, null);
    assert.deepEqual(c.auth, ['LOGIN', 'PLAIN']);
    assert.equal(c.authLegacyOnly, true);
    assert.ok(c.smtpUtf8 && c.chunking && c.dsn && c.requireTls && c.pipelining);
    assert.ok(c.raw.includes('XCLIENT NAME ADDR'));
    const o = await smtpStartTlsOpener(createNetClient(), { host: '127.0.0.1', port, timeoutMs: STEP, heloName: 'probe.invalid' });
    assert.ok(o.ok);
    if (o.ok) o.socket.destroy();
    const none = await smtpStartTlsOpener(createNetClient(), { host: '127.0.0.1', port: await serve(responder({ ehlo: ['PIPELINING'] })), timeoutMs: STEP, heloName: 'x.invalid' });
    assert.ok(!none.ok && none.stage === 'starttls');
  });
});

describe('smtp host check: misbehaving servers, each named within its timeout', () => {
  test('slow greeting: slow-reply names the step', async () => {
    const r = await check(await serve(healthy({ greetingDelayMs: 700 })), { slowMs: 500 });
    const f = find(r, 'smtp.slow-reply');
    assert.ok(f, ids(r).join());
    assert.match(f.detail!, /greeting \d+ ms/);
  });

  test('postscreen multi-line greeting with a pause: greeting-delayed (info), not slow', async () => {
    const r = await check(await serve(healthy({ greeting: ['mx.scripted.test ESMTP Postfix', 'mx.scripted.test ESMTP Postfix'], greetingDelayMs: 700 })), { slowMs: 500 });
    assert.ok(ids(r).includes('smtp.greeting-delayed'), ids(r).join());
    assert.ok(!ids(r).includes('smtp.slow-reply'));
    assert.ok(ids(r).includes('smtp.reachable'));
  });

  test('a greeting that never ends (tarpit) times out at the step timeout', async () => {
    const port = await serve(async (c) => { for (let i = 0; i < 1000 && !c.socket.destroyed; i++) { c.send(`220-still greeting ${i}`); await c.sleep(100); } });
    const { value: r, ms } = await timed(() => check(port));
    assert.ok(ids(r).includes('smtp.greeting-timeout'), ids(r).join());
    assert.ok(ms < STEP + 1500, `${ms} ms`);
  });

  test('a 10 MB reply line is a protocol error, read only up to the cap', async () => {
    const port = await serve(async (c) => { c.sendRaw(Buffer.alloc(10 * 1024 * 1024, 0x41)); c.sendRaw('\r\n'); await c.sleep(3000); });
    const { value: r, ms } = await timed(() => check(port));
    assert.ok(ids(r).includes('smtp.protocol-error'), ids(r).join());
    assert.ok(ms < STEP + 1500, `${ms} ms`);
  });

  test('binary garbage and a non-SMTP banner are protocol errors', async () => {
    const garbage = await check(await serve(async (c) => { c.sendRaw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0a, 0x00, 0x9c, 0x0d, 0x0a])); await c.sleep(2000); }));
    assert.ok(ids(garbage).includes('smtp.protocol-error'), ids(garbage).join());
    const noNewline = await check(await serve(async (c) => { c.sendRaw(Buffer.from([0x00, 0xfe, 0x80, 0x01])); await c.sleep(2000); }));
    assert.ok(ids(noNewline).includes('smtp.protocol-error'), ids(noNewline).join());
    const ssh = await check(await serve(async (c) => { c.send('SSH-2.0-OpenSSH_9.2p1 Debian-2'); await c.sleep(2000); }));
    const f = find(ssh, 'smtp.protocol-error');
    assert.ok(f);
    assert.match(String((f.evidence as any).received), /SSH-2.0/);
  });

  test('reset mid-EHLO', async () => {
    const r = await check(await serve(async (c) => { c.send('220 mx ESMTP'); await c.readLine(); c.reset(); }));
    assert.ok(ids(r).includes('smtp.connection-reset'), ids(r).join());
  });

  test('closed without a reply, and a server that stops answering', async () => {
    const closed = await check(await serve(async (c) => { c.send('220 mx ESMTP'); await c.readLine(); c.close(); }));
    assert.ok(ids(closed).includes('smtp.connection-closed'), ids(closed).join());
    const mutePort = await serve(async (c) => { c.send('220 mx ESMTP'); while ((await c.readLine()) !== null); });
    const { value: mute, ms } = await timed(() => check(mutePort));
    assert.ok(ids(mute).includes('smtp.command-timeout'), ids(mute).join());
    assert.ok(ms < STEP + 1500);
  });

  test('421 at connect is a refused greeting with the reply text', async () => {
    const r = await check(await serve(async (c) => { c.send('421 4.3.2 mx.scripted.test Service not available, closing channel'); c.close(); }));
    const f = find(r, 'smtp.greeting-refused');
    assert.ok(f, ids(r).join());
    assert.match(f.detail!, /421/);
  });

  test('connection refused and name not found', async () => {
    const closedPort = await serve(async () => undefined);
    await servers.pop()!.close();
    const r = await check(closedPort);
    assert.ok(ids(r).includes('smtp.connect-refused'), ids(r).join());
    const nx = await check(25, { host: 'nowhere.scripted.test' });
    assert.equal(find(nx, 'smtp.host-not-found')?.severity, 'critical');
  });

  test('STARTTLS refused: warned, and the RCPT tests still run in plaintext', async () => {
    const r = await check(await serve(healthy({ starttls: 'refuse' })));
    assert.ok(ids(r).includes('smtp.starttls-refused'), ids(r).join());
    assert.ok(ids(r).includes('smtp.relay-refused'));
  });

  test('STARTTLS with bytes buffered after the 220 (injection) is a finding; the bytes are discarded', async () => {
    const r = await check(await serve(healthy({ starttls: 'inject' })));
    const f = find(r, 'smtp.starttls-injection');
    assert.ok(f, ids(r).join());
    assert.match(String((f.evidence as any).injected), /injected-after-220/);
    assert.ok(ids(r).includes('smtp.starttls-offered'));
  });

  test('STARTTLS 220 then no TLS: handshake failed; RCPT tests run on a plaintext retry', async () => {
    const s = await scriptedServer(healthy({ starttls: 'broken' }));
    servers.push(s);
    const r = await check(s.port);
    assert.ok(ids(r).includes('smtp.starttls-handshake-failed'), ids(r).join());
    assert.ok(ids(r).includes('smtp.relay-refused'), ids(r).join());
    assert.equal(s.connections, 2);
  });

  test('no STARTTLS at all, and AUTH PLAIN before TLS on port 25', async () => {
    const r = await check(await serve(healthy({ ehlo: ['PIPELINING', 'AUTH PLAIN LOGIN'] })));
    assert.ok(ids(r).includes('smtp.starttls-missing'), ids(r).join());
    assert.ok(ids(r).includes('smtp.auth-before-tls'));
  });

  test('EHLO 5xx falls back to HELO; both refused is critical', async () => {
    const r = await check(await serve(healthy({ ehloReply: '502 5.5.2 Error: command not recognized' })));
    assert.ok(ids(r).includes('smtp.ehlo-refused'), ids(r).join());
    assert.ok(ids(r).includes('smtp.reachable'));
    assert.ok(ids(r).includes('smtp.starttls-missing'));
    const both = await check(await serve(healthy({ ehloReply: '550 5.7.1 go away', heloReply: '550 5.7.1 go away' })));
    assert.ok(ids(both).includes('smtp.helo-refused'), ids(both).join());
  });

  test('open relay: an outside RCPT accepted is critical', async () => {
    const r = await check(await serve(healthy({ rcpt: () => '250 2.1.5 Ok' })), { domain: 'scripted.test' });
    assert.equal(find(r, 'smtp.open-relay')?.severity, 'critical', ids(r).join());
  });

  test('postmaster refused as unknown user; greylisting is inconclusive', async () => {
    const r = await check(await serve(healthy({ rcpt: (a) => (a.startsWith('postmaster@') ? '550 5.1.1 <postmaster@scripted.test>: Recipient address rejected: User unknown' : '554 5.7.1 Relay access denied') })), { domain: 'scripted.test' });
    assert.ok(ids(r).includes('smtp.postmaster-refused'), ids(r).join());
    const grey = await check(await serve(healthy({ rcpt: () => '450 4.2.0 Recipient address rejected: Greylisted, try again later' })), { domain: 'scripted.test' });
    assert.ok(ids(grey).includes('smtp.rcpt-inconclusive'), ids(grey).join());
    assert.ok(!ids(grey).includes('smtp.open-relay') && !ids(grey).includes('smtp.relay-refused'));
  });

  test('software versions: vulnerable Exim is critical, a fixed one is info, a hidden one says so', async () => {
    const old = await check(await serve(healthy({ greeting: ['mx.scripted.test ESMTP Exim 4.94 Mon, 01 Jan 2024 00:00:00 +0000'] })));
    const v = find(old, 'smtp.vulnerable-version');
    assert.equal(v?.severity, 'critical', ids(old).join());
    assert.match(v!.detail!, /CVE-2020-28017/);
    const fixed = await check(await serve(healthy({ greeting: ['mx.scripted.test ESMTP Exim 4.99.4'] })));
    assert.ok(ids(fixed).includes('smtp.software'), ids(fixed).join());
    const pf = await check(await serve(healthy({ greeting: ['mx.scripted.test ESMTP Postfix 3.7.5'] })));
    assert.equal(find(pf, 'smtp.vulnerable-version')?.severity, 'warning');
  });
});

describe('smtp host check: timeouts, blocked port 25, unreachable', () => {
  /** A net client that drops connections to some ports (a packet filter) or has no route. */
  function filtered(ports: number[], kind: 'timeout' | 'unreachable' = 'timeout'): NetClient {
    const real = createNetClient();
    return {
      ...real,
      async connect(host, port, timeoutMs) {
        if (ports.includes(port)) return { ok: false, kind, error: kind === 'timeout' ? `no TCP answer within ${timeoutMs} ms` : 'ENETUNREACH', ms: 1 };
        return real.connect(host, port, timeoutMs);
      },
    };
  }

  test('port 25 silent, the same host answers on other ports: this network blocks port 25', async () => {
    const r = await check(2525, { net: filtered([2525]), ports: { smtp: 2525, submission: 1, submissions: 2, imap: 143, imaps: 3, pop3: 110, pop3s: 995 } });
    assert.deepEqual(ids(r), ['smtp.port25-blocked']);
    assert.equal(r.findings[0]!.severity, 'unknown');
  });

  test('everything silent: a timeout, unknown, never "refused"', async () => {
    const r = await check(2525, { net: filtered([2525, 1, 2, 3]), ports: { smtp: 2525, submission: 1, submissions: 2, imap: 143, imaps: 3, pop3: 110, pop3s: 995 } });
    assert.deepEqual(ids(r), ['smtp.connect-timeout']);
    assert.equal(r.findings[0]!.severity, 'unknown');
    const v6 = await check(25, { net: filtered([25], 'unreachable'), host: '::1' });
    assert.deepEqual(ids(v6), ['smtp.connect-unreachable']);
  });
});
