// Hostile servers that echo the password back, in every form a Redactor must catch, and every
// output path that could show it: the result/report as JSON, the text report, send's step
// table and transcript, imap/pop3 transcripts, roundtrip's findings; library and CLI.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetClient } from '../src/io/net.js';
import { composeMessage } from '../src/send/compose.js';
import { submitMessage } from '../src/send/submit.js';
import { renderSendSteps, renderSendTranscript } from '../src/report/send-text.js';
import { operationReport } from '../src/core/report.js';
import { renderText } from '../src/report/text.js';
import { imapHostCheck } from '../src/checks/server/imap.js';
import { pop3HostCheck } from '../src/checks/server/pop3.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import { renderTranscripts } from '../src/cli/host-target.js';
import { runRoundtrip } from '../src/roundtrip/run.js';
import { fixedClock } from '../src/io/clock.js';
import type { Resolver } from '../src/io/resolver.js';
import type { SubmitRequest } from '../src/send/types.js';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedConn, ScriptedServer } from './helpers/scripted-smtp.js';
import { runCli } from './helpers/cli.js';
import { secretLeaks } from './helpers/secret-leaks.js';

const PW = 'Pässwörd-Sehr-Geheim-42';
const USER = 'alice@example.test';
const net = createNetClient();
const noDns: Resolver = { query: async () => { throw new Error('no DNS in this test'); } };
const b64 = (b: Buffer | string) => Buffer.from(b as string).toString('base64');
const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });
async function serve(script: (c: ScriptedConn) => Promise<void>): Promise<number> {
  const s = await scriptedServer(script);
  servers.push(s);
  return s.port;
}

function assertClean(what: string, ...outputs: string[]): void {
  for (const out of outputs) assert.deepEqual(secretLeaks(out, PW, USER), [], `${what}: a form of the password in\n${out.slice(0, 2000)}`);
}

/** What a hostile server echoes, given the password bytes it received (UTF-8). */
const ECHOES: Record<string, (pw: Buffer) => Buffer> = {
  'raw UTF-8 bytes (read as latin1 by us)': (pw) => pw,
  'upper-cased': (pw) => Buffer.from(pw.toString('utf8').toUpperCase()),
  'latin1 bytes': (pw) => Buffer.from(pw.toString('utf8'), 'latin1'),
  'after 280 characters (the transcript cut at 300)': (pw) => Buffer.concat([Buffer.from('x'.repeat(280)), pw, Buffer.from(' tail')]),
  'base64 of the password (AUTH LOGIN form)': (pw) => Buffer.from(b64(pw)),
  'base64 inside a longer blob, offset 1': (pw) => Buffer.from(b64(Buffer.concat([Buffer.from('a'), pw, Buffer.from('zz')]))),
  'base64 inside a longer blob, offset 2': (pw) => Buffer.from(b64(Buffer.concat([Buffer.from('ab'), pw, Buffer.from('z')]))),
  'the AUTH PLAIN blob itself': (pw) => Buffer.from(b64(Buffer.concat([Buffer.from(`\0${USER}\0`), pw]))),
};

/** An SMTP server that answers AUTH (PLAIN or LOGIN) with 535 and an echo of the password. */
function smtpEcho(echo: (pw: Buffer) => Buffer, mechanism = 'PLAIN'): (c: ScriptedConn) => Promise<void> {
  return async (c) => {
    c.send('220 mx.example.test ESMTP');
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      if (/^EHLO/i.test(line)) c.send(`250-mx.example.test\r\n250 AUTH ${mechanism}`);
      else if (/^AUTH PLAIN /i.test(line)) {
        const pw = Buffer.from(line.slice(11), 'base64').subarray(USER.length + 2);
        c.sendRaw(Buffer.concat([Buffer.from('535 5.7.8 bad password '), echo(pw), Buffer.from('\r\n')]));
      } else if (/^AUTH LOGIN/i.test(line)) {
        c.send('334 VXNlcm5hbWU6');
        await c.readLine();
        c.send('334 UGFzc3dvcmQ6');
        const pw = Buffer.from((await c.readLine()) ?? '', 'base64');
        c.sendRaw(Buffer.concat([Buffer.from('535-5.7.8 you sent '), echo(pw), Buffer.from('\r\n535 5.7.8 no\r\n')]));
      } else if (/^QUIT/i.test(line)) { c.send('221 bye'); return; } else c.send('250 ok');
    }
  };
}

