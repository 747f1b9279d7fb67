// submitMessage against scripted and hostile servers: silence, garbage, a 10 MB line, a
// connection dropped mid-DATA, 421 at the greeting, refusals at each step, and the bytes
// of DATA exactly as they went over the wire (dot-stuffing, CRLF, the end marker).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createNetClient } from '../src/io/net.js';
import { composeMessage } from '../src/send/compose.js';
import { submitMessage } from '../src/send/submit.js';
import type { SubmitRequest, SubmitResult } from '../src/send/types.js';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedConn } from './helpers/scripted-smtp.js';
import { sendScript } from './helpers/send-scripts.js';
import type { SendScriptOptions } from './helpers/send-scripts.js';

const net = createNetClient();
const ids = (r: SubmitResult) => r.findings.map((f) => f.id);

async function against(script: (c: ScriptedConn) => Promise<void>, over: Partial<SubmitRequest> = {}): Promise<SubmitResult> {
  const srv = await scriptedServer(script);
  try {
    const message = over.message ?? (await composeMessage({ from: 'a@scripted.test', to: ['b@scripted.test'], text: 'hi' })).raw;
    return await submitMessage({
      host: '127.0.0.1', port: srv.port, security: 'none', from: 'a@scripted.test', to: ['b@scripted.test'],
      stepTimeoutMs: 1500, ...over, message,
    }, { net });
  } finally {
    await srv.close();
  }
}

const scripted = (o: SendScriptOptions, over: Partial<SubmitRequest> = {}) => against(sendScript(o), over);

