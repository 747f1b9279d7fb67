// Judges a report against a profile. Order of the verdicts: a failing finding fails the control;
// otherwise any matched finding that is unknown (could not tell), or no matched finding at all
// (the family did not run), leaves it "not evaluated"; otherwise a pass needs one of the
// control's pass findings.
import type { Severity } from '../core/finding.js';
import { worstExitCode } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';
import type { ComplianceFacts, Control, ControlResult, ControlStatus, EvidenceRef, FailAt, Profile } from './profile.js';
import { matches } from './profile.js';

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, critical: 3, unknown: -1 };
const AT: Record<FailAt, number> = { info: 1, warning: 2, critical: 3 };

export function evaluateProfile(report: Report, profile: Profile): ComplianceFacts {
  const controls = profile.controls.map((c) => evaluateControl(c, report.findings));
  const counts: Record<ControlStatus, number> = { pass: 0, fail: 0, 'not-evaluated': 0 };
  for (const c of controls) counts[c.status]++;
  return { profile: profile.name, exitCode: controlsExit(controls), counts, controls };
}

/** 0 when every control passes; 1/2 for a failed warning/critical control; 3 when one was not evaluated. */
export function controlsExit(controls: ControlResult[]): number {
  return worstExitCode(controls.map((c) => (c.status === 'pass' ? 0 : c.status === 'not-evaluated' ? 3 : c.severity === 'warning' ? 1 : 2)));
}

export function evaluateControl(c: Control, findings: readonly ReportedFinding[]): ControlResult {
  const severity = c.severity ?? 'critical';
  const base = { id: c.id, title: c.title, severity };
  if (c.anyOf?.length) return alternatives(c, findings, base);
  const failMatchers = Object.entries(c.fail);
  const passMatchers = c.pass ?? [];
  const matched = findings.filter((f) => failMatchers.some(([m]) => matches(m, f.id)) || passMatchers.some((m) => matches(m, f.id)));
  const failing = matched.filter((f) => failMatchers.some(([m, at]) => matches(m, f.id) && RANK[f.severity] >= AT[at]));
  if (failing.length) return { ...base, status: 'fail', reason: `${failing[0]!.title}${failing.length > 1 ? ` (+${failing.length - 1} more)` : ''}`, evidence: refs(failing) };
  const unknown = matched.filter((f) => f.severity === 'unknown');
  if (unknown.length) return { ...base, status: 'not-evaluated', reason: `could not tell: ${unknown[0]!.title}`, evidence: refs(unknown) };
  if (!matched.length) return { ...base, status: 'not-evaluated', reason: `no evidence: no ${families([...failMatchers.map(([m]) => m), ...passMatchers])} finding was reported (check not run or skipped)`, evidence: [] };
  const passing = passMatchers.length ? matched.filter((f) => passMatchers.some((m) => matches(m, f.id))) : matched;
  if (!passing.length) return { ...base, status: 'fail', reason: `none of ${passMatchers.join(', ')} was reported`, evidence: refs(matched) };
  return { ...base, status: 'pass', reason: passing[0]!.title, evidence: refs(passing) };
}

function alternatives(c: Control, findings: readonly ReportedFinding[], base: Pick<ControlResult, 'id' | 'title' | 'severity'>): ControlResult {
  const results = c.anyOf!.map((alt) => evaluateControl(alt, findings));
  const label = (r: ControlResult) => `${r.title}: ${r.reason}`;
  const pass = results.find((r) => r.status === 'pass');
  if (pass) return { ...base, status: 'pass', reason: label(pass), evidence: pass.evidence };
  const evidence = results.flatMap((r) => r.evidence);
  if (results.some((r) => r.status === 'not-evaluated')) {
    return { ...base, status: 'not-evaluated', reason: results.filter((r) => r.status === 'not-evaluated').map(label).join('; '), evidence };
  }
  return { ...base, status: 'fail', reason: results.map(label).join('; '), evidence };
}

function families(ms: string[]): string {
  return [...new Set(ms.map((m) => m.split('.')[0]!))].join('/');
}

function refs(fs: readonly ReportedFinding[]): EvidenceRef[] {
  return fs.map((f) => {
    const r: EvidenceRef = { id: f.id, severity: f.severity, title: f.title };
    if (f.subject) r.subject = f.subject;
    return r;
  });
}

/** The reports with their compliance facts attached (a copy; the inputs are left alone). */
export function withCompliance(reports: readonly Report[], profile: Profile): Report[] {
  return reports.map((r) => ({ ...r, facts: { ...r.facts, compliance: evaluateProfile(r, profile) } }));
}

export function complianceOf(r: Report): ComplianceFacts | undefined {
  return r.facts?.compliance as ComplianceFacts | undefined;
}

/** The exit code of reports judged by a profile: the worst verdict of the profile. */
export function complianceExit(reports: readonly Report[]): number {
  return worstExitCode(reports.map((r) => complianceOf(r)?.exitCode ?? 3));
}
