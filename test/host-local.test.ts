// `check --local` without touching the machine: a scripted runner (postconf, postqueue,
// doveconf, exim), an in-memory file system (statfs, /proc, certificate files) and a fixed
// clock; the log part runs the real `mxdoctor logs` detectors on a fixture log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixedClock } from '../src/io/clock.js';
import { locator } from '../src/host/locate.js';
import { localReport } from '../src/services/local.js';
import type { HostIo } from '../src/services/queue.js';
import type { LocalFacts } from '../src/host/local.js';
import type { LogReader } from '../src/host/recent-logs.js';
import { readRecentLogs } from '../src/services/logs.js';
import type { Report } from '../src/core/report.js';
import type { SpaceInfo } from '../src/io/host-fs.js';
import { fakeFs, fakeRunner, fixture, procFiles, space, type Script } from './fixtures/queue/fake-host.js';

const cert = (name: string) => readFileSync(new URL(`./fixtures/certs/${name}`, import.meta.url), 'utf8');
const NOW = (1795811340 + 600) * 1000;
const POSTCONF = 'postconf -x queue_directory smtpd_tls_cert_file smtpd_tls_eccert_file smtpd_tls_dcert_file smtpd_tls_chain_files maillog_file multi_instance_directories';

interface World {
  scripts?: Record<string, Script>;
  executables?: string[];
  files?: Record<string, string>;
  dirs?: Record<string, string[]>;
  statfs?: Record<string, SpaceInfo>;
  errors?: Record<string, string>;
  procs?: Record<number, string>;
  now?: number;
}

/** A healthy Debian mail server: Postfix + Dovecot, both running, enough space, valid certificates. */
function healthy(): World {
  return {
    executables: ['/usr/sbin/postconf', '/usr/sbin/postqueue', '/usr/bin/doveconf'],
    scripts: {
      [POSTCONF]: { stdout: 'queue_directory = /var/spool/postfix\nsmtpd_tls_cert_file =\nsmtpd_tls_eccert_file =\nsmtpd_tls_dcert_file =\nsmtpd_tls_chain_files = /etc/ssl/mail/key.pem, /etc/ssl/mail/chain.pem\nmaillog_file =\nmulti_instance_directories =\n' },
      'postqueue -j': { stdout: fixture('postfix-mixed.jsonl') },
      'doveconf -h mail_location': { stdout: 'maildir:/var/vmail/%d/%n/Maildir:LAYOUT=fs\n' },
      'doveconf -h ssl_cert': { stdout: '</etc/dovecot/cert.pem\n' },
    },
    files: {
      // Postfix allows the key in a file of its own, listed before the certificate chain.
      '/etc/ssl/mail/key.pem': cert('valid-key.pem'),
      '/etc/ssl/mail/chain.pem': `${cert('valid-key.pem')}${cert('valid.pem')}`,
      '/etc/dovecot/cert.pem': cert('valid-rsa.pem'),
      '/var/spool/postfix/pid/master.pid': '           1234\n',
    },
    dirs: { '/var/spool/postfix/corrupt': [] },
    statfs: { '/var/spool/postfix': space(40), '/var/vmail': space(50) },
    procs: { 1: 'systemd', 1234: 'master', 1240: 'qmgr', 2000: 'dovecot', 2001: 'imap-login' },
  };
}

function hostIo(w: World): HostIo & { run: ReturnType<typeof fakeRunner> } {
  const proc = procFiles(w.procs ?? {});
  const fs = fakeFs({ files: { ...proc.files, ...w.files }, dirs: { ...proc.dirs, ...w.dirs }, statfs: w.statfs, executables: w.executables, errors: w.errors });
  return { run: fakeRunner(w.scripts ?? {}), fs, clock: fixedClock(w.now ?? NOW), locate: locator(fs, '/usr/bin:/bin'), hostname: 'mail.test' };
}

const noLogs: LogReader = async () => { throw new Error('no log should be read'); };
const ids = (r: Report, area?: string) => r.findings.filter((f) => !area || f.area === area).map((f) => f.id).sort();
const local = (r: Report) => r.facts!.local as LocalFacts;

