// `--trace` output: one block per message, its lines in order with time and program, and
// under each non-2xx reply what it means and what to do (the knowledge base).
import { createColors } from '../report/colors.js';
import { explain } from '../knowledge/explain.js';
import { isoOf } from './timestamp.js';
import type { TracedMessage } from './trace.js';

export function traceJson(msgs: TracedMessage[]) {
  return msgs.map((m) => ({
    ...m,
    lines: m.lines.map((l) => {
      const e = l.problem ? explain(l.line) : undefined;
      return {
        time: isoOf(l.ts), program: l.program, event: l.event, text: l.text,
        explanation: e?.recognised ? { summary: e.summary, willRetry: e.willRetry, fixes: e.fixes.slice(0, 3) } : undefined,
      };
    }),
  }));
}

export function renderTraceMessage(m: TracedMessage, color: boolean): string {
  const c = createColors(color);
  const out = [c.bold(`${m.qid}${m.messageId ? `  ${m.messageId}` : ''}`) + c.dim(`  from=<${m.from}>${m.to.length ? ` to=${m.to.map((t) => `<${t}>`).join(',')}` : ''}${m.next.length ? `  → ${m.next.join(', ')}` : ''}`)];
  for (const r of m.remote) out.push(c.dim(`  relayed to ${r.relay || 'the next server'}, which queued it as ${r.qid} (its queue id, not ours)`));
  for (const l of m.lines) {
    out.push(`  ${c.dim(isoOf(l.ts))}  ${l.program.padEnd(16)}  ${l.problem ? c.yellow(l.text) : l.text}`);
    if (l.problem) {
      const e = explain(l.line);
      if (e.recognised) {
        out.push(c.cyan(`      ${e.summary}`));
        if (e.fixes[0]) out.push(`      ${c.bold('Fix:')} ${e.fixes[0]}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
