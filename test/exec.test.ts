// The real command runner (src/io/exec.ts) against real programs: output, exit codes,
// the SIGKILL deadline, output caps, streaming lines, a missing and a non-executable program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { LineBuffer, runCommand } from '../src/io/exec.js';

test('runs /bin/echo without a shell: arguments are passed as is', async () => {
  const r = await runCommand(['/bin/echo', 'hello', '$HOME', '; rm -rf /', '*']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'hello $HOME ; rm -rf / *\n');
  assert.equal(r.timedOut, false);
  assert.equal(r.truncated, false);
  assert.equal(r.notFound, false);
});

test('a program that runs too long is killed with SIGKILL at the deadline', async () => {
  const t0 = Date.now();
  const r = await runCommand(['/bin/sleep', '10'], { timeoutMs: 300 });
  const ms = Date.now() - t0;
  assert.equal(r.timedOut, true);
  assert.equal(r.code, null);
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a missing program is notFound (ENOENT), not a crash', async () => {
  const r = await runCommand(['/nonexistent/postqueue', '-j']);
  assert.equal(r.notFound, true);
  assert.equal(r.error, 'ENOENT');
  assert.equal(r.code, null);
  const bare = await runCommand(['mxdoctor-no-such-program-xyz']);
  assert.equal(bare.notFound, true);
});

test('a file without execute permission gives EACCES, not notFound', async () => {
  const r = await runCommand([fileURLToPath(new URL('./fixtures/queue/exim-bpc.txt', import.meta.url))]);
  assert.equal(r.notFound, false);
  assert.equal(r.error, 'EACCES');
});

test('exit status and stderr are reported', async () => {
  const r = await runCommand(['/bin/sh', '-c', 'echo "postqueue: fatal: boom" >&2; exit 69']);
  assert.equal(r.code, 69);
  assert.match(r.stderr, /fatal: boom/);
});

test('stdout over maxBytes is cut, the child killed, truncated set', async () => {
  const r = await runCommand(['/usr/bin/yes', 'queue-line'], { maxBytes: 1000, timeoutMs: 10_000 });
  assert.equal(r.truncated, true);
  assert.equal(r.timedOut, false);
  assert.equal(r.stdout.length, 1000);
});

test('streaming: onLine gets each line, stdout stays empty, a cut last line is dropped', async () => {
  const lines: string[] = [];
  const r = await runCommand(['/bin/sh', '-c', 'printf "a\\nb\\r\\n\\nlast"'], { onLine: (l) => lines.push(l) });
  assert.equal(r.stdout, '');
  assert.deepEqual(lines, ['a', 'b', '', 'last']);
  const cut: string[] = [];
  const t = await runCommand(['/usr/bin/yes', '0123456789'], { maxBytes: 105, onLine: (l) => cut.push(l) });
  assert.equal(t.truncated, true);
  // 105 bytes = 9 full lines of 11 bytes + "012345": the partial line never reaches the parser.
  assert.equal(cut.length, 9);
  assert.ok(cut.every((l) => l === '0123456789'));
});

test('streams a large output in bounded pieces', async () => {
  let n = 0;
  let bytes = 0;
  const r = await runCommand(['/bin/sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo "{\\"queue_name\\": \\"deferred\\", \\"n\\": $i}"; i=$((i+1)); done'], {
    maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000, onLine: (l) => { n++; bytes += l.length; },
  });
  assert.equal(r.code, 0);
  assert.equal(n, 20000);
  assert.ok(bytes > 500_000);
});

test('LineBuffer joins lines split across chunks and cuts overlong ones', () => {
  const got: string[] = [];
  const b = new LineBuffer((l) => got.push(l), 8);
  b.push('ab');
  b.push('c\nde');
  b.push('f\n0123456789ABC');
  assert.deepEqual(got, ['abc', 'def', '01234567']);
  // The rest of the cut line (here split over two chunks) is dropped, the next line is whole.
  b.push('DEF');
  b.push('GH\nnext\nend');
  b.end();
  assert.deepEqual(got.slice(3), ['next', 'end']);
  const none: string[] = [];
  const c = new LineBuffer((l) => none.push(l));
  c.push('partial');
  c.end(false);
  assert.deepEqual(none, []);
});
