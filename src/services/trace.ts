// Service: `mxdoctor logs --trace <queue id|<message-id>|address>`: every line of the matching
// messages across daemons, read by the logs pipeline's reader, as one Report (facts.trace).
import { finding } from '../core/finding.js';
import { operationReport, type Report } from '../core/report.js';
import { systemClock } from '../io/clock.js';
import { analyseSources } from '../logs/parallel.js';
import { TRACE_FINDINGS, tracedMessageFacts, type TraceFacts, type TracedMessageFacts } from '../logs/trace-facts.js';
import { logSources, readerOptions, underDeadline, type LogReadOptions } from './logs.js';
import { withRunDeadline } from './resources.js';

export interface TraceOptions extends LogReadOptions {
  /** Keep reading as the files grow until the signal or the deadline fires. */
  follow?: boolean;
  /** Each matching message as soon as it is complete (the live view of --follow). */
  onMessage?: (m: TracedMessageFacts) => void;
}

export function traceReport(files: string[], query: string, o: TraceOptions = {}): Promise<Report> {
  return withRunDeadline('logs --trace', o, async (signal) => {
    const nowMs = o.nowMs ?? systemClock.now();
    const t0 = performance.now();
    const reader = readerOptions('logs', o, nowMs);
    const sources = logSources('logs', files, o.follow);
    const onMessage = o.onMessage;
    const { result: a, cut } = await underDeadline(sources, signal, o.follow, () => analyseSources(sources, {
      ...reader, trace: query, follow: o.follow ? { signal } : undefined,
      onTrace: onMessage ? (m) => onMessage(tracedMessageFacts(m)) : undefined,
    }));
    const tracer = a.tracer!;
    const messages = tracer.end().map(tracedMessageFacts);
    const facts: TraceFacts = { query, kind: tracer.kind, truncated: tracer.truncated, lines: a.lines, messages, warnings: a.warnings };
    const findings = [messages.length
      ? finding(TRACE_FINDINGS.found, { subject: query, detail: `${messages.length} message(s) in ${a.lines.toLocaleString('en-US')} lines` })
      : finding(TRACE_FINDINGS.noMatch, { subject: query, detail: `No message matching ${query} in ${a.lines.toLocaleString('en-US')} lines.` })];
    return operationReport({
      target: query, kind: 'trace', startedAt: new Date(nowMs), durationMs: performance.now() - t0,
      parts: [{ check: 'trace', area: 'Logs', findings }, ...(cut ? [cut] : [])], facts: { trace: facts },
    });
  });
}
