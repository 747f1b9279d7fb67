// The real-server suite, monitor part: `mxdoctor serve` watching the real mail lab (Postfix and
// Dovecot on 127.0.2.x, names from Knot behind Unbound), scraped by a real Prometheus (Debian's
// prometheus package): /metrics passes `promtool check metrics` and lands in Prometheus, and
// Prometheus schedules /probe blackbox-style — the healthy domain succeeds, the expired
// certificate fails, and a target outside the allow-list is refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { CA, RESOLVER } from '../helpers/real-lab.js';

const BIN = new URL('../../bin/mxdoctor.js', import.meta.url).pathname;
const FAMILIES = '[mx, smtp, submission, tls, cert, imap, pop3]';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitFor(p: ChildProcess, out: () => string, re: RegExp, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}: ${out().slice(-2000)}`)), ms);
    const tick = setInterval(() => {
      if (re.test(out())) { clearTimeout(timer); clearInterval(tick); resolve(); }
    }, 100);
    p.on('exit', (code) => { clearTimeout(timer); clearInterval(tick); if (!re.test(out())) reject(new Error(`exited ${code}: ${out().slice(-2000)}`)); });
  });
}

async function promQuery(base: string, q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const j = await r.json() as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  assert.equal(j.status, 'success');
  return j.data.result;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('serve + a real Prometheus on the real mail lab', { skip: spawnSync('prometheus', ['--version']).status === 0 ? false : 'prometheus not installed (test/lab/install-postgres.sh installs it)' }, () => {
  const dir = mkdtempSync('/tmp/mxdoctor-real-serve-');
  let serve: ChildProcess;
  let prom: ChildProcess;
  let serveErr = '';
  let promErr = '';
  let serveUrl = '';
  let promUrl = '';

  before(async () => {
    const port = await freePort();
    serveUrl = `http://127.0.0.1:${port}`;
    writeFileSync(`${dir}/serve.yaml`, `listen: { address: "127.0.0.1:${port}" }
store: { path: ${dir}/store.db }
schedule: { interval: 1h, jitter: 1s, timeout: 60s }
modules:
  default:
    families: ${FAMILIES}
    resolver: "${RESOLVER}"
    ca: [${CA}]
    slow: 2s
targets:
  - domain: mail-lab.test
  - domain: expired-cert.test
probe:
  allow: ["*.test"]
`);
    serve = spawn(process.execPath, [BIN, 'serve', '--config', `${dir}/serve.yaml`], { env: { ...process.env, NO_COLOR: '1' } });
    serve.stderr!.on('data', (d) => { serveErr += d; });
    await waitFor(serve, () => serveErr, /listening on/);
    const pport = await freePort();
    promUrl = `http://127.0.0.1:${pport}`;
    writeFileSync(`${dir}/prometheus.yml`, `global: { scrape_interval: 5s, scrape_timeout: 4s }
scrape_configs:
  - job_name: mxdoctor
    static_configs: [{ targets: ["127.0.0.1:${port}"] }]
  - job_name: mxdoctor-probe
    metrics_path: /probe
    scrape_interval: 15s
    scrape_timeout: 14s
    params: { module: [default] }
    static_configs: [{ targets: [mail-lab.test, expired-cert.test, evil.example] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: "127.0.0.1:${port}" }
`);
    prom = spawn('prometheus', [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${pport}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    prom.stderr!.on('data', (d) => { promErr += d; });
    await waitFor(prom, () => promErr, /Server is ready to receive web requests/);
  });

  after(() => {
    serve?.kill('SIGTERM');
    prom?.kill('SIGTERM');
  });

  test('/probe scheduled by Prometheus: healthy 1, expired certificate 0, outside the allow-list refused', async () => {
    const ok = await until('probe_success of both domains', async () => {
      const r = await promQuery(promUrl, 'probe_success');
      return r.length >= 2 ? r : undefined;
    });
    const by = Object.fromEntries(ok.map((x) => [x.metric.instance, x.value[1]]));
    assert.equal(by['mail-lab.test'], '1', JSON.stringify(ok));
    assert.equal(by['expired-cert.test'], '0', JSON.stringify(ok));
    // Each target's first scrape comes at its own offset within the interval: wait for all three.
    const up = await until('up of the three probe targets', async () => {
      const r = await promQuery(promUrl, 'up{job="mxdoctor-probe"}');
      return r.length >= 3 ? r : undefined;
    });
    const upBy = Object.fromEntries(up.map((x) => [x.metric.instance, x.value[1]]));
    assert.equal(upBy['evil.example'], '0', 'the scrape of a target outside probe.allow fails (403)');
    const dur = await promQuery(promUrl, 'probe_duration_seconds{instance="mail-lab.test"}');
    assert.ok(Number(dur[0]!.value[1]) > 0);
  });

  test('/metrics is valid for promtool and Prometheus has the scheduled runs', async () => {
    const text = await (await fetch(`${serveUrl}/metrics`)).text();
    writeFileSync(`${dir}/metrics.txt`, text);
    const lint = spawnSync('sh', ['-c', `promtool check metrics < ${dir}/metrics.txt`], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    const status = await until('mxdoctor_target_status in Prometheus', async () => {
      const r = await promQuery(promUrl, 'mxdoctor_target_status == 1');
      return r.length >= 2 ? r : undefined;
    });
    const by = Object.fromEntries(status.map((x) => [x.metric.target, x.metric.status]));
    assert.ok(['ok', 'info', 'warning'].includes(by['mail-lab.test']!), JSON.stringify(by));
    assert.equal(by['expired-cert.test'], 'critical');
    const expiry = await promQuery(promUrl, 'mxdoctor_cert_expiry_timestamp_seconds{target="expired-cert.test"}');
    assert.ok(Number(expiry[0]!.value[1]) < Date.now() / 1000, 'the expired certificate\'s notAfter is in the past');
  });
});
