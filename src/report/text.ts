// Human report, problems first: critical, warning and unknown findings open it, each with
// its fix; then the servers probed and one compact line per family for what passed. Every
// passed check is listed with -v. Colour only on a terminal (the caller's `color` flag
// honours NO_COLOR and --no-color).
import { createColors, SEVERITY_LABEL as LABEL, severityPaint, STATUS_WORD } from './colors.js';
import { AREAS } from '../core/check.js';
import type { Area } from '../core/check.js';
import type { Severity } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';
import { forTerminal } from './shorten.js';
import { abbreviate, groupRepeats, wrap } from './text-layout.js';

export interface TextOptions {
  color: boolean;
  /** Only warnings, critical and unknown findings (compact overviews such as the demo's). */
  problemsOnly?: boolean;
  /** Every finding one by one, passed ones too, with its evidence. */
  verbose?: boolean;
}

type Colors = ReturnType<typeof createColors>;
// The order problems are shown in: the definite ones first, then what could not be told.
const PROBLEM_RANK: Partial<Record<Severity, number>> = { critical: 0, warning: 1, unknown: 2 };
/** Audits (check, dns, smtp, tls, blacklist…) fold what passed into one line per family; an
 * operation's ok findings are its result (a message accepted, a copy deleted): listed. */
const AUDITS = new Set<Report['kind']>(['domain', 'host', 'address']);

const isProblem = (f: ReportedFinding) => PROBLEM_RANK[f.severity] !== undefined;
const isSummary = (f: ReportedFinding) => f.id.endsWith('.summary');
const areaIndex = (a: Area) => AREAS.indexOf(a);

export function renderText(all: Report[], o: TextOptions): string {
  // Long records and details are shortened unless --verbose asks for everything (report/shorten.ts).
  const reports = o.verbose ? all : forTerminal(all);
  const c = createColors(o.color);
  const paint = severityPaint(c);
  const lines: string[] = [];
  const line = (g: ReportedFinding[], evidence: boolean) => {
    const f = g[0]!;
    const subjects = g.map((x) => x.subject).filter(Boolean) as string[];
    const subject = g.length > 1 ? c.dim(` ×${g.length} [${abbreviate(subjects)}]`) : f.subject ? c.dim(` [${f.subject}]`) : '';
    lines.push(`    ${paint[f.severity](LABEL[f.severity].padEnd(4))}  ${f.title}${subject}  ${c.dim(f.id)}`);
    if (f.detail && (f.severity !== 'ok' || evidence)) lines.push(...wrap(f.detail, 10));
    if (f.remediation) lines.push(...wrap(`${c.bold('Fix:')} ${f.remediation}`, 10));
    if (evidence && f.evidence) lines.push(...JSON.stringify(f.evidence, null, 2).split('\n').map((l) => `          ${c.dim(l)}`));
  };
  for (const r of reports) {
    lines.push(`${c.bold(r.target)}  ${paint[r.status](STATUS_WORD[r.status])}  ${c.dim(`${r.checks.length} checks, ${(r.durationMs / 1000).toFixed(2)} s${r.dnsQueries !== undefined ? `, ${r.dnsQueries} DNS queries` : ''}`)}`);
    const problems = r.findings.filter(isProblem)
      .sort((a, b) => PROBLEM_RANK[a.severity]! - PROBLEM_RANK[b.severity]! || areaIndex(a.area) - areaIndex(b.area));
    if (problems.length) {
      lines.push('', `  ${c.bold(problems.length === 1 ? 'Problem' : `Problems (${problems.length})`)}`);
      for (const f of problems) line([f], !!o.verbose);
    } else lines.push('', `  ${c.green('No problems found.')}`);

    const rest = r.findings.filter((f) => !isProblem(f) && !isSummary(f));
    const summaries = r.findings.filter(isSummary);
    if (!o.problemsOnly && summaries.length) {
      // One line per server endpoint: "SMTP 25 ok (STARTTLS, TLS 1.3, cert 61 days)"; identical lines folded.
      lines.push('', `  ${c.bold('Servers')}`);
      const groups = o.verbose ? summaries.map((f) => [f]) : groupBy(summaries, (f) => f.title);
      for (const g of groups) {
        const subjects = g.map((f) => f.subject).filter(Boolean) as string[];
        lines.push(`    ${g[0]!.title}${subjects.length ? c.dim(g.length > 1 ? `  ×${g.length} [${abbreviate(subjects)}]` : `  ${subjects[0]}`) : ''}`);
      }
    }
    if (!o.problemsOnly && (o.verbose || !AUDITS.has(r.kind))) {
      // Everything else, by area: every finding with -v; an operation's results always.
      for (const area of AREAS) {
        const inArea = rest.filter((f) => f.area === area);
        if (!inArea.length) continue;
        lines.push('', `  ${c.bold(area)}`);
        for (const g of o.verbose ? inArea.map((f) => [f]) : groupRepeats(inArea)) line(g, !!o.verbose);
      }
    } else if (!o.problemsOnly && rest.length) {
      lines.push('', `  ${c.bold('Passed')}  ${c.dim('(one line per family; -v lists every check)')}`);
      lines.push(...passedLines(r, c));
    }
    const skipped = skippedLines(r);
    if (skipped.length) lines.push('', `  ${c.bold('Not run')}`, ...skipped.map((l) => `    ${c.dim('SKIP')}  ${l}`));
    const ignored = Object.entries(r.ignored);
    if (ignored.length) lines.push('', c.dim(`  ignored: ${ignored.map(([id, n]) => `${id} ×${n}`).join(', ')}`));
    lines.push('', `  ${summary(countBySeverity(r.findings), c)}`, '');
  }
  return lines.join('\n');
}

/** "    SPF           3 passed" / "    DMARC         2 passed · note: DMARC identifier alignment" / "… · 1 critical above". */
function passedLines(r: Report, c: Colors): string[] {
  const out: string[] = [];
  const width = Math.max(...r.findings.map((f) => f.area.length));
  for (const area of AREAS) {
    const fs = r.findings.filter((f) => f.area === area && !isSummary(f));
    if (!fs.length) continue;
    const passed = new Set(fs.filter((f) => f.severity === 'ok').map((f) => f.id)).size;
    const notes = [...new Set(fs.filter((f) => f.severity === 'info').map((f) => f.title))];
    const problems = fs.filter(isProblem);
    const parts: string[] = passed ? [c.green(`${passed} passed`)] : [];
    if (problems.length) parts.push(`${problems.length} problem${problems.length > 1 ? 's' : ''} above`);
    if (notes.length) parts.push(c.cyan(`note${notes.length > 1 ? 's' : ''}: ${notes.join('; ')}`));
    out.push(`    ${area.padEnd(width)}  ${parts.join(c.dim(' · '))}`);
  }
  return out;
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

function groupBy<T>(xs: T[], key: (x: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m.values()];
}

function countBySeverity(fs: ReportedFinding[]): Record<Severity, number> {
  const n: Record<Severity, number> = { ok: 0, info: 0, warning: 0, critical: 0, unknown: 0 };
  for (const f of fs) n[f.severity]++;
  return n;
}

function summary(n: Record<Severity, number>, c: Colors): string {
  const parts = [
    n.critical && c.red(`${n.critical} critical`),
    n.warning && c.yellow(`${n.warning} warning${n.warning > 1 ? 's' : ''}`),
    n.unknown && c.magenta(`${n.unknown} unknown`),
    n.info && `${n.info} info`,
    `${n.ok} ok`,
  ].filter(Boolean);
  return parts.join(', ');
}
