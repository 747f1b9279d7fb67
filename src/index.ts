// The library API: runChecks(targets, options) returns the same Report model the CLI prints.
import type { DomainTarget } from './core/check.js';
import type { Report } from './core/report.js';
import { auditDomains } from './services/audit.js';
import type { AuditOptions } from './services/audit.js';

export type RunChecksOptions = AuditOptions;
export { selectChecks } from './services/audit.js';

/** Audit domains: the same service `mxdoctor check` calls; a resolver passed in is left open. */
export function runChecks(targets: (string | DomainTarget)[], options: RunChecksOptions = {}): Promise<Report[]> {
  return auditDomains(targets, options);
}

export type { Report, ReportDocument, ReportedFinding } from './core/report.js';
export type { Finding, FindingDef, Severity } from './core/finding.js';
export type { Check, CheckContext, Target } from './core/check.js';
export type { Resolver, DnsResponse, RRType } from './io/resolver.js';
export { DnsClient } from './io/dns-client.js';
export { DOMAIN_CHECKS } from './checks/index.js';

// The services: the same operations the CLI runs, each typed options (+ signal, deadlineMs) → Report[].
export { auditDomains, auditStream } from './services/audit.js';
export type { AuditOptions } from './services/audit.js';
export { probeHosts } from './services/probe-host.js';
export { checkBlacklists, blacklistTarget } from './services/blacklist.js';
export { sendTestMessage } from './services/send.js';
export { roundtrips } from './services/roundtrip.js';
export { queueReport, systemHostIo } from './services/queue.js';
export { localReport } from './services/local.js';
export { diagnose } from './services/doctor.js';
export { logsReport } from './services/logs.js';
export type { LogsOptions, LogsFacts } from './services/logs.js';
export { traceReport } from './services/trace.js';
export { capacityReport } from './services/capacity.js';
export type { CapacityFacts } from './services/capacity.js';
export { allFindingDefs } from './catalogue.js';
export type { RunLimits } from './services/resources.js';
