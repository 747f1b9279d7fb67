// The human report is problems-first (issue 10): critical, warning, unknown open it, each
// with its fix; what passed is one line per family; every passed check only with -v.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../src/report/text.js';
import { renderJson } from '../src/report/json.js';
import type { Report, ReportedFinding } from '../src/core/report.js';
import type { Area } from '../src/core/check.js';
import type { Severity } from '../src/core/finding.js';

const f = (id: string, area: Area, severity: Severity, extra: Partial<ReportedFinding> = {}): ReportedFinding =>
  ({ id, area, check: id.split('.')[0]!, severity, title: `${id} title`, ...extra });

function report(findings: ReportedFinding[], kind: Report['kind'] = 'domain'): Report {
  return {
    schema: 'mxdoctor.report/v1', target: 'x.test', kind, status: 'critical', exitCode: 2, startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1200, findings, checks: [], ignored: {},
  };
}

const FINDINGS = [
  f('mx.present', 'MX', 'ok'),
  f('spf.valid', 'SPF', 'ok'), f('spf.all-ok', 'SPF', 'ok'),
  f('dkim.lookup-failed', 'DKIM', 'unknown', { remediation: 'Retry.' }),
  f('dmarc.alignment', 'DMARC', 'info', { detail: 'relaxed' }), f('dmarc.valid', 'DMARC', 'ok'),
  f('smtp.slow-reply', 'SMTP', 'warning', { detail: '900 ms', remediation: 'Look at the load.' }),
  ...['a', 'b', 'c'].map((s) => f('cert.validity-ok', 'Certificates', 'ok', { subject: s })),
  f('cert.expired', 'Certificates', 'critical', { subject: 'mx:25', detail: 'expired 2021-01-01', remediation: 'Renew the certificate.' }),
  f('tls.summary', 'TLS', 'info', { title: 'SMTP 25 ok (STARTTLS, TLS 1.3)', subject: 'mx:25' }),
];

test('problems open the report, critical then warning then unknown, each with its fix', () => {
  const lines = renderText([report(FINDINGS)], { color: false }).split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const [crit, warn, unkn] = [at(/^ {4}CRIT +cert\.expired title \[mx:25\]/), at(/^ {4}WARN/), at(/^ {4}UNKN/)];
  assert.equal(crit, 3, lines.join('\n'));
  assert.ok(crit < warn && warn < unkn, lines.join('\n'));
  assert.equal(at(/Fix: Renew the certificate/), crit + 2);
  assert.ok(at(/Fix: Look at the load/) > warn && at(/Fix: Retry/) > unkn);
  assert.ok(at(/^ {2}Servers/) > unkn && at(/^ {2}Passed/) > at(/^ {2}Servers/));
});

test('what passed is one compact line per family; no OK line without -v', () => {
  const text = renderText([report(FINDINGS)], { color: false });
  assert.doesNotMatch(text, /^\s+OK\s/m);
  assert.match(text, /^ {4}MX +1 passed$/m);
  assert.match(text, /^ {4}SPF +2 passed$/m);
  assert.match(text, /^ {4}DMARC +1 passed · note: dmarc\.alignment title$/m);
  assert.match(text, /^ {4}Certificates +1 passed · 1 problem above$/m);
  assert.match(text, /^ {4}DKIM +1 problem above$/m);
  assert.equal(text.match(/^ {4}Certificates/gm)!.length, 1);
});

test('-v lists every passed check with its evidence, problems still first', () => {
  const text = renderText([report(FINDINGS)], { color: false, verbose: true });
  assert.equal(text.match(/^ {4}OK +cert\.validity-ok title/gm)!.length, 3);
  assert.match(text, /OK +mx\.present title/);
  assert.ok(text.indexOf('CRIT') < text.indexOf('OK    mx.present'));
});

test('an operation (a send, a round trip) lists its results, which are ok findings', () => {
  const text = renderText([report([f('roundtrip.deleted', 'Round trip', 'ok'), f('roundtrip.slow', 'Round trip', 'warning')], 'roundtrip')], { color: false });
  assert.match(text, /OK +roundtrip\.deleted title/);
  assert.ok(text.indexOf('WARN') < text.indexOf('OK '));
});

test('no problems says so; --json is unchanged (every finding, in the report order)', () => {
  const clean = report(FINDINGS.filter((x) => x.severity === 'ok' || x.severity === 'info'));
  assert.match(renderText([clean], { color: false }), /No problems found\./);
  const doc = JSON.parse(renderJson([report(FINDINGS)]));
  assert.deepEqual(doc.reports[0].findings.map((x: ReportedFinding) => x.id), FINDINGS.map((x) => x.id));
});
