// The serve commands as a user runs them: `config check` (every problem with its line, exit 3;
// a summary, exit 0), `serve --once` on a lab target (the report, the worst exit code, the
// run kept in --store), `history` from that store, SIGHUP with an invalid config refused
// while the running one stays, and the shipped Prometheus rules checked by promtool.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from './helpers/cli.js';

const FIX = fileURLToPath(new URL('./fixtures/serve-config/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('mxdoctor config check / serve --once / history', () => {
  test('config check: all problems with lines and exit 3; a good file is summarised', async () => {
    const dir = mkdtempSync('/tmp/mxdoctor-cfg-');
    writeFileSync(`${dir}/bad.yaml`, 'tragets: 1\nschedule:\n  interval: soon\n');
    const bad = await runCli(['config', 'check', `${dir}/bad.yaml`]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /bad\.yaml:1: tragets: unknown key; did you mean "targets"\?/);
    assert.match(bad.stderr, /bad\.yaml:3: schedule\.interval: "soon" is not a duration/);
    assert.match(bad.stderr, /3 problems in/);
    const json = await runCli(['config', 'check', `${dir}/bad.yaml`, '--json']);
    assert.equal(JSON.parse(json.stdout).errors.length, 3);
    const good = await runCli(['config', 'check', `${FIX}valid-full.yaml`], { env: { TEST_API_TOKEN: 'a-long-api-token-0123456789', TEST_SLACK_URL: 'https://hooks.example/x' } });
    assert.equal(good.code, 3, 'its password_file does not exist here');
    assert.match(good.stderr, /channels\.ops-mail\.password_file: cannot read/);
    writeFileSync(`${dir}/ok.yaml`, 'targets:\n  - domain: example.com\n');
    const ok = await runCli(['config', 'check', `${dir}/ok.yaml`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /ok: 1 targets, 1 modules/);
  });

  test('serve --once on a lab target: the report, its exit code, and history from the store', async () => {
    const store = `${mkdtempSync('/tmp/mxdoctor-once-')}/s.db`;
    const r = await runCli(['serve', '--once', '--target', 'smtp-expired.test', '--store', store, '--json'], { timeoutMs: 120_000 });
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.reports[0].target, 'smtp-expired.test');
    assert.ok(doc.reports[0].findings.some((f: any) => f.id === 'cert.expired'));
    const h = await runCli(['history', 'smtp-expired.test', '--store', store]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /\(first run\) → critical/);
    assert.match(h.stdout, /cert\.expired \(.*\): new → critical/);
    const hj = await runCli(['history', 'smtp-expired.test', '--store', store, '--json']);
    assert.equal(JSON.parse(hj.stdout).incidents.length, 1);
    const usage = await runCli(['history', 'x.test']);
    assert.equal(usage.code, 3);
    assert.match(usage.stderr, /give --config <file>/);
  });

  test('SIGHUP with an invalid config keeps the running one and says why', async () => {
    const dir = mkdtempSync('/tmp/mxdoctor-hup-');
    const cfg = `${dir}/serve.yaml`;
    writeFileSync(cfg, 'listen: {address: "127.0.0.1:0"}\nschedule: {interval: 1h}\ntargets:\n  - domain: example.invalid\nmodules:\n  default: {families: [mx], resolver: "127.0.0.1:9"}\n');
    const p = spawn(process.execPath, [BIN, 'serve', '--config', cfg], { env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let exited = false;
    p.on('close', () => { exited = true; });
    const waitFor = (re: RegExp) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}: ${err}`)), 60_000);
      p.on('close', () => { clearTimeout(timer); if (!re.test(err)) reject(new Error(`serve exited: ${err}`)); });
      const check = () => { if (re.test(err)) { clearTimeout(timer); resolve(); } };
      p.stderr.on('data', (d) => { err += d; check(); });
      check();
    });
    try {
      await waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
      writeFileSync(cfg, 'targets:\n  - domain: example.invalid\n    module: nosuch\n');
      p.kill('SIGHUP');
      await waitFor(/reload refused, the running config stays/);
      assert.match(err, /serve\.yaml:3: targets\[0\]\.module: no module named "nosuch"/);
      writeFileSync(cfg, 'targets:\n  - domain: example.invalid\n  - domain: other.invalid\n');
      p.kill('SIGHUP');
      await waitFor(/reloaded .*serve\.yaml: 2 targets/);
    } finally {
      if (!exited) {
        p.kill('SIGTERM');
        await new Promise((r) => p.on('close', r));
      }
    }
  });

  test('deploy/prometheus: promtool accepts the alert rules and the example config', { skip: spawnSync('promtool', ['--version']).status === 0 || process.env.CI ? false : 'promtool not installed (test/lab/install-postgres.sh installs it; CI runs it)' }, () => {
    const rules = spawnSync('promtool', ['check', 'rules', `${ROOT}deploy/prometheus/alerts.yml`], { encoding: 'utf8' });
    assert.equal(rules.status, 0, rules.stdout + rules.stderr);
    const config = spawnSync('promtool', ['check', 'config', '--syntax-only', `${ROOT}deploy/prometheus/prometheus.yml`], { encoding: 'utf8' });
    assert.equal(config.status, 0, config.stdout + config.stderr);
  });
});
