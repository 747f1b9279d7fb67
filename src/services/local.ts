// Service: check the mail server this runs on (`mxdoctor check --local`): the queue, disk and
// inode space of the queue and the mail store, the mail daemons, certificate files on disk and
// the recent log problems, one Report, under the overall deadline.
import { UsageError } from '../core/errors.js';
import { operationReport, type Report } from '../core/report.js';
import { isIgnored } from '../core/runner.js';
import { runLocal } from '../host/local.js';
import type { LogReader } from '../host/recent-logs.js';
import { DISK_DEFAULTS } from '../host/disk.js';
import { resolveSources } from '../logs/sources.js';
import { parseTimeBound, wallNow } from '../logs/time-range.js';
import { checkConfigDirs, thresholdsOf, withSignal, type HostIo } from './queue.js';
import { readRecentLogs } from './logs.js';
import { withRunDeadline, type RunLimits } from './resources.js';

export interface LocalOptions extends RunLimits {
  postfixConfig?: string[];
  dovecotConfig?: string;
  exim?: boolean;
  log?: string[];
  since?: string;
  mailStore?: string[];
  certFile?: string[];
  warn?: number;
  crit?: number;
  maxAge?: number;
  diskWarn?: number;
  diskCrit?: number;
  certWarnDays?: number;
  certCritDays?: number;
  ignore?: string[];
  /** false: leave out the recent log problems (serve follows the logs itself); default true. */
  recentLogs?: boolean;
}

export function localReport(o: LocalOptions, io: HostIo, readLogs: LogReader = readRecentLogs): Promise<Report> {
  return withRunDeadline('check --local', o, (signal) => readLocalReport(o, withSignal(io, signal), readLogs));
}

async function readLocalReport(o: LocalOptions, io: HostIo, readLogs: LogReader): Promise<Report> {
  if (o.exim && o.postfixConfig?.length) throw new UsageError('check --local: --exim and --postfix-config exclude each other');
  const queue = thresholdsOf(o);
  const disk = { warnPercent: o.diskWarn ?? DISK_DEFAULTS.warnPercent, critPercent: o.diskCrit ?? DISK_DEFAULTS.critPercent };
  if (disk.critPercent <= disk.warnPercent) throw new UsageError(`--disk-crit ${disk.critPercent} must be greater than --disk-warn ${disk.warnPercent}`);
  checkConfigDirs(io.fs, o.postfixConfig);
  if (o.dovecotConfig) {
    try { io.fs.readFile(o.dovecotConfig, 1); } catch { throw new UsageError(`--dovecot-config ${o.dovecotConfig}: cannot read the file (give dovecot.conf, e.g. /etc/dovecot/dovecot.conf)`); }
  }
  // Named logs must exist: a typo is a usage error, not a silent "no log problems".
  if (o.log?.length) resolveSources(o.log);
  const started = io.clock.now();
  const since = o.since ? parseTimeBound('--since', o.since, started) : wallNow(started) - 86_400;
  const { parts, facts } = await runLocal({
    postfixConfigs: o.postfixConfig, dovecotConfig: o.dovecotConfig, exim: o.exim, logs: o.log, since, ...(o.recentLogs === false ? { skipLogs: true } : {}),
    mailStores: o.mailStore, certFiles: o.certFile, queue, disk,
    certWarnDays: o.certWarnDays ?? 30, certCritDays: o.certCritDays ?? 7,
  }, { ...io, readLogs });
  return operationReport({
    target: io.hostname, kind: 'local', startedAt: new Date(started), durationMs: io.clock.now() - started,
    parts, facts, ignore: (id) => isIgnored(id, o.ignore),
  });
}

