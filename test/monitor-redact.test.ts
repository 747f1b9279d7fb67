// Every report serve keeps or shows goes through the one redactor, built from every secret of
// the config: a server that echoes the login test's password (raw and as AUTH PLAIN base64),
// the alert channel's password or the API token in its greeting and replies leaves no trace
// of them in the store's files, the API, /metrics or /probe, while its text is stored (with
// <redacted> in their place), so the check cannot pass by storing nothing.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../src/monitor/serve.js';
import type { ServeHandle } from '../src/monitor/serve.js';
import { responder, scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedServer } from './helpers/scripted-smtp.js';

const LOGIN_USER = 'probe@example.test';
const LOGIN_PASSWORD = 'Hunter2LoginPw77';
const CHANNEL_PASSWORD = 'AlertMailPw4242';
const TOKEN = 'tok3nTok3nTok3nTok3nTok3n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const FORMS = [LOGIN_PASSWORD, b64(LOGIN_PASSWORD), b64(`\0${LOGIN_USER}\0${LOGIN_PASSWORD}`), CHANNEL_PASSWORD, TOKEN];

function leaks(text: string): string[] {
  return FORMS.filter((f) => text.includes(f));
}

describe('serve: secrets a server echoes never reach the store or the API', () => {
  let smtp: ScriptedServer;
  let h: ServeHandle;
  after(async () => { await h?.close(); await smtp?.close(); });

  test('greeting and replies echoing three configured secrets', async () => {
    smtp = await scriptedServer(responder({
      greeting: [`mx.scripted.test ESMTP ready; last login ${LOGIN_USER} ${LOGIN_PASSWORD}`, `debug AUTH PLAIN ${b64(`\0${LOGIN_USER}\0${LOGIN_PASSWORD}`)} relay ${CHANNEL_PASSWORD} api ${TOKEN}`],
      ehlo: ['SIZE 10240000', 'PIPELINING', `X-ECHO ${LOGIN_PASSWORD}`, '8BITMIME'],
      rcpt: () => `554 5.7.1 Relay access denied (try ${LOGIN_PASSWORD})`,
    }));
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-redact-'));
    const target = `127.0.0.1:${smtp.port}`;
    const config = [
      `listen: { address: "127.0.0.1:0", token_env: API_TOKEN }`,
      `store: { path: ${join(dir, 'state.db')} }`,
      'modules:',
      '  mx:',
      '    slow: 5s',
      `    user: ${LOGIN_USER}`,
      '    password_env: LOGIN_PASSWORD',
      'targets:',
      `  - host: "${target}"`,
      '    name: mx',
      '    module: mx',
      `probe: { allow: ["${target}"] }`,
      'channels:',
      '  mail: { type: email, server: "127.0.0.1:9", from: mxdoctor@example.test, to: [ops@example.test], user: ops@example.test, password_env: CHANNEL_PASSWORD }',
      '',
    ].join('\n');
    const file = join(dir, 'serve.yaml');
    h = await startServe({
      configFile: file, schedule: false, log: () => {},
      io: { readText: (p) => { if (p === file) return config; throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); }, env: { API_TOKEN: TOKEN, LOGIN_PASSWORD, CHANNEL_PASSWORD } },
    });
    const base = h.http!.url;
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const posted = await fetch(`${base}/api/v1/targets/mx/check`, { method: 'POST', headers: auth });
    assert.equal(posted.status, 202);
    const jobUrl = posted.headers.get('location')!;
    let job: { finishedAt: string | null; runId: number | null } = { finishedAt: null, runId: null };
    for (let i = 0; i < 600 && !job.finishedAt; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = ((await (await fetch(`${base}${jobUrl}`, { headers: auth })).json()) as { job: typeof job }).job;
    }
    assert.ok(job.runId, `the run was stored: ${JSON.stringify(job)}`);

    const texts: string[] = [];
    for (const path of ['/api/v1/targets', '/api/v1/targets/mx', '/api/v1/targets/mx/runs', `/api/v1/runs/${job.runId}`, '/api/v1/targets/mx/changes', '/metrics', `/probe?target=${encodeURIComponent(target)}&module=mx`]) {
      const res = await fetch(`${base}${path}`, { headers: auth });
      assert.equal(res.status, 200, path);
      texts.push(await res.text());
    }
    const run = JSON.parse(texts[3]!) as { report: { findings: { evidence?: unknown; detail?: string }[] } };
    const stored = JSON.stringify(run.report);
    assert.match(stored, /last login probe@example\.test <redacted>/, 'the greeting was stored, the password replaced');
    assert.match(stored, /relay <redacted> api <redacted>/);
    assert.deepEqual(leaks(texts.join('\n')), [], 'nothing in the API, /metrics or /probe');
    assert.match(texts[6]!, /probe_success/);

    await h.close();
    const files = ['state.db', 'state.db-wal'].map((f) => join(dir, f)).filter(existsSync);
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('');
    assert.ok(bytes.includes('<redacted>'), 'the store holds the redacted report');
    assert.deepEqual(leaks(bytes), [], 'nothing in the store\'s files');
  });
});
