// One TLS probe per endpoint, shared by the tls, cert and tlsa families (ctx.memo), and
// which protocol opener brings each service to its TLS handshake.
import type { CheckContext } from '../../core/check.js';
import type { TlsOpener } from '../../probes/tls-opener.js';
import { plainOpener } from '../../probes/tls-opener.js';
import { smtpStartTlsOpener } from '../../probes/smtp/opener.js';
import { imapStartTlsOpener } from '../../probes/imap.js';
import { pop3StartTlsOpener } from '../../probes/pop3.js';
import { probeTls } from '../../probes/tls-probe.js';
import type { TlsProbeResult } from '../../probes/tls-probe.js';
import type { Endpoint, Service } from './endpoints.js';
import { getEndpoints } from './endpoints.js';

export const OPENERS: Record<Service, TlsOpener> = {
  smtp: smtpStartTlsOpener, submission: smtpStartTlsOpener, submissions: plainOpener,
  imap: imapStartTlsOpener, imaps: plainOpener, pop3: pop3StartTlsOpener, pop3s: plainOpener,
};

/** The endpoint fields the TLS judgement needs (a subcommand builds one from host:port). */
export type TlsEndpoint = Pick<Endpoint, 'service' | 'role' | 'host' | 'address' | 'port' | 'implicitTls'>;

export interface EndpointTls {
  endpoint: TlsEndpoint;
  probe: TlsProbeResult;
}

export function probeEndpointTls(ctx: CheckContext, e: TlsEndpoint, opener: TlsOpener = OPENERS[e.service]): Promise<TlsProbeResult> {
  return ctx.memo(`tls:${e.service}:${e.host}:${e.address}:${e.port}`, () => probeTls(ctx.net, {
    host: e.address, port: e.port, servername: e.host, timeoutMs: ctx.options.stepTimeoutMs,
    heloName: ctx.options.heloName, opener,
  }));
}

/** Every endpoint of the domain with its TLS facts; [] when server probes are off. */
export function getDomainTls(ctx: CheckContext, domain: string): Promise<EndpointTls[]> {
  if (!ctx.options.probeServers) return Promise.resolve([]);
  return ctx.memo(`tls-all:${domain}`, async () => {
    const { endpoints } = await getEndpoints(ctx, domain);
    // One probe per (service, address, port): SRV and MX fallbacks can name the same one twice.
    const seen = new Set<string>();
    const unique = endpoints.filter((e) => {
      const k = `${e.service}|${e.host}|${e.address}|${e.port}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    return Promise.all(unique.map(async (endpoint) => ({ endpoint, probe: await probeEndpointTls(ctx, endpoint) })));
  });
}

/** MX hosts are judged for opportunistic senders; the others for clients that verify (RFC 8314 §4.1). */
export function verifyingClients(e: Pick<TlsEndpoint, 'role'>): boolean {
  return e.role !== 'mx';
}
