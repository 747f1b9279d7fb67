// The hostile-server suite: every basic misbehaviour (silent, 1 byte/s, endless line, 10 MB
// reply, binary, reset, TLS abort, 421/BYE/-ERR, 100k-line EHLO, endless IMAP literal, a POP3
// reply that never ends) against every client that holds a password (smtp probe, imap and
// pop3 login tests, send). Each case asserts the finding id, the exit code, a wall-clock
// bound (generous: the machine is loaded) and that no form of the password is in the output.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createNetClient } from '../src/io/net.js';
import { smtpHostCheck } from '../src/checks/server/smtp-host.js';
import { imapHostCheck } from '../src/checks/server/imap.js';
import { pop3HostCheck } from '../src/checks/server/pop3.js';
import type { Check, HostTarget } from '../src/core/check.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { operationReport } from '../src/core/report.js';
import { renderText } from '../src/report/text.js';
import { renderTranscripts } from '../src/cli/host-target.js';
import { composeMessage } from '../src/send/compose.js';
import { submitMessage } from '../src/send/submit.js';
import { renderSendSteps, renderSendTranscript } from '../src/report/send-text.js';
import { scriptedServer, nxResolver } from './helpers/scripted-smtp.js';
import type { ScriptedServer } from './helpers/scripted-smtp.js';
import { HOSTILE, IMAP_HOSTILE, POP3_HOSTILE, SMTP_HOSTILE, tlsAbort } from './helpers/hostile-scripts.js';
import type { Hostile } from './helpers/hostile-scripts.js';
import { secretLeaks } from './helpers/secret-leaks.js';

const PW = 'Hostile-Suite-Pässword-77';
const CREDS = { user: 'probe@example.test', password: PW };
const STEP_MS = 800;
const BOUND_MS = 20_000;
const net = createNetClient();
const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function probe(script: Hostile, check: Check<HostTarget>, implicitTls = false) {
  const s = await scriptedServer(script, ['127.0.0.1'], implicitTls && false);
  servers.push(s);
  const t0 = performance.now();
  const r = await runTarget({ kind: 'host', host: '127.0.0.1', port: s.port }, {
    checks: [check], context: contextFactory(nxResolver, { stepTimeoutMs: STEP_MS, net, relayTest: false }), checkTimeoutMs: 30_000,
  });
  const ms = performance.now() - t0;
  const out = [JSON.stringify(r), renderText([r], { color: false, verbose: true }), renderTranscripts([r])].join('\n');
  assert.deepEqual(secretLeaks(out, PW, CREDS.user), []);
  assert.ok(ms < BOUND_MS, `took ${Math.round(ms)} ms`);
  return { ids: r.findings.map((f) => f.id).filter((i) => !i.endsWith('.summary')), exitCode: r.exitCode };
}

const CHECKS = {
  smtp: () => smtpHostCheck(),
  imap: (tls = false) => imapHostCheck({ credentials: CREDS, ...(tls ? { implicitTls: true } : {}) }),
  pop3: (tls = false) => pop3HostCheck({ credentials: CREDS, ...(tls ? { implicitTls: true } : {}) }),
};

/** behaviour → [smtp, imap, pop3] expected [finding id, exit code]. */
const EXPECT: Record<string, [string, number][]> = {
  silent: [['smtp.greeting-timeout', 1], ['imap.no-greeting', 2], ['pop3.no-greeting', 2]],
  'one byte a second': [['smtp.greeting-timeout', 1], ['imap.no-greeting', 2], ['pop3.no-greeting', 2]],
  'endless line': [['smtp.protocol-error', 2], ['imap.protocol-error', 2], ['pop3.protocol-error', 2]],
  '10 MB reply': [['smtp.protocol-error', 2], ['imap.protocol-error', 2], ['pop3.protocol-error', 2]],
  binary: [['smtp.protocol-error', 2], ['imap.no-greeting', 2], ['pop3.no-greeting', 2]],
  reset: [['smtp.connection-reset', 2], ['imap.connect-failed', 2], ['pop3.connect-failed', 2]],
};

describe('hostile servers: the basics, against the smtp probe and the imap/pop3 login tests', () => {
  for (const [name, script] of Object.entries(HOSTILE)) {
    for (const [i, proto] of (['smtp', 'imap', 'pop3'] as const).entries()) {
      const [id, exit] = EXPECT[name]![i]!;
      test(`${name} → ${proto}: ${id}, exit ${exit}`, async () => {
        const r = await probe(script, CHECKS[proto]());
        assert.ok(r.ids.includes(id), `${proto} ${name}: ${r.ids.join(' ')}`);
        assert.equal(r.exitCode, exit);
      });
    }
  }

  test('TLS abort on implicit TLS (imaps, pop3s): tls-failed, exit 2', async () => {
    for (const proto of ['imap', 'pop3'] as const) {
      const r = await probe(tlsAbort, CHECKS[proto](true));
      // The reset lands inside the handshake: a TLS failure or a connection failure, both critical.
      assert.ok(r.ids.includes(`${proto}.tls-failed`) || r.ids.includes(`${proto}.connect-failed`), `${proto}: ${r.ids.join(' ')}`);
      assert.equal(r.exitCode, 2);
    }
  });
});

