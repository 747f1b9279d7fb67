// `serve` on the built-in lab over real HTTP: health, the overview, check now with progress,
// a stored run and its report, findings grouped by family, certificate and DNSBL state,
// /metrics (promtool when installed), /probe with its allow-list (SSRF), the token/CSRF
// rules, silences, and server-sent events.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { startServe } from '../src/monitor/serve.js';
import type { ServeHandle } from '../src/monitor/serve.js';
import { httpRequest, type HttpAnswer } from './helpers/http-request.js';

let h: ServeHandle;
let base: string;
let token: string;
const logs: string[] = [];

function request(path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return httpRequest(`${base}${path}`, o);
}

const auth = () => ({ Authorization: `Bearer ${token}` });

async function checkNow(target: string) {
  const r = await request(`/api/v1/targets/${target}/check`, { method: 'POST', headers: auth() });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.headers.location, `/api/v1/jobs/${r.json.job.id}`);
  for (let i = 0; i < 600; i++) {
    const j = await request(r.headers.location!);
    if (j.json.job.finishedAt) return j.json.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the job did not finish');
}

describe('serve on the built-in lab', () => {
  before(async () => {
    h = await startServe({ listen: '127.0.0.1:0', io: { readText: () => '', env: {} }, log: (l) => logs.push(l), schedule: false, only: ['healthy.test', 'smtp-expired.test', 'dnsbl-listed.test'] });
    base = h.http!.url;
    token = (await request('/api/v1/session')).json.token;
  });
  after(async () => { await h?.close(); });

  test('healthz, status and the session token on loopback', async () => {
    const r = await request('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ok');
    const s = await request('/api/v1/status');
    assert.equal(s.json.lab, true);
    assert.equal(s.json.store.kind, 'sqlite');
    assert.match(token, /^[A-Za-z0-9_-]{40,}$/);
  });

  test('targets start pending; unknown target is 404 with the fix', async () => {
    const r = await request('/api/v1/targets');
    assert.deepEqual(r.json.targets.map((t: any) => [t.name, t.status]).sort(), [['dnsbl-listed.test', 'pending'], ['healthy.test', 'pending'], ['smtp-expired.test', 'pending']]);
    const n = await request('/api/v1/targets/nosuch.test');
    assert.equal(n.status, 404);
    assert.match(n.json.error.message, /GET \/api\/v1\/targets lists them/);
  });

  test('state-changing requests need the token; cross-site and rebinding requests are refused', async () => {
    assert.equal((await request('/api/v1/targets/healthy.test/check', { method: 'POST' })).status, 401);
    assert.equal((await request('/api/v1/targets/healthy.test/check', { method: 'POST', headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const cross = await request('/api/v1/targets/healthy.test/check', { method: 'POST', headers: { ...auth(), Origin: 'https://evil.example' } });
    assert.equal(cross.status, 403);
    const rebinding = await request('/api/v1/session', { headers: { Host: 'evil.example:9723' } });
    assert.equal(rebinding.status, 403, 'a hostile name re-pointed at 127.0.0.1 must not read the session token');
    assert.equal((await request('/api/v1/silences', { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{"target":"x","duration":"1h"}' })).status, 415);
    assert.equal((await request('/api/v1/targets', { method: 'DELETE', headers: auth() })).status, 405);
  });

  test('check now: job progress, the stored run, findings by family, the report', async () => {
    const job = await checkNow('healthy.test');
    assert.equal(job.state, 'done', JSON.stringify(job));
    assert.ok(job.progress.total > 10 && job.progress.done === job.progress.total);
    const d = await request('/api/v1/targets/healthy.test');
    assert.ok(['ok', 'info'].includes(d.json.target.status), JSON.stringify(d.json.target.worstFinding));
    assert.equal(d.json.target.worstFinding, null);
    assert.ok(d.json.families.some((f: any) => f.family === 'spf' && f.findings.length));
    assert.ok(d.json.target.certificate.daysLeft > 30);
    const runs = await request('/api/v1/targets/healthy.test/runs');
    assert.equal(runs.json.runs.length, 1);
    assert.equal(runs.json.runs[0].trigger, 'manual');
    const run = await request(`/api/v1/runs/${job.runId}`);
    assert.equal(run.json.report.schema, 'mxdoctor.report/v1');
    assert.equal(run.json.report.target, 'healthy.test');
    const changes = await request('/api/v1/targets/healthy.test/changes');
    assert.ok(changes.json.changes.some((c: any) => c.kind === 'status' && c.from === null));
    const series = await request('/api/v1/targets/healthy.test/series?metric=check_duration_seconds');
    assert.equal(series.json.t.length, 1);
  });

  test('an expired certificate and a DNSBL listing show in the overview and in /metrics', async () => {
    await checkNow('smtp-expired.test');
    await checkNow('dnsbl-listed.test');
    const list = (await request('/api/v1/targets')).json.targets;
    const expired = list.find((t: any) => t.name === 'smtp-expired.test');
    assert.ok(expired.certificate.daysLeft < 0, JSON.stringify(expired.certificate));
    assert.equal(expired.status, 'critical');
    assert.ok(expired.openIncident, 'a critical run opens an incident');
    const listed = list.find((t: any) => t.name === 'dnsbl-listed.test');
    assert.equal(listed.dnsbl.state, 'listed');
    assert.ok(listed.dnsbl.listedOn.length >= 1);
    const m = await request('/metrics');
    assert.match(m.headers['content-type']!, /text\/plain/);
    assert.match(m.text, /mxdoctor_target_status\{target="healthy.test",module="default",status="(ok|info)"\} 1/);
    assert.match(m.text, /mxdoctor_target_up\{target="smtp-expired.test",module="default"\} 0/);
    assert.match(m.text, /mxdoctor_dnsbl_listed\{target="dnsbl-listed.test",zone="[^"]+"\} 1/);
    assert.match(m.text, /mxdoctor_cert_expiry_timestamp_seconds\{target="smtp-expired.test"\} \d+/);
    assert.doesNotMatch(m.text, /title|detail|@/, 'no finding text or addresses in labels');
    const promtool = spawnSync('promtool', ['--version']);
    if (promtool.status === 0) {
      const file = `${mkdtempSync('/tmp/mxdoctor-metrics-')}/metrics.txt`;
      writeFileSync(file, m.text);
      const r = spawnSync('sh', ['-c', `promtool check metrics < ${file}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, `promtool check metrics: ${r.stdout}${r.stderr}`);
    }
  });

  test('/probe: configured modules and allowed targets only (no open proxy)', async () => {
    const ok = await request('/probe?target=healthy.test&module=default');
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /^probe_success 1$/m);
    assert.match(ok.text, /^probe_duration_seconds [\d.]+$/m);
    const bad = await request('/probe?target=smtp-expired.test');
    assert.match(bad.text, /^probe_success 0$/m);
    for (const t of ['127.0.0.1:25', 'evil.example', '169.254.169.254', '[::1]:25', 'healthy.test.evil.example', 'x%0aprobe_success%201']) {
      const r = await request(`/probe?target=${t}`);
      assert.ok(r.status === 403 || r.status === 400, `${t}: ${r.status} ${r.text}`);
      assert.doesNotMatch(r.text, /probe_success/);
    }
    assert.equal((await request('/probe?target=healthy.test&module=nosuch')).status, 403);
    assert.equal((await request('/probe')).status, 400);
  });

  test('silences: create, list, end, end again is a conflict', async () => {
    const c = await request('/api/v1/silences', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ target: '*.test', duration: '2h', comment: 'moving the MX' }) });
    assert.equal(c.status, 201, c.text);
    const id = c.json.silence.id;
    assert.equal(c.json.silence.active, true);
    assert.equal((await request('/api/v1/silences')).json.silences[0].id, id);
    assert.equal((await request(`/api/v1/silences/${id}`, { method: 'DELETE', headers: auth() })).status, 204);
    assert.equal((await request(`/api/v1/silences/${id}`, { method: 'DELETE', headers: auth() })).status, 409);
    const bad = await request('/api/v1/silences', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{"target":"x"}' });
    assert.equal(bad.status, 400);
  });

  test('server-sent events announce the job and the run', async () => {
    const events: string[] = [];
    const got = new Promise<void>((resolve, reject) => {
      const req = http.get(`${base}/api/v1/events`, (res) => {
        assert.match(res.headers['content-type']!, /text\/event-stream/);
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          for (const m of d.matchAll(/^event: (\w+)$/gm)) events.push(m[1]!);
          if (events.includes('run') && events.includes('target')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (events.includes('target') ? resolve() : reject(e)));
    });
    await new Promise((r) => setTimeout(r, 100));
    await request('/api/v1/targets/healthy.test/check', { method: 'POST', headers: auth() });
    await got;
    assert.ok(events.includes('job'));
    assert.ok(events.includes('target'));
  });
});
