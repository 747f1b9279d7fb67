// Probe one hermetic test server as an endpoint, for the judge functions of the tls,
// cert and tlsa families; and run the families on a zone-lab domain whose MX is it.
import { createNetClient } from '../../src/io/net.js';
import { plainOpener } from '../../src/probes/tls-opener.js';
import { smtpStartTlsOpener } from '../../src/probes/smtp/opener.js';
import { probeTls } from '../../src/probes/tls-probe.js';
import type { TlsProbeResult } from '../../src/probes/tls-probe.js';
import type { TlsEndpoint } from '../../src/checks/server/tls-facts.js';
import type { ServicePorts } from '../../src/core/check.js';
import { CA_PEM, closedPort, startTlsTestServer } from './tls-servers.js';
import type { TestServerOptions } from './tls-servers.js';

export interface Probed { endpoint: TlsEndpoint; probe: TlsProbeResult }

/** Start the server, probe it once, stop it. `trustCa: false` leaves the test CA out of the trust store. */
export async function probeServer(o: TestServerOptions, e: Partial<TlsEndpoint> = {}, opts: { timeoutMs?: number; trustCa?: boolean } = {}): Promise<Probed> {
  const srv = await startTlsTestServer(o);
  // SMTP STARTTLS dialogue unless the endpoint says implicit TLS (or the server speaks TLS/garbage at once).
  const smtp = e.implicitTls !== undefined ? !e.implicitTls : o.mode === 'smtp' || o.mode === 'smtp-no-starttls' || o.mode === 'silent';
  const endpoint: TlsEndpoint = {
    service: smtp ? 'smtp' : 'submissions', role: smtp ? 'mx' : 'submission', host: 'mail.tls.test', address: '127.0.0.1',
    port: srv.port, implicitTls: !smtp, ...e,
  };
  try {
    const net = createNetClient({ ca: opts.trustCa === false ? undefined : [CA_PEM] });
    const probe = await probeTls(net, {
      host: '127.0.0.1', port: srv.port, servername: endpoint.host, timeoutMs: opts.timeoutMs ?? 1000, heloName: 'probe.test',
      opener: smtp ? smtpStartTlsOpener : plainOpener,
    });
    return { endpoint: { ...endpoint }, probe };
  } finally {
    await srv.close();
  }
}

/** Service ports for a lab run: SMTP on `smtp`, every other service on a closed port. */
export async function labPorts(smtp: number): Promise<ServicePorts> {
  const closed = await closedPort();
  return { smtp, submission: closed, submissions: closed, imap: closed, imaps: closed, pop3: closed, pop3s: closed };
}
