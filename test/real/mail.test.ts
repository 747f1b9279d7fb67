// The real-server suite, mail part: `mxdoctor check` against Debian's Postfix and Dovecot
// (test/lab/start-mail.sh, 127.0.2.x) with names served by the real DNS lab (Knot behind
// Unbound, test/lab/start-dns.sh; zone src/lab/zones/mail-lab.zone). `npm run test:real`
// starts and stops both. Proves the probes read real servers right: a healthy domain with
// two MX hosts, submission and IMAP/POP3 gives no problem; an expired certificate, an open
// relay and AUTH before TLS each give their finding; and nothing ever left the machine (only
// mx1 delivers, into the lab's Dovecot over a unix socket; "never" only tries a dead loopback port).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DnsClient } from '../../src/io/dns-client.js';

const BIN = new URL('../../bin/mxdoctor.js', import.meta.url).pathname;
const CA = new URL('../fixtures/certs/ca.pem', import.meta.url).pathname;
const MAIL_RUN = new URL('../lab/run/mail/', import.meta.url).pathname;
const ZONE = new URL('../../src/lab/zones/mail-lab.zone', import.meta.url).pathname;
const EXPORTED = new URL('../lab/run/zones/zones.list', import.meta.url).pathname;
const DNS_ENV = new URL('../lab/run/dns.env', import.meta.url).pathname;
const env: Record<string, string> = {
  REAL_DNS_PORT: '53', REAL_DNS_RESOLVER: '127.0.1.4',
  ...(existsSync(DNS_ENV) ? Object.fromEntries(readFileSync(DNS_ENV, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=') as [string, string])) : {}),
};
const RESOLVER = `${env.REAL_DNS_RESOLVER}:${env.REAL_DNS_PORT}`;
// --slow 2000: a cold Postfix spawns an smtpd per concurrent connection, which on a busy CI
// machine can pass 500 ms; slow replies are tested by the hermetic suite, not here.
const COMMON = ['--json', '--resolver', RESOLVER, '--ca', CA, '--timeout', '1000', '--retries', '1', '--step-timeout', '5000', '--slow', '2000'];
/** The server families: what the mail lab is about (DNS families are dns.test.ts's). */
const SERVER_FAMILIES = ['smtp', 'submission', 'tls', 'cert', 'imap', 'pop3'];

interface Finding { id: string; severity: string; subject?: string; title?: string; detail?: string }
interface Report { target: string; status: string; exitCode: number; durationMs: number; findings: Finding[] }

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}

async function check(domain: string, extra: string[] = []): Promise<{ code: number; rep: Report; wallMs: number }> {
  const r = await run(['check', domain, ...COMMON, ...extra]);
  let doc: { schema: string; reports: Report[] };
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new Error(`mxdoctor printed no valid JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
  }
  assert.equal(doc.schema, 'mxdoctor.report/v1');
  return { code: r.code, rep: doc.reports[0]!, wallMs: r.ms };
}

const family = (id: string) => id.split('.')[0]!;
const show = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.id} ${f.subject ?? ''} ${f.detail ?? f.title ?? ''}`).join('\n');
/** Findings of the server families that are not ok/info (unknown included: a healthy lab answers). */
const serverProblems = (rep: Report) =>
  rep.findings.filter((f) => SERVER_FAMILIES.includes(family(f.id)) && !['ok', 'info'].includes(f.severity));
const has = (rep: Report, id: string, severity: string, subject?: string) =>
  rep.findings.some((f) => f.id === id && f.severity === severity && (subject === undefined || f.subject === subject));
const mustHave = (rep: Report, id: string, severity: string, subject?: string) =>
  assert.ok(has(rep, id, severity, subject), `expected ${severity} ${id}${subject ? ` for ${subject}` : ''}; got:\n${show(rep.findings)}`);

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

/** Every Postfix instance's log, and the files still in its queue (should be none). */
function postfixState(): { name: string; log: string; queued: string[] }[] {
  return readdirSync(MAIL_RUN).filter((d) => d.startsWith('postfix-')).map((d) => {
    const queue = join(MAIL_RUN, d, 'queue');
    const queued = ['maildrop', 'incoming', 'active', 'deferred', 'hold', 'corrupt']
      .flatMap((q) => (existsSync(join(queue, q)) ? listFiles(join(queue, q)).map((f) => `${q}/${f}`) : []));
    const log = existsSync(join(MAIL_RUN, d, 'maillog')) ? readFileSync(join(MAIL_RUN, d, 'maillog'), 'utf8') : '';
    return { name: d, log, queued };
  });
}
function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
}

describe('real mail servers (Postfix + Dovecot)', () => {
  before(async () => {
    const c = new DnsClient({ servers: [{ host: env.REAL_DNS_RESOLVER!, port: Number(env.REAL_DNS_PORT) }], timeoutMs: 1000, retries: 1 });
    const r = await c.query('mail-lab.test', 'MX');
    c.close();
    if (r.status !== 'answer' || !r.records.length) throw new Error(`no MX for mail-lab.test from ${RESOLVER} (${r.status}): run \`npm run test:real\`, which starts the labs`);
    if (statSync(ZONE).mtimeMs > statSync(EXPORTED).mtimeMs) throw new Error('mail-lab.zone changed after start-dns.sh exported the zones: run it again (npm run test:real does)');
    for (const ep of ['127.0.2.1:25', '127.0.2.1:993', '127.0.2.2:25', '127.0.2.10:25', '127.0.2.20:25', '127.0.2.30:587']) {
      const [host, port] = ep.split(':');
      if (!(await tcpOpen(host!, Number(port)))) throw new Error(`nothing listens on ${ep}: run \`bash test/lab/start-mail.sh\` (npm run test:real does)`);
    }
  });

  test('mail-lab.test (two MX hosts, submission, IMAP, POP3): no problem in any server family', async (t) => {
    const { rep, wallMs } = await check('mail-lab.test');
    t.diagnostic(`check mail-lab.test: ${rep.durationMs} ms in mxdoctor, ${Math.round(wallMs)} ms with process start`);
    assert.deepEqual(serverProblems(rep), [], show(serverProblems(rep)));
    const mx1 = (port: number) => `mx1.mail-lab.test:${port} (127.0.2.1)`;
    const mx2 = 'mx2.mail-lab.test:25 (127.0.2.2)';
    // Every endpoint was really probed (a check that ran nothing would pass the line above).
    for (const s of [mx1(25), mx2]) {
      mustHave(rep, 'smtp.reachable', 'ok', s);
      mustHave(rep, 'smtp.relay-refused', 'ok', s);
      mustHave(rep, 'smtp.postmaster-accepted', 'ok', s);
      mustHave(rep, 'smtp.starttls-offered', 'ok', s);
      mustHave(rep, 'tls.handshake-ok', 'ok', s);
      mustHave(rep, 'cert.trusted', 'ok', s);
      mustHave(rep, 'cert.name-ok', 'ok', s);
    }
    for (const p of [587, 465]) mustHave(rep, 'submission.reachable', 'ok', mx1(p));
    mustHave(rep, 'submission.implicit-tls-ok', 'ok', mx1(465));
    mustHave(rep, 'submission.starttls-offered', 'ok', mx1(587));
    mustHave(rep, 'imap.logindisabled', 'ok', mx1(143));
    mustHave(rep, 'imap.starttls-ok', 'ok', mx1(143));
    mustHave(rep, 'imap.greeting-ok', 'ok', mx1(993));
    mustHave(rep, 'pop3.stls-ok', 'ok', mx1(110));
    mustHave(rep, 'pop3.greeting-ok', 'ok', mx1(995));
    for (const p of [25, 587, 465, 143, 993, 110, 995]) {
      mustHave(rep, 'tls.handshake-ok', 'ok', mx1(p));
      mustHave(rep, 'cert.validity-ok', 'ok', mx1(p));
    }
  });

  test('expired-cert.test: the certificate expiry is critical', async () => {
    const { rep } = await check('expired-cert.test');
    mustHave(rep, 'cert.expired', 'critical', 'mx.expired-cert.test:25 (127.0.2.10)');
    // The rest of that server is fine: the expiry is the one server problem.
    assert.deepEqual(serverProblems(rep).map((f) => f.id), ['cert.expired'], show(serverProblems(rep)));
    assert.equal(rep.exitCode, 2);
  });

  test('open-relay.test: the open relay is critical, and nothing was delivered', async () => {
    const { rep } = await check('open-relay.test');
    mustHave(rep, 'smtp.open-relay', 'critical', 'mx.open-relay.test:25 (127.0.2.20)');
    assert.deepEqual(serverProblems(rep).map((f) => f.id), ['smtp.open-relay'], show(serverProblems(rep)));
    const relay = postfixState().find((s) => s.name === 'postfix-relay')!;
    assert.match(relay.log, /connect from/, 'the relay instance logged our connections');
    // The relay test is RCPT then RSET: it never sends DATA (RFC 5321 §4.1.1.4), so Postfix
    // never queued a message.
    assert.doesNotMatch(relay.log, / data=\d| bdat=\d/, 'mxdoctor sent DATA/BDAT to the relay');
  });

  test('auth-plain.test: AUTH before TLS on the submission port is critical', async () => {
    const { rep } = await check('auth-plain.test');
    mustHave(rep, 'submission.auth-before-tls', 'critical', 'mx.auth-plain.test:587 (127.0.2.30)');
    assert.deepEqual(serverProblems(rep).map((f) => f.id), ['submission.auth-before-tls'], show(serverProblems(rep)));
  });

  test('full check of mail-lab.test timed (two MX hosts, every family)', async (t) => {
    const runs: { mxdoctor: number; wall: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const { rep, wallMs } = await check('mail-lab.test');
      assert.deepEqual(serverProblems(rep), [], show(serverProblems(rep)));
      runs.push({ mxdoctor: rep.durationMs, wall: Math.round(wallMs) });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const line = `full check mail-lab.test, 3 runs: mxdoctor ${runs.map((r) => r.mxdoctor).join('/')} ms (median ${median(runs.map((r) => r.mxdoctor))}), `
      + `with process start ${runs.map((r) => r.wall).join('/')} ms (median ${median(runs.map((r) => r.wall))})`;
    t.diagnostic(line);
    console.log(`# ${line}`);
  });

  test('nothing can leave the machine: every transport is discard, the lab Dovecot, a dead loopback port or the lab smtp-sink', () => {
    const lmtp = `lmtp:unix:${join(MAIL_RUN, 'dovecot', 'lmtp')}`;
    const dead = 'smtp:[127.0.2.99]:2525';
    const sink = 'smtp:[127.0.2.51]:2526';
    // Delivery agents per instance (master.cf): only mx1's lmtp and never's and sink's smtp client.
    const agents: Record<string, string[]> = { 'postfix-mx1': ['lmtp'], 'postfix-never': ['smtp'], 'postfix-sink': ['smtp'] };
    for (const s of postfixState()) {
      const etc = join(MAIL_RUN, s.name, 'etc');
      const conf = (...names: string[]) => {
        const r = spawnSync('postconf', ['-c', etc, '-hx', ...names], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.split('\n').slice(0, names.length);
      };
      const [def, relay, local, virtual] = conf('default_transport', 'relay_transport', 'local_transport', 'virtual_transport');
      const discard = (v?: string) => !!v?.startsWith('discard:');
      if (s.name === 'postfix-never') assert.deepEqual([def, relay], [dead, dead]);
      else if (s.name === 'postfix-sink') assert.deepEqual([def, relay], [sink, sink]);
      else assert.ok(discard(def) && discard(relay), `${s.name}: default/relay transport ${def} ${relay}`);
      assert.ok(discard(local), `${s.name}: local transport ${local}`);
      assert.ok(discard(virtual) || (s.name === 'postfix-mx1' && virtual === lmtp), `${s.name}: virtual transport ${virtual}`);
      assert.deepEqual(conf('transport_maps', 'relayhost', 'sender_dependent_relayhost_maps', 'sender_dependent_default_transport_maps', 'smtp_fallback_relay', 'lmtp_fallback_relay'),
        ['', '', '', '', '', ''], `${s.name}: a route outside the transports above`);
      const master = spawnSync('postconf', ['-c', etc, '-M'], { encoding: 'utf8' }).stdout;
      const clients = master.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => ['smtp', 'lmtp', 'local', 'virtual', 'pipe', 'spawn'].includes(f[7] ?? '')).map((f) => f[7]);
      assert.deepEqual(clients, agents[s.name] ?? [], `${s.name}: delivery agents in master.cf`);
      if (s.name === 'postfix-never') assert.deepEqual(conf('smtp_bind_address'), ['127.0.2.40']);
      if (s.name === 'postfix-sink') assert.deepEqual(conf('smtp_bind_address'), ['127.0.2.50']);
    }
  });

  test('no Postfix instance delivered anywhere but the lab: only mx1 (into Dovecot), never (deferred) and sink (into smtp-sink) queued mail', () => {
    // Runs last (node:test runs a describe's tests in order): after every check above.
    const lmtpRelay = `mx1.mail-lab.test[${join(MAIL_RUN, 'dovecot', 'lmtp')}]`;
    for (const s of postfixState()) {
      // A delivery attempt logs "status=sent|deferred|bounced" (discard(8) included) and where.
      for (const line of s.log.split('\n').filter((l) => / status=/.test(l))) {
        const relay = line.match(/ relay=([^,]+),/)?.[1];
        const ok = (s.name === 'postfix-mx1' && relay === lmtpRelay)
          || (s.name === 'postfix-never' && / status=deferred /.test(line) && (relay === 'none' || relay === '127.0.2.99[127.0.2.99]:2525'))
          || (s.name === 'postfix-sink' && relay === '127.0.2.51[127.0.2.51]:2526');
        assert.ok(ok, `${s.name} delivered outside the lab: ${line}`);
      }
      if (s.name === 'postfix-mx1' || s.name === 'postfix-never' || s.name === 'postfix-sink') continue;
      // The check's probes never send DATA, and these instances take no other traffic.
      assert.deepEqual(s.queued, [], `${s.name} has queued mail`);
      assert.doesNotMatch(s.log, /status=/, `${s.name} tried to deliver: ${s.log.match(/.*status=.*/)?.[0]}`);
      assert.doesNotMatch(s.log, / data=\d| bdat=\d/, `${s.name} received DATA/BDAT`);
    }
  });
});
