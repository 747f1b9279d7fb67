// `mxdoctor logs [files...]`: the pflogsumm-class summary, problems first, or --trace one
// message. Exit code from the detectors' findings (0 ok, 1 warning, 2 critical).
import { UsageError } from '../../core/errors.js';
import { exitCodeFor } from '../../core/finding.js';
import { analyseSources } from '../../logs/parallel.js';
import { resolveSources } from '../../logs/sources.js';
import { logInputs } from '../log-inputs.js';
import { parseTimeBound } from '../../logs/time-range.js';
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
}

export async function logsCommand(files: string[], o: LogsOptions): Promise<number> {
  const now = Date.now();
  const since = o.since ? parseTimeBound('--since', o.since, now) : undefined;
  const until = o.until ? parseTimeBound('--until', o.until, now) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new UsageError('logs: --since is after --until');
  const sources = resolveSources(await logInputs('logs', files));
  if (o.follow && sources.at(-1)?.path === '-') throw new UsageError('logs: --follow needs a file, not stdin');
  const color = useColor(o);
  const controller = new AbortController();
  const stop = () => controller.abort();
  // `on`, not `once`, and never removed while following: a second Ctrl-C is a no-op.
  if (o.follow) process.on('SIGINT', stop);
  const live = o.trace && o.follow && !o.json;
  // The report and the knowledge base behind it (≈ 6 MB) load after the reading, when the
  // reader threads are gone: they would add to the peak memory (docs/logs.md).
  const tr = o.trace ? await import('../../logs/render-trace.js') : undefined;
  const a = await analyseSources(sources, {
    since, until, trace: o.trace, syslogNames: o.syslogName, unparsedSamples: o.unparsed ? 50 : 20,
    stdinMtimeMs: o.year ? Date.UTC(o.year, 11, 31) : undefined,
    follow: o.follow ? { signal: controller.signal } : undefined,
    onTrace: live ? (m) => write(tr!.renderTraceMessage(m, color)) : undefined,
  });
  for (const w of a.warnings) writeErr(`mxdoctor: logs: ${w}\n`);
  if (a.tracer && tr) {
    const { renderTraceMessage, traceJson } = tr;
    const msgs = a.tracer.end();
    if (o.json) write(`${JSON.stringify({ schema: 'mxdoctor.logs-trace/v1', query: o.trace, kind: a.tracer.kind, truncated: a.tracer.truncated, messages: traceJson(msgs) }, null, 2)}\n`);
    else if (!live) {
      if (!msgs.length) write(`No message matching ${o.trace} in ${a.lines.toLocaleString('en-US')} lines.\n`);
      for (const m of msgs) write(`${renderTraceMessage(m, color)}\n`);
    }
    return msgs.length ? 0 : 1;
  }
  const { buildLogReport } = await import('../../logs/report.js');
  const { renderLogsText } = await import('../../logs/render-text.js');
  const report = buildLogReport(a, o.top ?? 10, now);
  if (o.json) write(`${JSON.stringify(report, null, 2)}\n`);
  else write(renderLogsText(report, { color, verbose: o.verbose, unparsed: o.unparsed }));
  return exitCodeFor(report.findings.map((f) => f.severity));
}