test('a healthy server: queue, space, daemons and certificates all found and judged', async () => {
  const h = hostIo(healthy());
  const r = await localReport({}, h, noLogs);
  assert.equal(r.kind, 'local');
  assert.deepEqual(ids(r, 'Queue'), ['queue.hold', 'queue.size-ok']);
  assert.deepEqual(ids(r, 'Host'), ['host.cert-ok', 'host.cert-ok', 'host.daemon-running', 'host.daemon-running', 'host.disk-ok', 'host.disk-ok']);
  assert.deepEqual(ids(r, 'Logs'), ['host.log-unavailable']);
  const l = local(r);
  assert.equal(l.mta, 'postfix');
  assert.deepEqual(l.disks.map((d) => [d.role, d.path, d.usedPercent]), [['Postfix queue', '/var/spool/postfix', 40], ['mail store', '/var/vmail', 50]]);
  assert.deepEqual(l.daemons.map((d) => [d.service, d.running, d.pids]), [['postfix', true, [1234]], ['dovecot', true, [2000]]]);
  assert.deepEqual(l.certificates.map((c) => [c.file, c.source, c.state]), [['/etc/ssl/mail/chain.pem', 'postfix default smtpd_tls_chain_files', 'valid'], ['/etc/dovecot/cert.pem', 'dovecot ssl_cert', 'valid']]);
  assert.equal((r.facts!.queue as { total: number }).total, 9);
  assert.equal(r.exitCode, 1, 'the held messages are the one warning');

  const nonRoot = healthy();
  nonRoot.errors = { '/etc/ssl/mail/key.pem': 'EACCES' };
  const n = await localReport({}, hostIo(nonRoot), noLogs);
  assert.ok(!ids(n).includes('host.cert-unreadable'), 'an unreadable private key file is not a certificate problem');

  const corrupt = healthy();
  corrupt.dirs = { '/var/spool/postfix/corrupt': ['4Q8Zk21lPRz9vBG', '4Q8Zk35m0Rz9vBH'] };
  const c = await localReport({}, hostIo(corrupt), noLogs);
  assert.match(c.findings.find((f) => f.id === 'queue.corrupt')!.detail!, /^2 corrupt queue file/);
});

test('disk space and inodes: warning at 85%, critical at 95%, 452 4.3.1 named; statfs failures are unknown', async () => {
  const w = healthy();
  w.statfs = { '/var/spool/postfix': space(96), '/var/vmail': space(50, 88) };
  const r = await localReport({}, hostIo(w), noLogs);
  const disk = r.findings.find((f) => f.id === 'host.disk-low')!;
  assert.equal(disk.severity, 'critical');
  assert.match(disk.detail!, /96% used.*452 4\.3\.1 Insufficient system storage/);
  const inodes = r.findings.find((f) => f.id === 'host.inodes-low')!;
  assert.equal(inodes.severity, 'warning');
  assert.equal(inodes.subject, 'mail store /var/vmail');
  const custom = await localReport({ diskWarn: 30, diskCrit: 45 }, hostIo(healthy()), noLogs);
  assert.deepEqual(custom.findings.filter((f) => f.id === 'host.disk-low').map((f) => [f.subject, f.severity]).sort(), [['Postfix queue /var/spool/postfix', 'warning'], ['mail store /var/vmail', 'critical']]);
  await assert.rejects(localReport({ diskWarn: 90, diskCrit: 80 }, hostIo(healthy()), noLogs), /--disk-crit 80 must be greater than --disk-warn 90/);

  const broken = healthy();
  broken.errors = { '/var/spool/postfix': 'EACCES' };
  broken.statfs = { '/var/vmail': space(10), '/srv': space(20) };
  const b = await localReport({ mailStore: ['/srv/mail/not-yet'] }, hostIo(broken), noLogs);
  assert.equal(b.findings.find((f) => f.id === 'host.disk-unreadable')!.subject, 'Postfix queue /var/spool/postfix');
  const store = local(b).disks.find((d) => d.path === '/srv/mail/not-yet')!;
  assert.equal(store.measured, '/srv', 'a missing directory is measured at its nearest existing parent');
});

