// Alerts delivered to real local receivers: a webhook (generic JSON and Slack-compatible),
// an SMTP sink (smtp-server with STARTTLS and AUTH) and a command (argv, no shell); flap
// damping, firing/resolved, dedupe, repeat, silences, and a failing channel retried with
// back-off, recorded and reported — never dropped silently.
import { AlertBus, type AlertEvent } from '../src/monitor/alerts/bus.js';
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Report } from '../src/core/report.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import type { StoreDb } from '../src/monitor/store/open.js';
import { recordRun } from '../src/monitor/store/record-run.js';
import { startAlerts } from '../src/monitor/alerts/engine.js';
import type { Monitor, RunEvent } from '../src/monitor/monitor.js';
import type { ServeConfig, MonitorTarget } from '../src/config/serve-resolve.js';
import { validateServeConfig } from '../src/config/serve-load.js';
import { listAlerts, addSilence } from '../src/monitor/store/silences.js';
import { listRemediations } from '../src/monitor/alerts/remediate.js';
import { createNetClient } from '../src/io/net.js';
import { submissionServer, TEST_CA } from './helpers/submission-server.js';
import type { SubmissionServer } from './helpers/submission-server.js';

let hook: http.Server;
let hookUrl: string;
const hookBodies: any[] = [];
let hookFailures = 0;
let smtp: SubmissionServer;
let store: StoreDb;
const dir = mkdtempSync('/tmp/mxdoctor-alerts-');
const cmdOut = `${dir}/command.ndjson`;

function configFor(extra = '', top = ''): ServeConfig {
  const text = `
targets:
  - domain: a.test
  - domain: b.test
alerts:
  rules:
    - name: down
      severity: critical
      for: 2
      repeat: 1h
      targets: [a.test]
      channels: [hook, mail, cmd]
    - name: cert
      cert_days_below: 14
      targets: [b.test]
      channels: [slack]
${extra}
channels:
  hook: { type: webhook, url: "${hookUrl}/generic" }
  slack: { type: webhook, url_env: SLACK_URL, format: slack }
  mail:
    type: email
    server: 127.0.0.1:${smtp.port}
    from: mxdoctor@healthy.test
    to: [ops@healthy.test]
    user: alice
    password_env: SMTP_PASSWORD
  cmd:
    type: command
    argv: ["${process.execPath}", "-e", "require('fs').appendFileSync(process.argv[1], process.env.MXDOCTOR_ALERT_JSON + '\\\\n')", "${cmdOut}"]
  broken:
    type: command
    argv: ["${process.execPath}", "-e", "process.stderr.write('no pager today'); process.exit(4)"]
${top}`;
  const v = validateServeConfig(text, `${dir}/serve.yaml`, { env: { SLACK_URL: `${hookUrl}/slack`, SMTP_PASSWORD: 'correct horse battery staple' }, readText: () => '' });
  assert.deepEqual(v.errors.map((e) => e.message), []);
  return v.config!;
}

function harness(config: ServeConfig, now: { t: number }) {
  const listeners: ((e: RunEvent) => Promise<void> | void)[] = [];
  const alertEvents = new AlertBus();
  const emitted: AlertEvent[] = [];
  alertEvents.on((e) => emitted.push(e));
  const m = { config, store, alertEvents, onRun: (l: (e: RunEvent) => void) => { listeners.push(l); return () => {}; } } as unknown as Monitor;
  const logs: string[] = [];
  const counted: [string, boolean][] = [];
  const alerts = startAlerts(m, { delivery: (c, ok) => counted.push([c, ok]) }, (l) => logs.push(l), {
    now: () => now.t, backoffMs: [1, 1, 1, 1], sleep: () => Promise.resolve(),
    deps: { net: createNetClient({ ca: [TEST_CA.toString()], loopbackOnly: true }) },
  });
  async function run(target: string, status: Report['status'], extra: Partial<Report> = {}) {
    const report: Report = { schema: 'mxdoctor.report/v1', target, kind: 'domain', status, exitCode: 0, startedAt: new Date(now.t).toISOString(), durationMs: 10, findings: [{ id: 'smtp.unreachable', severity: status, title: 'No SMTP server answers', area: 'SMTP', check: 'smtp', subject: 'mx1' }], checks: [], ignored: {}, ...extra };
    const t: MonitorTarget = config.targets.find((x) => x.name === target)!;
    const stored = await recordRun(store.db, { target, intervalMs: 60_000, trigger: 'schedule', report, endedMs: now.t });
    for (const l of listeners) await l({ target: t, report, stored, trigger: 'schedule' });
    await alerts.idle();
    now.t += 60_000;
  }
  return { run, logs, counted, alerts, emitted };
}

