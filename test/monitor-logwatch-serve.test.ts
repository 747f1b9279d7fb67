// serve with a log target over real HTTP: lines appended to the watched file reach
// /api/v1/logs (findings and counters), /metrics (postfix_exporter names, promtool-clean when
// installed), the stored run's findings, and the event stream's `alert` event when the
// detectors' critical finding fires a rule.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { startServe, type ServeHandle } from '../src/monitor/serve.js';
import { httpRequest, type HttpAnswer } from './helpers/http-request.js';

const dir = mkdtempSync(join(tmpdir(), 'mxd-logserve-'));
const log = join(dir, 'mail.log');
let h: ServeHandle;
let base: string;
let token: string;
const events: { event: string; data: any }[] = [];
let stream: http.ClientRequest | undefined;

function get(path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  return httpRequest(`${base}${path}`, o);
}

async function checkNow(target: string) {
  const r = await get(`/api/v1/targets/${encodeURIComponent(target)}/check`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 600; i++) {
    const j = await get(r.headers.location!);
    if (j.json.job.finishedAt) return j.json.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the job did not finish');
}

async function waitFor<T>(what: string, f: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const L = (t: string, prog: string, text: string) => `Dec  8 ${t} mail ${prog}: ${text}\n`;

describe('serve: a log target', () => {
  before(async () => {
    writeFileSync(log, L('04:00:00', 'postfix/smtpd[1]', 'connect from old.example[192.0.2.1]'));
    writeFileSync(join(dir, 'serve.yaml'), [
      'store: { path: store.db }',
      'targets:',
      '  - name: maillog',
      '    log_files: [mail.log]',
      '    interval: 1h',
      'alerts:',
      '  rules:',
      '    - { name: broken, severity: critical, channels: [noop] }',
      'channels:',
      `  noop: { type: command, argv: [${process.execPath}, -e, "0"] }`,
    ].join('\n'));
    h = await startServe({ configFile: join(dir, 'serve.yaml'), listen: '127.0.0.1:0', io: { readText: (p) => readFileSync(p, 'utf8'), env: {} }, log: () => {}, schedule: false });
    base = h.http!.url;
    token = (await get('/api/v1/session')).json.token;
    // The event stream, read as the dashboard does.
    stream = http.get(`${base}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      });
    });
    stream.on('error', () => {});
  });
  after(async () => {
    stream?.destroy();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('appended lines reach /api/v1/logs, /metrics, the run and the alert event', async () => {
    appendFileSync(log, L('04:01:00', 'postfix/smtpd[2]', 'connect from a.example[192.0.2.2]')
      + L('04:01:01', 'postfix/smtpd[2]', 'NOQUEUE: reject: RCPT from a.example[192.0.2.2]: 554 5.7.1 <x@example.org>: Relay access denied; from=<s@a.example> to=<x@example.org> proto=ESMTP helo=<a>')
      + L('04:01:02', 'postfix/master[3]', 'fatal: bind 0.0.0.0 port 25: Address already in use')
      + 'not a log line at all\n');
    const job = await checkNow('maillog');
    const run = await get(`/api/v1/runs/${job.runId}`);
    assert.equal(run.status, 200, run.text);
    assert.equal(run.json.run.status, 'critical');
    assert.ok(run.json.report.findings.some((f: any) => f.id === 'logs.fatal'), 'the stored run holds the detectors\' finding');
    assert.equal(run.json.report.facts.logwatch.counters['postfix_smtpd_connects_total'], 1);

    const logs = await get('/api/v1/logs');
    assert.equal(logs.status, 200);
    const t = logs.json.targets.find((x: any) => x.target === 'maillog');
    assert.ok(t.findings.some((f: any) => f.id === 'logs.fatal'), JSON.stringify(t.findings.map((f: any) => f.id)));
    const counter = (name: string, labels: Record<string, string> = {}) => t.counters.find((c: any) => c.name === name && JSON.stringify(c.labels) === JSON.stringify(labels))?.value;
    assert.equal(counter('postfix_smtpd_connects_total'), 1, 'the line before serve started is not counted (log_start: end)');
    assert.equal(counter('postfix_smtpd_messages_rejected_total', { code: '554' }), 1);
    assert.equal(counter('mxdoctor_log_lines_total', { result: 'garbage' }), 1);
    assert.equal(t.files[0].offset, readFileSync(log).length);
    assert.equal(t.window.lines, 4);
    assert.equal(t.totals.rejected, 1);

    const metrics = await get('/metrics');
    assert.match(metrics.text, /^postfix_smtpd_messages_rejected_total\{code="554",target="maillog"\} 1$/m);
    assert.match(metrics.text, /^mxdoctor_log_problems_total\{level="fatal",target="maillog"\} 1$/m);
    assert.doesNotMatch(metrics.text, /example\.org|192\.0\.2/, 'no address in any label');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics.text, encoding: 'utf8' });
    if (!promtool.error) assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);

    const alert = await waitFor('the alert event', () => events.find((e) => e.event === 'alert'));
    assert.equal(alert.data.event, 'firing');
    assert.equal(alert.data.id, 'broken/maillog');
    assert.equal(alert.data.severity, 'critical');
  });

  test('the API 404s for an unknown log target', async () => {
    const r = await get('/api/v1/logs?target=nosuch');
    assert.equal(r.status, 404);
    assert.match(r.json.error?.message ?? r.text, /no log target named "nosuch"/);
  });
});
