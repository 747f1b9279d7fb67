// `local: true` targets in serve, without touching the machine: the same scripted postqueue,
// in-memory file system (statfs, /proc, certificate files) and fixed clock as check --local's
// tests, run by the monitor on its schedule; the queue sizes stored as series (minute and
// hour rollups) and exposed as postfix_exporter's gauges; a run that cannot start or hangs is
// stored as unknown with why.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateServeConfig } from '../src/config/serve-load.js';
import type { ServeConfig } from '../src/config/serve-resolve.js';
import { Monitor } from '../src/monitor/monitor.js';
import { createMetrics } from '../src/monitor/metrics.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import { latestReport, seriesPoints } from '../src/monitor/store/queries.js';
import { locator } from '../src/host/locate.js';
import type { HostIo } from '../src/services/queue.js';
import type { CommandRunner } from '../src/io/exec.js';
import { fakeFs, fakeRunner, fixture, procFiles, space, type Script } from './fixtures/queue/fake-host.js';
import { FakeTimers } from './helpers/fake-timers.js';

const cert = (name: string) => readFileSync(new URL(`./fixtures/certs/${name}`, import.meta.url), 'utf8');
const T0 = Date.parse('2026-12-08T10:00:00Z');
const POSTCONF = 'postconf -x queue_directory smtpd_tls_cert_file smtpd_tls_eccert_file smtpd_tls_dcert_file smtpd_tls_chain_files maillog_file multi_instance_directories';

const CONFIG = `
schedule: { interval: 1m, jitter: 0s, timeout: 30s }
modules:
  mailhost:
    cert_warn_days: 20
    local:
      mail_store: [/var/vmail]
      cert_files: [/etc/ssl/extra.pem]
      queue_warn: 20
      queue_crit: 200
targets:
  - local: true
    name: mail
    module: mailhost
`;

function config(text = CONFIG): ServeConfig {
  const v = validateServeConfig(text, '/etc/mxdoctor/serve.yaml', { env: {}, readText: () => { throw new Error('no file'); } });
  assert.deepEqual(v.errors.map((e) => e.message), []);
  return v.config!;
}

/** A Debian Postfix + Dovecot host whose postqueue prints the listings given, one per call. */
function host(listings: string[], o: { run?: CommandRunner; postqueue?: Script } = {}): HostIo & { calls: string[] } {
  const proc = procFiles({ 1: 'systemd', 1234: 'master', 2000: 'dovecot' });
  const fs = fakeFs({
    files: { ...proc.files, '/var/spool/postfix/pid/master.pid': '  1234\n', '/etc/ssl/extra.pem': cert('valid.pem') },
    dirs: { ...proc.dirs, '/var/spool/postfix/corrupt': [] },
    statfs: { '/var/spool/postfix': space(40), '/var/vmail': space(85, 20) },
    executables: ['/usr/sbin/postconf', '/usr/sbin/postqueue'],
  });
  let n = 0;
  const run = fakeRunner({
    [POSTCONF]: { stdout: 'queue_directory = /var/spool/postfix\nsmtpd_tls_cert_file =\nsmtpd_tls_eccert_file =\nsmtpd_tls_dcert_file =\nsmtpd_tls_chain_files =\nmaillog_file =\nmulti_instance_directories =\n' },
    'postqueue -j': () => o.postqueue ?? { stdout: listings[Math.min(n++, listings.length - 1)]! },
  });
  return { run: o.run ?? run, fs, clock: { now: () => T0 }, locate: locator(fs, '/usr/bin:/bin'), hostname: 'mail.test', calls: run.calls };
}

async function monitorWith(cfg: ServeConfig, io: HostIo, timers = new FakeTimers(T0)) {
  const store = await openStoreDb({ path: ':memory:' });
  const m = new Monitor(cfg, store, { contextFor: () => { throw new Error('a local target needs no check context'); }, timers, random: () => 0, hostIo: () => io });
  const metrics = createMetrics(m);
  return { m, store, metrics, timers };
}

