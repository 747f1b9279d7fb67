// Long values shortened for the terminal: a 4 KB TXT record, a list of 1,000 MX records or a
// detail with hundreds of lines would bury the report. The JSON output and --verbose keep
// the whole text; this only changes what the default text report shows.
import type { Report, ReportedFinding } from '../core/report.js';

export const TERMINAL_LIMITS = { title: 200, line: 600, lines: 40 };

/** `text` cut to `max` characters, saying how much was left out. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters; --json or -v shows all)`;
}

/** A detail: each line shortened, and at most `lines` lines. */
export function shortenBlock(text: string, o = TERMINAL_LIMITS): string {
  const lines = text.split('\n');
  const kept = lines.slice(0, o.lines).map((l) => shorten(l, o.line));
  if (lines.length > o.lines) kept.push(`… (${lines.length - o.lines} more lines; --json or -v shows all)`);
  return kept.join('\n');
}

function shortenFinding(f: ReportedFinding): ReportedFinding {
  const title = shorten(f.title, TERMINAL_LIMITS.title);
  const detail = f.detail === undefined ? undefined : shortenBlock(f.detail);
  return title === f.title && detail === f.detail ? f : { ...f, title, ...(detail !== undefined ? { detail } : {}) };
}

/** The reports as the default text view shows them: titles and details shortened. */
export function forTerminal(reports: Report[]): Report[] {
  return reports.map((r) => ({ ...r, findings: r.findings.map(shortenFinding) }));
}
