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

describe('one flag vocabulary, per-command --help', () => {
  const help = async (cmd: string) => (await runCli([cmd, '--help'])).stdout;

  test('each command lists only the flags it uses', async () => {
    const blacklist = await help('blacklist');
    for (const f of ['--dkim-selector', '--no-dkim-guess', '--only', '--step-timeout', '--no-relay-test']) assert.ok(!blacklist.includes(f), `blacklist: ${f}`);
    assert.ok(blacklist.includes('--dnsbl') && blacklist.includes('--resolver'));
    const imap = await help('imap');
    for (const f of ['--no-relay-test', '--dkim-selector', '--submission-host', '--slow', '--ehlo', '--cert-warn-days']) assert.ok(!imap.includes(f), `imap: ${f}`);
    assert.match(imap.replace(/\s+/g, ' '), /--tls <mode> implicit or starttls \(default: implicit on 993, else starttls\)/);
    const tls = await help('tls');
    assert.match(tls, /--tls <mode>/);
    assert.ok(!tls.includes('--starttls'), 'the old spelling is hidden');
    const check = await help('check');
    assert.match(check.replace(/\s+/g, ' '), /--slow <duration> a server reply slower than this is a warning \(a bare number is ms\) \(default: 500ms\)/);
    assert.match(check, /-q, --quiet/);
  });

  test('every default is written "(default: …)" and roundtrip shows its --deadline default', async () => {
    const top = await runCli(['--help']);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z0-9]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    for (const cmd of commands) {
      const text = (await help(cmd)).replace(/\s+/g, ' ');
      assert.doesNotMatch(text, /\(default (?!port)[^:]/, cmd);
    }
    assert.match((await help('roundtrip')).replace(/\s+/g, ' '), /--deadline <duration> .*default: 2m\)/);
  });

  test('durations say their unit; bad ones are one-line usage errors naming the flag', async () => {
    const r = await runCli(['check', 'example.test', '--slow', 'fast']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^mxdoctor: --slow fast: not a duration: write a number with a unit, e\.g\. 500ms/);
    const rt = await runCli(['roundtrip', '--deadline', '5x']);
    assert.equal(rt.code, 3);
    assert.match(rt.stderr, /--deadline 5x: not a duration/);
  });
});

describe('global options and usage errors as JSON', () => {
  test('--json, --verbose, --no-color and --resolver are accepted before the command', async () => {
    const r = await runCli(['--json', '--no-color', '--resolver', '127.0.0.1:9', 'check', 'bad_domain..test']);
    assert.equal(r.code, 3);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'mxdoctor.error/v1');
    assert.match(doc.error.message, /empty label/);
    const v = await runCli(['--verbose', 'explain', '452']);
    assert.equal(v.code, 3, 'explain has no --verbose: the command says so, as it would after its name');
    assert.match(v.stderr, /unknown option '--verbose'/);
  });

  test('a usage error with --json is a JSON document on stdout, and one line on stderr', async () => {
    const r = await runCli(['check', 'x.test', '--no-such-flag', '--json']);
    assert.equal(r.code, 3);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual([doc.schema, doc.exitCode, doc.error.kind], ['mxdoctor.error/v1', 3, 'usage']);
    assert.match(doc.error.message, /unknown option '--no-such-flag'/);
    assert.match(r.stderr, /^mxdoctor: unknown option '--no-such-flag'/);
    const plain = await runCli(['check', 'x.test', '--no-such-flag']);
    assert.equal(plain.stdout, '');
  });

  test('old spellings still work for one release: imap --tls (switch), tls --starttls', async () => {
    const { hoistGlobalOptions, legacySpellings } = await import('../src/cli/global-args.js');
    assert.deepEqual(legacySpellings(['imap', '--tls', 'mail.test:1993']), ['imap', '--tls=implicit', 'mail.test:1993']);
    assert.deepEqual(legacySpellings(['imap', '--tls', 'starttls', 'mail.test']), ['imap', '--tls', 'starttls', 'mail.test']);
    assert.deepEqual(hoistGlobalOptions(['-v', '--resolver', '127.0.0.1', 'check', 'x.test']), ['check', '-v', '--resolver', '127.0.0.1', 'x.test']);
    assert.deepEqual(hoistGlobalOptions(['--help']), ['--help']);
    const { startTlsMode } = await import('../src/cli/commands/tls.js');
    assert.equal(startTlsMode({ starttls: 'imap' }, 25), 'imap');
    assert.equal(startTlsMode({ tls: 'implicit' }, 25), 'none');
    assert.equal(startTlsMode({ tls: 'starttls' }, 143), 'imap');
    assert.equal(startTlsMode({ tls: 'starttls', protocol: 'pop3' }, 25), 'pop3');
    assert.throws(() => startTlsMode({ tls: 'implicit', protocol: 'smtp' }, 25), UsageError);
  });
});
