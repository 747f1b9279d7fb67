// The demo's opening summary: one row per lab domain with the defect planted in it, what
// mxdoctor found (its problems, worst first) and the verdict; the details come on request.
import { createColors, SEVERITY_LABEL, severityPaint, STATUS_WORD as VERDICT } from './colors.js';
import type { Severity } from '../core/finding.js';
import type { Report } from '../core/report.js';

export interface DemoRow {
  planted: string;
  report: Report;
}

const RANK: Partial<Record<Severity, number>> = { critical: 0, warning: 1, unknown: 2 };
/** Problems named per row; the rest are counted ("… 3 more"). */
const MAX_FOUND = 3;

/** What mxdoctor found in one report: its distinct problems, worst first. */
export function foundProblems(r: Report): string[] {
  const seen = new Map<string, Severity>();
  const ranked = r.findings.filter((f) => RANK[f.severity] !== undefined).sort((a, b) => RANK[a.severity]! - RANK[b.severity]!);
  for (const f of ranked) if (!seen.has(f.title)) seen.set(f.title, f.severity);
  return [...seen].map(([title, sev]) => `${SEVERITY_LABEL[sev]} ${title}`);
}

export function renderDemoTable(rows: DemoRow[], o: { color: boolean; width: number }): string {
  const c = createColors(o.color);
  // The verdict column says OK for info (STATUS_WORD), so it is painted as OK is.
  const paint: Record<Severity, (s: string) => string> = { ...severityPaint(c), info: c.green };
  const domainW = Math.max(6, ...rows.map((r) => r.report.target.length));
  const verdictW = 8;
  const rest = Math.max(40, o.width - domainW - verdictW - 8);
  const plantedW = Math.floor(rest * 0.45);
  const foundW = rest - plantedW;
  const out: string[] = [];
  const row = (cells: string[], widths: number[], verdict = '', sev?: Severity) => {
    const cols = cells.map((text, i) => wrapCell(text, widths[i]!));
    const height = Math.max(...cols.map((x) => x.length));
    for (let k = 0; k < height; k++) {
      const left = cols.map((x, i) => (x[k] ?? '').padEnd(widths[i]!)).join('  ');
      const v = k === 0 && verdict ? (sev ? paint[sev](verdict) : verdict) : '';
      out.push(`  ${left}  ${v}`.trimEnd());
    }
  };
  row(['domain', 'planted defect', 'what mxdoctor found'], [domainW, plantedW, foundW], 'verdict');
  out[0] = c.bold(out[0]!);
  for (const { planted, report } of rows) {
    const problems = foundProblems(report);
    const shown = problems.slice(0, MAX_FOUND);
    if (problems.length > MAX_FOUND) shown.push(`… ${problems.length - MAX_FOUND} more`);
    const found = shown.length ? shown.join('; ') : 'no problems';
    row([report.target, planted, found], [domainW, plantedW, foundW], VERDICT[report.status], report.status);
  }
  return `${out.join('\n')}\n`;
}

/** Words into lines of at most `width` characters (a longer word is cut). */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const w = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines;
}