describe('alerts to real local receivers', () => {
  before(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        if (hookFailures > 0) {
          hookFailures--;
          res.writeHead(502).end();
          return;
        }
        hookBodies.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    smtp = await submissionServer();
  });
  after(async () => {
    hook.close();
    await smtp.close();
  });

  test('flap damping, firing to all three channels, dedupe, repeat, resolved', async () => {
    store = await openStoreDb({ path: ':memory:' });
    const now = { t: Date.parse('2026-12-07T10:00:00Z') };
    const h = harness(configFor(), now);
    await h.run('a.test', 'critical');
    assert.equal(hookBodies.length, 0, 'one critical run is not enough with for: 2');
    await h.run('a.test', 'critical');
    assert.equal(hookBodies.length, 1);
    const fired = hookBodies[0];
    assert.equal(fired.path, '/generic');
    assert.equal(fired.type, 'application/json');
    assert.equal(fired.body.event, 'firing');
    assert.equal(fired.body.id, 'down/a.test');
    assert.match(fired.body.summary, /a\.test is critical: No SMTP server answers \(mx1\)/);
    assert.equal(smtp.received.length, 1, 'the email went through the configured SMTP route');
    assert.match(smtp.received[0]!.raw.toString(), /Subject: \[CRITICAL\] down a\.test/);
    assert.equal(smtp.received[0]!.user, 'alice');
    const cmd = readFileSync(cmdOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(cmd.length, 1);
    assert.equal(cmd[0].event, 'firing');
    await h.run('a.test', 'critical');
    assert.equal(hookBodies.length, 1, 'still firing: no second notification (dedupe)');
    now.t += 3_600_000;
    await h.run('a.test', 'critical');
    assert.equal(hookBodies.length, 2, 'repeat after 1h');
    assert.equal(hookBodies[1].body.repeat, true);
    await h.run('a.test', 'ok');
    assert.equal(hookBodies.length, 2, 'one ok run does not resolve with for: 2');
    await h.run('a.test', 'ok');
    assert.equal(hookBodies.length, 3);
    assert.equal(hookBodies[2].body.event, 'resolved');
    assert.ok(hookBodies[2].body.endsAt);
    const [a] = await listAlerts(store.db, { state: 'all', limit: 5 });
    assert.equal(a!.state, 'resolved');
    assert.ok(a!.deliveries.every((d) => d.ok));
    assert.equal(smtp.received.length, 3);
    // The event stream's alert events: fired and resolved, not the repeat.
    assert.deepEqual(h.emitted.map((e) => [e.event, e.id, e.severity]), [['firing', 'down/a.test', 'critical'], ['resolved', 'down/a.test', 'critical']]);
    assert.ok(h.emitted[1]!.endsAt);
    await store.close();
  });

  test('Slack format for a certificate rule; a silence mutes delivery but the alert still fires', async () => {
    store = await openStoreDb({ path: ':memory:' });
    hookBodies.length = 0;
    const now = { t: Date.parse('2026-12-07T10:00:00Z') };
    const h = harness(configFor(), now);
    const withCert = (days: number): Partial<Report> => ({
      findings: [{ id: 'cert.expires-soon', severity: 'warning', title: 'expires soon', area: 'Certificates', check: 'cert', subject: 'mx1.b.test:25', evidence: { chain: [{ subject: 'mx1.b.test', notAfter: new Date(now.t + days * 86_400_000 + 3_600_000).toISOString() }] } }],
    });
    await h.run('b.test', 'warning', withCert(10));
    assert.equal(hookBodies.length, 1);
    assert.equal(hookBodies[0].path, '/slack');
    assert.deepEqual(Object.keys(hookBodies[0].body), ['text']);
    assert.match(hookBodies[0].body.text, /^\[WARNING\] cert b\.test: certificate of mx1\.b\.test:25 expires in 10 days/);
    await h.run('b.test', 'ok', withCert(60));
    assert.equal(hookBodies[1].body.text.startsWith('[RESOLVED]'), true);
    await addSilence(store.db, { target: 'b.*', rule: null, startsMs: now.t - 1, endsMs: now.t + 86_400_000, comment: 'renewing', createdBy: 'test' }, now.t);
    await h.run('b.test', 'warning', withCert(3));
    assert.equal(hookBodies.length, 2, 'silenced: not delivered');
    const [a] = await listAlerts(store.db, { state: 'firing', limit: 5 });
    assert.equal(a!.id, 'cert/b.test', 'the alert still fires in the store');
    assert.ok(h.logs.some((l) => /not sent \(silence/.test(l)));
    await store.close();
  });

  test('a failing webhook is retried with back-off; a channel that never works is given up on, recorded and logged', async () => {
    store = await openStoreDb({ path: ':memory:' });
    hookBodies.length = 0;
    hookFailures = 2;
    const now = { t: Date.parse('2026-12-07T10:00:00Z') };
    const cfg = configFor('    - name: pager\n      severity: warning\n      targets: [b.test]\n      channels: [broken, hook]\n');
    const h = harness(cfg, now);
    await h.run('b.test', 'critical');
    assert.equal(hookBodies.length, 1, 'delivered on the third attempt');
    const [a] = await listAlerts(store.db, { state: 'firing', limit: 5 });
    const byChannel = Object.fromEntries(a!.deliveries.map((d) => [d.channel, d]));
    assert.deepEqual([byChannel.hook!.ok, byChannel.hook!.attempts], [true, 3]);
    assert.deepEqual([byChannel.broken!.ok, byChannel.broken!.attempts], [false, 5]);
    assert.match(byChannel.broken!.error!, /exited with 4: no pager today/);
    assert.ok(h.logs.some((l) => /channel broken failed 5 times, giving up/.test(l)));
    assert.deepEqual(h.counted.filter(([c]) => c === 'hook').map(([, ok]) => ok), [false, false, true]);
    await store.close();
  });

  test('remediation: dry run by default, runs its argv only with execute: true, cooldown, audit log', async () => {
    store = await openStoreDb({ path: ':memory:' });
    const flushed = `${dir}/flushed.txt`;
    const now = { t: Date.parse('2026-12-07T10:00:00Z') };
    const cfg = configFor('', `remediation:
  - name: would-flush
    rule: cert
    argv: [/usr/sbin/postqueue, -f]
  - name: flush
    rule: cert
    execute: true
    cooldown: 2h
    argv: ["${process.execPath}", "-e", "require('fs').appendFileSync(process.argv[1], process.env.MXDOCTOR_TARGET + '\\\\n'); console.log('flushed')", "${flushed}"]
`);
    const h = harness(cfg, now);
    const cert = (days: number): Partial<Report> => ({ findings: [{ id: 'cert.expires-soon', severity: 'warning', title: 'x', area: 'Certificates', check: 'cert', evidence: { chain: [{ notAfter: new Date(now.t + days * 86_400_000 + 3_600_000).toISOString() }] } }] });
    await h.run('b.test', 'warning', cert(5));          // fires: both remediations
    await h.run('b.test', 'ok', cert(60));              // resolves
    await h.run('b.test', 'warning', cert(5));          // fires again within the cooldown
    now.t += 2 * 3_600_000;
    await h.run('b.test', 'ok', cert(60));
    await h.run('b.test', 'warning', cert(5));          // after the cooldown: runs again
    const audit = (await listRemediations(store.db, 50)).reverse();
    assert.deepEqual(audit.map((a) => [a.name, a.mode]), [
      ['would-flush', 'dry-run'], ['flush', 'run'],
      ['would-flush', 'cooldown'], ['flush', 'cooldown'],
      ['would-flush', 'dry-run'], ['flush', 'run'],
    ]);
    assert.equal(audit[1]!.exitCode, 0);
    assert.match(audit[1]!.output!, /flushed/);
    assert.deepEqual(readFileSync(flushed, 'utf8').trim().split('\n'), ['b.test', 'b.test'], 'ran twice, never through a shell, never the dry-run one');
    assert.ok(h.logs.some((l) => /would-flush for b\.test: dry run, would run \/usr\/sbin\/postqueue -f/.test(l)));
    await store.close();
  });

  test('the command channel ran without a shell', () => {
    assert.ok(existsSync(cmdOut));
  });
});
