// Service: probe server endpoints named by the user (`mxdoctor smtp|imap|pop3|lmtp|tls host`):
// the host checks through the same runner as an audit, one Report per endpoint.
import type { Check, CheckContext, HostTarget, Target } from '../core/check.js';
import type { Report } from '../core/report.js';
import { runTarget } from '../core/runner.js';
import { contextFactory } from '../context.js';
import type { AuditOptions } from './audit.js';
import { withResolver, withRunDeadline } from './resources.js';

export type ProbeHostOptions = Omit<AuditOptions, 'only'>;

/**
 * Each target in turn's checks, concurrently across targets. `onContext` sees each target's
 * context after its run (the tls command reads its handshake facts from the memo).
 */
export function probeHosts(
  targets: HostTarget[], checks: readonly Check<HostTarget>[], o: ProbeHostOptions,
  onContext?: (target: HostTarget, ctx: CheckContext) => Promise<void>,
): Promise<Report[]> {
  return runTargets('probe', targets, checks, { ...o, checkTimeoutMs: o.checkTimeoutMs ?? 60_000 }, onContext);
}

/** Targets of any kind through the runner, under one resolver and one overall deadline. */
export function runTargets<T extends Target>(
  what: string, targets: T[], checks: readonly Check<T>[], o: ProbeHostOptions,
  onContext?: (target: T, ctx: CheckContext) => Promise<void>,
): Promise<Report[]> {
  return withRunDeadline(what, o, (signal) => withResolver(o, (resolver) => {
    const factory = contextFactory(resolver, { ...o, signal });
    return Promise.all(targets.map(async (t) => {
      let ctx: CheckContext | undefined;
      const report = await runTarget(t, { checks, context: () => (ctx = factory()), checkTimeoutMs: o.checkTimeoutMs ?? 20_000, ignore: o.ignore, signal });
      if (onContext && ctx) await onContext(t, ctx);
      return report;
    }));
  }));
}
