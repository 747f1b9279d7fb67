// Mail submission (RFC 6409) on 587 with STARTTLS and 465 with implicit TLS (RFC 8314):
// reachable, TLS works, AUTH only after TLS, AUTH mechanisms. Hosts come from SRV
// records, --submission, else the MX hosts (where "not offered" is only info).
import type { Check, CheckContext } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { PLAINTEXT_AUTH } from '../../parsers/smtp-ehlo.js';
import { probeSmtp } from '../../probes/smtp/client.js';
import type { SmtpProbeResult } from '../../probes/smtp/types.js';
import type { Endpoint } from './endpoints.js';
import { endpointLabel, getEndpoints, unresolvedFindings } from './endpoints.js';
import { explainFailure, slowFindings } from './smtp-judge.js';
import { getMxFacts } from '../dns/mx-facts.js';
import type { DnsResponse } from '../../io/resolver.js';
import { isIndeterminate } from '../../io/resolver.js';
import { SUB as F } from './submission-findings.js';

export const submissionCheck: Check = {
  family: 'submission',
  area: 'Submission',
  connects: true,
  skip: skipUnlessProbing,
  description: 'Mail submission on 587 (STARTTLS) and 465 (implicit TLS): reachable, TLS works, AUTH only after TLS, AUTH mechanisms.',
  findings: Object.values(F),
  async run(target, ctx) {
    if (!ctx.options.probeServers) return [];
    const { endpoints, srv, unresolved } = await getEndpoints(ctx, target.domain);
    const mx = await getMxFacts(ctx, target.domain);
    const subs = endpoints.filter((e) => e.service === 'submission' || e.service === 'submissions');
    const results = await Promise.all(subs.map(async (e) => ({ e, r: await probeSubmission(ctx, e) })));
    const out = [
      ...unresolvedFindings(unresolved, ['submission', 'submissions'], F),
      ...results.flatMap(({ e, r }) => judgeSubmission(e, r, ctx.options.slowMs)),
    ];
    const answered = results.some(({ r }) => r.connectMs !== undefined);
    // No host to try because the SRV or MX lookups failed: "could not tell", never "not offered".
    const failed = [srv.submission, srv.submissions, mx.mx].filter((r): r is DnsResponse => r !== undefined && isIndeterminate(r));
    if (!subs.length && failed.length) {
      out.push(finding(F.hostLookupFailed, {
        subject: target.domain,
        detail: `The submission hosts could not be found: ${failed.map((r) => `${r.name} ${r.type} ${r.status}`).join('; ')}.`,
      }));
    } else if (!answered && !out.length) {
      const dot = ['submission', 'submissions'].filter((s) => srv[s as 'submission']?.records.some((rec) => !rec.data.target));
      out.push(finding(F.notOffered, {
        detail: dot.length ? `SRV records say ${dot.map((s) => `_${s}._tcp`).join(' and ')} is not provided (target ".").`
          : subs.length ? `No answer on ${[...new Set(subs.map((e) => e.port))].join(' or ')} from ${[...new Set(subs.map((e) => e.host))].join(', ')}.` : 'No SRV records and no host to try.',
        evidence: { tried: subs.map(endpointLabel) },
      }));
    }
    return out;
  },
};

export function probeSubmission(ctx: CheckContext, e: Pick<Endpoint, 'host' | 'address' | 'port' | 'implicitTls'>): Promise<SmtpProbeResult> {
  return probeSmtp(ctx.net, { host: e.host, address: e.address, port: e.port, implicitTls: e.implicitTls, heloName: ctx.options.heloName, timeoutMs: ctx.options.stepTimeoutMs });
}

export function judgeSubmission(e: Pick<Endpoint, 'host' | 'address' | 'port' | 'implicitTls' | 'source'>, r: SmtpProbeResult, slowMs: number): Finding[] {
  const subject = endpointLabel(e);
  const f = r.failure;
  const out: Finding[] = [];
  const evidence = { steps: r.steps, ...(f ? { stage: f.stage, kind: f.kind, error: f.error } : {}) };
  if (f?.stage === 'connect') {
    // The MX hosts are only a guess for submission: silence there means "not offered".
    if (e.source === 'mx-fallback') return [];
    return [finding(F.unreachable, { subject, detail: explainFailure(f, r), evidence, severity: f.kind === 'refused' ? 'critical' : 'unknown' })];
  }
  if (f?.stage === 'tls') {
    out.push(finding(e.implicitTls ? F.implicitFailed : F.starttlsFailed, { subject, detail: explainFailure(f, r), evidence }));
    if (e.implicitTls) return out;
  } else if (f && !r.ehlo && !r.ehloTls) {
    return [finding(F.sessionFailed, { subject, detail: explainFailure(f, r), evidence: { ...evidence, ...(f.partial ? { received: f.partial } : {}) } })];
  }
  const pre = r.ehlo?.caps;
  const post = r.ehloTls?.caps;
  out.unshift(finding(F.reachable, {
    subject, detail: `220 greeting after ${r.greeting?.ms ?? '?'} ms; ${(post ?? pre)?.raw.join(', ') || 'no extensions'}.`,
    evidence: { greeting: r.greeting?.lines, steps: r.steps, capabilities: pre, capabilitiesTls: post },
  }));
  if (e.implicitTls) {
    const h = r.starttls?.handshake;
    if (h?.ok) out.push(finding(F.implicitOk, { subject, detail: `${h.protocol ?? 'TLS'} ${h.cipher} in ${h.ms} ms.` }));
  } else if (!pre?.starttls) {
    out.push(finding(F.starttlsMissing, { subject, detail: `EHLO lists: ${pre?.raw.join(', ') || 'nothing'}.` }));
  } else if (r.starttls?.reply && r.starttls.reply.code !== 220) {
    out.push(finding(F.starttlsFailed, { subject, detail: `STARTTLS answered ${r.starttls.reply.code} ${r.starttls.reply.lines.join(' ')}.` }));
  } else if (r.starttls?.handshake?.ok && post) {
    const h = r.starttls.handshake;
    out.push(finding(F.starttlsOffered, { subject, detail: `${h.protocol ?? 'TLS'} ${h.cipher} in ${h.ms} ms.` }));
  }
  if (!e.implicitTls && pre?.auth.length) {
    const plain = pre.auth.filter((m) => PLAINTEXT_AUTH.has(m));
    out.push(finding(F.authBeforeTls, {
      subject, severity: plain.length ? 'critical' : 'warning',
      detail: `Before TLS the server offers AUTH ${pre.auth.join(' ')}${plain.length ? ` (${plain.join(', ')} send the password itself)` : ' (challenge-response only)'}.`,
      evidence: { authBeforeTls: pre.auth },
    }));
  }
  if (post) {
    if (post.auth.length) out.push(finding(F.authMechanisms, { subject, detail: `AUTH ${post.auth.join(' ')}.`, evidence: { auth: post.auth } }));
    else out.push(finding(F.noAuth, { subject, detail: `After TLS the EHLO reply lists: ${post.raw.join(', ') || 'nothing'}.` }));
  }
  if (f && f.stage !== 'tls') out.push(finding(F.sessionFailed, { subject, detail: explainFailure(f, r), evidence }));
  out.push(...slowFindings(r, subject, slowMs, { slow: F.slowReply }));
  return out;
}
