// `mxdoctor logs [files...]`: flags → the logs service (or the trace service with --trace) →
// the summary, problems first, or the traced messages. Exit code from the report's findings
// (0 ok, 1 warning or no message traced, 2 critical, 3 nothing understood).
import type { Report } from '../../core/report.js';
import type { LogsFacts } from '../../services/logs.js';
import type { TraceFacts } from '../../logs/trace-facts.js';
import { renderJson } from '../../report/json.js';
import { logInputs } from '../log-inputs.js';
import { useColor, write, writeErr } from '../output.js';

export interface LogsOptions {
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
  top?: number;
  since?: string;
  until?: string;
  follow?: boolean;
  trace?: string;
  unparsed?: boolean;
  syslogName?: string[];
  year?: number;
  /** --deadline, ms. */
  deadline?: number;
}

export async function logsCommand(files: string[], o: LogsOptions): Promise<number> {
  const inputs = await logInputs('logs', files);
  const color = useColor(o);
  const controller = new AbortController();
  const stop = () => controller.abort();
  // `on`, not `once`, and never removed while following: a second Ctrl-C is a no-op.
  if (o.follow) process.on('SIGINT', stop);
  const common = { since: o.since, until: o.until, syslogNames: o.syslogName, year: o.year, follow: o.follow, signal: controller.signal, deadlineMs: o.deadline };
  if (o.trace) return traceCommand(inputs, o.trace, o, common, color);
  const { logsReport } = await import('../../services/logs.js');
  const report = await logsReport(inputs, { ...common, top: o.top, unparsedSamples: o.unparsed ? 50 : 20 });
  const facts = report.facts!.logs as LogsFacts;
  for (const w of facts.warnings) writeErr(`mxdoctor: logs: ${w}\n`);
  if (o.json) write(renderJson([report]));
  else {
    const { renderLogsText } = await import('../../report/logs-text.js');
    write(renderLogsText({ ...facts, findings: report.findings }, { color, verbose: o.verbose, unparsed: o.unparsed }));
  }
  return report.exitCode;
}

async function traceCommand(inputs: string[], query: string, o: LogsOptions, common: object, color: boolean): Promise<number> {
  const { traceReport } = await import('../../services/trace.js');
  const { renderTraceMessage } = await import('../../report/trace-text.js');
  const live = o.follow && !o.json;
  const report: Report = await traceReport(inputs, query, { ...common, onMessage: live ? (m) => write(renderTraceMessage(m, color)) : undefined });
  const t = report.facts!.trace as TraceFacts;
  for (const w of t.warnings) writeErr(`mxdoctor: logs: ${w}\n`);
  if (o.json) write(renderJson([report]));
  else if (!live) {
    if (!t.messages.length) write(`No message matching ${query} in ${t.lines.toLocaleString('en-US')} lines.\n`);
    for (const m of t.messages) write(`${renderTraceMessage(m, color)}\n`);
  }
  return report.exitCode;
}
