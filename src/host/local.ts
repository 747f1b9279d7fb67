// `check --local`: the queue, disk and inode space of the queue and the mail store, the
// mail daemons, certificate files on disk and the recent log problems, gathered through
// injected I/O (runner, fs, clock, log reader) and judged into report parts.
import { finding, type Finding } from '../core/finding.js';
import type { OperationPart } from '../core/report.js';
import type { Clock } from '../io/clock.js';
import type { CommandRunner } from '../io/exec.js';
import type { HostFs } from '../io/host-fs.js';
import { HOST_FINDINGS as H } from './host-findings.js';
import type { Locator } from './locate.js';
import { planLocal, type LocalPlan } from './local-plan.js';
import { readQueue } from './queue-read.js';
import { evaluateQueue, type QueueThresholds } from './queue-evaluate.js';
import type { QueueFacts } from './queue-facts.js';
import { evaluateDisk, measure, type DiskFacts, type DiskThresholds } from './disk.js';
import { checkDaemon, evaluateDaemon, procUnreadable, readProcesses, type DaemonFacts, type Expected } from './daemons.js';
import { runningConfigs } from './running-configs.js';
import { evaluateCertFile, inspectCertFile, type CertFileFacts } from './cert-files.js';
import { defaultLogs, type LogReader } from './recent-logs.js';

export interface LocalDeps {
  run: CommandRunner;
  fs: HostFs;
  clock: Clock;
  locate: Locator;
  readLogs: LogReader;
}

export interface LocalOptions {
  postfixConfigs?: string[];
  dovecotConfig?: string;
  exim?: boolean;
  /** Log files to read; none: Postfix's maillog_file or the system mail log. */
  logs?: string[];
  /** Read log lines at or after this wall-clock second. */
  since: number;
  mailStores?: string[];
  certFiles?: string[];
  queue: QueueThresholds;
  disk: DiskThresholds;
  certWarnDays: number;
  certCritDays: number;
  queueTimeoutMs?: number;
  /** Leave the log part out (serve's local runs: its live log watch reads the logs). */
  skipLogs?: boolean;
}

export interface LocalFacts {
  mta: 'postfix' | 'exim' | null;
  dovecot: boolean;
  /** The dovecot.conf read (doveconf -c), and where it came from; absent: Dovecot's default. */
  dovecotConfig?: { file: string; from: string };
  postfixInstances: { config: string; queueDirectory?: string; error?: string }[];
  eximSpool?: string;
  disks: DiskFacts[];
  daemons: DaemonFacts[];
  certificates: CertFileFacts[];
  /** Absent when the log part was left out (skipLogs). */
  logs?: { files: string[]; lines: number; considered: number; since: string };
}

