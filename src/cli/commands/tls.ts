// `mxdoctor tls <host[:port]>`: TLS versions, cipher, certificate chain and the tls, cert
// and tlsa findings of one server. Port 25 with SMTP STARTTLS by default; --tls and --protocol
// like testssl.sh -t (465/993/995 imply implicit TLS; the old --starttls still works).
import type { CheckContext, HostTarget } from '../../core/check.js';
import { worstSeverity } from '../../core/finding.js';
import type { Report } from '../../core/report.js';
import { UsageError } from '../../core/errors.js';
import { probeHosts } from '../../services/probe-host.js';
import { describeCert } from '../../parsers/certificate.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { endpointLabel } from '../../checks/server/endpoints.js';
import type { EndpointTls } from '../../checks/server/tls-facts.js';
import { tlsHostChecks } from '../../checks/server/tls-host.js';
import { defaultStartTls } from '../../checks/server/tls-host.js';
import type { StartTls } from '../../checks/server/tls-host.js';
import { versionName } from '../../checks/server/tls.js';
import { summarizeEndpoint } from '../../checks/server/tls-summary.js';
import { parseHostTarget } from '../host-target.js';
import type { HostCommandOptions } from '../host-target.js';
import { useColor, write } from '../output.js';

export interface TlsCommandOptions extends HostCommandOptions {
  /** starttls or implicit; with `protocol`, the one name for a TLS mode across commands. */
  tls?: 'starttls' | 'implicit';
  protocol?: 'smtp' | 'imap' | 'pop3';
  /** The old spelling (hidden): smtp, imap, pop3 or none. */
  starttls?: string;
}

const MODES: StartTls[] = ['smtp', 'imap', 'pop3', 'none'];

/** --tls/--protocol (or the old --starttls) → the probe's mode; undefined: from the port. */
export function startTlsMode(o: TlsCommandOptions, port: number): StartTls | undefined {
  if (o.starttls !== undefined) {
    if (o.tls || o.protocol) throw new UsageError('--starttls is the old spelling of --tls/--protocol: give one or the other');
    if (!MODES.includes(o.starttls as StartTls)) throw new UsageError(`--starttls ${o.starttls}: expected one of ${MODES.join(', ')}`);
    return o.starttls as StartTls;
  }
  if (o.tls === 'implicit') {
    if (o.protocol) throw new UsageError('--protocol names who negotiates STARTTLS: it does not go with --tls implicit');
    return 'none';
  }
  if (o.protocol) return o.protocol;
  if (o.tls === 'starttls') {
    // STARTTLS asked for on an implicit-TLS port (465/993/995): the protocol that port serves.
    const d = defaultStartTls(port);
    return d !== 'none' ? d : port === 993 ? 'imap' : port === 995 ? 'pop3' : 'smtp';
  }
  return undefined;
}

export async function tlsCommand(inputs: string[], o: TlsCommandOptions): Promise<number> {
  const targets = inputs.map((i) => parseHostTarget(i));
  startTlsMode(o, 25); // a contradiction is a usage error before anything connects
  // One mode for all targets unless --tls starttls leaves the protocol to each port.
  const ports = new Set(targets.map((t) => t.port ?? 25));
  if (ports.size > 1 && o.tls === 'starttls' && !o.protocol) throw new UsageError('--tls starttls with several ports: name the protocol with --protocol smtp|imap|pop3, or check one port at a time');
  const facts = new Map<HostTarget, { tls: EndpointTls[]; now: number }>();
  const reports = await probeHosts(targets, tlsHostChecks({ starttls: startTlsMode(o, targets[0]?.port ?? 25) }), o,
    async (t, ctx) => { facts.set(t, { tls: await factsOf(ctx, t), now: ctx.clock.now() }); });
  if (o.json) write(renderJson(reports));
  else write(reports.map((r, i) => renderFacts(r, facts.get(targets[i]!)?.tls ?? [], facts.get(targets[i]!)?.now ?? Date.now())).join('') + renderText(reports, { color: useColor(o), verbose: o.verbose }));
  return worstExit(reports);
}

async function factsOf(ctx: CheckContext, t: HostTarget): Promise<EndpointTls[]> {
  const r = await ctx.memo<unknown>(`tls-host:${t.host}`, async () => []);
  return Array.isArray(r) ? (r as EndpointTls[]) : [];
}

/** The facts block above the findings: summary line, versions, cipher, chain. */
export function renderFacts(report: Report, facts: EndpointTls[], now: number): string {
  const out: string[] = [];
  for (const { endpoint, probe } of facts) {
    const label = endpointLabel(endpoint);
    const status = worstSeverity(report.findings.filter((f) => f.subject === label).map((f) => f.severity));
    out.push(`${summarizeEndpoint({ service: endpoint.service, port: endpoint.port, implicitTls: endpoint.implicitTls, tls: probe, status, now })}  ${label}`);
    if (probe.versions.length) out.push(`  versions: ${probe.versions.map((v) => `${versionName(v.version)} ${v.support}`).join(', ')}`);
    const h = probe.handshake;
    if (h) {
      out.push(`  cipher:   ${h.cipherStandardName ?? h.cipher}${h.keyExchange ? `, ${h.keyExchange}` : ''} (${h.forwardSecrecy ? 'forward secrecy' : 'NO forward secrecy'})`);
      h.chain.forEach((c, i) => {
        const d = describeCert(c, new Date(now));
        out.push(`  ${i === 0 ? 'chain:   ' : '         '} ${i} ${d.subject} (${d.key}, ${d.signature}, until ${d.notAfter.slice(0, 10)}) issuer ${d.issuer}`);
      });
      out.push(`  trust:    ${h.authorized ? 'verified' : `NOT verified (${h.authorizationError ?? 'unknown'})`}`);
    } else if (probe.failure) out.push(`  TLS:      ${probe.failure.error}`);
  }
  return out.length ? `${out.join('\n')}\n\n` : '';
}
