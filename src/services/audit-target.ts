// Service: one audit of one target (a domain, or one server's endpoints) over a context the
// caller keeps: the monitor holds one per module, so its resolver cache and connection pools
// live across runs, where auditDomains opens and closes its own. The same runner, checks,
// ignore list and overall deadline as every other audit; progress as each check ends.
import type { Check, CheckContext, Target } from '../core/check.js';
import type { Report } from '../core/report.js';
import { runTarget } from '../core/runner.js';
import { withRunDeadline } from './resources.js';
import type { RunLimits } from './resources.js';

export interface Progress { done: number; total: number; running: string[] }

export interface TargetAuditOptions extends RunLimits {
  /** Deadline per check; default 20 s. */
  checkTimeoutMs?: number;
  /** Deadline of checks that connect to servers (default 3 × checkTimeoutMs). */
  serverCheckTimeoutMs?: number;
  /** Finding ids (or `family.*`) to drop. */
  ignore?: string[];
  /** The clock of the report's start time (the monitor's timers). */
  now?: () => number;
  /** Told when a check family starts and ends (check now's live progress). */
  onProgress?: (p: Progress) => void;
}

export function auditTarget<T extends Target>(target: T, checks: readonly Check<T>[], context: () => CheckContext, o: TargetAuditOptions = {}): Promise<Report> {
  return withRunDeadline('audit', o, (signal) => runTarget(target, {
    checks: o.onProgress ? watched(checks, o.onProgress) : checks, context, signal,
    checkTimeoutMs: o.checkTimeoutMs ?? 20_000, ...(o.serverCheckTimeoutMs !== undefined ? { serverCheckTimeoutMs: o.serverCheckTimeoutMs } : {}),
    ...(o.ignore ? { ignore: o.ignore } : {}), ...(o.now ? { now: o.now } : {}),
  }));
}

/** The checks, each telling `onProgress` which families are running and how many are done. */
function watched<T extends Target>(checks: readonly Check<T>[], onProgress: (p: Progress) => void): Check<T>[] {
  const running = new Set<string>();
  let done = 0;
  const tell = () => onProgress({ done, total: checks.length, running: [...running] });
  return checks.map((c): Check<T> => ({
    ...c,
    async run(t, ctx) {
      running.add(c.family);
      tell();
      try {
        return await c.run(t, ctx);
      } finally {
        running.delete(c.family);
        done++;
        tell();
      }
    },
  }));
}
