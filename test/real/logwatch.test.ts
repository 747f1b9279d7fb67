// The real-server suite, live log watch part: `serve` with a log target on the logs the
// lab's real Postfix instances (maillog_file) and Dovecot (log_path) write while the test
// talks to them (a relay attempt over STARTTLS, an IMAP login and a failed one). The counters
// on /api/v1/logs and /metrics must equal the raw lines between the read positions serve
// reports before and after, and every line must be understood.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imapLogin, smtpRelayAttemptWithStarttls } from '../helpers/lab-traffic.js';
import { startServe, type ServeHandle } from '../../src/monitor/serve.js';
import { MAIL_RUN, requireMailLab } from '../helpers/real-lab.js';

const TAG = `logwatch-test-${process.pid}`;
const files = () => [
  ...readdirSync(MAIL_RUN).filter((d) => d.startsWith('postfix-')).map((d) => join(MAIL_RUN, d, 'maillog')).filter(existsSync),
  join(MAIL_RUN, 'dovecot', 'dovecot.log'),
];

interface LogsTarget { files: { path: string; offset: number | null }[]; counters: { name: string; labels: Record<string, string>; value: number }[]; findings: { id: string }[]; status: string }

describe('serve: live log watch of the real lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-real-logwatch-'));
  let h: ServeHandle;
  const logs = async (): Promise<LogsTarget> => ((await (await fetch(`${h.http!.url}/api/v1/logs`)).json()) as { targets: LogsTarget[] }).targets[0]!;
  before(async () => {
    await requireMailLab(['127.0.2.1:25', '127.0.2.1:993']);
    writeFileSync(join(dir, 'serve.yaml'), `store: { path: store.db }\ntargets:\n  - name: lab-logs\n    log_files: [${files().join(', ')}]\n    interval: 1h\n`);
    h = await startServe({ configFile: join(dir, 'serve.yaml'), listen: '127.0.0.1:0', io: { readText: (p) => readFileSync(p, 'utf8'), env: {} }, log: () => {}, schedule: false });
  });
  after(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('counters equal the raw lines between the read positions; every line understood', async () => {
    const start = await logs();
    assert.ok(start.files.every((f) => f.offset !== null), JSON.stringify(start.files));
    await smtpRelayAttemptWithStarttls(TAG, 'logwatch-test.invalid');
    assert.match(await imapLogin('lab-password'), /^a1 OK/m);
    assert.match(await imapLogin('wrong-password'), /^a1 NO/m);
    // postlogd and Dovecot's log process write asynchronously; serve reads every second.
    let now = start;
    const value = (t: LogsTarget, name: string, labels: Record<string, string> = {}) => t.counters.find((c) => c.name === name && JSON.stringify(c.labels) === JSON.stringify(labels))?.value ?? 0;
    for (let i = 0; i < 100; i++) {
      now = await logs();
      if (value(now, 'postfix_smtpd_messages_rejected_total', { code: '554' }) >= 1 && value(now, 'mxdoctor_log_auth_failures_total', { service: 'imap' }) >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const raw = now.files.map((f, i) => readFileSync(f.path).subarray(start.files[i]!.offset!, f.offset!).toString('utf8')).join('');
    assert.ok(raw.includes(`<${TAG}@example.net>: Relay access denied`), 'our rejected RCPT is in the lines read');
    const lines = (re: RegExp) => raw.split('\n').filter((l) => re.test(l)).length;
    const sum = (name: string) => now.counters.filter((c) => c.name === name).reduce((n, c) => n + c.value, 0);
    assert.equal(sum('postfix_smtpd_connects_total'), lines(/\/smtpd\[\d+\]: connect from /));
    assert.equal(sum('postfix_smtpd_messages_rejected_total'), lines(/\/smtpd\[\d+\]: (?:NOQUEUE|[0-9A-F]+): reject: /));
    assert.ok(value(now, 'postfix_smtpd_messages_rejected_total', { code: '554' }) >= 1);
    assert.equal(value(now, 'mxdoctor_log_logins_total', { service: 'imap' }), lines(/imap-login: Info: Login: /));
    assert.ok(value(now, 'mxdoctor_log_auth_failures_total', { service: 'imap' }) >= 1, 'the wrong password is an IMAP auth failure');
    assert.equal(sum('mxdoctor_log_lines_total'), raw.split('\n').filter(Boolean).length, 'every line read is counted once');
    assert.equal(value(now, 'mxdoctor_log_lines_total', { result: 'unparsed' }), 0, 'every Postfix and Dovecot line understood');
    assert.equal(value(now, 'mxdoctor_log_lines_total', { result: 'garbage' }), 0);
    assert.ok(!now.findings.some((f) => f.id === 'logs.nothing-understood' || f.id.startsWith('logwatch.file-')), JSON.stringify(now.findings.map((f) => f.id)));
    const metrics = await (await fetch(`${h.http!.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`^postfix_smtpd_messages_rejected_total\\{code="554",target="lab-logs"\\} ${value(now, 'postfix_smtpd_messages_rejected_total', { code: '554' })}$`, 'm'));
  });
});
