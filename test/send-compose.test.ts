// The pure parts of a send: composing the message (token, Message-ID, headers, raw
// messages), the wire form (CRLF, dot-stuffing), and queue ids of the common MTAs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { composeMessage, TOKEN_HEADER } from '../src/send/compose.js';
import { dotStuff, hasEightBit, headerValue, normalizeCrlf } from '../src/send/message-data.js';
import { parseQueueId } from '../src/send/queue-id.js';
import { checkEnvelope } from '../src/send/limits.js';

describe('send: composeMessage', () => {
  test('a random 128-bit token, in the header and the Message-ID at the sender\'s domain', async () => {
    const a = await composeMessage({ from: 'Alice@Example.TEST', to: ['b@example.test'], date: new Date('2025-01-02T03:04:05Z') });
    const b = await composeMessage({ from: 'alice@example.test', to: ['b@example.test'] });
    assert.match(a.token, /^[0-9a-f]{32}$/);
    assert.notEqual(a.token, b.token);
    assert.equal(a.messageId, `<mxd-${a.token}@example.test>`);
    assert.equal(headerValue(a.raw, TOKEN_HEADER), a.token);
    assert.equal(headerValue(a.raw, 'Message-ID'), a.messageId);
    assert.equal(headerValue(a.raw, 'Date'), 'Thu, 02 Jan 2025 03:04:05 +0000');
    assert.match(headerValue(a.raw, 'Subject')!, /^mxdoctor test message [0-9a-f]{8}$/);
    assert.ok(a.raw.toString().includes(`Token: ${a.token}`), 'the default body names the token');
  });

  test('user headers: kept in order; a From/Subject header replaces the generated one; the token header is reserved', async () => {
    const m = await composeMessage({
      from: 'a@example.test', to: ['b@example.test'], subject: 'ignored', token: 'ABCDEF0123456789abcdef0123456789',
      headers: [['Subject', 'from the header'], ['X-Priority', '1'], ['From', 'Someone <a@example.test>']],
    });
    assert.equal(m.token, 'abcdef0123456789abcdef0123456789');
    const text = m.raw.toString();
    assert.equal(text.match(/^Subject:/gm)?.length, 1);
    assert.equal(headerValue(m.raw, 'Subject'), 'from the header');
    assert.equal(headerValue(m.raw, 'From'), 'Someone <a@example.test>');
    assert.equal(headerValue(m.raw, 'X-Priority'), '1');
    await assert.rejects(composeMessage({ from: 'a@example.test', to: ['b@example.test'], headers: [['x-mxdoctor-token', '1']] }), /sets X-Mxdoctor-Token/);
    await assert.rejects(composeMessage({ from: 'a@example.test', to: ['b@example.test'], token: 'not hex' }), /hex digits/);
  });

  test('a raw message is sent as is, with the token prepended only when absent', async () => {
    const raw = Buffer.from('From: a@example.test\nMessage-ID: <x@example.test>\n\nbody\n');
    const m = await composeMessage({ from: 'a@example.test', to: ['b@example.test'], raw, token: '00112233445566778899aabbccddeeff' });
    assert.equal(m.raw.toString(), `X-Mxdoctor-Token: 00112233445566778899aabbccddeeff\n${raw.toString()}`);
    assert.equal(m.messageId, '<x@example.test>');
    const again = await composeMessage({ from: 'a@example.test', to: ['b@example.test'], raw: m.raw });
    assert.equal(again.token, '00112233445566778899aabbccddeeff', 'an existing token is kept');
    assert.equal(again.raw, m.raw);
    const bare = await composeMessage({ from: 'a@example.test', to: ['b@example.test'], raw: Buffer.from('Subject: x\r\n\r\nbody') });
    assert.equal(bare.messageId, '');
  });
});

describe('send: the wire form', () => {
  test('CRLF normalisation: bare LF and bare CR become CRLF, a final line end is added', () => {
    assert.equal(normalizeCrlf(Buffer.from('a\nb\rc\r\nd')).toString(), 'a\r\nb\r\nc\r\nd\r\n');
    assert.equal(normalizeCrlf(Buffer.from('a\r\n')).toString(), 'a\r\n');
    assert.equal(normalizeCrlf(Buffer.from('')).toString(), '');
  });

  test('dot-stuffing (RFC 5321 §4.5.2) and the end marker', () => {
    assert.equal(dotStuff(Buffer.from('.a\r\nb.\r\n..c\r\n.\r\n')).toString(), '..a\r\nb.\r\n...c\r\n..\r\n.\r\n');
    assert.equal(dotStuff(Buffer.from('x\r\n')).toString(), 'x\r\n.\r\n');
  });

  test('8-bit detection; header unfolding', () => {
    assert.equal(hasEightBit(Buffer.from('plain ascii')), false);
    assert.equal(hasEightBit(Buffer.from('Grüße')), true);
    assert.equal(headerValue(Buffer.from('Subject: a\r\n  folded\r\n\r\nSubject: body'), 'subject'), 'a folded');
  });

  test('envelope checks keep addresses and the EHLO name inside their commands', () => {
    assert.doesNotThrow(() => checkEnvelope('', ['postmaster', 'b@example.test'], 'mail.example.test'));
    assert.throws(() => checkEnvelope('a@example.test\r\nRSET', ['b@example.test']), /--from/);
    assert.throws(() => checkEnvelope('a@example.test', ['b c@example.test']), /--to/);
    assert.throws(() => checkEnvelope('a@example.test', ['b@example.test'], 'bad name\r\nQUIT'), /--ehlo/);
    assert.doesNotThrow(() => checkEnvelope('a@example.test', ['b@example.test'], '[192.0.2.1]'));
  });
});

describe('send: queue ids', () => {
  const cases: [string, string | undefined, string?][] = [
    ['2.0.0 Ok: queued as 4Xyz1234AbC', '4Xyz1234AbC', 'postfix'],
    ['OK id=1abcDE-000123-AB', '1abcDE-000123-AB', 'exim'],
    ['OK id=1rXyZa-00000004Qm-ABCD', '1rXyZa-00000004Qm-ABCD', 'exim'],
    ['2.6.0 <mxd-1@example.test> [InternalId=1234567890, Hostname=EX01.example.test] 1234 bytes in 0.120, 10 KB/sec Queued mail for delivery', '1234567890', 'exchange'],
    ['2.0.0 4BCDEfGh012345 Message accepted for delivery', '4BCDEfGh012345', 'sendmail'],
    ['2.0.0 OK  1700000000 a1b2c3d4e5f6-abc.123 - gsmtp', 'a1b2c3d4e5f6-abc.123', 'gmail'],
    ['ok 1700000000 qp 12345', 'qp 12345', 'qmail'],
    ['Message Queued (4E9B1C2A-0D3F-4C4B-9D2E-ABCDEF012345.1)', '4E9B1C2A-0D3F-4C4B-9D2E-ABCDEF012345.1', 'haraka'],
    ['OK: message queued', undefined],
    ['2.0.0 Ok', undefined],
  ];
  for (const [text, id, software] of cases) {
    test(`"${text.slice(0, 40)}" → ${id ?? 'none'}`, () => {
      const q = parseQueueId(text);
      assert.equal(q?.queueId, id);
      if (software) assert.equal(q?.software, software);
    });
  }
});