test('mail daemons not running are critical; an unreadable /proc is unknown', async () => {
  const w = healthy();
  w.procs = { 1: 'systemd', 77: 'sshd' };
  w.files!['/var/spool/postfix/pid/master.pid'] = '  4321\n';
  const r = await localReport({}, hostIo(w), noLogs);
  const down = r.findings.filter((f) => f.id === 'host.daemon-down');
  assert.deepEqual(down.map((f) => [f.subject, f.severity]), [['postfix', 'critical'], ['dovecot', 'critical']]);
  assert.equal(r.exitCode, 2);

  const noPid = healthy();
  delete noPid.files!['/var/spool/postfix/pid/master.pid'];
  noPid.procs = { 1: 'systemd', 999: 'master', 2000: 'dovecot' };
  const np = await localReport({}, hostIo(noPid), noLogs);
  assert.deepEqual(np.findings.filter((f) => f.id.startsWith('host.daemon')).map((f) => f.id), ['host.daemon-down', 'host.daemon-running'], 'no pid file: this instance is not running even if another master is');

  const hidden = healthy();
  hidden.errors = { '/var/spool/postfix/pid/master.pid': 'EACCES' };
  const hd = await localReport({}, hostIo(hidden), noLogs);
  assert.equal(local(hd).daemons[0]!.running, true, 'an unreadable pid file falls back to the process name');

  const noProc = healthy();
  noProc.errors = { '/proc': 'ENOENT' };
  const p = await localReport({}, hostIo(noProc), noLogs);
  assert.ok(ids(p).includes('host.proc-unreadable'));
  assert.ok(!ids(p).includes('host.daemon-down'));
});

test('certificate files: expired, expiring (warning / critical), missing, unreadable, not a certificate', async () => {
  const w = healthy();
  w.files!['/etc/dovecot/cert.pem'] = cert('expired.pem');
  w.files!['/etc/ssl/extra-future.pem'] = cert('not-yet-valid.pem');
  w.files!['/etc/ssl/garbage.pem'] = 'not a certificate\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  w.errors = { '/etc/ssl/private.pem': 'EACCES' };
  const r = await localReport({ certFile: ['/etc/ssl/extra-future.pem', '/etc/ssl/garbage.pem', '/etc/ssl/private.pem', '/etc/ssl/gone.pem'] }, hostIo(w), noLogs);
  const by = (file: string) => r.findings.find((f) => f.subject === file)!;
  assert.equal(by('/etc/dovecot/cert.pem').id, 'host.cert-expired');
  assert.match(by('/etc/dovecot/cert.pem').detail!, /CN=expired\.tls\.test \(dovecot ssl_cert\) expired on 2021-01-01/);
  assert.equal(by('/etc/ssl/extra-future.pem').id, 'host.cert-expired');
  assert.equal(by('/etc/ssl/garbage.pem').id, 'host.cert-invalid');
  assert.equal(by('/etc/ssl/private.pem').id, 'host.cert-unreadable');
  assert.equal(by('/etc/ssl/private.pem').severity, 'unknown');
  assert.equal(by('/etc/ssl/gone.pem').id, 'host.cert-missing');

  const soon = healthy();
  soon.now = Date.parse('2123-12-20T00:00:00Z');
  const s = await localReport({}, hostIo(soon), noLogs);
  assert.deepEqual(s.findings.filter((f) => f.id === 'host.cert-expiring').map((f) => f.severity), ['warning', 'warning']);
  const crit = await localReport({ certWarnDays: 60, certCritDays: 20 }, hostIo(soon), noLogs);
  assert.deepEqual(crit.findings.filter((f) => f.id === 'host.cert-expiring').map((f) => f.severity), ['critical', 'critical']);
});

test('no mail software here: unknown, and nothing is called "empty"', async () => {
  const r = await localReport({}, hostIo({ procs: { 1: 'init' } }), noLogs);
  assert.deepEqual(ids(r), ['host.log-unavailable', 'host.no-mail-software']);
  assert.equal(r.exitCode, 3);
  assert.equal(r.facts!.queue, undefined);
});

test('configuration that cannot be read, Dovecot 2.4 setting names, mail in home directories', async () => {
  const w = healthy();
  w.scripts![POSTCONF] = { code: 1, stderr: 'postconf: fatal: open /etc/postfix/main.cf: No such file or directory\n' };
  w.scripts!['doveconf -h mail_location'] = { code: 89, stderr: 'doveconf: Fatal: Unknown setting: mail_location\n' };
  w.scripts!['doveconf -h mail_path'] = { stdout: '~/Maildir\n' };
  w.scripts!['doveconf -h ssl_cert'] = { code: 89, stderr: 'doveconf: Fatal: Unknown setting: ssl_cert\n' };
  w.scripts!['doveconf -h ssl_server_cert_file'] = { stdout: '/etc/dovecot/cert.pem\n' };
  const r = await localReport({}, hostIo(w), noLogs);
  assert.ok(ids(r).includes('host.config-unreadable'));
  assert.ok(ids(r).includes('host.mail-store-unknown'));
  assert.ok(local(r).certificates.some((c) => c.file === '/etc/dovecot/cert.pem'), 'the 2.4 name ssl_server_cert_file was asked');
  assert.deepEqual(local(r).postfixInstances, [{ config: 'default', queueDirectory: undefined, error: local(r).postfixInstances[0]!.error }]);
  const withStore = await localReport({ mailStore: ['/var/vmail'] }, hostIo(w), noLogs);
  assert.ok(!ids(withStore).includes('host.mail-store-unknown'), '--mail-store answers the question');
});

