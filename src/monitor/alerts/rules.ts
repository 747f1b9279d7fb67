// Pure rule evaluation: does this run make the rule's condition true, false, or say
// nothing (a certificate that was not seen neither fires nor resolves a cert rule)?
// Flap damping: `for: n` consecutive results before firing and before resolving.
import type { Report } from '../../core/report.js';
import type { RuleConfig } from '../../config/serve-schema.js';
import { deliverySeconds, earliestCertificate, queueSize } from '../report-facts.js';
import { globToRegExp } from '../probe.js';

export type Condition = { holds: boolean; summary: string; severity: string } | null;

export function ruleApplies(rule: RuleConfig, target: string): boolean {
  return rule.targets.some((g) => globToRegExp(g).test(target.toLowerCase()));
}

/** warning: warning or critical; critical: critical; unknown: could not be checked. */
export function evaluate(rule: RuleConfig, r: Report): Condition {
  if (rule.severity) {
    const holds = rule.severity === 'warning' ? r.status === 'warning' || r.status === 'critical' : r.status === rule.severity;
    const worst = r.findings.find((f) => f.severity === r.status);
    return { holds, severity: holds ? r.status : 'ok', summary: `${r.target} is ${r.status}${worst ? `: ${worst.title}${worst.subject ? ` (${worst.subject})` : ''}` : ''}` };
  }
  if (rule.cert_days_below !== undefined) {
    const c = earliestCertificate(r);
    if (!c) return null;
    const holds = c.daysLeft < rule.cert_days_below;
    return { holds, severity: c.daysLeft < 0 ? 'critical' : 'warning', summary: `certificate of ${c.subject} ${c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `expires in ${c.daysLeft} days`} (${c.notAfter.slice(0, 10)})` };
  }
  if (rule.queue_size_above !== undefined) {
    const q = queueSize(r);
    if (q === null) return null;
    return { holds: q > rule.queue_size_above, severity: 'warning', summary: `${q} messages in the queue of ${r.target} (threshold ${rule.queue_size_above})` };
  }
  if (rule.delivery_seconds_above !== undefined) {
    const d = deliverySeconds(r);
    if (d === null) return null;
    return { holds: d > rule.delivery_seconds_above, severity: 'warning', summary: `delivery took ${d} s for ${r.target} (threshold ${rule.delivery_seconds_above} s)` };
  }
  return null;
}

export interface Damper { firing: boolean; streak: number }

/** Advance the damper; returns 'fire', 'resolve' or null (no transition). */
export function damp(d: Damper, holds: boolean, needed: number): 'fire' | 'resolve' | null {
  if (holds === d.firing) {
    d.streak = 0;
    return null;
  }
  d.streak++;
  if (d.streak < needed) return null;
  d.firing = holds;
  d.streak = 0;
  return holds ? 'fire' : 'resolve';
}
