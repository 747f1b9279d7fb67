// What a new user meets first: messages, help, global options, usage errors (issue 10).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN, runCli } from './helpers/cli.js';
import { logInputs } from '../src/cli/log-inputs.js';
import { UsageError } from '../src/core/errors.js';
import type { HostFs } from '../src/io/host-fs.js';

test('blacklist names the space in "not a host" instead of "single label"', async () => {
  const r = await runCli(['blacklist', 'not a host']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mxdoctor: "not a host" is not an IP address or a name: it contains a space/);
  assert.doesNotMatch(r.stderr, /single label/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

describe('logs and capacity with no file', () => {
  const fsWith = (readable: string[]) => ({
    readFile: (p: string) => { if (readable.includes(p)) return 'x'; throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); },
  }) as unknown as HostFs;

  test('a pipe on stdin is read as before, without a note', async () => {
    const notes: string[] = [];
    assert.deepEqual(await logInputs('logs', [], { stdinIsTTY: false, fs: fsWith([]), note: (l) => notes.push(l) }), []);
    assert.deepEqual(notes, []);
  });

  test('a terminal on stdin: the system mail log is read and named on stderr', async () => {
    const notes: string[] = [];
    assert.deepEqual(await logInputs('logs', [], { stdinIsTTY: true, fs: fsWith(['/var/log/maillog']), note: (l) => notes.push(l) }), ['/var/log/maillog']);
    assert.match(notes.join('\n'), /^mxdoctor logs: no file given: reading \/var\/log\/maillog/);
  });

  test('a terminal and no readable system log: a one-line usage error naming the fix', async () => {
    await assert.rejects(logInputs('capacity', [], { stdinIsTTY: true, fs: fsWith([]), note: () => undefined }),
      (e: Error) => e instanceof UsageError && /no log file given and none of \/var\/log\/mail\.log.*is readable here: give one .* or pipe it/.test(e.message) && !e.message.includes('\n'));
  });

  test('"-" on a terminal says it is reading the terminal', async () => {
    const notes: string[] = [];
    assert.deepEqual(await logInputs('logs', ['-'], { stdinIsTTY: true, fs: fsWith([]), note: (l) => notes.push(l) }), ['-']);
    assert.match(notes[0]!, /reading the log from the terminal \(stdin\); end with Ctrl-D/);
  });

  test('the real command on a pseudo-terminal does not wait silently', { skip: !existsSync('/usr/bin/script') && 'no script(1)' }, async () => {
    // script(1) gives the child a terminal on stdin; before the fix it waited for input forever.
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn('script', ['-qec', `${process.execPath} ${BIN} logs --no-color`, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
      p.stdout.on('data', (d) => { out += d; });
      p.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
    });
    assert.match(r.out, /mxdoctor:? logs: (no file given: reading \/|no log file given and none of)/);
    assert.notEqual(r.code, null);
  });
});