test('Postfix multi-instance: the default lists the others; each instance is checked', async () => {
  const w = healthy();
  w.scripts![POSTCONF] = { stdout: 'queue_directory = /var/spool/postfix\nmulti_instance_directories = /etc/postfix-out\n' };
  w.scripts![POSTCONF.replace('postconf', 'postconf -c /etc/postfix-out')] = { stdout: 'queue_directory = /var/spool/postfix-out\nsmtpd_tls_cert_file = /etc/ssl/mail/chain.pem\n' };
  w.scripts!['postqueue -c /etc/postfix-out -j'] = { stdout: fixture('postfix-hold.jsonl') };
  w.statfs!['/var/spool/postfix-out'] = space(20);
  w.files!['/var/spool/postfix-out/pid/master.pid'] = '5555\n';
  w.procs![5555] = 'master';
  const h = hostIo(w);
  const r = await localReport({}, h, noLogs);
  assert.deepEqual(local(r).postfixInstances.map((p) => p.config), ['default', '/etc/postfix-out']);
  assert.deepEqual(local(r).daemons.map((d) => [d.service, d.running]), [['postfix (default)', true], ['postfix (/etc/postfix-out)', true], ['dovecot', true]]);
  assert.equal((r.facts!.queue as { total: number }).total, 14);
  assert.equal(local(r).certificates.length, 2, 'a certificate file named twice is checked once');
});

test('Exim: spool directory, its daemon, its certificate and main log', async () => {
  const logsRead: string[][] = [];
  const reader: LogReader = async (files) => { logsRead.push(files); return { files, lines: 3, considered: 3, findings: [], warnings: [] }; };
  const r = await localReport({}, hostIo({
    executables: ['/usr/sbin/exim4'],
    scripts: {
      'exim4 -bP spool_directory tls_certificate log_file_path': { stdout: 'spool_directory = /var/spool/exim4\ntls_certificate = /etc/exim4/exim.crt\nlog_file_path = /var/log/exim4/%slog\n' },
      'exim4 -bpc': { stdout: '0\n' }, 'exim4 -bp': { stdout: '' },
    },
    files: { '/etc/exim4/exim.crt': cert('valid.pem'), '/var/log/exim4/mainlog': '2025-04-07 10:00:00 Start queue run: pid=1\n' },
    statfs: { '/var/spool/exim4': space(10) },
    procs: { 300: 'exim4' },
  }), reader);
  assert.deepEqual(ids(r), ['host.cert-ok', 'host.daemon-running', 'host.disk-ok', 'queue.empty']);
  assert.equal(local(r).eximSpool, '/var/spool/exim4');
  assert.deepEqual(logsRead, [['/var/log/exim4/mainlog']]);
});

test('recent log problems come from the logs detectors, limited by --since', async () => {
  const log = new URL('./fixtures/logs/postfix-rfc3339.log', import.meta.url).pathname;
  const all = await localReport({ log: [log], since: '2020-01-01' }, hostIo(healthy()), readRecentLogs);
  assert.deepEqual(ids(all, 'Logs'), ['logs.blacklist-block', 'logs.fatal', 'logs.mailbox-full', 'logs.unparsed-lines']);
  assert.deepEqual(local(all).logs!.files, [log]);
  assert.equal(local(all).logs!.lines, 53);
  const late = await localReport({ log: [log], since: '2025-04-07T21:00' }, hostIo(healthy()), readRecentLogs);
  assert.ok(local(late).logs!.considered < 53);
  const none = await localReport({ log: [log] }, hostIo(healthy()), readRecentLogs);
  assert.deepEqual(ids(none, 'Logs'), ['logs.no-problems'], 'the default window is the last 24 hours of the clock');
  assert.match(none.findings.find((f) => f.id === 'logs.no-problems')!.detail!, /^0 log lines in the time window/);
  await assert.rejects(localReport({ log: ['/nonexistent/mail.log'] }, hostIo(healthy()), readRecentLogs), /cannot read \/nonexistent\/mail\.log/);
});

