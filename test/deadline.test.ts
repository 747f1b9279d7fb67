// Every run ends on time (issue 16) and cancellation is real (issue 9): a check over its
// deadline is cancelled and its socket closed, the overall --deadline stops a command talking
// to a server that answers every step just inside the step timeout, and a family that did
// not run is `skipped`, never `ok`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { runTarget } from '../src/core/runner.js';
import type { Check } from '../src/core/check.js';
import { contextFactory } from '../src/context.js';
import type { Resolver } from '../src/io/resolver.js';
import { deadline, withDeadline } from '../src/io/deadline.js';
import { boundedPool, allInOrder } from '../src/io/pool.js';
import { auditDomains } from '../src/services/audit.js';
import { runCli } from './helpers/cli.js';

const noDns: Resolver = { query: async (name, type) => ({ name, type, status: 'nxdomain', records: [], cnames: [], authority: [], ad: false, aa: false, rcode: 'NXDOMAIN', server: 'test', elapsedMs: 0 }) };

/** A server that accepts and never says a word; resolves each connection's 'close'. */
async function silentServer() {
  const closed: Promise<void>[] = [];
  const server = net.createServer((s) => { s.on('error', () => undefined); closed.push(once(s, 'close').then(() => undefined)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, closed, accepted: () => closed.length };
}

/** A gatherer that connects and waits for a greeting that never comes, with no timeout of its own. */
function hangingCheck(port: number): Check {
  return {
    family: 'hang', area: 'SMTP', description: 'd', findings: [],
    async run(_t, ctx) {
      const c = await ctx.net.connect('127.0.0.1', port, 60_000);
      if (c.ok) await once(c.socket, 'close');
      return [{ id: 'hang.greeted', severity: 'ok', title: 'never reached' }];
    },
  };
}

/** Sockets and timers still alive in this process (Node's own stdio excluded). */
function openSockets(): number {
  return (process as any)._getActiveHandles().filter((h: unknown) => h instanceof net.Socket && !(h as any).server && !(h as net.Socket).destroyed && (h as any).remotePort !== undefined).length;
}

test('a gatherer hanging on a silent server is cancelled at its deadline and its socket closed', async () => {
  const srv = await silentServer();
  try {
    const hang = hangingCheck(srv.port);
    const before = openSockets();
    const factory = contextFactory(noDns, { loopbackOnly: true });
    const t0 = performance.now();
    const r = await runTarget({ kind: 'domain', domain: 'x.test' }, { checks: [hang], context: factory, checkTimeoutMs: 300 });
    assert.ok(performance.now() - t0 < 10_000, 'the report came at the deadline');
    assert.deepEqual(r.findings.map((f) => f.id), ['run.check-timeout']);
    assert.match(r.findings[0]!.detail!, /cancelled/);
    assert.equal(r.checks[0]!.status, 'unknown');
    assert.equal(srv.accepted(), 1);
    await srv.closed[0]; // the server saw the client hang up: the socket was destroyed, not left to run
    await new Promise((res) => setImmediate(res));
    assert.equal(openSockets(), before, 'no client socket left open after the report');
  } finally {
    srv.server.close();
  }
});

test('the run signal cancels checks in flight (run.deadline) and skips those not started', async () => {
  const srv = await silentServer();
  try {
    const hang = hangingCheck(srv.port);
    const d = deadline(300, 'the test run');
    const factory = contextFactory(noDns, { loopbackOnly: true, signal: d.signal });
    const first = await runTarget({ kind: 'domain', domain: 'x.test' }, { checks: [hang], context: factory, checkTimeoutMs: 60_000 });
    assert.deepEqual(first.findings.map((f) => f.id), ['run.deadline']);
    assert.match(first.findings[0]!.detail!, /deadline of 300 ms passed/);
    await srv.closed[0];
    const later = await runTarget({ kind: 'domain', domain: 'y.test' }, { checks: [hang], context: factory, checkTimeoutMs: 60_000 });
    assert.equal(later.checks[0]!.status, 'skipped');
    assert.match(later.checks[0]!.reason!, /not started: .*deadline/);
    assert.equal(srv.accepted(), 1, 'the skipped check never connected');
    // Nothing ran: the report says why (unknown, exit 3), it never reads as a pass.
    assert.deepEqual([later.status, later.exitCode, later.findings.map((f) => f.id)], ['unknown', 3, ['run.deadline']]);
    assert.match(later.findings[0]!.detail!, /1 check\(s\) not started: .*\(hang/);
    d.dispose();
  } finally {
    srv.server.close();
  }
});

test('without server probes the server families are skipped with why, never ok', async () => {
  const [r] = await auditDomains(['nowhere.test'], { resolver: noDns, probeServers: false, checkTimeoutMs: 2000 });
  const status = Object.fromEntries(r!.checks.map((c) => [c.check, c.status]));
  for (const family of ['smtp', 'submission', 'tls', 'cert', 'tlsa', 'imap', 'pop3']) {
    assert.equal(status[family], 'skipped', family);
    assert.match(r!.checks.find((c) => c.check === family)!.reason!, /server probes are off/);
  }
  assert.notEqual(status.mx, 'skipped', 'DNS families still run');
});

test('withDeadline aborts the work signal; the pool bounds concurrency and keeps order', async () => {
  let seen: AbortSignal | undefined;
  const out = await withDeadline((s) => { seen = s; return new Promise<string>(() => undefined); }, 50, 'w', () => 'late');
  assert.equal(out, 'late');
  assert.equal(seen!.aborted, true);
  let active = 0;
  let peak = 0;
  const work = async (n: number) => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, (5 - n) * 5)); active--; return n * 2; };
  assert.deepEqual(await allInOrder([1, 2, 3, 4], 2, work), [2, 4, 6, 8]);
  assert.equal(peak, 2);
  const seenOrder: number[] = [];
  for await (const v of boundedPool([1, 2, 3], 3, work)) seenOrder.push(v);
  assert.deepEqual(seenOrder.sort(), [2, 4, 6]);
});

