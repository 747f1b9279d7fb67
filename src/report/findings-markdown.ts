// The findings catalogue as Markdown (docs/findings.md, `mxdoctor findings --markdown`): a pure
// renderer of the families' definitions, like every other renderer in report/.
import type { FindingDef } from '../core/finding.js';

export interface FamilyFindings {
  family: string;
  area: string;
  description: string;
  defs: FindingDef[];
}

export function renderFindingsMarkdown(families: FamilyFindings[]): string {
  const out: string[] = [
    '# Findings',
    '',
    '<!-- Generated from the check registry by `npm run docs:findings`; do not edit by hand. -->',
    '',
    'Every finding mxdoctor reports has a stable id `<family>.<rule>`. Severities: `ok` (checked and right),',
    '`info` (worth knowing), `warning` (exit 1), `critical` (exit 2), `unknown` (could not tell: exit 3).',
    '"Could not tell" — a DNS timeout, SERVFAIL or REFUSED — is always `unknown`, never "missing".',
    'Hide an id with `--ignore <id>` (or `--ignore family.*`). The severity shown is the default; a few',
    'findings raise or lower it with the circumstances, as their meaning says.',
    '',
  ];
  for (const fam of families) {
    out.push(`## ${fam.family} (${fam.area})`, '', fam.description, '', '| id | severity | title |', '|---|---|---|');
    for (const d of fam.defs) out.push(`| \`${d.id}\` | ${d.severity} | ${escape(d.title)} |`);
    out.push('');
    for (const d of fam.defs) {
      out.push(`### \`${d.id}\``, '', `**${d.severity}** — ${d.title}.`, '', d.meaning, '');
      if (d.remediation) out.push(`**Fix:** ${d.remediation}`, '');
      if (d.refs?.length) out.push(`References: ${d.refs.join('; ')}`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|');
}