describe('send: a server echoing the password in every form', () => {
  const message = composeMessage({ from: USER, to: ['bob@example.test'], text: 'hi' });
  for (const [name, echo] of Object.entries(ECHOES)) {
    for (const mechanism of ['PLAIN', 'LOGIN']) {
      test(`${name} (AUTH ${mechanism}): no output path shows it`, async () => {
        const port = await serve(smtpEcho(echo, mechanism));
        const req: SubmitRequest = {
          host: '127.0.0.1', port, security: 'none', from: USER, to: ['bob@example.test'], message: (await message).raw,
          auth: { user: USER, password: PW }, stepTimeoutMs: 3000,
        };
        const r = await submitMessage(req, { net });
        assert.deepEqual(r.findings.map((f) => f.id), ['send.auth-failed']);
        const report = operationReport({ target: 'x', kind: 'send', startedAt: new Date(), durationMs: 1, parts: [{ check: 'send', area: 'Send', findings: r.findings }] });
        assertClean(name, JSON.stringify(r), renderText([report], { color: false, verbose: true }), renderSendSteps(req, r, false), renderSendTranscript(r));
        assert.match(JSON.stringify(r), /<redacted>/);
      });
    }
  }
});

/** An IMAP server (no TLS: loopback) refusing the login with the password in tagged, untagged and base64 text. */
function imapEcho(c: ScriptedConn): Promise<void> {
  return (async () => {
    c.send('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready');
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      const [tag, verb = ''] = line.split(' ');
      const cmd = verb.toUpperCase();
      if (cmd === 'CAPABILITY') { c.send('* CAPABILITY IMAP4rev1 AUTH=PLAIN'); c.send(`${tag} OK done`); } else if (cmd === 'LOGIN' || cmd === 'AUTHENTICATE') {
        let pw = PW;
        if (cmd === 'AUTHENTICATE') {
          let blob = line.split(' ')[3];
          if (!blob) { c.send('+ '); blob = (await c.readLine()) ?? ''; }
          pw = Buffer.from(blob, 'base64').toString('utf8').split('\0')[2] ?? '';
        } else pw = /"((?:[^"\\]|\\.)*)"\s*$/.exec(line)?.[1]?.replace(/\\(.)/g, '$1') ?? '';
        c.sendRaw(Buffer.concat([Buffer.from('* NO [ALERT] your password '), Buffer.from(pw), Buffer.from(' is wrong\r\n')]));
        c.send(`${tag} NO [AUTHENTICATIONFAILED] Invalid password "${pw.toUpperCase()}" ${b64(pw)}`);
      } else if (cmd === 'LOGOUT') { c.send('* BYE'); c.send(`${tag} OK bye`); return; } else c.send(`${tag} BAD what`);
    }
  })();
}

function pop3Echo(c: ScriptedConn): Promise<void> {
  return (async () => {
    c.send('+OK ready');
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      if (/^CAPA/i.test(line)) { c.send('+OK\r\nUSER\r\nSASL PLAIN\r\n.'); } else if (/^USER/i.test(line)) c.send('+OK');
      else if (/^PASS /i.test(line)) {
        const pw = line.slice(5);
        c.send(`-ERR [AUTH] wrong password ${pw} (${pw.toUpperCase()}) ${b64(pw)}`);
      } else if (/^QUIT/i.test(line)) { c.send('+OK bye'); return; } else c.send('-ERR what');
    }
  })();
}

describe('imap/pop3 --credentials: a server echoing the password', () => {
  for (const [proto, script, check] of [['imap', imapEcho, imapHostCheck], ['pop3', pop3Echo, pop3HostCheck]] as const) {
    test(`${proto}: login-failed, and the password in no finding, evidence or transcript`, async () => {
      const port = await serve(script);
      const c = check({ credentials: { user: USER, password: PW } });
      const r = await runTarget({ kind: 'host', host: '127.0.0.1', port }, { checks: [c], context: contextFactory(noDns, { stepTimeoutMs: 2000, net }), checkTimeoutMs: 10_000 });
      assert.ok(r.findings.some((f) => f.id === `${proto}.login-failed`), r.findings.map((f) => f.id).join(' '));
      assertClean(proto, JSON.stringify(r), renderText([r], { color: false, verbose: true }), renderTranscripts([r]));
    });
  }
});

