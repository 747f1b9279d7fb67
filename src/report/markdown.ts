// Markdown report: summary table first, then each target's findings (problems first) with
// evidence and fix. Text from targets and servers is escaped so it cannot inject markup, and its
// control characters are shown as escapes (core/terminal-text.ts), as on a terminal.
import type { Report, ReportedFinding } from '../core/report.js';
import { escapeControl } from '../core/terminal-text.js';
import { complianceOf } from '../compliance/evaluate.js';
import type { StoreHistory } from './history-model.js';
import { historyMarkdown } from './history-markdown.js';
import { STATUS_WORD, countBySeverity, countsLine, evidenceText, isProblem, ordered, overview } from './summary.js';

export function renderMarkdown(reports: Report[], o: { now?: Date; showOk?: boolean; history?: StoreHistory } = {}): string {
  const ov = overview(reports);
  const out: string[] = [
    '# mxdoctor report', '',
    `Generated ${(o.now ?? new Date()).toISOString()} · ${ov.targets} target${ov.targets === 1 ? '' : 's'} · overall **${STATUS_WORD[ov.status]}** · ${countsLine(ov.findings)}`, '',
    '## Summary', '',
    '| target | kind | status | critical | warning | unknown | info | ok |', '|---|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of reports) {
    const n = countBySeverity(r.findings);
    out.push(`| ${cell(r.target)} | ${r.kind} | ${STATUS_WORD[r.status]} | ${n.critical} | ${n.warning} | ${n.unknown} | ${n.info} | ${n.ok} |`);
  }
  out.push('');
  if (o.history) out.push(...historyMarkdown(o.history), '## Current findings', '', 'From the latest run of each target whose report the store still holds.', '');
  for (const r of reports) {
    const c = complianceOf(r);
    if (c) {
      out.push(`## Compliance: ${cell(r.target)} — profile ${cell(c.profile)}`, '',
        `${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts['not-evaluated']} not evaluated`, '',
        '| control | result | evidence |', '|---|---|---|');
      for (const ctl of c.controls) {
        const ev = ctl.evidence.slice(0, 6).map((e) => `\`${e.id}\`${e.subject ? ` (${cell(e.subject)})` : ''}`).join(', ');
        out.push(`| ${cell(ctl.title)} | **${ctl.status.toUpperCase()}** | ${cell(ctl.reason)}${ev ? `<br>${ev}${ctl.evidence.length > 6 ? ` … ${ctl.evidence.length - 6} more` : ''}` : ''} |`);
      }
      out.push('');
    }
  }
  for (const r of reports) {
    out.push(`## ${inline(r.target)} — ${STATUS_WORD[r.status]}`, '', `${countsLine(countBySeverity(r.findings))} · ${r.checks.length} checks · started ${r.startedAt}`, '');
    const shown = ordered(r.findings).filter((f) => o.showOk !== false || f.severity !== 'ok');
    const problems = shown.filter((f) => isProblem(f.severity));
    if (!problems.length) out.push('No problems found.', '');
    for (const f of problems) out.push(...findingBlock(f));
    const rest = shown.filter((f) => !isProblem(f.severity));
    if (rest.length) {
      out.push('### Passed and informational', '', '| severity | id | title | subject |', '|---|---|---|---|');
      for (const f of rest) out.push(`| ${f.severity} | \`${f.id}\` | ${cell(f.title)} | ${cell(f.subject ?? '')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function findingBlock(f: ReportedFinding): string[] {
  const out = [`### ${f.severity.toUpperCase()}: ${inline(f.title)}`, '', `\`${f.id}\`${f.subject ? ` · ${inline(f.subject)}` : ''} · ${inline(f.area)}`, ''];
  if (f.detail) out.push(inline(f.detail), '');
  if (f.remediation) out.push(`**Fix:** ${inline(f.remediation)}`, '');
  const ev = evidenceText(f);
  if (ev) out.push('<details><summary>Evidence</summary>', '', fence(ev), '', '</details>', '');
  if (f.refs?.length) out.push(`References: ${f.refs.map(inline).join('; ')}`, '');
  return out;
}

/** Backslash-escape Markdown punctuation and neutralise HTML, which Markdown passes through. */
export function inline(s: string): string {
  return escapeControl(s).replace(/[\\`*_{}[\]()#+!|~>]/g, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function cell(s: string): string {
  return inline(s).replace(/\r?\n/g, ' ');
}

/** A code fence longer than any run of backticks inside, so evidence cannot close it. */
function fence(raw: string): string {
  const s = escapeControl(raw);
  const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}json\n${s}\n${f}`;
}