/** An SMTP server that answers every step, but each only after `delayMs` (a tarpit just inside the step timeout). */
async function slowSmtp(delayMs: number) {
  const closed: Promise<void>[] = [];
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    closed.push(once(s, 'close').then(() => undefined));
    const later = (line: string) => setTimeout(() => { if (!s.destroyed) s.write(`${line}\r\n`); }, delayMs);
    later('220 slow.test ESMTP');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const cmd = buf.slice(0, i).trim().toUpperCase();
        buf = buf.slice(i + 1);
        if (cmd.startsWith('EHLO')) later('250-slow.test\r\n250 AUTH PLAIN');
        else if (cmd === 'QUIT') later('221 bye');
        else later('250 ok');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, closed };
}

test('mxdoctor smtp --step-timeout 30000 against a server answering each step late ends at --deadline', async () => {
  const srv = await slowSmtp(1500);
  try {
    const t0 = performance.now();
    const r = await runCli(['smtp', `127.0.0.1:${srv.port}`, '--step-timeout', '30000', '--deadline', '2s', '--json'], { timeoutMs: 60_000 });
    const took = performance.now() - t0;
    // Generous bound (loaded machine): far below the ~30 s the session would take, and the
    // process exited, so no socket or timer was left running.
    assert.ok(took < 20_000, `took ${Math.round(took)} ms`);
    const doc = JSON.parse(r.stdout);
    const ids = doc.reports[0].findings.map((f: { id: string }) => f.id);
    assert.ok(ids.includes('run.deadline'), ids.join(','));
    assert.equal(r.code, 3);
    await Promise.all(srv.closed);
  } finally {
    srv.server.close();
  }
});

test('mxdoctor send against the same server stops at --deadline and names the step it cut', async () => {
  const srv = await slowSmtp(1500);
  try {
    const t0 = performance.now();
    const r = await runCli(['send', '--server', `127.0.0.1:${srv.port}`, '--tls', 'none', '--from', 'a@slow.test', '--to', 'b@slow.test',
      '--step-timeout', '30000', '--deadline', '2s', '--json'], { timeoutMs: 60_000 });
    assert.ok(performance.now() - t0 < 20_000);
    const doc = JSON.parse(r.stdout);
    const f = doc.reports[0].findings.find((x: { id: string }) => x.id === 'run.deadline');
    assert.ok(f, r.stdout);
    assert.match(f.detail, /stopped at the \w+ step/);
    assert.notEqual(r.code, 0);
    await Promise.all(srv.closed);
  } finally {
    srv.server.close();
  }
});

test('--deadline is in --help with its default and refuses nonsense', async () => {
  const h = await runCli(['smtp', '--help']);
  assert.match(h.stdout, /--deadline <duration>[\s\S]*default: 90s\)/);
  const bad = await runCli(['check', 'example.com', '--deadline', 'soon']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /--deadline soon/);
});

test('doctor --no-servers: the server families it would have probed are skipped in its report, not ok', async () => {
  const { diagnose } = await import('../src/services/doctor.js');
  const [r] = await diagnose('nowhere.test', 'client-cannot-connect', { resolver: noDns, probeServers: false, checkTimeoutMs: 2000 });
  const servers = r!.checks.filter((c) => ['smtp', 'submission', 'tls', 'cert', 'imap', 'pop3'].includes(c.check));
  assert.ok(servers.length > 0, r!.checks.map((c) => c.check).join());
  for (const c of servers) assert.equal(c.status, 'skipped', c.check);
});

test('rejectAfter rejects with the message when the work is too slow (no hang, nothing uncaught)', async () => {
  const { rejectAfter } = await import('../src/io/deadline.js');
  await assert.rejects(rejectAfter(new Promise(() => undefined), 30, 'no IMAP answer'), /no IMAP answer within 30 ms/);
  assert.equal(await rejectAfter(Promise.resolve(7), 1000, 'x'), 7);
});
