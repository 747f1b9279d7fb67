// JUnit XML for CI pipelines that gate DNS or server changes: one <testsuite> per target, one
// <testcase> per finding rule (id); a rule seen on several endpoints is one case whose worst
// severity decides. warning/critical → <failure>, unknown → <error> (the check could not run to
// a verdict: CI must not read it as a pass), ok/info → passed. Valid against Jenkins' junit-10.xsd.
import type { Severity } from '../core/finding.js';
import { worstSeverity } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';
import { complianceOf } from '../compliance/evaluate.js';
import { evidenceText } from './summary.js';
import { xmlAttr, xmlEscape } from './xml.js';

interface Case { name: string; classname: string; severity: Severity; findings: ReportedFinding[] }

export function renderJunit(reports: Report[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let time = 0;
  for (const r of reports) {
    const cases = casesOf(r);
    const f = cases.filter((c) => c.severity === 'warning' || c.severity === 'critical').length;
    const e = cases.filter((c) => c.severity === 'unknown').length;
    const seconds = (r.durationMs / 1000).toFixed(3);
    tests += cases.length; failures += f; errors += e; time += r.durationMs / 1000;
    const body = cases.map(caseXml);
    const compliance = complianceOf(r);
    if (compliance) body.push(...compliance.controls.map((c) => caseXmlRaw(`compliance.${c.id}`, `${r.target}.compliance.${compliance.profile}`, c.status === 'fail' ? 'failure' : c.status === 'not-evaluated' ? 'error' : undefined, `${c.title}: ${c.reason}`, c.evidence.map((x) => `${x.id} ${x.severity}${x.subject ? ` ${x.subject}` : ''}`).join('\n'))));
    const cf = compliance?.controls.filter((c) => c.status === 'fail').length ?? 0;
    const ce = compliance?.controls.filter((c) => c.status === 'not-evaluated').length ?? 0;
    tests += compliance?.controls.length ?? 0; failures += cf; errors += ce;
    suites.push(`  <testsuite name="${xmlAttr(r.target)}" package="mxdoctor.${r.kind}" tests="${cases.length + (compliance?.controls.length ?? 0)}" failures="${f + cf}" errors="${e + ce}" skipped="0" time="${seconds}" timestamp="${xmlAttr(r.startedAt.replace(/Z$/, ''))}">\n${body.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mxdoctor" tests="${tests}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function casesOf(r: Report): Case[] {
  const byId = new Map<string, Case>();
  for (const f of r.findings) {
    let c = byId.get(f.id);
    if (!c) byId.set(f.id, (c = { name: f.id, classname: `${r.target}.${f.check}`, severity: f.severity, findings: [] }));
    c.findings.push(f);
    c.severity = worstSeverity([c.severity, f.severity]);
  }
  return [...byId.values()];
}

function caseXml(c: Case): string {
  const bad = c.findings.filter((f) => f.severity === c.severity);
  const kind = c.severity === 'warning' || c.severity === 'critical' ? 'failure' : c.severity === 'unknown' ? 'error' : undefined;
  const first = bad[0]!;
  const message = `${first.title}${first.subject ? ` [${first.subject}]` : ''}${bad.length > 1 ? ` (+${bad.length - 1} more)` : ''}`;
  const text = bad.map((f) => [
    `${f.severity.toUpperCase()} ${f.title}${f.subject ? ` [${f.subject}]` : ''}`,
    f.detail, f.remediation && `Fix: ${f.remediation}`, evidenceText(f) && `Evidence: ${evidenceText(f)}`,
  ].filter(Boolean).join('\n')).join('\n\n');
  return caseXmlRaw(c.name, c.classname, kind, message, text, c.severity);
}

function caseXmlRaw(name: string, classname: string, kind: 'failure' | 'error' | undefined, message: string, text: string, type?: string): string {
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}" time="0">`;
  if (!kind) return `${open}</testcase>`;
  return `${open}\n      <${kind} type="${xmlAttr(type ?? (kind === 'failure' ? 'fail' : 'not-evaluated'))}" message="${xmlAttr(message)}">${xmlEscape(text)}</${kind}>\n    </testcase>`;
}
