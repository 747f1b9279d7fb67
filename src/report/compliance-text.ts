// The compliance table on a terminal (check --profile, report --format text --profile).
import { createColors } from './colors.js';
import type { Report } from '../core/report.js';
import { complianceOf } from '../compliance/evaluate.js';

export function renderComplianceText(reports: Report[], o: { color: boolean }): string {
  const c = createColors(o.color);
  const paint = { pass: c.green, fail: (s: string) => c.bold(c.red(s)), 'not-evaluated': c.magenta };
  const out: string[] = [];
  for (const r of reports) {
    const facts = complianceOf(r);
    if (!facts) continue;
    out.push(`${c.bold(`Compliance: ${r.target}`)}  profile ${facts.profile}: ${facts.counts.pass} pass, ${facts.counts.fail} fail, ${facts.counts['not-evaluated']} not evaluated`);
    const width = Math.max(...facts.controls.map((x) => x.title.length));
    for (const ctl of facts.controls) {
      const label = { pass: 'PASS', fail: 'FAIL', 'not-evaluated': 'N/E ' }[ctl.status];
      out.push(`  ${paint[ctl.status](label)}  ${ctl.title.padEnd(width)}  ${c.dim(ctl.reason)}`);
      const ev = ctl.evidence.filter((e) => ctl.status === 'pass' || e.severity !== 'ok').slice(0, 3);
      for (const e of ev) out.push(`        ${c.dim(`${e.id}${e.subject ? ` [${e.subject}]` : ''}`)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
