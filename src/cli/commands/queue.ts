// `mxdoctor queue`: the mail queue of this machine (Postfix `postqueue -j`, Exim `exim -bp`):
// counts per queue, ages, a qshape-like histogram, top deferred destinations and reasons,
// thresholds as findings. Exit code from the report (unknown when the queue cannot be read).
import { hostname } from 'node:os';
import { UsageError } from '../../core/errors.js';
import { operationReport, type Report } from '../../core/report.js';
import { isIgnored } from '../../core/runner.js';
import { systemClock, type Clock } from '../../io/clock.js';
import { runCommand, type CommandRunner } from '../../io/exec.js';
import { systemFs, type HostFs } from '../../io/host-fs.js';
import { locator, type Locator } from '../../host/locate.js';
import { detectMta, notAvailable, readQueue } from '../../host/queue-read.js';
import { DEFAULT_THRESHOLDS, evaluateQueue, type QueueThresholds } from '../../host/queue-evaluate.js';
import { renderQueue } from '../../host/render-queue.js';
import type { QueueFacts } from '../../host/queue-facts.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { useColor, write } from '../output.js';

export interface QueueCommandOptions {
  postfixConfig?: string[];
  exim?: boolean;
  warn?: number;
  crit?: number;
  maxAge?: number;
  top?: number;
  ignore?: string[];
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
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
export async function queueReport(o: QueueCommandOptions, io: HostIo): Promise<Report> {
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

export async function queueCommand(o: QueueCommandOptions, io: HostIo = systemHostIo()): Promise<number> {
  const report = await queueReport(o, io);
  if (o.json) write(renderJson([report]));
  else {
    const color = useColor(o);
    const f = report.facts?.queue as QueueFacts;
    write(`${f.mta ? renderQueue(f, { color }) : ''}\n${renderText([report], { color, verbose: o.verbose })}`);
  }
  return report.exitCode;
}
