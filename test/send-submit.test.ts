// submitMessage against a real SMTP server (smtp-server on 127.0.0.1): STARTTLS and
// implicit TLS, AUTH PLAIN and LOGIN, what the server received, the queue id, and the
// server's refusals explained (535 5.7.8, 550, 552), --quit-after, trust and plaintext AUTH.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createNetClient } from '../src/io/net.js';
import type { NetClient } from '../src/io/net.js';
import { composeMessage } from '../src/send/compose.js';
import { submitMessage } from '../src/send/submit.js';
import type { SubmitRequest, SubmitResult } from '../src/send/types.js';
import { submissionServer, TEST_CA } from './helpers/submission-server.js';
import type { SubmissionOptions, SubmissionServer } from './helpers/submission-server.js';

const PASSWORD = 'correct horse battery staple';
const ALICE = { user: 'alice', password: PASSWORD };
const net = createNetClient();

async function withServer(o: SubmissionOptions, fn: (s: SubmissionServer) => Promise<void>): Promise<void> {
  const s = await submissionServer(o);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function send(s: SubmissionServer, over: Partial<SubmitRequest> = {}, deps: { net?: NetClient } = {}): Promise<SubmitResult> {
  const to = over.to ?? ['bob@healthy.test'];
  const m = await composeMessage({ from: 'alice@healthy.test', to, subject: 'hello', text: 'hi\n' });
  return submitMessage({
    host: 'localhost', port: s.port, security: 'starttls', from: 'alice@healthy.test', to, message: m.raw,
    auth: ALICE, ca: [TEST_CA], stepTimeoutMs: 5000, ...over,
  }, { net: deps.net ?? net });
}

const ids = (r: SubmitResult) => r.findings.map((f) => f.id);
const stepNames = (r: SubmitResult) => r.steps.map((s) => s.step);

function assertNoSecret(r: SubmitResult): void {
  const all = JSON.stringify(r);
  for (const secret of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0alice\0${PASSWORD}`).toString('base64')]) {
    assert.ok(!all.includes(secret), `a form of the password leaked: ${secret}`);
  }
}

describe('send: submitMessage against smtp-server', () => {
  test('STARTTLS + AUTH PLAIN: accepted, queue id, every step timed, both EHLO replies, the message as received', async () => {
    await withServer({ size: 5_000_000 }, async (s) => {
      const m = await composeMessage({
        from: 'alice@healthy.test', to: ['bob@healthy.test'], subject: 'Grüße', headers: [['X-Test', 'yes']],
        text: 'first\n.leading dot\n..two dots\nlast', attachments: [{ filename: 'report.csv', content: Buffer.from('a,b\n1,2\n') }],
        token: '0123456789abcdef0123456789abcdef',
      });
      const r = await submitMessage({
        host: 'localhost', port: s.port, security: 'starttls', from: 'alice@healthy.test', to: ['bob@healthy.test'],
        message: m.raw, auth: ALICE, ca: [TEST_CA], stepTimeoutMs: 5000,
      }, { net });
      assert.equal(r.accepted, true, JSON.stringify(r.failure));
      assert.equal(r.queueId, '4XyzAbC123');
      assert.deepEqual(r.finalReply, { code: 250, enhanced: '2.0.0', text: '2.0.0 Ok: queued as 4XyzAbC123' });
      assert.deepEqual(stepNames(r), ['connect', 'greeting', 'ehlo', 'starttls', 'tls', 'ehlo-after-tls', 'auth', 'mail', 'rcpt', 'data', 'body', 'quit']);
      for (const step of r.steps) assert.ok(Number.isInteger(step.ms) && step.ms >= 0);
      assert.ok(r.ehlo?.before?.includes('STARTTLS'));
      assert.ok(r.ehlo?.afterTls && !r.ehlo.afterTls.includes('STARTTLS'), 'the second EHLO reply is kept on its own');
      assert.equal(r.tls?.authorized, true);
      assert.deepEqual(ids(r), ['send.accepted']);
      assert.equal(s.received.length, 1);
      const got = s.received[0]!;
      assert.equal(got.user, 'alice');
      assert.equal(got.secure, true);
      const text = got.raw.toString('utf8');
      assert.match(text, /^X-Mxdoctor-Token: 0123456789abcdef0123456789abcdef\r$/m);
      assert.match(text, /^Message-ID: <mxd-0123456789abcdef0123456789abcdef@healthy\.test>\r$/m);
      assert.match(text, /^X-Test: yes\r$/m);
      assert.match(text, /^Subject: =\?UTF-8\?Q\?Gr=C3=BC=C3=9Fe\?=\r$/m);
      assert.match(text, /filename=report\.csv/);
      assert.ok(text.includes(Buffer.from('a,b\n1,2\n').toString('base64')), 'the attachment, base64');
      // The server removed the stuffing again: the body is what was composed.
      assert.match(text, /\r\n\.leading dot\r\n\.\.two dots\r\n/);
      const transcript = r.transcript.map((l) => l.text);
      assert.ok(transcript.includes('AUTH PLAIN <redacted>'));
      assertNoSecret(r);
    });
  });

  test('AUTH LOGIN: both base64 answers redacted in the transcript', async () => {
    await withServer({ authMethods: ['LOGIN'] }, async (s) => {
      const r = await send(s);
      assert.equal(r.accepted, true, JSON.stringify(r.failure));
      assert.deepEqual(s.logins, [{ user: 'alice', method: 'LOGIN', ok: true }]);
      const sent = r.transcript.filter((l) => l.dir === 'C').map((l) => l.text);
      assert.ok(sent.includes('AUTH LOGIN'));
      assert.equal(sent.filter((t) => t === '<redacted>').length, 2, 'user and password lines');
      assert.ok(!sent.includes(Buffer.from('alice').toString('base64')));
      assertNoSecret(r);
    });
  });

  test('a wrong password: 535 5.7.8 is a critical auth-failed finding, explained, and nothing is sent', async () => {
    await withServer({}, async (s) => {
      const r = await send(s, { auth: { user: 'alice', password: 'wrong password!' } });
      assert.equal(r.accepted, false);
      assert.deepEqual(ids(r), ['send.auth-failed']);
      const f = r.findings[0]!;
      assert.equal(f.severity, 'critical');
      const ex = (f.evidence as { explanation: { replyCode: string; enhancedCode: string; keys: string[] } }).explanation;
      assert.equal(ex.replyCode, '535');
      assert.equal(ex.enhancedCode, '5.7.8');
      assert.ok(ex.keys.includes('smtp.auth-failed'));
      assert.match(f.detail!, /535 5\.7\.8/);
      assert.equal(r.failure?.kind, 'auth');
      assert.equal(stepNames(r).at(-1), 'quit', 'ends politely');
      assert.equal(s.received.length, 0);
      assert.ok(!JSON.stringify(r).includes('wrong password!'));
    });
  });

  test('a refused recipient (550) is explained; the message still goes to the accepted one', async () => {
    await withServer({ reject: { 'nobody@healthy.test': { code: 550, text: '5.1.1 <nobody@healthy.test>: Recipient address rejected: User unknown' } } }, async (s) => {
      const r = await send(s, { to: ['nobody@healthy.test', 'bob@healthy.test'] });
      assert.equal(r.accepted, true);
      assert.deepEqual(r.acceptedRecipients, ['bob@healthy.test']);
      assert.equal(r.rejectedRecipients[0]?.address, 'nobody@healthy.test');
      assert.match(r.rejectedRecipients[0]!.reply, /^550 5\.1\.1/);
      assert.deepEqual(ids(r).sort(), ['send.accepted', 'send.recipient-rejected']);
      const f = r.findings.find((x) => x.id === 'send.recipient-rejected')!;
      assert.equal(f.subject, 'nobody@healthy.test');
      assert.equal((f.evidence as { explanation: { enhancedCode: string } }).explanation.enhancedCode, '5.1.1');
      assert.deepEqual(s.received[0]?.to, ['bob@healthy.test']);
    });
  });

  test('every recipient refused: no DATA, only the recipient findings', async () => {
    await withServer({ reject: { 'nobody@healthy.test': { code: 550, text: '5.1.1 User unknown' } } }, async (s) => {
      const r = await send(s, { to: ['nobody@healthy.test'] });
      assert.equal(r.accepted, false);
      assert.equal(r.failure?.kind, 'no-recipients');
      assert.deepEqual(ids(r), ['send.recipient-rejected']);
      assert.ok(!stepNames(r).includes('data'));
      assert.equal(s.received.length, 0);
    });
  });

  test('larger than the advertised SIZE: refused before MAIL with message-too-large', async () => {
    await withServer({ size: 2000 }, async (s) => {
      const m = await composeMessage({ from: 'alice@healthy.test', to: ['bob@healthy.test'], text: 'x'.repeat(5000) });
      const r = await send(s, { message: m.raw });
      assert.equal(r.failure?.kind, 'too-large');
      assert.deepEqual(ids(r), ['send.message-too-large']);
      assert.match(r.findings[0]!.detail!, /at most 2000/);
      assert.ok(!stepNames(r).includes('mail'), 'no MAIL FROM sent');
      assert.equal(s.received.length, 0);
    });
  });

  test('--quit-after rcpt: QUIT before DATA, nothing received, an info finding (exit 0)', async () => {
    await withServer({}, async (s) => {
      const r = await send(s, { quitAfter: 'rcpt' });
      assert.equal(r.accepted, false);
      assert.equal(r.quitAfter, 'rcpt');
      assert.deepEqual(ids(r), ['send.quit-after']);
      assert.equal(r.findings[0]!.severity, 'info');
      assert.deepEqual(stepNames(r).slice(-2), ['rcpt', 'quit']);
      assert.equal(s.received.length, 0);
    });
  });

  test('--quit-after connect, greeting, ehlo, tls, auth, mail stop where they say', async () => {
    await withServer({}, async (s) => {
      const last: Record<string, string> = { connect: 'connect', greeting: 'greeting', ehlo: 'ehlo', tls: 'ehlo-after-tls', auth: 'auth', mail: 'mail' };
      for (const [q, step] of Object.entries(last)) {
        const r = await send(s, { quitAfter: q as SubmitRequest['quitAfter'] });
        const names = stepNames(r).filter((n) => n !== 'quit');
        assert.equal(names.at(-1), step, `--quit-after ${q}: ${names.join(' ')}`);
        assert.equal(r.quitAfter, q);
        if (q !== 'connect') assert.equal(stepNames(r).at(-1), 'quit', `--quit-after ${q} ends with QUIT`);
      }
      assert.equal(s.received.length, 0);
    });
  });

  test('implicit TLS (465): TLS before the greeting, accepted', async () => {
    await withServer({ secure: true }, async (s) => {
      const r = await send(s, { security: 'implicit' });
      assert.equal(r.accepted, true, JSON.stringify(r.failure));
      assert.deepEqual(stepNames(r).slice(0, 4), ['connect', 'tls', 'greeting', 'ehlo']);
      assert.equal(r.tls?.protocol, 'TLSv1.3');
      assert.equal(s.received[0]?.secure, true);
    });
  });

  test('plaintext on the implicit-TLS port: a TLS failure, not a hang', async () => {
    await withServer({}, async (s) => {
      const r = await send(s, { security: 'implicit', stepTimeoutMs: 1500 });
      assert.equal(r.accepted, false);
      assert.ok(['send.tls-failed', 'send.timeout'].includes(ids(r)[0]!), ids(r).join());
    });
  });

  test('an untrusted certificate: a warning and the send goes on; with tlsVerify it stops (critical)', async () => {
    await withServer({}, async (s) => {
      const r = await send(s, { ca: [] });
      assert.equal(r.accepted, true);
      assert.equal(r.tls?.authorized, false);
      assert.deepEqual(ids(r).sort(), ['send.accepted', 'send.cert-untrusted']);
      assert.equal(r.findings.find((f) => f.id === 'send.cert-untrusted')!.severity, 'warning');
      const strict = await send(s, { ca: [], tlsVerify: true });
      assert.equal(strict.accepted, false);
      assert.deepEqual(ids(strict), ['send.cert-untrusted']);
      assert.equal(strict.findings[0]!.severity, 'critical');
      assert.ok(!stepNames(strict).includes('auth'), 'no credentials to an untrusted server');
      assert.equal(s.received.length, 1);
    });
  });

  test('STARTTLS not offered: no downgrade, tls-not-offered; --tls none to loopback sends AUTH in the clear', async () => {
    await withServer({ noStartTls: true, allowInsecureAuth: true }, async (s) => {
      const r = await send(s);
      assert.deepEqual(ids(r), ['send.tls-not-offered']);
      assert.ok(!stepNames(r).includes('auth'));
      const plain = await send(s, { security: 'none' });
      assert.equal(plain.accepted, true, JSON.stringify(plain.failure));
      assert.equal(plain.plaintextAuth, true);
      assert.deepEqual(ids(plain), ['send.accepted'], 'loopback: no warning');
    });
  });

  test('AUTH over TLS whose certificate does not verify, host not loopback: refused (critical) unless --insecure (then a warning)', async () => {
    await withServer({}, async (s) => {
      const remote: NetClient = { ...net, connect: (_h, port, t) => net.connect('127.0.0.1', port, t) };
      const r = await send(s, { host: '192.0.2.25', servername: 'localhost', ca: [] }, { net: remote });
      assert.deepEqual(ids(r), ['send.untrusted-auth-refused']);
      assert.equal(r.findings[0]!.severity, 'critical');
      assert.match(r.findings[0]!.detail!, /--insecure/);
      assert.equal(s.logins.length, 0, 'the password never left');
      assert.equal(s.received.length, 0);
      const forced = await send(s, { host: '192.0.2.25', servername: 'localhost', ca: [], insecure: true }, { net: remote });
      assert.deepEqual(ids(forced).sort(), ['send.accepted', 'send.cert-untrusted', 'send.insecure-auth']);
      assert.ok(forced.transcript.some((l) => /--insecure/.test(l.text)), 'the transcript says the rule was overridden');
      // Without a login nothing secret is at stake: the send goes on with the certificate warning.
      const anonymous = await send(s, { host: '192.0.2.25', servername: 'localhost', ca: [], auth: undefined }, { net: remote });
      assert.ok(ids(anonymous).includes('send.cert-untrusted'));
      assert.ok(!ids(anonymous).includes('send.untrusted-auth-refused'));
    });
  });

  test('plaintext AUTH to a host that is not loopback: refused unless --allow-plaintext-auth (then a warning)', async () => {
    await withServer({ noStartTls: true, allowInsecureAuth: true }, async (s) => {
      // 192.0.2.25 (TEST-NET-1) is routed to the local server: the guard must look at the name used.
      const remote: NetClient = { ...net, connect: (_h, port, t) => net.connect('127.0.0.1', port, t) };
      const r = await send(s, { host: '192.0.2.25', security: 'none' }, { net: remote });
      assert.deepEqual(ids(r), ['send.plaintext-auth-refused']);
      assert.equal(r.findings[0]!.severity, 'unknown');
      assert.equal(s.logins.length, 0, 'the password never left');
      const allowed = await send(s, { host: '192.0.2.25', security: 'none', allowPlaintextAuth: true }, { net: remote });
      assert.deepEqual(ids(allowed).sort(), ['send.accepted', 'send.plaintext-auth']);
    });
  });

  test('connection refused: connect-failed, critical', async () => {
    const s = await submissionServer();
    const port = s.port;
    await s.close();
    const m = await composeMessage({ from: 'a@healthy.test', to: ['b@healthy.test'] });
    const r = await submitMessage({ host: '127.0.0.1', port, security: 'starttls', from: 'a@healthy.test', to: ['b@healthy.test'], message: m.raw, stepTimeoutMs: 2000 }, { net });
    assert.deepEqual(ids(r), ['send.connect-failed']);
    assert.equal(r.findings[0]!.severity, 'critical');
    assert.equal(r.failure?.kind, 'refused');
  });

  test('a server name is looked up through the injected resolver; no address and a failed lookup differ', async () => {
    await withServer({}, async (s) => {
      const m = await composeMessage({ from: 'a@healthy.test', to: ['b@healthy.test'] });
      const base = { port: s.port, security: 'starttls' as const, from: 'a@healthy.test', to: ['b@healthy.test'], message: m.raw, ca: [TEST_CA], auth: ALICE };
      const found = await submitMessage({ ...base, host: 'mail.healthy.test' }, { net, resolve: async () => ['127.0.0.1'] });
      assert.equal(found.accepted, true, JSON.stringify(found.failure));
      assert.equal(found.address, '127.0.0.1');
      assert.equal(found.tls?.authorized, true, 'checked against the name, not the address');
      const none = await submitMessage({ ...base, host: 'gone.healthy.test' }, { net, resolve: async () => [] });
      assert.deepEqual(ids(none), ['send.host-not-found']);
      const failed = await submitMessage({ ...base, host: 'slow.healthy.test' }, { net, resolve: async () => { throw new Error('no answer within the timeout'); } });
      assert.deepEqual(ids(failed), ['send.lookup-failed']);
      assert.equal(failed.findings[0]!.severity, 'unknown');
    });
  });
});
