// Service: audit mail domains (`mxdoctor check`, `dns`, the library's runChecks, the monitor).
// Typed options and a signal in, one Report per domain out; owns its resolver and deadline.
import type { Check, DomainTarget, Target } from '../core/check.js';
import type { Report } from '../core/report.js';
import { runTarget, runMany } from '../core/runner.js';
import type { RunnerOptions } from '../core/runner.js';
import { normalizeDomain } from '../core/domain-name.js';
import { DOMAIN_CHECKS } from '../checks/index.js';
import { contextFactory } from '../context.js';
import type { ContextOptions } from '../context.js';
import type { Resolver } from '../io/resolver.js';
import { openResolver, withResolver, withRunDeadline } from './resources.js';
import { deadline } from '../io/deadline.js';
import type { RunLimits } from './resources.js';

export interface AuditOptions extends ContextOptions, RunLimits {
  /** Only these families (default: all). */
  only?: string[];
  /** Finding ids (or `family.*`) to drop. */
  ignore?: string[];
  /** Deadline per check (server checks get 3 times as long); default 20 s. */
  checkTimeoutMs?: number;
}

export function selectChecks(only?: string[]): readonly Check[] {
  if (!only?.length) return DOMAIN_CHECKS;
  return DOMAIN_CHECKS.filter((c) => only.includes(c.family));
}

export function domainTarget(t: string | DomainTarget): DomainTarget {
  return typeof t === 'string' ? { kind: 'domain', domain: normalizeDomain(t), input: t } : t;
}

/** The runner set-up of an audit over one resolver (shared by the in-thread and worker bulk paths). */
export function auditRunner(resolver: Resolver, o: AuditOptions, signal?: AbortSignal): RunnerOptions {
  return {
    checks: selectChecks(o.only), context: contextFactory(resolver, { ...o, signal }),
    checkTimeoutMs: o.checkTimeoutMs ?? 20_000, ignore: o.ignore, signal,
  };
}

export function auditDomains(targets: (string | DomainTarget)[], o: AuditOptions = {}): Promise<Report[]> {
  const list = targets.map(domainTarget);
  return withRunDeadline('audit', o, (signal) => withResolver(o, (resolver) => {
    const runner = auditRunner(resolver, o, signal);
    return Promise.all(list.map((t) => runTarget(t, runner)));
  }));
}

/** Many domains, at most `concurrency` at once, reports in completion order (bulk NDJSON). */
export async function* auditStream(targets: AsyncIterable<Target> | Iterable<Target>, o: AuditOptions, concurrency: number): AsyncGenerator<Report> {
  const d = deadline(o.deadlineMs, 'audit', o.signal);
  const r = openResolver(o);
  try {
    yield* runMany(targets, auditRunner(r.resolver, o, d.signal), concurrency);
  } finally {
    d.dispose();
    r.close();
  }
}
