// What every document renderer shows first: the status of each target and the counts by
// severity, plus the findings grouped for display (problems first, most serious first).
import type { Severity } from '../core/finding.js';
import { SEVERITIES, compareBySeverity, worstExitCode, worstSeverity } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';

export type Counts = Record<Severity, number>;

export { STATUS_WORD } from './colors.js';
export const SEVERITY_LABEL: Record<Severity, string> = { ok: 'ok', info: 'info', warning: 'warning', critical: 'critical', unknown: 'unknown' };

export function countBySeverity(fs: readonly { severity: Severity }[]): Counts {
  const n: Counts = { ok: 0, info: 0, warning: 0, critical: 0, unknown: 0 };
  for (const f of fs) n[f.severity]++;
  return n;
}

export function totalCounts(reports: readonly Report[]): Counts {
  const n = countBySeverity([]);
  for (const r of reports) for (const s of SEVERITIES) n[s] += countBySeverity(r.findings)[s];
  return n;
}

export interface Overview {
  targets: number;
  status: Severity;
  exitCode: number;
  /** Targets by their own status. */
  byStatus: Counts;
  findings: Counts;
}

export function overview(reports: readonly Report[]): Overview {
  return {
    targets: reports.length,
    status: worstSeverity(reports.map((r) => r.status)),
    exitCode: worstExitCode(reports.map((r) => r.exitCode)),
    byStatus: countBySeverity(reports.map((r) => ({ severity: r.status }))),
    findings: totalCounts(reports),
  };
}

export function isProblem(s: Severity): boolean {
  return s === 'warning' || s === 'critical' || s === 'unknown';
}

/** Findings in display order: critical, unknown, warning, info, ok; stable within a rank. */
export function ordered(fs: readonly ReportedFinding[]): ReportedFinding[] {
  return [...fs].sort(compareBySeverity);
}

/** "2 critical, 1 warning, 3 unknown, 40 ok" (zero counts left out, ok always shown). */
export function countsLine(n: Counts): string {
  const parts = [
    n.critical && `${n.critical} critical`,
    n.warning && `${n.warning} warning${n.warning > 1 ? 's' : ''}`,
    n.unknown && `${n.unknown} unknown`,
    n.info && `${n.info} info`,
    `${n.ok} ok`,
  ].filter(Boolean);
  return parts.join(', ');
}

/** Evidence as indented JSON, the same in every document format. */
export function evidenceText(f: { evidence?: unknown }): string | undefined {
  return f.evidence === undefined ? undefined : JSON.stringify(f.evidence, null, 2);
}