describe('hostile servers: protocol-specific', () => {
  const cases: [string, Hostile, Check<HostTarget>, string, number][] = [
    ['SMTP 421 at the greeting', SMTP_HOSTILE['421 at the greeting']!, CHECKS.smtp(), 'smtp.greeting-refused', 1],
    ['SMTP 100,000-line EHLO reply', SMTP_HOSTILE['100,000-line EHLO reply']!, CHECKS.smtp(), 'smtp.protocol-error', 2],
    ['SMTP TLS aborted after STARTTLS', SMTP_HOSTILE['TLS aborted after the STARTTLS go-ahead']!, CHECKS.smtp(), 'smtp.starttls-handshake-failed', 2],
    ['IMAP BYE at the greeting', IMAP_HOSTILE['BYE at the greeting']!, CHECKS.imap(), 'imap.greeting-rejected', 2],
    ['IMAP endless literal', IMAP_HOSTILE['an endless literal']!, CHECKS.imap(), 'imap.protocol-error', 2],
    ['IMAP TLS aborted after STARTTLS', IMAP_HOSTILE['TLS aborted after the STARTTLS go-ahead']!, CHECKS.imap(), 'imap.starttls-failed', 2],
    ['POP3 -ERR at the greeting', POP3_HOSTILE['-ERR at the greeting']!, CHECKS.pop3(), 'pop3.greeting-rejected', 2],
    ['POP3 CAPA reply that never ends', POP3_HOSTILE['a CAPA reply that never ends']!, CHECKS.pop3(), 'pop3.protocol-error', 2],
  ];
  for (const [name, script, check, id, exit] of cases) {
    test(`${name}: ${id}, exit ${exit}`, async () => {
      const r = await probe(script, check);
      assert.ok(r.ids.includes(id), `${name}: ${r.ids.join(' ')}`);
      assert.equal(r.exitCode, exit);
    });
  }
});

describe('hostile servers against send (a password in play)', () => {
  const message = composeMessage({ from: CREDS.user, to: ['b@example.test'], text: 'hi' });
  const SEND: [string, Hostile, string][] = [
    ['silent', HOSTILE.silent!, 'send.timeout'],
    ['one byte a second', HOSTILE['one byte a second']!, 'send.timeout'],
    ['endless line', HOSTILE['endless line']!, 'send.protocol-error'],
    ['10 MB reply', HOSTILE['10 MB reply']!, 'send.protocol-error'],
    ['binary', HOSTILE.binary!, 'send.protocol-error'],
    ['reset', HOSTILE.reset!, 'send.connect-failed'],
    ['421', SMTP_HOSTILE['421 at the greeting']!, 'send.greeting-rejected'],
    ['100,000-line EHLO', SMTP_HOSTILE['100,000-line EHLO reply']!, 'send.protocol-error'],
    ['TLS abort after STARTTLS', SMTP_HOSTILE['TLS aborted after the STARTTLS go-ahead']!, 'send.tls-failed'],
  ];
  for (const [name, script, id] of SEND) {
    test(`${name}: ${id}, exit ≥ 2 (critical or unknown), no password anywhere`, async () => {
      const s = await scriptedServer(script);
      servers.push(s);
      const t0 = performance.now();
      const req = { host: '127.0.0.1', port: s.port, security: 'starttls' as const, from: CREDS.user, to: ['b@example.test'], message: (await message).raw, auth: CREDS, stepTimeoutMs: STEP_MS };
      const r = await submitMessage(req, { net });
      const report = operationReport({ target: 'x', kind: 'send', startedAt: new Date(), durationMs: r.totalMs, parts: [{ check: 'send', area: 'Send', findings: r.findings }] });
      assert.ok(performance.now() - t0 < BOUND_MS);
      assert.ok(r.findings.some((f) => f.id === id), `${name}: ${r.findings.map((f) => f.id).join(' ')}`);
      assert.ok([2, 3].includes(report.exitCode), `exit ${report.exitCode}`);
      assert.deepEqual(secretLeaks([JSON.stringify(r), renderText([report], { color: false, verbose: true }), renderSendSteps(req, r, false), renderSendTranscript(r)].join('\n'), PW, CREDS.user), []);
    });
  }
});
