import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfFontError, renderPdf } from '../src/report/pdf.js';
import { findCjkFont } from '../src/io/fonts.js';
import { withCompliance } from '../src/compliance/evaluate.js';
import { BASELINE } from '../src/compliance/baseline.js';
import { CJK_DETAIL, healthy, samples } from './helpers/sample-reports.js';
import { requireTool } from './helpers/tools.js';
import { runCli } from './helpers/cli.js';

/** Share of dark pixels of a rendered page (PGM from pdftoppm -gray): a blank page has none. */
function darkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return dark / pixels.length;
}

test('pdf: CJK font embedded; pdftotext finds the findings and the Chinese text; pdftoppm renders ink', async () => {
  requireTool('pdftotext', 'poppler-utils');
  const font = findCjkFont();
  assert.ok(font, 'a CJK font is installed (test/lab/install-report-tools.sh installs fonts-wqy-microhei)');
  const pdf = await renderPdf(withCompliance(samples(), BASELINE), { font, now: new Date(0) });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'mxd-pdf-'));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  const text = spawnSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  for (const s of [CJK_DETAIL, '例子.example', 'Open relay: the server accepts mail', 'spf.all-pass', 'Fix: End the record with -all or ~all.', 'Compliance: 例子.example — profile baseline', 'NOT EVALUATED', '"TLSv1.1"']) {
    assert.ok(text.stdout.includes(s), `pdftotext has ${s}`);
  }
  assert.ok(text.stdout.indexOf('Summary') < text.stdout.indexOf('Compliance'), 'summary first');
  const fonts = spawnSync('pdffonts', [join(dir, 'r.pdf')], { encoding: 'utf8' }).stdout;
  assert.match(fonts, /WenQuanYi|Noto|Droid|AR-PL/i, 'the CJK font is embedded');
  const png = spawnSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'page')]);
  assert.equal(png.status, 0);
  assert.ok(readdirSync(dir).some((f) => /^page-0*1\.png$/.test(f)));
  const pgm = spawnSync('pdftoppm', ['-r', '40', '-gray', '-f', '1', '-l', '1', join(dir, 'r.pdf')], { maxBuffer: 1 << 24 });
  const share = darkShare(pgm.stdout);
  assert.ok(share > 0.005 && share < 0.5, `page 1 has text, not blank or black (${share})`);
});

test('pdf: without a font covering the text it refuses instead of drawing garbage; Latin-only needs none', async () => {
  await assert.rejects(renderPdf(samples()), PdfFontError);
  const latin = await renderPdf([healthy()]);
  assert.equal(latin.subarray(0, 5).toString(), '%PDF-');
});

test('pdf via the CLI: -o file; a font path that does not exist is a one-line usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-pdf-cli-'));
  writeFileSync(join(dir, 'r.json'), JSON.stringify({ schema: 'mxdoctor.report/v1', reports: samples() }));
  const ok = await runCli(['report', join(dir, 'r.json'), '-o', join(dir, 'r.pdf')]);
  assert.equal(ok.code, 2, ok.stderr);
  assert.equal(readFileSync(join(dir, 'r.pdf')).subarray(0, 5).toString(), '%PDF-');
  const bad = await runCli(['report', join(dir, 'r.json'), '--format', 'pdf', '--font', join(dir, 'nope.ttf')]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /^mxdoctor: --font: .*ENOENT/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
