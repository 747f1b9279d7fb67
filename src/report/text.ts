// Human report: grouped by area, problems first with the fix under each, colour only
// on a terminal (NO_COLOR and --no-color respected by the caller's `color` flag).
import { createColors } from './colors.js';
import { AREAS } from '../core/check.js';
import type { Severity } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';
import { forTerminal } from './shorten.js';

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

export function renderText(all: Report[], o: TextOptions): string {
  // Long records and details are shortened unless --verbose asks for everything (report/shorten.ts).
  const reports = o.verbose ? all : forTerminal(all);
  const c = createColors(o.color);
  const paint: Record<Severity, (s: string) => string> = {
    ok: c.green, info: c.cyan, warning: c.yellow, critical: (s) => c.bold(c.red(s)), unknown: c.magenta,
  };
  const lines: string[] = [];
  for (const r of reports) {
    const counts = countBySeverity(r.findings);
    lines.push(`${c.bold(r.target)}  ${paint[r.status](statusWord(r.status))}  ${c.dim(`${r.checks.length} checks, ${(r.durationMs / 1000).toFixed(2)} s${r.dnsQueries !== undefined ? `, ${r.dnsQueries} DNS queries` : ''}`)}`);
    const isSummary = (f: ReportedFinding) => f.id.endsWith('.summary');
    const summaries = r.findings.filter(isSummary);
    if (summaries.length && !o.problemsOnly) {
      // One line per server endpoint first: "SMTP 25 ok (STARTTLS, TLS 1.3, cert 61 days)".
      lines.push('', `  ${c.bold('Servers')}`);
      for (const f of summaries) lines.push(`    ${f.title}${f.subject ? c.dim(`  ${f.subject}`) : ''}`);
    }
    for (const area of AREAS) {
      const inArea = r.findings.filter((f) => f.area === area && !isSummary(f) && shown(f.severity, o));
      if (!inArea.length) continue;
      lines.push('', `  ${c.bold(area)}`);
      for (const g of o.verbose ? inArea.map((f) => [f]) : groupRepeats(inArea)) {
        const f = g[0]!;
        const subjects = g.map((x) => x.subject).filter(Boolean) as string[];
        const subject = g.length > 1 ? c.dim(` ×${g.length} [${abbreviate(subjects)}]`) : f.subject ? c.dim(` [${f.subject}]`) : '';
        lines.push(`    ${paint[f.severity](LABEL[f.severity].padEnd(4))}  ${f.title}${subject}  ${c.dim(f.id)}`);
        if (f.detail && (f.severity !== 'ok' || o.verbose)) lines.push(...wrap(f.detail, 10));
        if (f.remediation) lines.push(...wrap(`${c.bold('Fix:')} ${f.remediation}`, 10));
        if (o.verbose && f.evidence) lines.push(...JSON.stringify(f.evidence, null, 2).split('\n').map((l) => `          ${c.dim(l)}`));
      }
    }
    const skipped = skippedLines(r);
    if (skipped.length) lines.push('', `  ${c.bold('Not run')}`, ...skipped.map((l) => `    ${c.dim('SKIP')}  ${l}`));
    const ignored = Object.entries(r.ignored);
    if (ignored.length) lines.push('', c.dim(`  ignored: ${ignored.map(([id, n]) => `${id} ×${n}`).join(', ')}`));
    lines.push('', `  ${summary(counts, c)}`, '');
  }
  return lines.join('\n');
}

/** Families that did not run, grouped by why: "smtp, imap: server probes are off (...)". */
function skippedLines(r: Report): string[] {
  const byReason = new Map<string, string[]>();
  for (const ch of r.checks) {
    if (ch.status !== 'skipped') continue;
    const why = ch.reason ?? 'not run';
    byReason.set(why, [...(byReason.get(why) ?? []), ch.check]);
  }
  return [...byReason].map(([why, families]) => `${families.join(', ')}: ${why}`);
}

/**
 * Identical ok/info findings about several endpoints ("TLS handshake completed" on 21 of them)
 * print as one line with a count; problems always print one by one, each with its fix.
 */
function groupRepeats(fs: ReportedFinding[]): ReportedFinding[][] {
  const groups = new Map<string, ReportedFinding[]>();
  const out: ReportedFinding[][] = [];
  for (const f of fs) {
    if (f.severity !== 'ok' && f.severity !== 'info') {
      out.push([f]);
      continue;
    }
    const key = `${f.id}|${f.title}|${f.severity === 'info' ? f.detail ?? '' : ''}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else {
      const fresh = [f];
      groups.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

function abbreviate(subjects: string[], max = 2): string {
  const unique = [...new Set(subjects)];
  return unique.length > max ? `${unique.slice(0, max).join(', ')}, … ${unique.length - max} more` : unique.join(', ');
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
