// `mxdoctor send` as a user runs it: help, usage errors, the text and JSON reports, exit
// codes, and the password never in any output (stdout, stderr, JSON, transcript).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { submissionServer } from './helpers/submission-server.js';
import type { SubmissionServer } from './helpers/submission-server.js';

const PASSWORD = 'S3cret-submission-pw';
const CA = new URL('./fixtures/certs/ca.pem', import.meta.url).pathname;

describe('cli: mxdoctor send', () => {
  let srv: SubmissionServer;
  let dir: string;
  before(async () => {
    srv = await submissionServer({ users: { alice: PASSWORD } });
    dir = mkdtempSync(join(tmpdir(), 'mxd-send-'));
  });
  after(() => srv.close());

  const base = () => ['send', '--server', `localhost:${srv.port}`, '--from', 'alice@healthy.test', '--to', 'bob@healthy.test', '--ca', CA, '--auth-user', 'alice'];
  const noSecret = (...outputs: string[]) => {
    for (const out of outputs) {
      assert.ok(!out.includes(PASSWORD), 'the password appears in the output');
      assert.ok(!out.includes(Buffer.from(`\0alice\0${PASSWORD}`).toString('base64')), 'the AUTH PLAIN blob appears in the output');
    }
  };

  test('--help documents the flags and exits 0', async () => {
    const r = await runCli(['send', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--server', '--from', '--to', '--password-file', '--quit-after', '--data-file', '--attach', '--transcript']) assert.ok(r.stdout.includes(flag), flag);
  });

  test('a wrong flag, a password flag, a missing --from: one-line usage errors, exit 3', async () => {
    const wrong = await runCli([...base(), '--no-such-flag']);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /unknown option '--no-such-flag'/);
    const pw = await runCli([...base(), '--password', PASSWORD]);
    assert.equal(pw.code, 3);
    assert.match(pw.stderr, /unknown option '--password'/);
    const from = await runCli(['send', '--server', `localhost:${srv.port}`, '--to', 'bob@healthy.test']);
    assert.equal(from.code, 3);
    assert.match(from.stderr, /^mxdoctor: send: give the sender with --from <address>\n$/);
    const nopw = await runCli(base(), { env: { MXDOCTOR_SMTP_PASSWORD: '' } });
    assert.equal(nopw.code, 3);
    assert.match(nopw.stderr, /MXDOCTOR_SMTP_PASSWORD or give --password-file/);
    const quit = await runCli([...base(), '--quit-after', 'data']);
    assert.equal(quit.code, 3);
    assert.match(quit.stderr, /--quit-after data: expected one of connect, greeting/);
    assert.equal(srv.received.length, 0);
  });

  test('--json: one valid document with facts.send, exit 0, no password anywhere', async () => {
    const r = await runCli([...base(), '--json', '--transcript', '--subject', 'cli test'], { env: { MXDOCTOR_SMTP_PASSWORD: PASSWORD } });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'mxdoctor.report/v1');
    const rep = doc.reports[0];
    assert.equal(rep.kind, 'send');
    assert.equal(rep.exitCode, 0);
    const f = rep.facts.send;
    assert.equal(f.accepted, true);
    assert.equal(f.queueId, '4XyzAbC123');
    assert.equal(f.security, 'starttls');
    assert.match(f.token, /^[0-9a-f]{32}$/);
    assert.equal(f.messageId, `<mxd-${f.token}@healthy.test>`);
    assert.deepEqual(f.acceptedRecipients, ['bob@healthy.test']);
    assert.ok(f.steps.some((s: { step: string }) => s.step === 'ehlo-after-tls'));
    assert.ok(f.transcript.some((l: { text: string }) => l.text === 'AUTH PLAIN <redacted>'));
    assert.deepEqual(rep.findings.map((x: { id: string }) => x.id), ['send.accepted']);
    noSecret(r.stdout, r.stderr);
    assert.ok(srv.received.some((m) => m.raw.toString().includes(`X-Mxdoctor-Token: ${f.token}`)));
  });

  test('a wrong password from --password-file: exit 2, auth-failed explained in the text report, no password', async () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 'wrong-password-xyz\nsecond line ignored\n');
    const r = await runCli([...base(), '--password-file', file, '--transcript']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /NOT SENT\s+at auth: 535/);
    assert.match(r.stdout, /send\.auth-failed/);
    assert.match(r.stdout, /Authentication credentials invalid|authentication failed/i);
    assert.match(r.stdout, /C: AUTH PLAIN <redacted>/);
    assert.ok(!r.stdout.includes('wrong-password-xyz') && !r.stderr.includes('wrong-password-xyz'));
    noSecret(r.stdout, r.stderr);
  });

  test('text output: the step table and the verdict with the queue id; --quit-after exits 0 with nothing sent', async () => {
    const before = srv.received.length;
    const r = await runCli([...base(), '--quit-after', 'rcpt'], { env: { MXDOCTOR_SMTP_PASSWORD: PASSWORD } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}rcpt bob@healthy\.test +\d+ {2}250 /m);
    assert.match(r.stdout, /STOPPED after rcpt/);
    assert.match(r.stdout, /send\.quit-after/);
    assert.equal(srv.received.length, before);
    const sent = await runCli([...base(), '--attach', CA, '--header', 'X-Case: text, with a comma'], { env: { MXDOCTOR_SMTP_PASSWORD: PASSWORD } });
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /ACCEPTED\s+queue id 4XyzAbC123/);
    assert.match(sent.stdout, /^ {2}body +\d+ {2}250 2\.0\.0 Ok: queued as 4XyzAbC123$/m);
    const got = srv.received.at(-1)!.raw.toString();
    assert.match(got, /^X-Case: text, with a comma\r$/m);
    assert.match(got, /filename=ca\.pem/);
  });

  test('--tls implicit without a port connects to 465 (RFC 8314), a bare host to 587', async () => {
    const port = async (extra: string[]) => {
      const r = await runCli(['send', '--server', '127.0.0.1', '--from', 'a@healthy.test', '--to', 'b@healthy.test', '--quit-after', 'connect', '--step-timeout', '500', '--json', ...extra]);
      const f = JSON.parse(r.stdout).reports[0].facts.send;
      return `${f.port}/${f.security}`;
    };
    assert.equal(await port(['--tls', 'implicit']), '465/implicit');
    assert.equal(await port([]), '587/starttls');
  });
});
