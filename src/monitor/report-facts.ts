// What the monitor reads out of a stored Report for the overview, the metrics and the
// series: the earliest certificate expiry, the DNSBL state, queue size and delivery time.
// "Not seen" is null, never 0: a DNS-only module has no certificate, not an expired one.
import type { Report } from '../core/report.js';

export interface CertSummary { notAfter: string; daysLeft: number; subject: string }
export interface DnsblSummary { state: 'clean' | 'listed' | 'unknown'; listedOn: string[] }

export function earliestCertificate(r: Report): CertSummary | null {
  let best: CertSummary | null = null;
  const at = Date.parse(r.startedAt);
  for (const f of r.findings) {
    if (f.check !== 'cert') continue;
    const chain = (f.evidence as { chain?: { notAfter?: string; subject?: string }[] } | undefined)?.chain;
    for (const c of chain ?? []) {
      const t = c.notAfter ? Date.parse(c.notAfter) : NaN;
      if (Number.isNaN(t)) continue;
      if (!best || t < Date.parse(best.notAfter)) {
        best = { notAfter: new Date(t).toISOString(), daysLeft: Math.floor((t - at) / 86_400_000), subject: f.subject ?? String(c.subject ?? '') };
      }
    }
  }
  // A local target: the certificate files its servers use (facts.local.certificates), so the
  // overview, the cert_days_left series, the expiry gauge and cert_days_below rules see them.
  const files = (r.facts?.local as { certificates?: { file: string; notAfter?: string }[] } | undefined)?.certificates;
  for (const c of files ?? []) {
    const t = c.notAfter ? Date.parse(c.notAfter) : NaN;
    if (Number.isNaN(t)) continue;
    if (!best || t < Date.parse(best.notAfter)) best = { notAfter: new Date(t).toISOString(), daysLeft: Math.floor((t - at) / 86_400_000), subject: c.file };
  }
  return best;
}

export function dnsblState(r: Report): DnsblSummary | null {
  const mine = r.findings.filter((f) => f.check === 'dnsbl');
  if (!r.checks.some((c) => c.check === 'dnsbl')) return null;
  const listedOn = [...new Set(mine.filter((f) => f.id === 'dnsbl.listed').map((f) => String((f.evidence as { zone?: string } | undefined)?.zone ?? f.subject ?? '')))].sort();
  if (listedOn.length) return { state: 'listed', listedOn };
  // A list that refused, timed out or answered oddly is "could not tell", never "listed".
  if (mine.some((f) => f.severity === 'unknown') || !mine.some((f) => f.id === 'dnsbl.not-listed')) return { state: 'unknown', listedOn: [] };
  return { state: 'clean', listedOn: [] };
}

export function queueSize(r: Report): number | null {
  const q = r.facts?.queue as { total?: unknown } | undefined;
  return typeof q?.total === 'number' ? q.total : null;
}

/** Postfix's queues (showq's names); Exim reports its whole queue as deferred. */
export const QUEUE_SERIES = ['active', 'deferred', 'hold', 'incoming', 'maildrop'] as const;

/** Messages per queue as the queue service counted them; null when the queue was not read. */
export function queueSizes(r: Report): Record<string, number> | null {
  const q = r.facts?.queue as { total?: unknown; byQueue?: Record<string, unknown> } | undefined;
  if (typeof q?.total !== 'number' || !q.byQueue) return null;
  const out: Record<string, number> = {};
  for (const name of QUEUE_SERIES) out[name] = typeof q.byQueue[name] === 'number' ? q.byQueue[name] as number : 0;
  return out;
}

export function deliverySeconds(r: Report): number | null {
  const rt = r.facts?.roundtrip as { deliverySeconds?: unknown } | undefined;
  return typeof rt?.deliverySeconds === 'number' ? rt.deliverySeconds : null;
}

/** Down is critical; ok/info/warning are up (degraded still delivers); unknown is neither. */
export function upState(status: string): 'up' | 'down' | 'unknown' {
  if (status === 'critical') return 'down';
  if (status === 'unknown') return 'unknown';
  return 'up';
}

export function countsBySeverity(r: Report): Record<string, number> {
  const counts: Record<string, number> = { critical: 0, warning: 0, unknown: 0, info: 0, ok: 0 };
  for (const f of r.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

/** The samples one run adds to the time series. */
export function runSamples(r: Report): Record<string, number> {
  const s: Record<string, number> = { check_duration_seconds: r.durationMs / 1000 };
  const up = upState(r.status);
  if (up !== 'unknown') s.up = up === 'up' ? 1 : 0;
  const cert = earliestCertificate(r);
  if (cert) s.cert_days_left = cert.daysLeft;
  const bl = dnsblState(r);
  if (bl && bl.state !== 'unknown') s.dnsbl_listed = bl.listedOn.length;
  const q = queueSize(r);
  if (q !== null) s.queue_size = q;
  for (const [name, n] of Object.entries(queueSizes(r) ?? {})) s[`queue_${name}`] = n;
  const d = deliverySeconds(r);
  if (d !== null) s.delivery_seconds = d;
  return s;
}