describe('serve: local targets', () => {
  test('the config accepts local: true with its module\'s local: options, paths relative to the config file', () => {
    const c = config(CONFIG.replace('[/etc/ssl/extra.pem]', '[certs/mail.pem]'));
    assert.deepEqual(c.targets.map((t) => [t.name, t.kind, t.module, t.intervalMs]), [['mail', 'local', 'mailhost', 60_000]]);
    const l = c.modules.mailhost!.local!;
    assert.deepEqual(l.cert_files, ['/etc/mxdoctor/certs/mail.pem']);
    assert.equal(l.recent_logs, false);
    assert.equal(l.queue_crit, 200);
  });

  test('runs on its interval: queue, disk, daemons and certificate files; queue sizes as series and gauges', async () => {
    const io = host([fixture('postfix-mixed.jsonl'), fixture('postfix-deferred-heavy.jsonl'), fixture('postfix-hold.jsonl')]);
    const { m, store, metrics, timers } = await monitorWith(config(), io);
    await m.start();
    await timers.advance(3 * 60_000 - 1);
    const last = await latestReport(store.db, 'mail');
    assert.equal(last!.run.status, 'warning');
    const r = last!.report!;
    assert.equal(r.kind, 'local');
    assert.equal(r.target, 'mail');
    const ids = r.findings.map((f) => f.id).sort();
    assert.ok(ids.includes('queue.hold'), ids.join(' '));
    assert.ok(ids.includes('host.disk-low'), `the mail store at 85 % (the default warning): ${ids.join(' ')}`);
    assert.ok(ids.includes('host.disk-ok'), 'the queue directory at 40 %');
    assert.ok(ids.includes('host.daemon-running'));
    assert.ok(ids.includes('host.cert-ok'), 'the module\'s cert_files were checked');
    assert.ok(!r.findings.some((f) => f.check === 'logs'), 'no log part: serve follows logs itself (recent_logs: false)');
    assert.equal(io.calls.filter((c) => c === 'postqueue -j').length, 3, 'one queue listing per run, three runs in three minutes');

    const since = Math.floor(T0 / 1000) - 60;
    const until = since + 3600;
    const minute = async (metric: string) => (await seriesPoints(store.db, 'mail', metric, 'minute', since, until)).avg;
    assert.deepEqual(await minute('queue_size'), [9, 53, 5]);
    assert.deepEqual(await minute('queue_active'), [2, 1, 0]);
    assert.deepEqual(await minute('queue_deferred'), [5, 51, 1]);
    assert.deepEqual(await minute('queue_hold'), [2, 0, 3]);
    assert.deepEqual(await minute('queue_incoming'), [0, 1, 0]);
    const hour = await seriesPoints(store.db, 'mail', 'queue_size', 'hour', since, until);
    assert.deepEqual(hour.count, [3]);
    assert.deepEqual([hour.min[0], hour.max[0]], [5, 53]);

    const text = await metrics.render();
    assert.match(text, /postfix_showq_queue_depth\{target="mail",queue="deferred"\} 1\n/);
    assert.match(text, /postfix_showq_queue_depth\{target="mail",queue="hold"\} 3\n/);
    assert.match(text, /mxdoctor_daemon_up\{target="mail",service="postfix"\} 1\n/);
    assert.match(text, /mxdoctor_disk_used_ratio\{target="mail",role="mail store",path="\/var\/vmail"\} 0\.85\n/);
    assert.match(text, /mxdoctor_cert_file_expiry_timestamp_seconds\{target="mail",file="\/etc\/ssl\/extra\.pem"\} \d{10}\n/);
    assert.ok(!/exim_queue\{/.test(text), 'no Exim gauges for a Postfix host');
    // The certificate file counts as the target's certificate: overview, series, expiry gauge.
    const notAfter = Date.parse((r.facts!.local as { certificates: { notAfter: string }[] }).certificates[0]!.notAfter);
    assert.match(text, new RegExp(`mxdoctor_cert_expiry_timestamp_seconds\\{target="mail"\\} ${Math.floor(notAfter / 1000)}\n`));
    assert.equal((await minute('cert_days_left')).length, 3);
    assert.equal((await minute('cert_days_left'))[0], Math.floor((notAfter - T0) / 86_400_000));
    await m.stop();
    await store.close();
  });

  test('a queue that could not be read removes the gauges and stores no queue point (unknown, not 0)', async () => {
    const io = host([fixture('postfix-mixed.jsonl')]);
    let fail = false;
    const run: CommandRunner = (argv, o) => (fail && argv[0]!.endsWith('postqueue') ? Promise.resolve({ code: 69, stdout: '', stderr: 'postqueue: fatal: Queue report unavailable - mail system is down', timedOut: false, truncated: false, notFound: false }) : io.run(argv, o));
    const { m, store, metrics } = await monitorWith(config(), { ...io, run });
    await m.runOnce();
    fail = true;
    await m.runOnce();
    const r = (await latestReport(store.db, 'mail'))!.report!;
    assert.ok(r.findings.some((f) => f.id === 'queue.read-failed' && f.severity === 'unknown'), r.findings.map((f) => f.id).join(' '));
    const pts = await seriesPoints(store.db, 'mail', 'queue_size', 'minute', 0, 4e9);
    assert.deepEqual(pts.count, [1], 'only the first run has a queue size');
    assert.ok(!/postfix_showq_queue_depth\{/.test(await metrics.render()));
    await store.close();
  });

  test('a run that cannot start is stored as unknown with why', async () => {
    const cfg = config(CONFIG.replace('mail_store: [/var/vmail]', 'postfix_config: [/etc/postfix-gone]'));
    const { m, store } = await monitorWith(cfg, host([fixture('postfix-mixed.jsonl')]));
    const [r] = await m.runOnce();
    assert.equal(r!.status, 'unknown');
    assert.equal(r!.findings[0]!.id, 'monitor.local-failed');
    assert.match(r!.findings[0]!.detail ?? '', /\/etc\/postfix-gone: no such directory/);
    await store.close();
  });

  test('a postqueue that hangs is killed at the run\'s deadline: the run is unknown, not down', async () => {
    const killed: string[] = [];
    const io = host([]);
    const run: CommandRunner = (argv, o) => {
      if (!argv[0]!.endsWith('postqueue')) return io.run(argv, o);
      return new Promise((resolve) => o?.signal?.addEventListener('abort', () => {
        killed.push(argv.join(' '));
        resolve({ code: null, stdout: '', stderr: '', timedOut: false, truncated: false, notFound: false });
      }, { once: true }));
    };
    const timers = new FakeTimers(T0);
    const { m, store } = await monitorWith(config(), { ...io, run }, timers);
    await m.start();
    await timers.advance(60_000 + 31_000);
    const r = (await latestReport(store.db, 'mail'))!.report!;
    assert.equal(r.status, 'unknown');
    assert.ok(r.findings.some((f) => f.id === 'monitor.run-deadline'), r.findings.map((f) => f.id).join(' '));
    assert.deepEqual(killed, ['/usr/sbin/postqueue -j'], 'the program got the run\'s signal');
    await m.stop();
    await store.close();
  });
});