describe('roundtrip: the IMAP login refused with the password in the reply', () => {
  test('tagged NO, untagged * NO [ALERT], base64 echo: roundtrip.imap-login-failed, nothing leaks', async () => {
    const port = await serve(imapEcho);
    const r = await runRoundtrip({
      name: 'bob@example.test',
      send: { host: '127.0.0.1', port: 1, security: 'none', from: USER, to: 'bob@example.test', auth: { user: USER, password: PW } },
      imap: { host: '127.0.0.1', port, security: 'none', user: USER, password: PW, timeoutMs: 3000 },
      deadlineSeconds: 5, pollMs: 100, slowSeconds: 60, delete: false,
    }, { compose: composeMessage, submit: submitMessage, net, resolver: noDns, clock: fixedClock('2026-12-01T00:00:00Z') });
    assert.deepEqual(r.findings.map((f) => f.id), ['roundtrip.imap-login-failed']);
    assertClean('roundtrip', JSON.stringify(r), renderText([r], { color: false, verbose: true }));
  });
});

describe('CLI: every output path of send, imap and pop3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-sec-'));
  const creds = join(dir, 'creds');
  writeFileSync(creds, `${USER}:${PW}\n`, { mode: 0o600 });
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, `${PW}\n`, { mode: 0o600 });

  test('send --transcript (text) and --json: exit 2, no form of the password', async () => {
    const port = await serve(smtpEcho(ECHOES['after 280 characters (the transcript cut at 300)']!));
    const base = ['send', '--server', `127.0.0.1:${port}`, '--tls', 'none', '--from', USER, '--to', 'bob@example.test', '--auth-user', USER, '--password-file', pwFile, '--step-timeout', '3000'];
    const text = await runCli([...base, '--transcript', '-v'], { timeoutMs: 30_000 });
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stdout, /send\.auth-failed/);
    const json = await runCli([...base, '--json', '--transcript'], { timeoutMs: 30_000 });
    assert.equal(JSON.parse(json.stdout).reports[0].findings[0].id, 'send.auth-failed');
    assertClean('send CLI', text.stdout, text.stderr, json.stdout, json.stderr);
  });

  for (const [proto, script] of [['imap', imapEcho], ['pop3', pop3Echo]] as const) {
    test(`${proto} --credentials --transcript and --json: no form of the password`, async () => {
      const port = await serve(script);
      const args = [proto, `127.0.0.1:${port}`, '--credentials', creds, '--step-timeout', '2000'];
      const text = await runCli([...args, '--transcript', '-v'], { timeoutMs: 30_000 });
      assert.match(text.stdout, new RegExp(`${proto}\\.login-failed`));
      const json = await runCli([...args, '--json'], { timeoutMs: 30_000 });
      assert.ok(JSON.parse(json.stdout).reports[0].findings.some((f: { id: string }) => f.id === `${proto}.login-failed`));
      assertClean(`${proto} CLI`, text.stdout, text.stderr, json.stdout, json.stderr);
    });
  }

  test('--password-file /dev/zero, a directory, a file with control characters: one-line usage errors, exit 3', async () => {
    const nul = join(dir, 'nul');
    writeFileSync(nul, Buffer.from('pass\0word\n'));
    for (const [file, want] of [['/dev/zero', /a device, not a file holding a password/], [dir, /a directory/], [nul, /control characters/]] as const) {
      const r = await runCli(['send', '--server', '127.0.0.1:1', '--from', USER, '--to', 'b@example.test', '--auth-user', USER, '--password-file', file]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const c = join(dir, 'creds-esc');
    writeFileSync(c, `${USER}:pw\x1b[2J\n`);
    const r = await runCli(['imap', '127.0.0.1:1', '--credentials', c]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /control characters/);
  });
});
