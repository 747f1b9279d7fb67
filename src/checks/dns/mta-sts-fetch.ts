// Fetching the MTA-STS policy (RFC 8461 §3.3) and judging the response: the policy
// host's address, the HTTPS exchange (no redirects, valid certificate), status 200,
// Content-Type text/plain (§3.2), then the policy syntax.
import type { CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import type { HttpResponse } from '../../io/http.js';
import { parseStsPolicy } from '../../parsers/mta-sts-policy.js';
import type { StsPolicy } from '../../parsers/mta-sts-policy.js';
import { F } from './mta-sts-findings.js';

/** §3.3 suggests senders cap the policy body; 64 KiB is far above any real policy. */
const MAX_POLICY_BYTES = 64 * 1024;

export function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
}

export interface PolicyOutcome {
  findings: Finding[];
  /** Set when a policy was fetched and parsed (even if served with a bad Content-Type). */
  policy?: StsPolicy;
  /** Evidence shared by later findings. */
  evidence: Record<string, unknown>;
}

/** Resolve the policy host first so "no such host" and "could not tell" stay apart. */
async function hostProblem(ctx: CheckContext, host: string): Promise<Finding | undefined> {
  const [a, aaaa] = await Promise.all([ctx.resolver.query(host, 'A'), ctx.resolver.query(host, 'AAAA')]);
  if (a.records.length || aaaa.records.length) return undefined;
  const failed = [a, aaaa].find(isIndeterminate);
  if (failed) return finding(F.hostLookupFailed, { subject: host, detail: describeFailure(failed) });
  return finding(F.hostMissing, { subject: host, detail: `${host}: A ${a.status}, AAAA ${aaaa.status}.` });
}

/** Fetch the policy. Returns the HTTP response, or the findings that explain why there is none. */
export async function fetchPolicy(ctx: CheckContext, domain: string): Promise<{ response?: HttpResponse; findings: Finding[] }> {
  const host = `mta-sts.${domain}`;
  const url = policyUrl(domain);
  const missing = await hostProblem(ctx, host);
  if (missing) return { findings: [missing] };
  const r = await ctx.http.get(url, { maxBytes: MAX_POLICY_BYTES });
  if (r.ok) return { response: r.response, findings: [] };
  const evidence = { url, error: r.error, kind: r.kind };
  const detail = `${url}: ${r.error}`;
  switch (r.kind) {
    case 'dns': return { findings: [finding(F.hostLookupFailed, { subject: host, detail, evidence })] };
    case 'connect': return { findings: [finding(F.connectFailed, { subject: host, detail, evidence })] };
    case 'tls': return { findings: [finding(F.tlsInvalid, { subject: host, detail: `${detail}. Senders ignore a policy they cannot fetch with a valid certificate.`, evidence })] };
    case 'timeout': return { findings: [finding(F.fetchTimeout, { subject: host, detail, evidence })] };
    default: return { findings: [finding(F.fetchFailed, { subject: host, detail, evidence })] };
  }
}

/** Judge the fetched response: status, media type, syntax. */
export function judgeResponse(domain: string, res: HttpResponse): PolicyOutcome {
  const url = policyUrl(domain);
  const type = res.headers['content-type'];
  const evidence: Record<string, unknown> = { url, status: res.status, contentType: type ?? null, policy: res.body.slice(0, 4096) };
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.location ? ` to ${res.headers.location}` : '';
    return { evidence, findings: [finding(F.redirect, { detail: `${url} answered ${res.status}${to}; senders do not follow redirects.`, evidence })] };
  }
  if (res.status !== 200) {
    return { evidence, findings: [finding(F.httpStatus, { detail: `${url} answered HTTP ${res.status}.`, evidence })] };
  }
  const out: Finding[] = [];
  // §3.2: media type "text/plain"; parameters such as charset are allowed.
  const media = type?.split(';')[0]!.trim().toLowerCase();
  if (media !== 'text/plain') {
    out.push(finding(F.contentType, { detail: type ? `Content-Type is "${type}".` : 'The response has no Content-Type header.', evidence }));
  }
  const parsed = parseStsPolicy(res.body);
  const notes = parsed.notes.map((n) => (n.line ? `line ${n.line}: ${n.message}` : n.message));
  if (!parsed.ok) {
    const errors = parsed.errors.slice(0, 10).map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
    out.push(finding(F.policyInvalid, { detail: errors.join('; '), evidence: { ...evidence, errors, notes } }));
    return { evidence, findings: out };
  }
  const { policy } = parsed;
  if (!out.length) {
    out.push(finding(F.policyValid, {
      detail: `mode ${policy.mode}, max_age ${policy.maxAge}, mx ${policy.mx.join(', ') || '(none)'}`,
      evidence: { ...evidence, mode: policy.mode, maxAge: policy.maxAge, mx: policy.mx },
    }));
  }
  if (notes.length) out.push(finding(F.policyNonstandard, { detail: notes.join('; '), evidence: { url, notes } }));
  return { evidence, findings: out, policy };
}

/** Mode and max_age judgements (§3.2, §5). */
export function judgePolicy(policy: StsPolicy): Finding[] {
  // A "none" policy only withdraws MTA-STS (§8.3): its max_age matters little.
  if (policy.mode === 'none') return [finding(F.modeNone, { detail: 'mode: none' })];
  const out: Finding[] = [];
  if (policy.mode === 'testing') out.push(finding(F.modeTesting, { detail: 'mode: testing' }));
  const detail = `max_age is ${policy.maxAge} seconds (${duration(policy.maxAge)}).`;
  if (policy.maxAge < 86_400) out.push(finding(F.maxAgeShort, { detail, evidence: { maxAge: policy.maxAge } }));
  else if (policy.maxAge < 604_800) out.push(finding(F.maxAgeUnderWeeks, { detail, evidence: { maxAge: policy.maxAge } }));
  return out;
}

function duration(s: number): string {
  const [n, unit]: [number, string] = s >= 86_400 ? [s / 86_400, 'day'] : s >= 3600 ? [s / 3600, 'hour'] : s >= 60 ? [s / 60, 'minute'] : [s, 'second'];
  const v = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return `${v} ${unit}${v === '1' ? '' : 's'}`;
}
