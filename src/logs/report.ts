// The `mxdoctor logs` result as one plain JSON object (schema mxdoctor.logs/v1): every
// list capped at --top, reason groups explained with the knowledge base (once per group,
// never per line), and the detectors' findings computed from the same data.
import { explain } from '../knowledge/explain.js';
import { topN, type Tally, type TallyRow } from './tally.js';
import { DomainTable } from './tables.js';
import { isoOf, dayOf } from './timestamp.js';
import { detect } from './detectors.js';
import type { Analysis } from './analyse.js';
import type { ReasonTable } from './reasons.js';
import type { Finding } from '../core/finding.js';

export const LOGS_SCHEMA = 'mxdoctor.logs/v1';

export interface ReasonOut {
  code: string;
  enhanced: string;
  reason: string;
  count: number;
  /** Present when the count may be over-counted by up to this much (the table was full: sketch.ts). */
  countError?: number;
  first: string;
  last: string;
  /** Top recipient domains (deliveries) or clients (rejects). */
  top: RowOut[];
  sample: string;
  explanation?: { title: string; summary: string; willRetry?: boolean; fixes: string[]; keys: string[] };
}

export interface RowOut { key: string; count: number; bytes?: number; countError?: number; bytesError?: number }

/** A table row; countError/bytesError only where the value may be over-counted (sketch.ts). */
function rows(r: TallyRow[], bytes = false): RowOut[] {
  return r.map((x) => {
    const o: RowOut = bytes ? { key: x.key, count: x.count, bytes: x.bytes } : { key: x.key, count: x.count };
    if (x.err?.[0]) o.countError = x.err[0];
    if (bytes && x.err?.[1]) o.bytesError = x.err[1];
    return o;
  });
}

/** Which distinct-key totals are estimates (more distinct keys than MAX_EXACT: distinct.ts). */
function estimated(t: Record<string, Tally | DomainTable>): string[] {
  return Object.entries(t).filter(([, x]) => x.approximate).map(([k]) => k);
}

export function reasonList(t: ReasonTable, top: number, withExplanation = true): ReasonOut[] {
  return topN(t.groups.values(), top, (g) => g.count).map((g) => {
    const out: ReasonOut = {
      code: g.code, enhanced: g.enhanced, reason: g.reason, count: g.count, first: isoOf(g.first), last: isoOf(g.last),
      top: rows(g.by.top(5)), sample: g.sample,
    };
    if (g.err?.[0]) out.countError = g.err[0];
    if (withExplanation) {
      const e = explain(g.sample);
      if (e.recognised) {
        out.explanation = {
          title: e.messages[0]?.title ?? e.enhancedCode?.title ?? e.replyCode?.title ?? e.summary,
          summary: e.summary, willRetry: e.willRetry, fixes: e.fixes.slice(0, 3), keys: e.messages.map((m) => m.key),
        };
      }
    }
    return out;
  });
}

