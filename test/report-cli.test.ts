import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReportInput } from '../src/parsers/report-document.js';
import { renderJson } from '../src/report/json.js';
import { runCli } from './helpers/cli.js';
import { samples } from './helpers/sample-reports.js';

test('report input: the --json document, one report, or NDJSON all read back to the same reports', () => {
  const reports = samples();
  assert.deepEqual(parseReportInput(renderJson(reports)), reports);
  assert.deepEqual(parseReportInput(reports.map((r) => JSON.stringify(r)).join('\n') + '\n'), reports);
  assert.deepEqual(parseReportInput(JSON.stringify(reports[0], null, 2)), [reports[0]]);
});

test('report input: bad input is one line naming the problem and the fix, exit 3', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-report-in-'));
  const good = JSON.stringify(samples()[0]);
  const cases: [string, RegExp][] = [
    ['', /the input is empty; give the output of `mxdoctor check --json`/],
    ['hello', /line 1: not JSON/],
    ['{"schema":"other/v2","reports":[]}', /schema is "other\/v2", not "mxdoctor\.report\/v1"/],
    [`${good}\n${good}\n{"schema":"mxdoctor.report/v1","target":"x","kind":"domain","status":"fine","findings":[]}\n`, /line 3: "status" must be one of ok, info, warning, critical, unknown/],
    [`${good}\n{"schema":"mxdoctor.report/v1","target":"x","kind":"domain","status":"ok","findings":[{"id":"a.b","severity":"ok"}]}\n`, /line 2, finding 1 \(a\.b\): "title" must be a string/],
    ['{"schema":"mxdoctor.report/v1","reports":{}}', /"reports" is not a list/],
  ];
  for (const [input, re] of cases) {
    const f = join(dir, 'in.json');
    writeFileSync(f, input);
    const r = await runCli(['report', f, '--format', 'md']);
    assert.equal(r.code, 3, `${input}: ${r.stdout}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  const missing = await runCli(['report', join(dir, 'nope.json')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /nope\.json: cannot read \(ENOENT\)/);
  const fmt = await runCli(['report', '-', '--format', 'docx'], { stdin: good });
  assert.match(fmt.stderr, /--format docx: expected one of html, pdf, md, junit, nagios, csv, json, text/);
  const prof = await runCli(['report', '-', '--profile', 'nosuch'], { stdin: good });
  assert.equal(prof.code, 3);
  assert.match(prof.stderr, /--profile nosuch: not a built-in profile \(baseline\) and not a readable file/);
});

test('report: format from the -o name; a YAML profile file; text with the compliance table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-report-out-'));
  writeFileSync(join(dir, 'r.ndjson'), samples().map((r) => JSON.stringify(r)).join('\n'));
  const r = await runCli(['report', join(dir, 'r.ndjson'), '-o', join(dir, 'out.csv')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(readFileSync(join(dir, 'out.csv'), 'utf8'), /^target,kind,status/);
  writeFileSync(join(dir, 'p.yaml'), 'name: spf-only\ncontrols:\n  - id: spf\n    fail: { spf: warning }\n    pass: [spf.valid]\n');
  const t = await runCli(['report', join(dir, 'r.ndjson'), '--profile', join(dir, 'p.yaml')]);
  assert.equal(t.code, 2, 'a failed critical control outranks one not evaluated');
  assert.match(t.stdout, /Compliance: good\.example {2}profile spf-only: 1 pass, 0 fail, 0 not evaluated/);
  assert.match(t.stdout, /FAIL {2}spf +SPF authorizes every address/);
  writeFileSync(join(dir, 'bad.yaml'), 'name: x\ncontrols:\n  - id: spf\n    fail: { spf.nosuch: warning }\n');
  const b = await runCli(['report', join(dir, 'r.ndjson'), '--profile', join(dir, 'bad.yaml')]);
  assert.equal(b.code, 3);
  assert.match(b.stderr, /bad\.yaml:4: controls\[0\]\.fail\.spf\.nosuch: "spf\.nosuch" is no finding id or family; `mxdoctor findings` lists them/);
});
