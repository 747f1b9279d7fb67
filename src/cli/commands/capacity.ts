// `mxdoctor capacity <logs...>`: volume, peak hour, growth trend and projection from mail
// logs, read by the same pipeline as `mxdoctor logs` (formats, rotated sets, .gz, stdin).
import { UsageError } from '../../core/errors.js';
import { Analyser } from '../../logs/analyse.js';
import { limitYoungGeneration } from '../../logs/heap.js';
import { CapacityCounter } from '../../logs/capacity-count.js';
import { buildCapacity } from '../../logs/capacity.js';
import { nothingUnderstood } from '../../logs/detectors.js';
import { renderCapacityText } from '../../logs/render-capacity.js';
import { resolveSources } from '../../logs/sources.js';
import { logInputs } from '../log-inputs.js';
import { parseTimeBound } from '../../logs/time-range.js';
import { useColor, write, writeErr } from '../output.js';

export interface CapacityOptions {
  json?: boolean;
  color?: boolean;
  months?: number;
  since?: string;
  until?: string;
  syslogName?: string[];
  year?: number;
}

export async function capacityCommand(files: string[], o: CapacityOptions): Promise<number> {
  const now = Date.now();
  const since = o.since ? parseTimeBound('--since', o.since, now) : undefined;
  const until = o.until ? parseTimeBound('--until', o.until, now) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new UsageError('capacity: --since is after --until');
  limitYoungGeneration();
  const counter = new CapacityCounter();
  const an = new Analyser({
    since, until, syslogNames: o.syslogName, onEvent: counter.add,
    stdinMtimeMs: o.year ? Date.UTC(o.year, 11, 31) : undefined,
  });
  counter.attach(an.a.summary.t);
  const a = await an.read(resolveSources(await logInputs('capacity', files)));
  for (const w of a.warnings) writeErr(`mxdoctor: capacity: ${w}\n`);
  const input = { lines: a.lines, understood: a.parsed, unparsed: a.unparsed, warnings: a.warnings };
  // No message at all (an empty file, not a mail log, nothing in the range): nothing to plan
  // from, so "could not tell" (exit 3) in one line, not a table of zeros projected from 1970.
  const none = nothingUnderstood(a) ?? (a.summary.t.received + a.summary.t.delivered === 0
    ? `None of the ${a.lines.toLocaleString('en-US')} lines records a message received or delivered: there is no volume to plan from.`
    : undefined);
  if (none) {
    if (o.json) write(`${JSON.stringify({ schema: 'mxdoctor.capacity/v1', status: 'unknown', reason: none, input }, null, 2)}\n`);
    else write(`Mail capacity  UNKNOWN: ${none}\n`);
    return 3;
  }
  const r = buildCapacity({ counter, first: a.summary.first, last: a.summary.last, months: o.months ?? 12 });
  if (o.json) write(`${JSON.stringify({ ...r, input }, null, 2)}\n`);
  else write(renderCapacityText(r, { color: useColor(o), lines: a.lines }));
  return 0;
}
