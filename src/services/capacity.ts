// Service: `mxdoctor capacity`: daily volume, peak hour, growth trend and projection from mail
// logs, read by the logs pipeline's reader (formats, rotated sets, .gz, stdin), as one Report
// with the figures in facts.capacity.
import { finding } from '../core/finding.js';
import { operationReport, type Report } from '../core/report.js';
import { systemClock } from '../io/clock.js';
import { Analyser } from '../logs/analyse.js';
import { CapacityCounter } from '../logs/capacity-count.js';
import { CAPACITY_FINDINGS } from '../logs/capacity-findings.js';
import { buildCapacity, type CapacityReport } from '../logs/capacity.js';
import { nothingUnderstood } from '../logs/detectors.js';
import { limitYoungGeneration } from '../logs/heap.js';
import { logSources, logTarget, readerOptions, underDeadline, type LogReadOptions } from './logs.js';
import { withRunDeadline } from './resources.js';

export interface CapacityOptions extends LogReadOptions {
  /** Projection horizon (default 12). */
  months?: number;
}

/** What was read: the same counts whether or not there was volume to project. */
export interface CapacityInput { lines: number; understood: number; unparsed: number; warnings: string[] }

/**
 * facts.capacity: the figures as `capacity --json` gave them before (schema mxdoctor.capacity/v1)
 * and `input`; with nothing to plan from, only `input` and the `reason`.
 */
export type CapacityFacts = (Omit<CapacityReport, 'schema'> & { input: CapacityInput }) | { input: CapacityInput; reason: string };

export function capacityReport(files: string[], o: CapacityOptions = {}): Promise<Report> {
  return withRunDeadline('capacity', o, async (signal) => {
    const nowMs = o.nowMs ?? systemClock.now();
    const t0 = performance.now();
    const reader = readerOptions('capacity', o, nowMs);
    const sources = logSources('capacity', files);
    limitYoungGeneration();
    // One thread: the counter is a callback, and callbacks cannot cross to reader threads.
    const counter = new CapacityCounter();
    const an = new Analyser({ ...reader, onEvent: counter.add });
    counter.attach(an.a.summary.t);
    const { result: a, cut } = await underDeadline(sources, signal, false, () => an.read(sources));
    const input: CapacityInput = { lines: a.lines, understood: a.parsed, unparsed: a.unparsed, warnings: a.warnings };
    // No message at all (an empty file, not a mail log, nothing in the range): nothing to plan from.
    const none = nothingUnderstood(a) ?? (a.summary.t.received + a.summary.t.delivered === 0
      ? `None of the ${a.lines.toLocaleString('en-US')} lines records a message received or delivered: there is no volume to plan from.`
      : undefined);
    let facts: CapacityFacts;
    if (none) facts = { input, reason: none };
    else {
      const { schema: _schema, ...r } = buildCapacity({ counter, first: a.summary.first, last: a.summary.last, months: o.months ?? 12 });
      facts = { ...r, input };
    }
    const findings = [none ? finding(CAPACITY_FINDINGS.noVolume, { detail: none }) : finding(CAPACITY_FINDINGS.projected)];
    return operationReport({
      target: logTarget(sources), kind: 'capacity', startedAt: new Date(nowMs), durationMs: performance.now() - t0,
      parts: [{ check: 'capacity', area: 'Logs', findings }, ...(cut ? [cut] : [])], facts: { capacity: facts },
    });
  });
}
