// File reading through io/: streamed lines with a length cap (check --file), and --ca files
// read with a size cap (a CA "bundle" of /dev/zero is refused, not read for ever).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamLines } from '../src/io/files.js';
import { readCaFiles } from '../src/cli/options.js';

test('streamLines: CRLF and LF, a last line without newline, an over-long line cut at the cap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-lines-'));
  const f = join(dir, 'list.txt');
  writeFileSync(f, `a.test\r\nb.test\n${'x'.repeat(10_000)}\nc.test`);
  const lines: string[] = [];
  for await (const l of streamLines(f, 100)) lines.push(l);
  assert.deepEqual(lines.map((l) => l.length), [6, 6, 100, 6]);
  assert.deepEqual([lines[0], lines[1], lines[3]], ['a.test', 'b.test', 'c.test']);
});

test('--ca: a file over 1 MB and /dev/zero are usage errors, not endless reads', () => {
  assert.throws(() => readCaFiles(['/dev/zero']), /--ca \/dev\/zero: larger than 1 MB/);
  assert.throws(() => readCaFiles(['/no/such/ca.pem']), /--ca \/no\/such\/ca.pem: cannot read the file \(ENOENT\)/);
});
