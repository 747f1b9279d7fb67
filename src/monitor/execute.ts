// Runs one monitored target once through the service layer (services/audit-target.ts: the
// same runner and checks as `mxdoctor check` and `mxdoctor smtp|imap|pop3|tls`; local targets
// through services/local.ts), with the module's families, thresholds and deadline, reporting
// each family as it finishes (the job's progress). Never through cli/.
import type { Check, CheckContext, HostTarget, Target } from '../core/check.js';
import type { Report } from '../core/report.js';
import { operationReport } from '../core/report.js';
import { finding } from '../core/finding.js';
import type { FindingDef } from '../core/finding.js';
import { selectChecks } from '../services/audit.js';
import { auditTarget } from '../services/audit-target.js';
import type { Progress } from '../services/audit-target.js';
import { smtpHostCheck } from '../checks/server/smtp-host.js';
import { tlsHostChecks, defaultStartTls } from '../checks/server/tls-host.js';
import { imapHostCheck } from '../checks/server/imap.js';
import { pop3HostCheck } from '../checks/server/pop3.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import type { ModuleConfig } from '../config/serve-schema.js';
import { systemHostIo } from '../services/queue.js';
import type { HostIo } from '../services/queue.js';
import { executeLocal } from './execute-local.js';
import { executeRoundtrip } from './execute-roundtrip.js';

export const MONITOR_FINDINGS = {
  deadline: {
    id: 'monitor.run-deadline', severity: 'unknown', title: 'The run did not finish within its deadline',
    meaning: 'A scheduled run of this target was still waiting for the network when its deadline passed, so its result is unknown (not a failure of the target).',
    remediation: 'Raise the module\'s timeout (or schedule.timeout) if the target is slow; look at the previous runs for which family was slow.',
  },
} satisfies Record<string, FindingDef>;

export type { Progress };

/** Builds the per-target check context for a module (resolver, thresholds, sockets). */
export type ContextFor = (module: ModuleConfig) => () => CheckContext;

export function checksFor(t: MonitorTarget, m: ModuleConfig): Check<Target>[] {
  if (t.kind === 'domain') return selectChecks(m.families) as Check<Target>[];
  const only = (list: readonly Check<any>[]) => (m.families ? list.filter((c) => m.families!.includes(c.family)) : list);
  const port = t.port ?? 25;
  const tls = tlsHostChecks({ starttls: defaultStartTls(port) });
  // The module's account, when it has one, for the login test (sent only over verified TLS or to loopback).
  const credentials = m.credentials ? { credentials: m.credentials } : {};
  const service = port === 143 || port === 993 ? imapHostCheck({ implicitTls: port === 993, ...credentials })
    : port === 110 || port === 995 ? pop3HostCheck({ implicitTls: port === 995, ...credentials }) : smtpHostCheck();
  return only([service, ...tls]) as Check<Target>[];
}

export interface ExecuteOptions {
  context: () => CheckContext; timeoutMs: number; signal: AbortSignal; onProgress?: (p: Progress) => void; now?: () => number;
  /** The machine's programs, files and clock for `local: true` targets. */
  hostIo?: () => HostIo;
}

export async function executeTarget(t: MonitorTarget, m: ModuleConfig, o: ExecuteOptions): Promise<Report> {
  if (t.kind === 'local') return executeLocalTarget(t, m, o);
  if (t.kind === 'roundtrip') return executeRoundtripTarget(t, m, o);
  const target: Target = t.kind === 'domain' ? { kind: 'domain', domain: t.address } : { kind: 'host', host: t.address, port: t.port, input: t.name } as HostTarget;
  let running: string[] = [];
  const startedAt = o.now?.() ?? Date.now();
  // Through the audit service with the run's signal: it scopes every check's sockets and
  // queries to it, so at the deadline they are closed and the wait ends with the deadline report.
  const run = auditTarget(target, checksFor(t, m), o.context, {
    checkTimeoutMs: o.timeoutMs, serverCheckTimeoutMs: o.timeoutMs, signal: o.signal, ...(o.now ? { now: o.now } : {}),
    onProgress: (p) => { running = p.running; o.onProgress?.(p); },
  });
  // Once the deadline report has won the race, the service's own ending must not go unhandled.
  run.catch(() => undefined);
  const r = await Promise.race([run, atDeadline(t, startedAt, o, () => running)]);
  if (r.target !== t.name) r.target = t.name;
  return r;
}

/** The deadline report, once the run's signal fires (the run may ignore it: it wins the race). */
function atDeadline(t: MonitorTarget, startedAt: number, o: ExecuteOptions, running: () => string[]): Promise<Report> {
  return new Promise<Report>((resolve) => {
    const fire = () => resolve(deadlineReport(t, startedAt, o.timeoutMs, running()));
    if (o.signal.aborted) fire();
    else o.signal.addEventListener('abort', fire, { once: true });
  });
}

/** A target that is one step (a round trip, the local checks): progress 0/1 → 1/1, the deadline race. */
async function oneStep(t: MonitorTarget, o: ExecuteOptions, step: string, start: () => Promise<Report>): Promise<Report> {
  const startedAt = o.now?.() ?? Date.now();
  o.onProgress?.({ done: 0, total: 1, running: [step] });
  const run = start();
  run.catch(() => undefined);
  const r = await Promise.race([run, atDeadline(t, startedAt, o, () => [step])]);
  o.onProgress?.({ done: 1, total: 1, running: [] });
  return r;
}

function executeRoundtripTarget(t: MonitorTarget, m: ModuleConfig, o: ExecuteOptions): Promise<Report> {
  return oneStep(t, o, 'roundtrip', () => executeRoundtrip(t, m, o.signal));
}

function executeLocalTarget(t: MonitorTarget, m: ModuleConfig, o: ExecuteOptions): Promise<Report> {
  const io = (o.hostIo ?? systemHostIo)();
  // The monitor's clock for the report's times too: the stored run and the schedule agree.
  return oneStep(t, o, 'local', () => executeLocal(t, m, { hostIo: o.now ? { ...io, clock: { now: o.now } } : io, signal: o.signal, now: o.now }));
}

function deadlineReport(t: MonitorTarget, startedAt: number, timeoutMs: number, running: string[]): Report {
  return operationReport({
    target: t.name, kind: t.kind === 'logs' ? 'local' : t.kind, startedAt: new Date(startedAt), durationMs: timeoutMs,
    parts: [{ check: 'monitor', area: 'Run', findings: [finding(MONITOR_FINDINGS.deadline, { detail: `Still running after ${Math.round(timeoutMs / 1000)} s: ${running.join(', ') || 'no family'}.` })] }],
  });
}
