// Service: the mail queue of this machine (Postfix `postqueue -j`, Exim `exim -bp`): counts per
// queue, ages, a qshape-like histogram, top deferred destinations and reasons, thresholds as
// findings, one Report (facts.queue). The programs run through HostIo under the overall deadline.
import { hostname } from 'node:os';
import { UsageError } from '../core/errors.js';
import { operationReport, type Report } from '../core/report.js';
import { isIgnored } from '../core/runner.js';
import { systemClock, type Clock } from '../io/clock.js';
import { runCommand, type CommandRunner } from '../io/exec.js';
import { systemFs, type HostFs } from '../io/host-fs.js';
import { locator, type Locator } from '../host/locate.js';
import { detectMta, notAvailable, readQueue } from '../host/queue-read.js';
import { DEFAULT_THRESHOLDS, evaluateQueue, type QueueThresholds } from '../host/queue-evaluate.js';
import type { QueueFacts } from '../host/queue-facts.js';
import { withRunDeadline, type RunLimits } from './resources.js';

export interface QueueOptions extends RunLimits {
  postfixConfig?: string[];
  exim?: boolean;
  warn?: number;
  crit?: number;
  maxAge?: number;
  top?: number;
  ignore?: string[];
}

export interface HostIo {
  run: CommandRunner;
  fs: HostFs;
  clock: Clock;
  locate: Locator;
  hostname: string;
}

export function systemHostIo(): HostIo {
  return { run: runCommand, fs: systemFs, clock: systemClock, locate: locator(systemFs), hostname: hostname() };
}

export function thresholdsOf(o: { warn?: number; crit?: number; maxAge?: number }): QueueThresholds {
  const th: QueueThresholds = { warn: o.warn ?? DEFAULT_THRESHOLDS.warn, crit: o.crit ?? DEFAULT_THRESHOLDS.crit, maxAgeHours: o.maxAge ?? DEFAULT_THRESHOLDS.maxAgeHours };
  // Only --warn raised above the default critical: critical follows (10 × the old ratio would surprise).
  if (o.warn !== undefined && o.crit === undefined && th.crit <= th.warn) th.crit = th.warn * 5;
  if (th.crit <= th.warn) throw new UsageError(`--crit ${th.crit} must be greater than --warn ${th.warn}`);
  return th;
}

export function checkConfigDirs(fs: HostFs, dirs: string[] | undefined): void {
  for (const d of dirs ?? []) if (!fs.isDirectory(d)) throw new UsageError(`--postfix-config ${d}: no such directory (give the directory that holds main.cf, e.g. /etc/postfix-out)`);
}

/** The queue report without printing: what tests and other commands (doctor, monitor) reuse. */
export function queueReport(o: QueueOptions, io: HostIo): Promise<Report> {
  return withRunDeadline('queue', o, (signal) => readQueueReport(o, withSignal(io, signal)));
}

async function readQueueReport(o: QueueOptions, io: HostIo): Promise<Report> {
  if (o.exim && o.postfixConfig?.length) throw new UsageError('queue: --exim and --postfix-config exclude each other');
  const th = thresholdsOf(o);
  checkConfigDirs(io.fs, o.postfixConfig);
  const started = io.clock.now();
  const mta = detectMta(io.locate, o.exim ? 'exim' : o.postfixConfig?.length ? 'postfix' : undefined);
  let facts: QueueFacts | undefined;
  const findings = mta ? [] : [notAvailable()];
  if (mta) {
    const read = await readQueue({ mta, postfixConfigs: o.postfixConfig, top: o.top }, io);
    facts = read.facts;
    findings.push(...read.findings, ...evaluateQueue(read.facts, th));
  }
  return operationReport({
    target: io.hostname, kind: 'queue', startedAt: new Date(started), durationMs: io.clock.now() - started,
    parts: [{ check: 'queue', area: 'Queue', findings, durationMs: io.clock.now() - started }],
    facts: { queue: facts ?? { mta: null, total: null } },
    ignore: (id) => isIgnored(id, o.ignore),
  });
}


/** The same host I/O with the run's signal on every program it runs (killed when it fires). */
export function withSignal(io: HostIo, signal: AbortSignal): HostIo {
  return { ...io, run: (argv, o) => io.run(argv, { ...o, signal: o?.signal ?? signal }) };
}
