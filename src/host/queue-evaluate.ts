// Queue facts → findings: size thresholds (1000 messages by default), old deferred mail,
// hold/frozen/maildrop, and what dominates the deferred queue (one destination, one reason,
// or timeouts everywhere: outbound port 25 blocked). Pure.
import { finding, type Finding } from '../core/finding.js';
import { QUEUE_FINDINGS as Q } from './queue-findings.js';
import type { QueueFacts, QueueReason } from './queue-facts.js';
import { share } from './queue-facts.js';

export interface QueueThresholds {
  /** Messages in all queues for a warning (default 1000) and for critical (default 5000). */
  warn: number;
  crit: number;
  /** Oldest deferred message age for a warning, in hours (default 24). */
  maxAgeHours: number;
}

export const DEFAULT_THRESHOLDS: QueueThresholds = { warn: 1000, crit: 5000, maxAgeHours: 24 };

/** Below this many deferred recipients, nothing "dominates": a handful of messages is normal. */
const MIN_DOMINANT = 10;
const MAILDROP_STUCK_S = 600;
const TIMEOUT = /Connection timed out|timed out while (?:receiving the initial server greeting|performing the EHLO handshake)/i;

export function ago(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

export function evaluateQueue(f: QueueFacts, th: QueueThresholds): Finding[] {
  if (f.total === null) return [];
  const out: Finding[] = [];
  const total = f.total;
  const q = f.byQueue;
  const mix = Object.entries(q).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  if (total === 0) out.push(finding(Q.empty, { evidence: { total } }));
  else if (total >= th.warn) {
    out.push(finding(Q.sizeHigh, {
      severity: total >= th.crit ? 'critical' : 'warning',
      detail: `${total} messages in the queue (${mix}); warning at ${th.warn}, critical at ${th.crit}`,
      evidence: { total, byQueue: q, warn: th.warn, crit: th.crit },
    }));
  } else out.push(finding(Q.sizeOk, { detail: `${total} messages (${mix}); warning at ${th.warn}`, evidence: { total, byQueue: q } }));

  const oldDef = f.oldestByQueue.deferred;
  if (oldDef !== undefined && oldDef >= th.maxAgeHours * 3600) {
    out.push(finding(Q.oldDeferred, { detail: `the oldest deferred message has waited ${ago(oldDef)} (threshold ${th.maxAgeHours} h)`, evidence: { oldestSeconds: oldDef, maxAgeHours: th.maxAgeHours } }));
  }
  if (q.hold) out.push(finding(Q.hold, { detail: `${q.hold} message(s) on hold, the oldest for ${ago(f.oldestByQueue.hold ?? 0)}`, evidence: { hold: q.hold } }));
  if (f.frozen) out.push(finding(Q.frozen, { detail: `${f.frozen} of ${total} queued messages are frozen`, evidence: { frozen: f.frozen } }));
  const md = f.oldestByQueue.maildrop;
  if (q.maildrop && md !== undefined && md >= MAILDROP_STUCK_S) {
    out.push(finding(Q.maildrop, { detail: `${q.maildrop} message(s) in maildrop, the oldest for ${ago(md)}`, evidence: { maildrop: q.maildrop, oldestSeconds: md } }));
  }
  if (f.corrupt) out.push(finding(Q.corrupt, { detail: `${f.corrupt} corrupt queue file(s)`, evidence: { corrupt: f.corrupt } }));
  if (f.forcedExpire) out.push(finding(Q.forcedExpire, { detail: `${f.forcedExpire} message(s) marked to expire`, evidence: { forcedExpire: f.forcedExpire } }));
  out.push(...dominance(f));
  return out;
}

function dominance(f: QueueFacts): Finding[] {
  const out: Finding[] = [];
  const n = f.deferredRecipients;
  if (n < MIN_DOMINANT) return out;
  const timeouts = f.topReasons.filter((r) => TIMEOUT.test(r.sample) || TIMEOUT.test(r.reason));
  const tCount = timeouts.reduce((s, r) => s + r.recipients, 0);
  const tDomains = new Set(timeouts.flatMap((r) => r.topDomains.map((d) => d.domain)));
  const tDistinct = Math.max(tDomains.size, ...timeouts.map((r) => r.domains));
  const port25 = tDistinct >= 3 && tCount / n >= 0.5;
  if (port25) {
    out.push(finding(Q.port25, {
      detail: `${tCount} of ${n} deferred recipients (${pct(tCount, n)}) at ${tDistinct}+ different domains failed with a connection timeout, e.g. "${timeouts[0]!.sample}"`,
      evidence: { recipients: tCount, of: n, domains: [...tDomains].slice(0, 10), reasons: timeouts.map((r) => r.reason) },
    }));
  }
  const d = f.topDestinations[0];
  if (d && d.share >= 0.5 && d.recipients >= MIN_DOMINANT) {
    const why = f.topReasons.find((r) => r.topDomains[0]?.domain === d.domain);
    out.push(finding(Q.destination, {
      subject: d.domain,
      detail: `${d.recipients} of ${n} deferred recipients (${pct(d.recipients, n)}) are at ${d.domain}${why ? `; reason: ${label(why)}` : ''}`,
      evidence: { domain: d.domain, recipients: d.recipients, of: n, reason: why?.sample },
    }));
  }
  const r = f.topReasons[0];
  if (r && !(port25 && timeouts.includes(r)) && r.recipients >= MIN_DOMINANT && share(r.recipients, n) >= 0.5) {
    const e = r.explanation;
    out.push(finding(Q.reason, {
      detail: `${r.recipients} of ${n} deferred recipients (${pct(r.recipients, n)}, ${r.domains} domain(s)): ${label(r)}${e ? `. ${e.summary}${e.fixes[0] ? ` What to do: ${e.fixes[0]}` : ''}` : ''}`,
      evidence: { reason: r.reason, code: r.code, enhanced: r.enhanced, recipients: r.recipients, of: n, sample: r.sample, explanation: e?.keys },
    }));
  }
  return out;
}

export function label(r: QueueReason): string {
  return [r.code, r.enhanced, r.reason].filter(Boolean).join(' ');
}

function pct(a: number, b: number): string {
  return `${Math.round((a / b) * 100)}%`;
}