describe('send: hostile and scripted servers', () => {
  test('a server that never answers: send.timeout (unknown) within the step timeout', async () => {
    const t0 = performance.now();
    const r = await against(async (c) => { await c.sleep(5000); }, { stepTimeoutMs: 400 });
    const ms = performance.now() - t0;
    assert.deepEqual(ids(r), ['send.timeout']);
    assert.equal(r.findings[0]!.severity, 'unknown');
    assert.equal(r.failure?.step, 'greeting');
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  test('a garbage greeting (another protocol): send.protocol-error', async () => {
    const r = await against(async (c) => { c.send('SSH-2.0-OpenSSH_9.6'); await c.sleep(2000); });
    assert.deepEqual(ids(r), ['send.protocol-error']);
    assert.match(r.failure!.error!, /SSH-2\.0/);
  });

  test('a 10 MB line without CRLF: cut at the line cap, protocol error, quickly', async () => {
    const t0 = performance.now();
    const r = await against(async (c) => { c.sendRaw(Buffer.alloc(10 * 1024 * 1024, 0x41)); await c.sleep(3000); }, { stepTimeoutMs: 5000 });
    assert.deepEqual(ids(r), ['send.protocol-error']);
    assert.ok(performance.now() - t0 < 4000);
  });

  test('421 at the greeting: greeting-rejected, explained; no QUIT after a 421', async () => {
    const r = await scripted({ greeting: '421 4.3.2 Service not available, closing transmission channel' });
    assert.deepEqual(ids(r), ['send.greeting-rejected']);
    const ev = r.findings[0]!.evidence as { explanation: { replyCode: string; enhancedCode: string; willRetry: boolean } };
    assert.equal(ev.explanation.replyCode, '421');
    assert.equal(ev.explanation.enhancedCode, '4.3.2');
    assert.equal(ev.explanation.willRetry, true);
    assert.ok(!r.steps.some((s) => s.step === 'quit'));
  });

  test('connection dropped mid-DATA: server-closed, not accepted', async () => {
    const big = (await composeMessage({ from: 'a@scripted.test', to: ['b@scripted.test'], text: 'line of text\n'.repeat(150_000) })).raw;
    const r = await scripted({ dropDuringData: true }, { message: big });
    assert.equal(r.accepted, false);
    assert.deepEqual(ids(r), ['send.server-closed']);
    assert.equal(r.failure?.step, 'body');
  });

  test('the DATA bytes on the wire: CRLF only, dot-stuffed, ended by CRLF.CRLF; a raw message keeps its bytes', async () => {
    const log = { commands: [] as string[], data: [] as string[], early: [] as string[] };
    const raw = Buffer.from('Subject: raw\nFrom: a@scripted.test\n\n.starts with a dot\nbare CR\rhere\n.\nlast line without end');
    const m = await composeMessage({ from: 'a@scripted.test', to: ['b@scripted.test'], raw, token: 'feedfacefeedfacefeedfacefeedface' });
    const r = await scripted({ log }, { message: m.raw });
    assert.equal(r.accepted, true, JSON.stringify(r.failure));
    assert.equal(r.queueId, '4ABCDEF123');
    const wire = log.data[0]!;
    assert.equal(wire, 'X-Mxdoctor-Token: feedfacefeedfacefeedfacefeedface\r\nSubject: raw\r\nFrom: a@scripted.test\r\n\r\n..starts with a dot\r\nbare CR\r\nhere\r\n..\r\nlast line without end\r\n.\r\n');
    assert.ok(!/(^|[^\r])\n/.test(wire), 'no bare LF');
    // SIZE (RFC 1870) is the normalised size, without the stuffing dots and the end marker.
    const size = Buffer.byteLength(wire) - 2 - 3;
    assert.ok(log.commands.includes(`MAIL FROM:<a@scripted.test> SIZE=${size}`), log.commands.join(' | '));
    assert.equal(r.size, size);
    assert.deepEqual(log.early, [], 'no command sent before the previous reply (no pipelining)');
  });

  test('MAIL FROM refused (530 authentication required): sender-rejected, explained', async () => {
    const r = await scripted({ mail: '530 5.7.0 Authentication required' });
    assert.deepEqual(ids(r), ['send.sender-rejected']);
    assert.equal((r.findings[0]!.evidence as { explanation: { replyCode: string } }).explanation.replyCode, '530');
  });

  test('the message refused after the data (554 5.7.1 spam): data-rejected; 552 5.3.4 after the data: message-too-large', async () => {
    const spam = await scripted({ final: '554 5.7.1 Message rejected as spam' });
    assert.deepEqual(ids(spam), ['send.data-rejected']);
    assert.deepEqual(spam.finalReply, { code: 554, enhanced: '5.7.1', text: '5.7.1 Message rejected as spam' });
    const big = await scripted({ final: '552 5.3.4 Message size exceeds fixed limit' });
    assert.deepEqual(ids(big), ['send.message-too-large']);
  });

  test('EHLO and HELO refused: ehlo-rejected, after trying HELO (RFC 5321 §4.1.4)', async () => {
    const log: string[] = [];
    const r = await against(async (c) => {
      c.send('220 mx ESMTP');
      for (;;) {
        const line = await c.readLine();
        if (line === null) return;
        log.push(line);
        if (line === 'QUIT') { c.send('221 bye'); return; }
        c.send('550 5.7.1 Your HELO name is not acceptable');
      }
    }, { heloName: 'bad.example.test' });
    assert.deepEqual(ids(r), ['send.ehlo-rejected']);
    assert.deepEqual(log, ['EHLO bad.example.test', 'HELO bad.example.test', 'QUIT']);
  });

  test('DATA refused (503 bad sequence): data-rejected', async () => {
    const r = await scripted({ data: '503 5.5.1 Error: need RCPT command' });
    assert.deepEqual(ids(r), ['send.data-rejected']);
  });

  test('no usable AUTH mechanism: auth-not-offered, and no password sent', async () => {
    const log = { commands: [] as string[], data: [] as string[] };
    const r = await scripted({ ehlo: ['SIZE 1000000', 'AUTH CRAM-MD5'], log }, { auth: { user: 'u', password: 'secret-pw' } });
    assert.deepEqual(ids(r), ['send.auth-not-offered']);
    assert.match(r.failure!.error!, /CRAM-MD5/);
    assert.ok(!log.commands.some((l) => l.startsWith('AUTH')));
  });

  test('a hostile server echoing the credentials back: scrubbed from every string of the result', async () => {
    const pw = 'echo-me-please';
    const b64 = Buffer.from(`\0u\0${pw}`).toString('base64');
    const r = await against(async (c) => {
      c.send('220 mx ESMTP');
      await c.readLine();
      c.send('250-mx\r\n250 AUTH PLAIN');
      const auth = await c.readLine();
      c.send(`535 5.7.8 bad credentials: ${auth} ${pw}`);
      await c.readLine();
    }, { auth: { user: 'u', password: pw } });
    assert.deepEqual(ids(r), ['send.auth-failed']);
    const all = JSON.stringify(r);
    assert.ok(!all.includes(pw) && !all.includes(b64));
    assert.match(all, /<redacted>/);
  });

  test('STARTTLS refused (454): tls-failed, explained, then QUIT', async () => {
    const r = await against(async (c) => {
      c.send('220 mx ESMTP');
      await c.readLine();
      c.send('250-mx\r\n250 STARTTLS');
      await c.readLine();
      c.send('454 4.7.0 TLS not available due to local problem');
      const quit = await c.readLine();
      if (quit === 'QUIT') c.send('221 bye');
    }, { security: 'starttls' });
    assert.deepEqual(ids(r), ['send.tls-failed']);
    assert.equal(r.steps.at(-1)?.reply, '221 bye');
    assert.equal((r.findings[0]!.evidence as { explanation: { replyCode: string } }).explanation.replyCode, '454');
  });

  test('too many recipients or a message over 25 MB are usage errors, not sends', async () => {
    const m = (await composeMessage({ from: 'a@scripted.test', to: ['b@scripted.test'] })).raw;
    const base = { host: '127.0.0.1', port: 1, security: 'none' as const, from: 'a@scripted.test', message: m };
    await assert.rejects(submitMessage({ ...base, to: Array.from({ length: 101 }, (_, i) => `u${i}@scripted.test`) }, { net }), /at most 100/);
    await assert.rejects(submitMessage({ ...base, to: ['b@scripted.test'], message: Buffer.alloc(26 * 1024 * 1024, 0x61) }, { net }), /at most 25 MB/);
    await assert.rejects(submitMessage({ ...base, to: ['b@scripted.test>\r\nRCPT TO:<c@x.test'] }, { net }), /plain address/);
  });
});
