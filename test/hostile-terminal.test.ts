// The terminal belongs to the user: a server whose banner, EHLO, RCPT and AUTH replies
// carry ESC[2J and a fake "ALL CHECKS PASSED", bidi overrides and C1 controls, and a log
// line with ESC and NUL, must reach stdout as visible escapes in every text rendering,
// while --json keeps the exact text.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeControl, escapeLine } from '../src/core/terminal-text.js';
import { createColors, toTerminal } from '../src/report/colors.js';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { ScriptedConn, ScriptedServer } from './helpers/scripted-smtp.js';
import { runCli } from './helpers/cli.js';

/** Clear the screen, home the cursor, a fake verdict, a window title (OSC), a right-to-left override, a C1 CSI. */
const PAINT = '\x1b[2J\x1b[H\x1b[32mALL CHECKS PASSED\x1b[0m\x1b]0;owned\x07 \u202egnirts\u202c \u009b2J';
/** Any raw control or bidi character a terminal would act on (newline and tab are ours). */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('escapeControl and the terminal sink', () => {
  test('C0, DEL, C1 and bidi controls become visible escapes; text, newlines and tabs stay', () => {
    assert.equal(escapeControl('a\x1b[2Jb\x00c\x7f\u0085\u202e\u2066d\te\nf'), 'a\\x1b[2Jb\\x00c\\u007f\\u0085\\u202e\\u2066d\te\nf');
    assert.equal(escapeLine('a\r\nb'), 'a\\x0d\\nb');
    assert.equal(escapeControl('Grüße, 東京'), 'Grüße, 東京');
  });

  test('our colours survive, data cannot forge them, and JSON stays the same JSON', () => {
    const c = createColors(true);
    assert.equal(toTerminal(c.red(`x${PAINT}`)).startsWith('\x1b[31mx\\x1b[2J'), true);
    assert.doesNotMatch(toTerminal(c.bold(c.red(PAINT))).replace(/\x1b\[(1|22|31|39)m/g, ''), RAW);
    const forged = '\ue0000123456789abcdef31\ue001';
    assert.doesNotMatch(toTerminal(forged), /\x1b/);
    const doc = { greeting: `220 ${PAINT}`, nested: ['\u0085\u2028'] };
    const json = toTerminal(JSON.stringify(doc, null, 2));
    assert.doesNotMatch(json, RAW);
    assert.deepEqual(JSON.parse(json), doc);
  });
});

test('every renderer paints through report/colors.ts and writes through cli/output.ts (no path around the escape)', () => {
  const src = new URL('../src/', import.meta.url).pathname;
  const offenders: string[] = [];
  for (const f of readdirSync(src, { recursive: true }) as string[]) {
    if (!f.endsWith('.ts') || f === 'cli/output.ts' || f === 'report/colors.ts') continue;
    const text = readFileSync(join(src, f), 'utf8');
    if (/from 'picocolors'/.test(text)) offenders.push(`${f}: imports picocolors (use report/colors.ts)`);
    if (/process\.stdout\.write|console\.log\(/.test(text)) offenders.push(`${f}: writes to stdout directly (use cli/output.ts write())`);
  }
  assert.deepEqual(offenders, []);
});

const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

/** An SMTP server that paints in every reply: greeting, EHLO, MAIL, RCPT, AUTH, DATA. */
async function paintingServer(): Promise<number> {
  const s = await scriptedServer(async (c: ScriptedConn) => {
    c.send(`220 mx.example.test ${PAINT}`);
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      if (/^EHLO/i.test(line)) c.send(`250-mx.example.test ${PAINT}\r\n250-SIZE 1000000\r\n250 AUTH PLAIN`);
      else if (/^AUTH/i.test(line)) c.send(`535 5.7.8 ${PAINT}`);
      else if (/^RCPT/i.test(line)) c.send(`550 5.1.1 ${PAINT}`);
      else if (/^QUIT/i.test(line)) { c.send(`221 ${PAINT}`); return; } else c.send(`250 2.0.0 ${PAINT}`);
    }
  });
  servers.push(s);
  return s.port;
}

function assertSafe(out: string, what: string): void {
  const m = RAW.exec(out);
  assert.equal(m, null, `${what}: raw control U+${m?.[0].charCodeAt(0).toString(16)} at ${m?.index}: ${JSON.stringify(out.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 20))}`);
}

describe('CLI: a painting server and a painted log reach the terminal escaped', () => {
  test('smtp --transcript -v: no raw control anywhere; --json keeps the exact banner', async () => {
    const port = await paintingServer();
    const t0 = performance.now();
    const text = await runCli(['smtp', `127.0.0.1:${port}`, '--transcript', '-v', '--step-timeout', '2000'], { timeoutMs: 60_000 });
    assertSafe(text.stdout + text.stderr, 'smtp text');
    assert.match(text.stdout, /\\x1b\[2J/);
    const json = await runCli(['smtp', `127.0.0.1:${port}`, '--json', '--step-timeout', '2000'], { timeoutMs: 60_000 });
    assertSafe(json.stdout, 'smtp json');
    // SMTP replies are read as latin1 bytes: the exact text is the latin1 view of what the server wrote.
    const exact = Buffer.from(`mx.example.test ${PAINT}`, 'utf8').toString('latin1');
    const all = JSON.stringify(JSON.parse(json.stdout));
    assert.ok(all.includes(JSON.stringify(exact).slice(1, -1)), 'the JSON report holds the exact greeting');
    assert.ok(performance.now() - t0 < 50_000);
  });

  test('send (steps, findings, transcript) and explain: no raw control', async () => {
    const port = await paintingServer();
    const dir = mkdtempSync(join(tmpdir(), 'mxd-term-'));
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'not-the-password\n');
    const send = await runCli(['send', '--server', `127.0.0.1:${port}`, '--tls', 'none', '--from', 'a@example.test', '--to', 'b@example.test', '--auth-user', 'a', '--password-file', pw, '--transcript', '-v'], { timeoutMs: 30_000 });
    assert.equal(send.code, 2, send.stderr);
    assertSafe(send.stdout + send.stderr, 'send');
    assert.match(send.stdout, /ALL CHECKS PASSED/);
    const rcpt = await runCli(['send', '--server', `127.0.0.1:${port}`, '--tls', 'none', '--from', 'a@example.test', '--to', 'b@example.test', '--transcript'], { timeoutMs: 30_000 });
    assertSafe(rcpt.stdout + rcpt.stderr, 'send rcpt');
    assert.match(rcpt.stdout, /send\.recipient-rejected/);
    const explain = await runCli(['explain', `550 5.1.1 ${PAINT}`]);
    assertSafe(explain.stdout + explain.stderr, 'explain');
  });

  test('logs: a line carrying ESC and NUL is shown escaped (text), exact in JSON', async () => {
    const line = `Apr  7 15:35:18 mail postfix/smtpd[20230]: warning: ${PAINT}\x00 hidden\n`;
    const text = await runCli(['logs', '--unparsed', '-v', '-'], { stdin: `${line}${line}garbage \x1b[2J\x00 line\n` });
    assertSafe(text.stdout + text.stderr, 'logs');
    const json = await runCli(['logs', '--json', '-'], { stdin: line });
    assertSafe(json.stdout, 'logs json');
    JSON.parse(json.stdout);
  });
});
