// The human diagnosis: the symptom, the likely causes ranked (likelihood, evidence, fix),
// what could not be checked, other problems, a one-line "checked and fine", next steps.
import { createColors, SEVERITY_LABEL as LABEL, severityPaint } from './colors.js';
import type { Severity } from '../core/finding.js';
import type { Report } from '../core/report.js';
import type { DoctorFacts, FindingRef } from '../doctor/facts.js';

const MAX_EVIDENCE = 5;

export function renderDoctorText(r: Report, o: { color: boolean }): string {
  const d = r.facts?.doctor as DoctorFacts;
  const c = createColors(o.color);
  const sev = severityPaint(c);
  const like = { high: (s: string) => c.bold(c.red(s)), medium: c.yellow, low: c.dim };
  const out: string[] = [];
  out.push(`${c.bold(r.target)}  ${c.bold(d.symptom)}: ${d.description}`);
  out.push(c.dim(`  checked: ${d.families.join(', ')}${d.serversProbed ? '' : ' (server probes skipped)'}${d.sendingIp ? `; sending address ${d.sendingIp}` : ''}${d.logs ? `; log: ${d.logs.lines} lines of ${d.logs.files.join(', ')}` : ''} (${(r.durationMs / 1000).toFixed(2)} s)`));
  out.push('');
  if (d.causes.length) {
    out.push(`  ${c.bold('Likely causes')} ${c.dim('(most probable first; likelihood = weight for this symptom × severity of the evidence)')}`);
    for (const k of d.causes) {
      out.push('', `  ${c.bold(`${k.rank}.`)} ${like[k.likelihood](`likelihood: ${k.likelihood}`)}  ${c.bold(k.title)}  ${c.dim(k.id)}`);
      out.push(...wrap(k.why, 7));
      if (k.note) out.push(...wrap(c.dim(k.note), 7));
      out.push(`       ${c.bold('Evidence:')}`);
      for (const f of k.evidenceFindings.slice(0, MAX_EVIDENCE)) out.push(...line(f, sev, c.dim, 9));
      if (k.evidenceFindings.length > MAX_EVIDENCE) out.push(c.dim(`         … ${k.evidenceFindings.length - MAX_EVIDENCE} more (--json or -v)`));
      out.push(...wrap(`${c.bold('Fix:')} ${k.fix}`, 7));
    }
  } else {
    out.push(`  ${c.bold(c.green('No likely cause found.'))} None of the checks that matter for "${d.symptom}" found a known cause.`);
    if (d.couldNotCheck.length) out.push(...wrap('Some checks could not be made (below): the cause may hide there.', 2));
  }
  if (d.couldNotCheck.length) {
    out.push('', `  ${c.bold('Could not check')} ${c.dim('(not causes: the answer is unknown)')}`);
    for (const f of d.couldNotCheck) out.push(...line(f, sev, c.dim, 4, true));
  }
  if (d.otherProblems.length) {
    out.push('', `  ${c.bold('Other problems found')} ${c.dim(`(not a usual cause of ${d.symptom}; see \`mxdoctor check ${r.target}\`)`)}`);
    for (const f of d.otherProblems) out.push(...line(f, sev, c.dim, 4));
  }
  const fine = Object.entries(d.fine);
  if (fine.length) {
    out.push('', `  ${c.bold('Checked and fine')}`);
    out.push(...wrap(c.green(fine.map(([id, n]) => (n > 1 ? `${id} ×${n}` : id)).join(', ')), 4));
  }
  if (d.notes.length) out.push(...wrap(c.dim(`Also noted: ${[...new Set(d.notes.map((f) => f.id))].join(', ')}`), 2));
  if (d.otherServices) out.push(c.dim(`  ${d.otherServices} findings about services this symptom does not involve are left out (\`mxdoctor check ${r.target}\` shows all).`));
  out.push('', `  ${c.bold('Next steps')}`);
  for (const s of d.nextSteps) out.push(...wrap(`- ${s}`, 4, 2));
  out.push('');
  return `${out.join('\n')}\n`;
}

function line(f: FindingRef, sev: Record<Severity, (s: string) => string>, dim: (s: string) => string, indent: number, withFix = false): string[] {
  const head = `${' '.repeat(indent)}${sev[f.severity](LABEL[f.severity].padEnd(4))}  ${f.id}${f.subject ? `  ${f.subject}` : ''}`;
  const rest = [...(f.detail ? wrap(dim(f.detail), indent + 6) : [])];
  if (withFix && f.remediation) rest.push(...wrap(dim(`Fix: ${f.remediation}`), indent + 6));
  return [head, ...rest];
}

/** Word-wrap each line of the text, keeping its own leading spaces (SPF trees); `hang` indents continuations. */
function wrap(text: string, indent: number, hang = 0, width = 100): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^ */.exec(para)![0];
    const pad = ' '.repeat(indent) + lead;
    let cur = '';
    let first = true;
    const flush = () => { out.push((first ? pad : pad + ' '.repeat(hang)) + cur); first = false; };
    for (const word of para.slice(lead.length).split(' ')) {
      if (cur && cur.length + word.length + 1 > width - pad.length - (first ? 0 : hang)) {
        flush();
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    flush();
  }
  return out;
}
