// Product text stands on its own: output, --help, README and docs never point at a
// document the user has never seen ("the article", "the seed article").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CITES = /seed article|the article|from the seed|article's/i;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => /\.(ts|md|json|txt|zone)$/.test(f) && statSync(join(ROOT, f)).isFile());
}

test('no source file, doc or the README cites "the article"', () => {
  const hits: string[] = [];
  for (const f of [...files('src'), ...files('docs'), 'README.md']) {
    readFileSync(join(ROOT, f), 'utf8').split('\n').forEach((line, i) => {
      if (CITES.test(line)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});

test('no --help text cites "the article"', async () => {
  const top = await runCli(['--help']);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z0-9]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  assert.ok(commands.includes('capacity') && commands.includes('check'), top.stdout);
  for (const cmd of commands) {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, CITES, cmd);
  }
});
