// Runs a `local: true` target once: the machine serve runs on, through the same service as
// `mxdoctor check --local` (queue, disk, daemons, certificate files), with the module's
// `local:` options and the run's signal. A run that cannot start (a Postfix config directory
// that is gone, a program that fails) is stored as unknown with why, never as "ok".
import type { Report } from '../core/report.js';
import { operationReport } from '../core/report.js';
import { finding } from '../core/finding.js';
import type { FindingDef } from '../core/finding.js';
import { localReport } from '../services/local.js';
import type { LocalOptions } from '../services/local.js';
import type { HostIo } from '../services/queue.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import type { ModuleConfig } from '../config/serve-schema.js';

export const LOCAL_RUN_FINDINGS = {
  failed: {
    id: 'monitor.local-failed', severity: 'unknown', title: 'The local host checks could not run',
    meaning: 'The checks of this machine (queue, disk, daemons, certificate files) stopped before they had a result, so the state of the machine is unknown.',
    remediation: 'Fix what the detail names (a Postfix config directory that no longer exists, a mail tool that cannot be run by the user serve runs as), then check now.',
  },
} satisfies Record<string, FindingDef>;

/** The module's `local:` part as the service's options (the thresholds of check --local). */
export function localOptions(m: ModuleConfig): LocalOptions {
  const l = m.local;
  return {
    ...(l?.postfix_config ? { postfixConfig: l.postfix_config } : {}),
    ...(l?.exim ? { exim: true } : {}),
    ...(l?.dovecot_config ? { dovecotConfig: l.dovecot_config } : {}),
    ...(l?.mail_store ? { mailStore: l.mail_store } : {}),
    ...(l?.cert_files ? { certFile: l.cert_files } : {}),
    ...(l?.queue_warn !== undefined ? { warn: l.queue_warn } : {}),
    ...(l?.queue_crit !== undefined ? { crit: l.queue_crit } : {}),
    ...(l?.queue_max_age !== undefined ? { maxAge: l.queue_max_age / 3_600_000 } : {}),
    ...(l?.disk_warn !== undefined ? { diskWarn: l.disk_warn } : {}),
    ...(l?.disk_crit !== undefined ? { diskCrit: l.disk_crit } : {}),
    certWarnDays: m.cert_warn_days, certCritDays: m.cert_crit_days,
    recentLogs: l?.recent_logs ?? false,
  };
}

export async function executeLocal(t: MonitorTarget, m: ModuleConfig, o: { hostIo: HostIo; signal: AbortSignal; now?: () => number }): Promise<Report> {
  const started = o.now?.() ?? o.hostIo.clock.now();
  try {
    const r = await localReport({ ...localOptions(m), signal: o.signal }, o.hostIo);
    r.target = t.name;
    return r;
  } catch (e) {
    return operationReport({
      target: t.name, kind: 'local', startedAt: new Date(started), durationMs: (o.now?.() ?? o.hostIo.clock.now()) - started,
      parts: [{ check: 'host', area: 'Host', findings: [finding(LOCAL_RUN_FINDINGS.failed, { detail: (e as Error).message })] }],
    });
  }
}