export function buildLogReport(a: Analysis, top: number, nowMs: number) {
  const s = a.summary;
  const t = s.t;
  const total = t.delivered + t.rejected + t.discarded;
  const domains = [...s.domains.map.values()].map((r) => {
    const seen = DomainTable.seen(r);
    const d: { domain: string; delivered: number; bytes: number; deferred: number; avgDelay: number; maxDelay: number; deliveredError?: number; deferredError?: number; bytesError?: number } = {
      domain: r.key, delivered: r.delivered, bytes: r.bytes, deferred: r.deferred,
      // Over the deliveries counted while the row was kept (all of them unless the table was full).
      avgDelay: seen ? Math.round(r.delaySum / seen / 100) / 10 : 0, maxDelay: r.delayMax,
    };
    if (r.err?.[0]) d.deliveredError = r.err[0];
    if (r.err?.[1]) d.deferredError = r.err[1];
    if (r.err?.[2]) d.bytesError = r.err[2];
    return d;
  });
  const days = [...s.perDay.entries()].sort((x, y) => x[0] - y[0]);
  const report = {
    schema: LOGS_SCHEMA,
    generatedAt: new Date(nowMs).toISOString(),
    sources: a.sources.map((x) => ({ path: x.path, lines: x.lines, bytes: x.bytes, gzip: x.gzip, warning: x.warning })),
    span: s.first <= s.last ? { first: isoOf(s.first), last: isoOf(s.last), days: days.length } : null,
    lines: { total: a.lines, parsed: a.parsed, unparsed: a.unparsed, foreign: [...a.foreign.map.values()].reduce((n, r) => n + r.count, 0), filtered: a.filtered, formats: a.formats },
    totals: {
      received: t.received, delivered: t.delivered, forwarded: t.forwarded, deferred: t.deferred, deferrals: t.deferrals,
      bounced: t.bounced, expired: t.expired, rejected: t.rejected, rejectPercent: total ? Math.floor((t.rejected / total) * 100) : 0,
      rejectWarnings: t.rejectWarnings, held: t.held, discarded: t.discarded, discardPercent: total ? Math.floor((t.discarded / total) * 100) : 0,
      bytesReceived: t.bytesReceived, bytesDelivered: t.bytesDelivered,
      senders: s.senders.size, sendingDomains: s.sendingDomains.size,
      recipients: s.recipients.size, recipientDomains: s.domains.deliveredCount,
      bounceNotices: t.bounceNotices, deliveredWithoutSize: t.noSize,
    },
    /** Distinct-key totals given as estimates (over a million distinct keys: docs/logs.md); usually empty. */
    estimatedTotals: estimated({ senders: s.senders, sendingDomains: s.sendingDomains, recipients: s.recipients, recipientDomains: s.domains }),
    perDay: days.map(([d, r]) => ({ date: dayOf(d * 86400), received: r[0]!, delivered: r[1]!, deferred: r[2]!, bounced: r[3]!, rejected: r[4]! })),
    perHour: s.perHour.map((r, hour) => ({ hour, received: r[0]!, delivered: r[1]!, deferred: r[2]!, bounced: r[3]!, rejected: r[4]! })),
    domains: {
      byDelivered: topN(domains.filter((d) => d.delivered > 0), top, (d) => d.delivered),
      byDeferred: topN(domains.filter((d) => d.deferred > 0), top, (d) => d.deferred),
    },
    sendingDomains: rows(s.sendingDomains.top(top), true),
    senders: { byCount: rows(s.senders.top(top), true), bySize: rows(s.senders.top(top, 'bytes'), true) },
    recipients: { byCount: rows(s.recipients.top(top), true), bySize: rows(s.recipients.top(top, 'bytes'), true) },
    deferrals: reasonList(s.deferrals, top),
    bounces: reasonList(s.bounces, top),
    rejects: reasonList(s.rejects, top),
    rejectWarnings: reasonList(s.rejectWarnings, top),
    connectFailures: reasonList(s.connectFailures, top),
    authFailures: {
      smtp: s.smtpAuthFailures, imapPop3: s.dovecotAuthFailures,
      byClient: topN(s.auth.map.values(), top, (r) => r.count).map((r) => ({
        ip: r.key, count: r.count, ...(r.err?.[0] ? { countError: r.err[0] } : {}), first: isoOf(r.first), last: isoOf(r.last), services: [...r.services], users: r.users.size, sampleUsers: [...r.users].slice(0, 5),
      })),
    },
    tls: topN(s.tls.map.values(), top * 2, (r) => r.count).map((r) => {
      const [direction, trust, protocol, cipher] = r.key.split(' ');
      return { direction: direction === 'in' ? 'inbound' : 'outbound', trust, protocol, cipher, count: r.count };
    }),
    smtpd: { connects: s.connects, disconnects: s.disconnects, lostAfter: rows(s.lost.top(top)) },
    postscreen: rows(s.postscreen.top(50)),
    dovecot: { logins: rows(s.dovecotLogins.top(20)), authFailures: s.dovecotAuthFailures, quota: reasonList(s.quota, top, false) },
    problems: {
      panic: reasonList(s.problems.panic, top, false), fatal: reasonList(s.problems.fatal, top, false),
      error: reasonList(s.problems.error, top, false), warning: reasonList(s.problems.warning, top, false),
    },
    inFlight: { atEnd: s.inFlight.size, peak: s.inFlight.peak, evicted: s.inFlight.evicted, abandoned: s.inFlight.abandoned, expired: s.inFlight.expired },
    unparsed: { count: a.unparsed, byProgram: rows(a.unparsedByProgram.top(top)), samples: a.unparsedSamples },
    foreignPrograms: rows(a.foreign.top(top)),
    warnings: a.warnings,
    findings: [] as Finding[],
  };
  report.findings = detect(a, report);
  return report;
}

export type LogReport = ReturnType<typeof buildLogReport>;
