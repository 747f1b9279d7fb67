// The load test's reply reader (src/load/reply-reader.ts): replies parsed from bytes as they
// arrive in any split, multi-line replies, and the caps and timeouts that keep a hostile
// server from hanging or flooding a run.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { isFailure, ReplyReader } from '../src/load/reply-reader.js';

function reader() {
  const s = new PassThrough();
  return { s, r: new ReplyReader(s) };
}

describe('load: reply reader', () => {
  test('replies split anywhere, several in one chunk, multi-line text joined', async () => {
    const { s, r } = reader();
    s.write('25');
    s.write('0 2.1.0 Ok\r\n451-4.7.1 try\r\n451 4.7.1 later\r');
    s.write('\n354 go ahead\r\n');
    const a = await r.next(1000);
    assert.deepEqual(a, { code: 250, text: '' });
    assert.deepEqual(r.take(), { code: 451, text: '4.7.1 try 4.7.1 later' });
    assert.deepEqual(r.take(), { code: 354, text: '' });
    assert.equal(r.take(), undefined);
    r.detach();
  });

  test('full: every line kept (the EHLO reply), then back to codes only', async () => {
    const { s, r } = reader();
    r.full = true;
    s.write('250-mx.test hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n');
    assert.deepEqual(await r.next(1000), { code: 250, text: 'mx.test hello PIPELINING SIZE 1000', lines: ['mx.test hello', 'PIPELINING', 'SIZE 1000'] });
    r.full = false;
    s.write('250 2.1.0 Ok\r\n');
    assert.deepEqual(await r.next(1000), { code: 250, text: '' });
    r.detach();
  });

  test('a bare code, and a bare LF line end, are replies', async () => {
    const { s, r } = reader();
    s.write('221\n');
    assert.deepEqual(await r.next(1000), { code: 221, text: '' });
    r.detach();
  });

  test('no reply in time: a timeout failure, and the same timer serves the next wait', async () => {
    const { s, r } = reader();
    const a = await r.next(50);
    assert.ok(isFailure(a) && a.kind === 'timeout', JSON.stringify(a));
    setTimeout(() => s.write('250 ok\r\n'), 20);
    assert.deepEqual(await r.next(1000), { code: 250, text: '' });
    r.detach();
  });

  test('not SMTP, a changed code within a reply, a long line: protocol failures that end the socket', async () => {
    for (const [bytes, want] of [['HTTP/1.1 400 Bad\r\n', /not an SMTP reply line/], ['250-a\r\n550 b\r\n', /code changed from 250 to 550/], [`250 ${'x'.repeat(3000)}`, /longer than 2048/]] as const) {
      const { s, r } = reader();
      s.write(bytes);
      const f = await r.next(1000);
      assert.ok(isFailure(f) && f.kind === 'protocol' && want.test(f.error), `${bytes.slice(0, 20)}: ${JSON.stringify(f)}`);
      assert.ok(s.destroyed);
    }
  });

  test('a reply of endless continuation lines, or a flood of replies nobody asked for, is cut off', async () => {
    const a = reader();
    a.s.write('250-x\r\n'.repeat(150));
    const f = await a.r.next(1000);
    assert.ok(isFailure(f) && /after 100 lines/.test(f.error), JSON.stringify(f));
    const b = reader();
    b.s.write('250 ok\r\n'.repeat(300));
    await new Promise((res) => setImmediate(res));
    let n = 0;
    let last;
    while ((last = b.r.take()) && !isFailure(last)) n++;
    assert.equal(n, 256);
    assert.ok(last && isFailure(last) && /more than 256 replies/.test(last.error));
  });

  test('the server closing: replies already read come first, then "closed"', async () => {
    const { s, r } = reader();
    s.end('221 bye\r\n');
    assert.deepEqual(await r.next(1000), { code: 221, text: 'bye' });
    const f = await r.next(1000);
    assert.ok(isFailure(f) && f.kind === 'closed', JSON.stringify(f));
  });
});
