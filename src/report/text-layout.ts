// Layout helpers of the text report: folding repeated lines, abbreviating subjects, wrapping.
import type { ReportedFinding } from '../core/report.js';

/**
 * Identical ok/info findings about several endpoints ("TLS handshake completed" on 21 of them)
 * print as one line with a count; problems always print one by one, each with its fix.
 */
export function groupRepeats(fs: ReportedFinding[]): ReportedFinding[][] {
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

export function abbreviate(subjects: string[], max = 2): string {
  const unique = [...new Set(subjects)];
  return unique.length > max ? `${unique.slice(0, max).join(', ')}, … ${unique.length - max} more` : unique.join(', ');
}

/** Word-wrap each line of a detail, keeping that line's own leading indentation (trees, carets). */
export function wrap(text: string, indent: number, width = 100): string[] {
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