test('the default log: Postfix maillog_file when set, else the first readable system log', async () => {
  const seen: string[][] = [];
  const reader: LogReader = async (files) => { seen.push(files); return { files, lines: 0, considered: 0, findings: [], warnings: [] }; };
  const w = healthy();
  w.scripts![POSTCONF] = { stdout: 'queue_directory = /var/spool/postfix\nmaillog_file = /var/log/postfix.log\n' };
  w.files!['/var/log/postfix.log'] = 'x\n';
  w.files!['/var/log/maillog'] = 'x\n';
  w.errors = { '/var/log/mail.log': 'EACCES' };
  await localReport({}, hostIo(w), reader);
  assert.deepEqual(seen, [['/var/log/postfix.log', '/var/log/maillog']]);
});

test('--ignore drops findings from the report and the exit code', async () => {
  const r = await localReport({ ignore: ['queue.hold'] }, hostIo(healthy()), noLogs);
  assert.deepEqual(r.ignored, { 'queue.hold': 1 });
  assert.equal(r.exitCode, 0);
});

test('a Dovecot started with -c <file> and a Postfix master with MAIL_CONFIG: their configurations are read, not the defaults', async () => {
  const w = healthy();
  w.files = {
    ...w.files,
    '/proc/2000/cmdline': '/usr/sbin/dovecot\0-c\0/srv/dovecot-b/dovecot.conf\0',
    '/proc/1234/cmdline': '/usr/lib/postfix/sbin/master\0-w\0',
    '/proc/1300/cmdline': '/usr/lib/postfix/sbin/master\0-w\0',
    '/proc/1300/environ': 'PATH=/usr/bin\0MAIL_CONFIG=/etc/postfix-out\0',
    '/srv/dovecot-b/cert.pem': cert('valid-rsa.pem'),
    '/srv/dovecot-b/dovecot.conf': 'ssl_cert = </srv/dovecot-b/cert.pem\n',
    '/var/spool/postfix-out/pid/master.pid': '1300\n',
  };
  w.procs = { ...w.procs, 1300: 'master' };
  w.scripts = {
    ...w.scripts,
    // /etc/dovecot names a certificate that is not there: reading it would be a false critical.
    'doveconf -h ssl_cert': { stdout: '</etc/dovecot/missing.pem\n' },
    'doveconf -c /srv/dovecot-b/dovecot.conf -h mail_location': { stdout: 'maildir:/var/vmail/%d/%n/Maildir\n' },
    'doveconf -c /srv/dovecot-b/dovecot.conf -h ssl_cert': { stdout: '</srv/dovecot-b/cert.pem\n' },
    [POSTCONF.replace('postconf ', 'postconf -c /etc/postfix-out ')]: { stdout: 'queue_directory = /var/spool/postfix-out\nsmtpd_tls_chain_files =\nmaillog_file =\nmulti_instance_directories =\n' },
    'postqueue -c /etc/postfix-out -j': { stdout: '' },
  };
  w.statfs = { ...w.statfs, '/var/spool/postfix-out': space(10) };
  w.dirs = { ...w.dirs, '/var/spool/postfix-out/corrupt': [] };
  const h = hostIo(w);
  const r = await localReport({}, h, noLogs);
  const l = local(r);
  assert.deepEqual(l.dovecotConfig, { file: '/srv/dovecot-b/dovecot.conf', from: 'the running dovecot -c' });
  assert.ok(l.certificates.some((c) => c.file === '/srv/dovecot-b/cert.pem' && c.state === 'valid'), JSON.stringify(l.certificates));
  assert.ok(!l.certificates.some((c) => c.file === '/etc/dovecot/missing.pem'), 'the default /etc/dovecot is not read');
  assert.deepEqual(l.postfixInstances.map((p) => p.config), ['default', '/etc/postfix-out']);
  assert.ok(!r.findings.some((f) => f.id === 'host.cert-missing' || f.severity === 'critical'), JSON.stringify(r.findings.map((f) => f.id)));
  // --dovecot-config still wins over what runs.
  const named = local(await localReport({ dovecotConfig: '/srv/dovecot-b/dovecot.conf' }, hostIo(w), noLogs));
  assert.equal(named.dovecotConfig?.from, '--dovecot-config');
});
