// The tls, cert and tlsa families for one host named on the command line
// (`mxdoctor tls host[:port] [--starttls smtp|imap|pop3|none]`), reusing the judges of
// the domain checks on an endpoint built from the target.
import net from 'node:net';
import type { Check, CheckContext, HostTarget } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { plainOpener } from '../../probes/tls-opener.js';
import type { TlsOpener } from '../../probes/tls-opener.js';
import { endpointLabel, ROLE_OF } from './endpoints.js';
import type { Service } from './endpoints.js';
import { hostAddresses, hostLookupFinding } from './host-addresses.js';
import { OPENERS, probeEndpointTls } from './tls-facts.js';
import type { EndpointTls, TlsEndpoint } from './tls-facts.js';
import { judgeTls, tlsCheck } from './tls.js';
import { TLS_FINDINGS as F } from './tls-findings.js';
import { certCheck, judgeCert } from './cert.js';
import { judgeTlsa, tlsaCheck } from './tlsa.js';

export type StartTls = 'smtp' | 'imap' | 'pop3' | 'none';

/** Like testssl.sh -t: 465/993/995 imply implicit TLS, 143 IMAP, 110 POP3, anything else SMTP. */
export function defaultStartTls(port: number): StartTls {
  return port === 465 || port === 993 || port === 995 ? 'none' : port === 143 ? 'imap' : port === 110 ? 'pop3' : 'smtp';
}

export function serviceFor(starttls: StartTls, port: number): Service {
  if (starttls === 'smtp') return port === 587 ? 'submission' : 'smtp';
  if (starttls === 'imap' || starttls === 'pop3') return starttls;
  return port === 993 ? 'imaps' : port === 995 ? 'pop3s' : 'submissions';
}

export function tlsHostChecks(o: { starttls?: StartTls } = {}): Check<HostTarget>[] {
  const facts = (t: HostTarget, ctx: CheckContext) => ctx.memo(`tls-host:${t.host}`, () => probeHost(t, ctx, o.starttls));
  const wrap = (base: Check, judge: (x: EndpointTls, ctx: CheckContext, t: HostTarget) => Finding[] | Promise<Finding[]>, own = false): Check<HostTarget> => ({
    ...base,
    async run(t, ctx) {
      const r = await facts(t, ctx);
      if (!Array.isArray(r)) return own ? [r.finding] : [];
      return (await Promise.all(r.map((x) => judge(x, ctx, t)))).flat();
    },
  });
  return [
    wrap(tlsCheck, (x) => [...connectFinding(x), ...judgeTls(x.endpoint, x.probe)], true),
    wrap(certCheck, (x, ctx) => judgeCert(x.endpoint, x.probe, new Date(ctx.clock.now()), ctx.options)),
    // TLSA lives at _<port>._tcp.<host name>: nothing to look up for an IP literal.
    wrap(tlsaCheck, (x, ctx, t) => (x.endpoint.service === 'smtp' && !net.isIP(t.host) ? judgeTlsa(ctx, x, t.host) : [])),
  ];
}

async function probeHost(t: HostTarget, ctx: CheckContext, starttls?: StartTls): Promise<EndpointTls[] | { finding: Finding }> {
  const port = t.port ?? ctx.options.ports.smtp;
  const mode = starttls ?? defaultStartTls(port);
  const service = serviceFor(mode, port);
  const opener: TlsOpener = mode === 'none' ? plainOpener : OPENERS[service];
  const addrs = await hostAddresses(ctx, t.host);
  if (!addrs.ok) return { finding: hostLookupFinding(F, addrs, t.host) };
  return Promise.all(addrs.addresses.map(async (address) => {
    const endpoint: TlsEndpoint = { service, role: ROLE_OF[service], host: t.host, address, port, implicitTls: mode === 'none' };
    return { endpoint, probe: await probeEndpointTls(ctx, endpoint, opener) };
  }));
}

/** In a domain check the protocol families report reachability; here nobody else does. */
function connectFinding({ endpoint, probe }: EndpointTls): Finding[] {
  if (probe.open?.stage !== 'connect') return [];
  const kind = probe.open.failure?.kind;
  return [finding(F.connectFailed, {
    subject: endpointLabel(endpoint), detail: probe.open.error, severity: kind === 'refused' ? 'critical' : 'unknown', evidence: { kind },
  })];
}
