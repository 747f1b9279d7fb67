// Human report: grouped by area, problems first with the fix under each, colour only
// on a terminal (NO_COLOR and --no-color respected by the caller's `color` flag).
import { createColors } from 'picocolors';
import { AREAS } from '../core/check.js';
import type { Severity } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';

export interface TextOptions {
  color: boolean;
  /** Show ok findings one per line (default) or hide them. */
  showOk?: boolean;
  /** Show only warnings, critical and unknown findings (compact overviews). */
  problemsOnly?: boolean;
  /** Print evidence under each finding. */
  verbose?: boolean;
}

const LABEL: Record<Severity, string> = { ok: 'OK', info: 'INFO', warning: 'WARN', critical: 'CRIT', unknown: 'UNKN' };

export function renderText(reports: Report[], o: TextOptions): string {
  const c = createColors(o.color);
  const paint: Record<Severity, (s: string) => string> = {
    ok: c.green, info: c.cyan, warning: c.yellow, critical: (s) => c.bold(c.red(s)), unknown: c.magenta,
  };
  const lines: string[] = [];
  for (const r of reports) {
    const counts = countBySeverity(r.findings);
    lines.push(`${c.bold(r.target)}  ${paint[r.status](statusWord(r.status))}  ${c.dim(`${r.checks.length} checks, ${(r.durationMs / 1000).toFixed(2)} s${r.dnsQueries !== undefined ? `, ${r.dnsQueries} DNS queries` : ''}`)}`);
    for (const area of AREAS) {
      const inArea = r.findings.filter((f) => f.area === area && shown(f.severity, o));
      if (!inArea.length) continue;
      lines.push('', `  ${c.bold(area)}`);
      for (const f of inArea) {
        const subject = f.subject ? c.dim(` [${f.subject}]`) : '';
        lines.push(`    ${paint[f.severity](LABEL[f.severity].padEnd(4))}  ${f.title}${subject}  ${c.dim(f.id)}`);
        if (f.detail && f.severity !== 'ok') lines.push(...wrap(f.detail, 10));
        else if (f.detail && o.verbose) lines.push(...wrap(f.detail, 10));
        if (f.remediation) lines.push(...wrap(`${c.bold('Fix:')} ${f.remediation}`, 10));
        if (o.verbose && f.evidence) lines.push(...JSON.stringify(f.evidence, null, 2).split('\n').map((l) => `          ${c.dim(l)}`));
      }
    }
    const ignored = Object.entries(r.ignored);
    if (ignored.length) lines.push('', c.dim(`  ignored: ${ignored.map(([id, n]) => `${id} ×${n}`).join(', ')}`));
    lines.push('', `  ${summary(counts, c)}`, '');
  }
  return lines.join('\n');
}

function shown(s: Severity, o: TextOptions): boolean {
  if (o.problemsOnly) return s === 'warning' || s === 'critical' || s === 'unknown';
  return o.showOk !== false || s !== 'ok';
}

function statusWord(s: Severity): string {
  return { ok: 'OK', info: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' }[s];
}

function countBySeverity(fs: ReportedFinding[]): Record<Severity, number> {
  const n: Record<Severity, number> = { ok: 0, info: 0, warning: 0, critical: 0, unknown: 0 };
  for (const f of fs) n[f.severity]++;
  return n;
}

function summary(n: Record<Severity, number>, c: ReturnType<typeof createColors>): string {
  const parts = [
    n.critical && c.red(`${n.critical} critical`),
    n.warning && c.yellow(`${n.warning} warning${n.warning > 1 ? 's' : ''}`),
    n.unknown && c.magenta(`${n.unknown} unknown`),
    n.info && `${n.info} info`,
    `${n.ok} ok`,
  ].filter(Boolean);
  return parts.join(', ');
}

/** Word-wrap each line of a detail, keeping that line's own leading indentation (trees, carets). */
function wrap(text: string, indent: number, width = 100): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^ */.exec(para)![0];
    const pad = ' '.repeat(indent) + lead;
    let line = '';
    for (const word of para.slice(lead.length).split(' ')) {
      if (line && line.length + word.length + 1 > width - pad.length) {
        out.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return out;
}
