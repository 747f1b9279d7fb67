// One SMTP endpoint, probed and judged: shared by the domain check (every MX address)
// and `mxdoctor smtp host[:port]`.
import type { CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { isIndeterminate } from '../../io/resolver.js';
import { reverseName } from '../../parsers/reverse-name.js';
import { probeSmtp } from '../../probes/smtp/client.js';
import type { SmtpProbeResult } from '../../probes/smtp/types.js';
import { endpointLabel } from './endpoints.js';
import { SMTP as F } from './smtp-findings.js';
import { failureFinding, judgeSession } from './smtp-judge.js';
import { judgeRcpt, RELAY_TEST_ADDRESS } from './smtp-rcpt.js';

export interface SmtpEndpointLike {
  host: string;
  address: string;
  port: number;
  implicitTls?: boolean;
}

export interface SmtpEndpointOptions {
  /** Test RCPT TO:<postmaster@domain> (and so whether the MX accepts the domain). */
  domain?: string;
  backup?: boolean;
}

export interface SmtpEndpointReport {
  result: SmtpProbeResult;
  /** The plaintext session that ran the RCPT tests when the TLS handshake failed. */
  fallback?: SmtpProbeResult;
  findings: Finding[];
}

export async function checkSmtpEndpoint(ctx: CheckContext, e: SmtpEndpointLike, o: SmtpEndpointOptions = {}): Promise<SmtpEndpointReport> {
  const subject = endpointLabel(e);
  const rcpt = ctx.options.relayTest
    ? [...(o.domain ? [{ kind: 'postmaster' as const, address: `postmaster@${o.domain}` }] : []), { kind: 'relay' as const, address: RELAY_TEST_ADDRESS }]
    : undefined;
  const params = { host: e.host, address: e.address, port: e.port, implicitTls: !!e.implicitTls, heloName: ctx.options.heloName, timeoutMs: ctx.options.stepTimeoutMs, rcpt };
  const result = await probeSmtp(ctx.net, params);
  let fallback: SmtpProbeResult | undefined;
  // A failed handshake ends the connection; senders then retry in plaintext, so do we for the RCPT tests.
  if (rcpt && result.failure?.stage === 'tls' && !e.implicitTls) fallback = await probeSmtp(ctx.net, { ...params, startTls: false });

  const findings: Finding[] = [];
  const failed = failureFinding(result, subject);
  if (failed) findings.push(failed);
  findings.push(...judgeSession(result, { subject, slowMs: ctx.options.slowMs }));
  findings.push(...judgeRcpt(fallback ?? result, { subject, domain: o.domain, backup: o.backup }));
  if (result.greeting?.code === 220) findings.push(...(await bannerFindings(ctx, result, subject)));
  return { result, ...(fallback ? { fallback } : {}), findings };
}

/** The host name a 220 greeting starts with (RFC 5321 §4.3.1: "220 <domain> <text>"). */
export function bannerHost(greetingFirstLine: string | undefined): string | undefined {
  const token = greetingFirstLine?.trim().split(/\s+/)[0]?.toLowerCase().replace(/\.$/, '');
  return token && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(token) && /[a-z]/.test(token) ? token : undefined;
}

async function bannerFindings(ctx: CheckContext, r: SmtpProbeResult, subject: string): Promise<Finding[]> {
  const rev = reverseName(r.address);
  if (!rev) return [];
  const ptr = await ctx.resolver.query(rev, 'PTR');
  // No PTR or no answer: the ptr family reports that; nothing to compare here.
  if (isIndeterminate(ptr) || !ptr.records.length) return [];
  const names = ptr.records.map((x) => String(x.data).toLowerCase().replace(/\.$/, ''));
  const banner = bannerHost(r.greeting!.lines[0]);
  const evidence = { banner: r.greeting!.lines[0], bannerHost: banner, ptr: names };
  if (banner && names.includes(banner)) return [finding(F.bannerHostname, { subject, detail: `${banner} = PTR of ${r.address}.`, evidence })];
  return [finding(F.bannerMismatch, {
    subject, evidence,
    detail: banner ? `The greeting names ${banner}; the PTR of ${r.address} is ${names.join(', ')}.` : `The greeting ("${r.greeting!.lines[0]?.slice(0, 60)}") names no host; the PTR of ${r.address} is ${names.join(', ')}.`,
  })];
}
