// The `mxdoctor logs` result as one plain JSON object (schema mxdoctor.logs/v1): every
// list capped at --top, reason groups explained with the knowledge base (once per group,
// never per line), and the detectors' findings computed from the same data.
import { explain } from '../knowledge/explain.js';
import { topN, type TallyRow } from './tally.js';
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
  first: string;
  last: string;
  /** Top recipient domains (deliveries) or clients (rejects). */
  top: { key: string; count: number }[];
  sample: string;
  explanation?: { title: string; summary: string; willRetry?: boolean; fixes: string[]; keys: string[] };
}

function rows(r: TallyRow[], bytes = false): { key: string; count: number; bytes?: number }[] {
  return r.map((x) => (bytes ? { key: x.key, count: x.count, bytes: x.bytes } : { key: x.key, count: x.count }));
}

export function reasonList(t: ReasonTable, top: number, withExplanation = true): ReasonOut[] {
  return topN(t.groups.values(), top, (g) => g.count).map((g) => {
    const out: ReasonOut = {
      code: g.code, enhanced: g.enhanced, reason: g.reason, count: g.count, first: isoOf(g.first), last: isoOf(g.last),
      top: g.by.top(5).map((r) => ({ key: r.key, count: r.count })), sample: g.sample,
    };
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
  const domains = [...s.domains.entries()].map(([d, r]) => ({
    domain: d, delivered: r.delivered, bytes: r.bytes, deferred: r.deferred,
    avgDelay: r.delivered ? Math.round(r.delaySum / r.delivered / 100) / 10 : 0, maxDelay: r.delayMax,
  }));
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
      recipients: s.recipients.size, recipientDomains: domains.filter((d) => d.delivered > 0).length,
      bounceNotices: t.bounceNotices, deliveredWithoutSize: t.noSize,
    },
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
      byClient: topN(s.auth.entries(), top, ([, r]) => r.count).map(([ip, r]) => ({
        ip, count: r.count, first: isoOf(r.first), last: isoOf(r.last), services: [...r.services], users: r.users.size, sampleUsers: [...r.users].slice(0, 5),
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
    inFlight: { atEnd: s.inFlight.size, peak: s.inFlight.peak, evicted: s.inFlight.evicted },
    unparsed: { count: a.unparsed, byProgram: rows(a.unparsedByProgram.top(top)), samples: a.unparsedSamples },
    foreignPrograms: rows(a.foreign.top(top)),
    warnings: a.warnings,
    findings: [] as Finding[],
  };
  report.findings = detect(a, report);
  return report;
}

export type LogReport = ReturnType<typeof buildLogReport>;
