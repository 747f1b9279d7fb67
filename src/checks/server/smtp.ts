// SMTP on every MX address (port 25): reachable, greeting, EHLO, STARTTLS, AUTH before
// TLS, slow steps, banner vs PTR, software version, open relay, postmaster@, and whether
// each MX accepts the domain. Facts come from the SMTP probe (src/probes/smtp/).
import type { Check } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { getMxFacts } from '../dns/mx-facts.js';
import { getEndpoints } from './endpoints.js';
import { SMTP as F } from './smtp-findings.js';
import { checkSmtpEndpoint } from './smtp-endpoint.js';
import type { SmtpEndpointReport } from './smtp-endpoint.js';
import { otherPortsAnswer } from './smtp-egress.js';

export const smtpCheck: Check = {
  family: 'smtp',
  area: 'SMTP',
  connects: true,
  skip: skipUnlessProbing,
  description: 'SMTP on every MX address: connection, greeting, EHLO, STARTTLS, AUTH before TLS, slow replies, banner vs PTR, software version, open relay, postmaster@, RCPT for the domain on every MX.',
  findings: Object.values(F),
  async run(target, ctx) {
    if (!ctx.options.probeServers) return [];
    const [{ endpoints }, mx] = await Promise.all([getEndpoints(ctx, target.domain), getMxFacts(ctx, target.domain)]);
    const smtp = endpoints.filter((e) => e.service === 'smtp');
    if (!smtp.length) return []; // no MX address: the mx family says why
    const best = Math.min(...mx.hosts.map((h) => h.preference));
    const pref = new Map(mx.hosts.map((h) => [h.host, h.preference]));
    const reports = await Promise.all(smtp.map((e) => ctx.memo(`smtp-endpoint:${e.address}:${e.port}:${target.domain}`, () =>
      checkSmtpEndpoint(ctx, e, { domain: target.domain, backup: (pref.get(e.host) ?? best) > best }))));
    return judgeTimeouts(ctx, reports);
  },
};

/**
 * Timeouts say "filtered or down", not which. If some port-25 endpoint answered, this
 * network reaches port 25, so a silent one is the server's problem (critical). If none
 * answered but the hosts answer on other ports, this network blocks port 25: one finding.
 */
export async function judgeTimeouts(ctx: Parameters<Check['run']>[1], reports: SmtpEndpointReport[]): Promise<Finding[]> {
  const all = reports.flatMap((r) => r.findings);
  const timedOut = reports.filter((r) => r.result.failure?.stage === 'connect' && r.result.failure.kind === 'timeout');
  if (!timedOut.length) return all;
  if (timedOut.length < reports.length) {
    const someAnswered = reports.some((r) => r.result.connectMs !== undefined);
    if (!someAnswered) return all;
    return all.map((f) => (f.id === F.connectTimeout.id ? finding(F.connectTimeout, { subject: f.subject, detail: `${f.detail} Other MX endpoints answered on the same port, so this network does reach it: the server or its firewall is at fault.`, evidence: f.evidence, severity: 'critical' }) : f));
  }
  const egress = await otherPortsAnswer(ctx, timedOut.map((r) => r.result.address));
  if (!egress.answered.length) return all;
  const rest = all.filter((f) => f.id !== F.connectTimeout.id);
  return [finding(F.port25Blocked, {
    detail: `All ${timedOut.length} port-${ctx.options.ports.smtp} connections timed out, but ${egress.answered.join(', ')} answered.`,
    evidence: { timedOut: timedOut.map((r) => `${r.result.host} ${r.result.address}`), ...egress },
  }), ...rest];
}
