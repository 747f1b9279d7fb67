// Plain-text lines of an SPF evaluation (for `mxdoctor dns --ip` and finding details):
// the records entered and terms tried, indented by include/redirect depth.
import type { SpfEvalResult } from './spf-eval.js';
import { LOOKUP_LIMIT, VOID_LIMIT } from './spf-eval-state.js';

export function formatSpfEvaluation(r: SpfEvalResult): string[] {
  const lines = [`SPF ${r.result} for ${r.ip} (sender ${r.sender}, domain ${r.domain})`, `  ${r.reason}`];
  for (const s of r.path) {
    const pad = '  '.repeat(s.depth + 1);
    if (s.outcome === 'record') lines.push(`${pad}${s.domain}: "${s.record}"`);
    else if (s.term) lines.push(`${pad}  ${s.term} → ${s.outcome}${s.detail ? ` (${s.detail})` : ''}`);
    else lines.push(`${pad}${s.domain}: ${s.outcome}${s.detail ? ` (${s.detail})` : ''}`);
  }
  lines.push(`  ${r.lookups}/${LOOKUP_LIMIT} DNS lookups, ${r.voidLookups}/${VOID_LIMIT} void lookups`);
  if (r.explanation !== undefined) lines.push(`  explanation: ${r.explanation}`);
  return lines;
}
