// `--trace` output: one block per message, its lines in order with time and program, and
// under each non-2xx reply what it means and what to do (trace-facts.ts).
import { createColors } from './colors.js';
import type { TracedMessageFacts } from '../logs/trace-facts.js';

export function renderTraceMessage(m: TracedMessageFacts, color: boolean): string {
  const c = createColors(color);
  const out = [c.bold(`${m.qid}${m.messageId ? `  ${m.messageId}` : ''}`) + c.dim(`  from=<${m.from}>${m.to.length ? ` to=${m.to.map((t) => `<${t}>`).join(',')}` : ''}${m.next.length ? `  → ${m.next.join(', ')}` : ''}`)];
  for (const r of m.remote) out.push(c.dim(`  relayed to ${r.relay || 'the next server'}, which queued it as ${r.qid} (its queue id, not ours)`));
  for (const l of m.lines) {
    out.push(`  ${c.dim(l.time)}  ${l.program.padEnd(16)}  ${l.problem ? c.yellow(l.text) : l.text}`);
    if (l.explanation) {
      out.push(c.cyan(`      ${l.explanation.summary}`));
      if (l.explanation.fixes[0]) out.push(`      ${c.bold('Fix:')} ${l.explanation.fixes[0]}`);
    }
  }
  return `${out.join('\n')}\n`;
}
