// The library API: runChecks(targets, options) returns the same Report model the CLI prints.
import type { Target } from './core/check.js';
import type { Check } from './core/check.js';
import type { Report } from './core/report.js';
import { runTarget } from './core/runner.js';
import { normalizeDomain } from './core/domain-name.js';
import { DOMAIN_CHECKS } from './checks/index.js';
import { contextFactory, createResolver } from './context.js';
import type { ContextOptions } from './context.js';
import { systemResolvers } from './io/resolv-conf.js';
import { DnsClient } from './io/dns-client.js';

export interface RunChecksOptions extends ContextOptions {
  /** Only these families (default: all). */
  only?: string[];
  ignore?: string[];
  checkTimeoutMs?: number;
}

export function selectChecks(only?: string[]): readonly Check[] {
  if (!only?.length) return DOMAIN_CHECKS;
  return DOMAIN_CHECKS.filter((c) => only.includes(c.family));
}

export async function runChecks(targets: (string | Target)[], options: RunChecksOptions = {}): Promise<Report[]> {
  const resolver = createResolver(options, systemResolvers);
  try {
    const context = contextFactory(resolver, options);
    const checks = selectChecks(options.only);
    const list = targets.map((t) => (typeof t === 'string' ? { kind: 'domain' as const, domain: normalizeDomain(t), input: t } : t));
    return await Promise.all(list.map((t) => runTarget(t, {
      checks, context, checkTimeoutMs: options.checkTimeoutMs ?? 20_000, ignore: options.ignore,
    })));
  } finally {
    if (!options.resolver && resolver instanceof DnsClient) resolver.close();
  }
}

export type { Report, ReportDocument, ReportedFinding } from './core/report.js';
export type { Finding, FindingDef, Severity } from './core/finding.js';
export type { Check, CheckContext, Target } from './core/check.js';
export type { Resolver, DnsResponse, RRType } from './io/resolver.js';
export { DnsClient } from './io/dns-client.js';
export { DOMAIN_CHECKS } from './checks/index.js';
