// CSV for bulk results (RFC 4180: CRLF, quoted fields): one row per target (default) or one
// row per finding. A cell that a spreadsheet would run as a formula (= + - @ tab CR first) is
// prefixed with ' (OWASP "CSV injection"), since targets and titles can come from servers.
import type { Report } from '../core/report.js';
import { escapeControl } from '../core/terminal-text.js';
import { complianceOf } from '../compliance/evaluate.js';
import { countBySeverity, isProblem, ordered } from './summary.js';

export type CsvRows = 'targets' | 'findings';

export function csvTable(table: (string | number)[][]): string {
  return table.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function renderCsv(reports: Report[], rows: CsvRows = 'targets'): string {
  const table: (string | number)[][] = [];
  if (rows === 'targets') {
    table.push(['target', 'kind', 'status', 'exit_code', 'critical', 'warning', 'unknown', 'info', 'ok', 'problems', 'profile', 'controls_failed', 'controls_not_evaluated', 'started_at', 'duration_ms']);
    for (const r of reports) {
      const n = countBySeverity(r.findings);
      const c = complianceOf(r);
      const problems = [...new Set(ordered(r.findings).filter((f) => isProblem(f.severity)).map((f) => f.id))].join(' ');
      table.push([r.target, r.kind, r.status, r.exitCode, n.critical, n.warning, n.unknown, n.info, n.ok, problems,
        c?.profile ?? '', c?.counts.fail ?? '', c?.counts['not-evaluated'] ?? '', r.startedAt, r.durationMs]);
    }
  } else {
    table.push(['target', 'target_status', 'id', 'severity', 'area', 'title', 'subject', 'detail', 'remediation']);
    for (const r of reports) {
      for (const f of ordered(r.findings)) table.push([r.target, r.status, f.id, f.severity, f.area, f.title, f.subject ?? '', f.detail ?? '', f.remediation ?? '']);
    }
  }
  return csvTable(table);
}

export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  // Control characters from servers shown as escapes (core/terminal-text.ts), as on a terminal.
  const c = escapeControl(v);
  const s = /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
