// Bounded reads of user-named files and stdin (src/io/files.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readUpTo } from '../src/io/files.js';

test('readUpTo: a small file whole; a bigger one cut at max and marked truncated; /dev/zero ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-files-'));
  try {
    writeFileSync(join(dir, 'small'), 'secret\nrest\n');
    assert.deepEqual(readUpTo(join(dir, 'small'), 100), { data: Buffer.from('secret\nrest\n'), truncated: false });
    writeFileSync(join(dir, 'big'), Buffer.alloc(3 << 20, 'x'));
    const big = readUpTo(join(dir, 'big'), 1 << 20);
    assert.equal(big.data.length, 1 << 20);
    assert.equal(big.truncated, true);
    const zero = readUpTo('/dev/zero', 5000);
    assert.equal(zero.data.length, 5000);
    assert.equal(zero.truncated, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readUpTo(0): stdin, bounded', () => {
  const code = `import('${new URL('../src/io/files.ts', import.meta.url).href}').then(({ readUpTo }) => { const r = readUpTo(0, 10); console.log(r.data.length, r.truncated); })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { input: 'x'.repeat(100), encoding: 'utf8' });
  assert.equal(r.stdout.trim(), '10 true', r.stderr);
});

test('path flags keep commas: collectEach takes each value whole, collect splits lists', async () => {
  const { collect, collectEach } = await import('../src/cli/options.js');
  assert.deepEqual(collectEach('/var/log/mail,old.log', collectEach('/a')), ['/a', '/var/log/mail,old.log']);
  assert.deepEqual(collect('spf,dkim'), ['spf', 'dkim']);
});