export async function runLocal(o: LocalOptions, deps: LocalDeps): Promise<{ parts: OperationPart[]; facts: { local: LocalFacts; queue?: QueueFacts } }> {
  // The running daemons' own configurations first (dovecot -c, postfix -c), then the defaults.
  const table = readProcesses(deps.fs);
  const running = 'error' in table ? { dovecot: [], postfix: [] } : runningConfigs(deps.fs, table);
  const dovecotConfig = o.dovecotConfig ?? running.dovecot[0];
  const plan = await planLocal({ postfixConfigs: o.postfixConfigs, runningPostfix: running.postfix, dovecotConfig, exim: o.exim }, deps.run, deps.locate);
  const parts: OperationPart[] = [];

  let queue: QueueFacts | undefined;
  if (plan.mta) {
    const q0 = deps.clock.now();
    const corrupt = countCorrupt(deps.fs, plan);
    const read = await readQueue({ mta: plan.mta, postfixConfigs: plan.postfix.map((p) => p.config), corrupt, timeoutMs: o.queueTimeoutMs }, deps);
    queue = read.facts;
    parts.push({ check: 'queue', area: 'Queue', findings: [...read.findings, ...evaluateQueue(read.facts, o.queue)], durationMs: deps.clock.now() - q0 });
  }

  const h0 = deps.clock.now();
  const host: Finding[] = [...plan.findings];
  const disks: DiskFacts[] = [];
  const seen = new Set<string>();
  const disk = (path: string, role: string) => { if (seen.has(path)) return; seen.add(path); disks.push(measure(deps.fs, path, role)); };
  for (const p of plan.postfix) if (p.queueDirectory) disk(p.queueDirectory, 'Postfix queue');
  if (plan.eximSpool) disk(plan.eximSpool, 'Exim spool');
  for (const m of [...(o.mailStores ?? []), ...plan.mailStores]) disk(m, 'mail store');
  for (const d of disks) host.push(...evaluateDisk(d, o.disk));
  if (plan.mailStoreUnknown && !o.mailStores?.length) host.push(finding(H.mailStoreUnknown, { detail: `${plan.mailStoreUnknown}; give --mail-store <dir> to check its space` }));

  const daemons: DaemonFacts[] = [];
  const expected = expectedDaemons(plan);
  if (expected.length) {
    if ('error' in table) host.push(procUnreadable(table.error as string));
    else for (const e of expected) { const d = checkDaemon(deps.fs, table, e); daemons.push(d); host.push(evaluateDaemon(d)); }
  }

  const now = new Date(deps.clock.now());
  const certs = [...plan.certFiles, ...(o.certFiles ?? []).map((file) => ({ file, source: '--cert-file' }))]
    .filter((c, i, all) => all.findIndex((x) => x.file === c.file) === i)
    .map((c) => inspectCertFile(deps.fs, c.file, c.source, now))
    .filter((c) => c.error !== 'key only');
  for (const c of certs) { const f = evaluateCertFile(c, o.certWarnDays, o.certCritDays); if (f) host.push(f); }
  parts.push({ check: 'host', area: 'Host', findings: host, durationMs: deps.clock.now() - h0 });

  const logs = o.skipLogs ? undefined : await readLogPart(o, deps, plan.configLogs, parts);
  const local: LocalFacts = {
    mta: plan.mta ?? null, dovecot: plan.dovecot,
    ...(dovecotConfig ? { dovecotConfig: { file: dovecotConfig, from: o.dovecotConfig ? '--dovecot-config' : 'the running dovecot -c' } } : {}),
    postfixInstances: plan.postfix.map((p) => ({ config: p.config ?? 'default', queueDirectory: p.queueDirectory, ...(p.error ? { error: p.error } : {}) })),
    ...(plan.eximSpool ? { eximSpool: plan.eximSpool } : {}),
    disks, daemons, certificates: certs, ...(logs ? { logs } : {}),
  };
  return { parts, facts: queue ? { local, queue } : { local } };
}

async function readLogPart(o: LocalOptions, deps: LocalDeps, configLogs: string[], parts: OperationPart[]): Promise<NonNullable<LocalFacts['logs']>> {
  const l0 = deps.clock.now();
  const files = o.logs?.length ? o.logs : defaultLogs(deps.fs, configLogs);
  const logs = { files, lines: 0, considered: 0, since: new Date(o.since * 1000).toISOString().slice(0, 19) };
  if (files.length) {
    const r = await deps.readLogs(files, o.since, deps.clock.now());
    logs.lines = r.lines;
    logs.considered = r.considered;
    parts.push({ check: 'logs', area: 'Logs', findings: r.findings, durationMs: deps.clock.now() - l0 });
  } else {
    parts.push({ check: 'logs', area: 'Logs', findings: [finding(H.logUnavailable, { detail: 'none of /var/log/mail.log, /var/log/maillog, the Exim main log or a Postfix maillog_file is readable here' })] });
  }
  return logs;
}

function expectedDaemons(plan: LocalPlan): Expected[] {
  const out: Expected[] = [];
  const multi = plan.postfix.length > 1;
  for (const p of plan.postfix) {
    if (p.error) continue;
    out.push({ service: multi || p.config ? `postfix (${p.config ?? 'default'})` : 'postfix', names: ['master'], pidFile: p.queueDirectory ? `${p.queueDirectory}/pid/master.pid` : undefined });
  }
  if (plan.mta === 'exim') out.push({ service: 'exim', names: ['exim4', 'exim'] });
  if (plan.dovecot) out.push({ service: 'dovecot', names: ['dovecot'] });
  return out;
}

/** Files in each Postfix queue's corrupt/ directory (readable by root only; skipped otherwise). */
function countCorrupt(fs: HostFs, plan: LocalPlan): number | undefined {
  let n: number | undefined;
  for (const p of plan.postfix) {
    if (!p.queueDirectory) continue;
    try { n = (n ?? 0) + fs.readdir(`${p.queueDirectory}/corrupt`).length; } catch { /* not root: unknown */ }
  }
  return n;
}
