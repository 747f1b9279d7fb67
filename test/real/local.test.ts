// The real-server suite, host part: `mxdoctor check --local` on the machine running the lab's
// Postfix instances and Dovecot (test/lab/start-mail.sh), pointed at one instance with
// --postfix-config, at the lab's dovecot.conf, its mail store and the instance's maillog.
// Proves it reads the real queue (never.mail-lab.test: deferred and held mail), the disk space
// of the queue and the mail store, that the Postfix master and Dovecot run (the pids their own
// pid files hold), the certificate files the configurations name (valid until 2124; the
// expired-cert instance's expired in 2021), and the log's problems (never's pile-up); and that
// a configuration whose Postfix is not running is reported down, its queue unreadable.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOVECOT_CONF, MAIL_RUN, maillog, mustHave, mustNotHave, mxJson, postfixEtc, requireMailLab, show, type Finding, type Report } from '../helpers/real-lab.js';

const MAIL_STORE = join(MAIL_RUN, 'dovecot', 'home');
const CERTS = join(MAIL_RUN, 'certs');
const local = (etc: string, log: string) =>
  mxJson(['check', '--local', '--postfix-config', etc, '--dovecot-config', DOVECOT_CONF, '--mail-store', MAIL_STORE, '--log', log], { timeoutMs: 60_000 });
const all = (rep: Report, id: string) => rep.findings.filter((f) => f.id === id);
const pidOf = (file: string) => Number(readFileSync(file, 'utf8').trim());
const pids = (f: Finding) => (f.evidence?.pids ?? []) as number[];

describe('mxdoctor check --local on the lab machine', () => {
  before(() => requireMailLab(['127.0.2.40:25', '127.0.2.10:25', '127.0.2.1:993']));

  test('never.mail-lab.test: queue, disk, daemons, certificates and the log\'s pile-up', async () => {
    const { rep, code } = await local(postfixEtc('never'), maillog('never'));
    assert.equal(rep.kind, 'local');
    // The queue, as `mxdoctor queue` reads it: start-up's deferred messages and the held one.
    mustHave(rep, 'queue.hold', 'warning');
    assert.ok(rep.facts?.queue?.byQueue?.deferred >= 20, JSON.stringify(rep.facts?.queue?.byQueue));
    // Disk and inode space: the instance's queue directory and the mail store.
    const disk = all(rep, 'host.disk-ok').map((f) => JSON.stringify(f));
    assert.ok(disk.some((d) => d.includes(join(MAIL_RUN, 'postfix-never', 'queue'))), `no disk finding for never's queue:\n${disk.join('\n')}`);
    assert.ok(disk.some((d) => d.includes('dovecot/home')), `no disk finding for the mail store:\n${disk.join('\n')}`);
    mustNotHave(rep, 'host.mail-store-unknown');
    // The daemons: the very processes the pid files name.
    const running = all(rep, 'host.daemon-running');
    const postfixPid = pidOf(join(MAIL_RUN, 'postfix-never', 'queue', 'pid', 'master.pid'));
    const dovecotPid = pidOf(join(MAIL_RUN, 'dovecot', 'base', 'master.pid'));
    assert.ok(running.some((f) => pids(f).includes(postfixPid)), `never's master (pid ${postfixPid}) not seen:\n${show(running)}`);
    assert.ok(running.some((f) => pids(f).includes(dovecotPid)), `Dovecot (pid ${dovecotPid}) not seen:\n${show(running)}`);
    mustNotHave(rep, 'host.daemon-down');
    // Certificate files: never.pem (Postfix's smtpd_tls_chain_files), mx1.pem (Dovecot's ssl_cert).
    const certs = all(rep, 'host.cert-ok');
    for (const file of ['never.pem', 'mx1.pem']) {
      const f = certs.find((c) => c.subject === join(CERTS, file));
      assert.ok(f, `${file} not checked:\n${show(rep.findings)}`);
      assert.equal(f.evidence?.notAfter, '2124-01-01T00:00:00.000Z');
    }
    assert.deepEqual(rep.findings.filter((f) => /^host\.cert-/.test(f.id) && f.id !== 'host.cert-ok'), []);
    // The log: never's deliveries are deferred and never done.
    mustHave(rep, 'logs.deferred-pile-up', 'warning');
    assert.equal(code, 1, show(rep.findings));
  });

  test('the expired-cert instance: its certificate file, expired in 2021, is critical', async () => {
    const { rep, code } = await local(postfixEtc('expired'), maillog('expired'));
    const f = mustHave(rep, 'host.cert-expired', 'critical');
    assert.equal(f.subject, join(CERTS, 'expired.pem'));
    assert.equal(f.evidence?.notAfter, '2021-01-01T00:00:00.000Z');
    mustHave(rep, 'queue.empty', 'ok');
    assert.equal(code, 2);
  });

  test('mx1 (delivering into Dovecot): empty queue, nothing critical', async () => {
    const { rep } = await local(postfixEtc('mx1'), maillog('mx1'));
    mustHave(rep, 'queue.empty', 'ok');
    const critical = rep.findings.filter((f) => f.severity === 'critical');
    assert.deepEqual(critical, [], show(critical));
  });

  test('without --dovecot-config: the running Dovecot\'s own -c configuration is read (its certificate), not /etc/dovecot', async () => {
    // never's Postfix uses never.pem, so mx1.pem can only come from Dovecot's configuration.
    const { rep } = await mxJson(['check', '--local', '--postfix-config', postfixEtc('never'), '--mail-store', MAIL_STORE, '--log', maillog('never')], { timeoutMs: 60_000 });
    assert.deepEqual(rep.facts?.local?.dovecotConfig, { file: DOVECOT_CONF, from: 'the running dovecot -c' });
    const f = all(rep, 'host.cert-ok').find((c) => c.subject === join(CERTS, 'mx1.pem'));
    assert.ok(f, `Dovecot's mx1.pem not checked:\n${show(rep.findings)}`);
    assert.equal(f.evidence?.source, 'dovecot ssl_cert');
  });

  test('a Postfix configuration whose master is not running: daemon down, queue unreadable (not empty)', async () => {
    // mx2's configuration with a queue directory no master serves.
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-stopped-postfix-'));
    try {
      mkdirSync(join(dir, 'etc'));
      mkdirSync(join(dir, 'queue'));
      const main = readFileSync(join(postfixEtc('mx2'), 'main.cf'), 'utf8').replace(/^queue_directory = .*$/m, `queue_directory = ${join(dir, 'queue')}`);
      writeFileSync(join(dir, 'etc', 'main.cf'), main);
      copyFileSync(join(postfixEtc('mx2'), 'master.cf'), join(dir, 'etc', 'master.cf'));
      const { rep, code } = await local(join(dir, 'etc'), maillog('mx2'));
      const down = mustHave(rep, 'host.daemon-down', 'critical');
      assert.match(down.subject ?? '', /postfix/);
      mustHave(rep, 'queue.read-failed', 'unknown');
      mustNotHave(rep, 'queue.empty');
      assert.equal(code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
