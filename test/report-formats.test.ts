import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderJunit } from '../src/report/junit.js';
import { renderNagios } from '../src/report/nagios.js';
import { renderCsv } from '../src/report/csv.js';
import { withCompliance } from '../src/compliance/evaluate.js';
import { BASELINE } from '../src/compliance/baseline.js';
import { CJK_DETAIL, HOSTILE, broken, healthy, samples, undecided } from './helpers/sample-reports.js';
import { requireTool } from './helpers/tools.js';

const XSD = new URL('./fixtures/junit/junit-10.xsd', import.meta.url).pathname;

/** A Nagios plugin line parsed back as monitoring-plugins define it: STATUS text | perfdata, long text. */
function parseNagios(out: string) {
  const [first, ...long] = out.trimEnd().split('\n');
  const m = /^MXDOCTOR (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?) \| (.*)$/.exec(first!);
  assert.ok(m, `status line: ${first}`);
  const perf: Record<string, { value: number; uom: string; min: string }> = {};
  for (const item of m[3]!.trim().split(/ +/)) {
    const p = /^('(?:[^']|'')+'|[^=' ]+)=(-?[0-9.]+)([a-zA-Z%]*);([^;]*);([^;]*);([^;]*);([^;]*)$/.exec(item);
    assert.ok(p, `perfdata item ${item}`);
    perf[p[1]!.replace(/^'|'$/g, '').replace(/''/g, "'")] = { value: Number(p[2]), uom: p[3]!, min: p[6]! };
  }
  return { state: m[1]!, text: m[2]!, perf, long };
}

