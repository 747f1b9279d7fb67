// The lab's mail servers: for each planned address (mail-plan.ts), listeners for the
// profile's services (SMTP, submission, IMAP, POP3; STARTTLS or implicit TLS). Every
// service has ONE random port, the same on every address, because the checks take one
// `ports` option for all hosts (CheckOptions.ports). Loopback only.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServicePorts } from '../core/check.js';
import { CERTS_DIR } from './https-server.js';
import { MailConn } from './mail-conn.js';
import { MAIL_PROFILES } from './mail-plan.js';
import type { MailHostPlan, MailService } from './mail-plan.js';
import { smtpSession } from './smtp-server.js';
import { imapSession, pop3Session } from './mailbox-server.js';

const SERVICES: MailService[] = ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s'];
const IMPLICIT: ReadonlySet<MailService> = new Set(['submissions', 'imaps', 'pop3s']);

export interface LabMailServers {
  ports: ServicePorts;
  hosts: MailHostPlan[];
  /** The CA that signed the servers' certificates (PEM). */
  ca: string;
  close(): Promise<void>;
}

function loadCert(base: string): { key: string; cert: string } {
  return { key: readFileSync(join(CERTS_DIR, `${base}-key.pem`), 'utf8'), cert: readFileSync(join(CERTS_DIR, `${base}.pem`), 'utf8') };
}

export async function startMailServers(hosts: MailHostPlan[]): Promise<LabMailServers> {
  const contexts = new Map<string, tls.SecureContext>();
  const contextFor = (base: string) => {
    let sc = contexts.get(base);
    if (!sc) contexts.set(base, (sc = tls.createSecureContext(loadCert(base))));
    return sc;
  };
  const servers: net.Server[] = [];
  // Connections are closed through MailConn.destroy (the outermost socket, TLS or not).
  const conns = new Set<MailConn>();
  const accept = (service: MailService, h: MailHostPlan, socket: net.Socket) => {
    socket.on('error', () => undefined);
    const p = MAIL_PROFILES[h.profile];
    const secureContext = contextFor(p.cert);
    const conn = new MailConn(socket, false);
    conns.add(conn);
    socket.once('close', () => conns.delete(conn));
    const session = async () => {
      // Implicit TLS (RFC 8314 §3): the handshake comes first, wrapped here as for STARTTLS.
      if (IMPLICIT.has(service) && !(await conn.startTls(secureContext))) return;
      if (service === 'imap' || service === 'imaps') return imapSession(conn, { host: h.host, secureContext });
      if (service === 'pop3' || service === 'pop3s') return pop3Session(conn, { host: h.host, secureContext });
      return smtpSession(conn, { ...p.smtp, host: h.host, role: service === 'smtp' ? 'mx' : 'submission', localDomains: new Set(h.domains), secureContext });
    };
    session().catch(() => conn.destroy());
  };
  const listen = (service: MailService, h: MailHostPlan, port: number): Promise<net.Server> => {
    const server = net.createServer((s) => accept(service, h, s));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: h.address, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve(server);
      });
    });
  };
  const closeAll = async () => {
    for (const c of conns) c.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  };

  const ports = {} as ServicePorts;
  const used = new Set<number>();
  try {
    for (const service of SERVICES) {
      const on = hosts.filter((h) => (MAIL_PROFILES[h.profile].services as MailService[]).includes(service));
      const bound = on.length ? await bindEverywhere(service, on, used, listen) : { port: await freePort(used), servers: [] };
      servers.push(...bound.servers);
      ports[service] = bound.port;
      used.add(bound.port);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { ports, hosts, ca: readFileSync(join(CERTS_DIR, 'ca.pem'), 'utf8'), close: closeAll };
}

type Listen = (s: MailService, h: MailHostPlan, port: number) => Promise<net.Server>;

/** A port free on every address that runs the service: the first address picks, the others follow; retried on a clash. */
async function bindEverywhere(service: MailService, on: MailHostPlan[], used: Set<number>, listen: Listen): Promise<{ port: number; servers: net.Server[] }> {
  for (let attempt = 0; ; attempt++) {
    const bound: net.Server[] = [];
    try {
      const first = await listen(service, on[0]!, 0);
      bound.push(first);
      const port = (first.address() as net.AddressInfo).port;
      if (used.has(port)) throw new Error(`port ${port} already taken by another service`);
      for (const h of on.slice(1)) bound.push(await listen(service, h, port));
      return { port, servers: bound };
    } catch (err) {
      await Promise.all(bound.map((s) => new Promise<void>((r) => s.close(() => r()))));
      if (attempt >= 20) throw err;
    }
  }
}

/** A port for a service no lab address runs: connections to it are refused. */
async function freePort(used: Set<number>): Promise<number> {
  for (;;) {
    const s = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
    await new Promise<void>((r) => s.close(() => r()));
    if (!used.has(port)) return port;
  }
}