test('nagios: status line and perfdata parse back; exit code from the worst report', () => {
  const n = renderNagios(samples());
  const p = parseNagios(n.text);
  assert.equal(n.exitCode, 2);
  assert.equal(p.state, 'CRITICAL');
  assert.equal(p.perf.targets!.value, 3);
  assert.equal(p.perf.critical!.value, 3);
  assert.equal(p.perf.unknown!.value, 2);
  assert.equal(p.perf.time!.uom, 's');
  assert.equal(p.perf.ok!.min, '0');
  assert.match(p.text, /3 targets: 1 critical, 1 unknown/);
  assert.ok(!p.text.includes('|'));
  assert.ok(p.long.some((l) => l.includes('[CRITICAL] 例子.example: Open relay')));
  assert.deepEqual(p.long.map((l) => /^\[(\w+)/.exec(l)![1]), ['CRITICAL', 'CRITICAL', 'CRITICAL', 'UNKNOWN', 'UNKNOWN', 'WARNING', 'WARNING'], 'most serious first');
  assert.ok(p.long.every((l) => !l.includes('|')), 'a | in a server text would start perfdata');
  const one = renderNagios([healthy()]);
  assert.equal(one.exitCode, 0);
  assert.equal(parseNagios(one.text).state, 'OK');
  assert.equal(renderNagios([undecided()]).exitCode, 3);
});

test('nagios: with a profile the state and exit code follow the profile', () => {
  const n = renderNagios(withCompliance([undecided()], BASELINE));
  const p = parseNagios(n.text);
  assert.equal(n.exitCode, 3);
  assert.equal(p.state, 'UNKNOWN');
  assert.equal(p.perf.controls_not_evaluated!.value, 8);
  assert.ok(p.long.some((l) => l.startsWith('[NOT EVALUATED] baseline/spf')));
});

test('junit: valid against the JUnit XSD (xmllint); one case per rule, failures, errors for unknown', () => {
  requireTool('xmllint', 'libxml2-utils');
  const xml = renderJunit(withCompliance(samples(), BASELINE));
  const dir = mkdtempSync(join(tmpdir(), 'mxd-junit-'));
  writeFileSync(join(dir, 'r.xml'), xml);
  const v = spawnSync('xmllint', ['--noout', '--schema', XSD, join(dir, 'r.xml')], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  const suite = /<testsuite name="例子\.example"[^>]*>/.exec(xml)![0];
  // broken(): 7 rules + 8 controls; 5 failing rules + 5 failed controls; 3 controls not evaluated.
  assert.match(suite, /tests="15" failures="10" errors="3"/);
  assert.match(xml, /<testcase name="spf\.all-pass" classname="例子\.example\.spf" time="0">\n\s+<failure type="critical"/);
  assert.match(xml, /<testcase name="spf\.lookup-failed"[^>]*>\n\s+<error type="unknown"/);
  assert.ok(xml.includes('&lt;script&gt;'), 'server text escaped');
  assert.ok(!xml.includes('<script>'));
  assert.ok(xml.includes(CJK_DETAIL));
  // Broken XML must fail the same check: the test can fail.
  writeFileSync(join(dir, 'bad.xml'), xml.replace('<testsuites ', '<testsuites bogus="1" '));
  assert.notEqual(spawnSync('xmllint', ['--noout', '--schema', XSD, join(dir, 'bad.xml')]).status, 0);
});

test('csv: one row per target or per finding; quoting and formula cells neutralised', () => {
  const t = renderCsv(samples());
  const lines = t.split('\r\n');
  assert.equal(lines[0], 'target,kind,status,exit_code,critical,warning,unknown,info,ok,problems,profile,controls_failed,controls_not_evaluated,started_at,duration_ms');
  assert.equal(lines.length, 5, '3 targets, header and the final CRLF');
  assert.match(lines[2]!, /^例子\.example,domain,critical,2,3,2,0,2,0,spf\.all-pass smtp\.connect-refused smtp\.open-relay dmarc\.policy-none tls\.legacy-versions,,,,/);
  const f = renderCsv([broken()], 'findings');
  assert.ok(f.includes(`"'<script>`) === false && f.includes('"<script>alert(1)</script> / =HYPERLINK') === false);
  assert.ok(f.includes('"<script>alert(1)</script> | =HYPERLINK(""x"") & ""quotes"""'), 'quotes doubled inside a quoted field');
  const inj = renderCsv([{ ...healthy(), target: '=cmd|calc' }]);
  assert.ok(inj.split('\r\n')[1]!.startsWith("'=cmd|calc,"), 'formula prefixed with a quote');
});

test('csv and markdown: control characters from servers are shown as escapes, never sent raw', () => {
  const r = healthy();
  r.findings[0] = { ...r.findings[0]!, title: 'clear\x1b[2Jscreen\u202eevil', severity: 'warning' };
  for (const out of [renderCsv([r], 'findings'), renderMarkdown([r])]) {
    assert.ok(!/[\x1b\u202e]/.test(out), 'no raw ESC or bidi override');
    assert.ok(out.includes('x1b') && out.includes('u202e'), 'the escapes are visible');
  }
});

test('markdown: summary first, problems with fix and evidence, markup escaped', () => {
  const md = renderMarkdown(withCompliance(samples(), BASELINE), { now: new Date(0) });
  assert.ok(md.indexOf('## Summary') < md.indexOf('## Compliance'));
  assert.ok(md.indexOf('## Compliance') < md.indexOf('### CRITICAL'));
  assert.match(md, /\| 例子\.example \| domain \| CRITICAL \| 3 \| 2 \| 0 \| 2 \| 0 \|/);
  assert.match(md, /\*\*Fix:\*\* End the record with -all or \\~all\./);
  assert.ok(md.includes(CJK_DETAIL));
  assert.ok(!md.replace(/(`{3,})json\n[\s\S]*?\n\1/g, '').includes('<script>'), 'HTML in server text is neutralised outside code fences');
  assert.ok(md.includes('&lt;script\\>alert\\(1\\)&lt;/script\\>'));
  assert.match(md, /\| Not an open relay \| \*\*FAIL\*\* \|/);
});

test('html via the CLI from bulk NDJSON equals the renderer; nagios exit code through the CLI', async () => {
  const { runCli } = await import('./helpers/cli.js');
  const ndjson = samples().map((r) => JSON.stringify(r)).join('\n');
  const r = await runCli(['report', '-', '--format', 'nagios'], { stdin: ndjson });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(parseNagios(r.stdout).perf.targets!.value, 3);
  const p = await runCli(['report', '-', '--format', 'nagios', '--profile', 'baseline'], { stdin: JSON.stringify(healthy()) });
  assert.equal(p.code, 0, p.stdout);
  assert.match(p.stdout, /profile baseline: 0 controls failed/);
});
