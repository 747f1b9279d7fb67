// An SMTP server for the load tests (smtp-server on 127.0.0.1, port 0) that can be
// scripted to misbehave the way a loaded server does: a connection limit answered with
// 421, 451 deferrals at RCPT, a slow end of data, a late greeting. Counts what it got.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const CERTS = new URL('../fixtures/certs/', import.meta.url);

export interface LoadServerOptions {
  /** More sessions at once than this get "421 Too many connected clients" (smtp-server maxClients). */
  maxClients?: number;
  /** The n-th RCPT (from 1) is deferred with 451 4.7.1 when this says so. */
  deferRcpt?: (n: number) => boolean;
  /** Wait this long before the reply to the end of data. */
  eodDelayMs?: number;
  /** Wait this long before the greeting. */
  greetingDelayMs?: number;
  /** Do not advertise PIPELINING. */
  noPipelining?: boolean;
  /** TLS from the first byte (465-style); otherwise STARTTLS is offered. */
  implicitTls?: boolean;
  /** Keep the Message-IDs seen (memory grows with the messages: not for the memory test). */
  collectIds?: boolean;
  /** AUTH PLAIN/LOGIN users; then AUTH is required (allowed without TLS: loopback tests). */
  users?: Record<string, string>;
}

export interface LoadServer {
  port: number;
  /** Sessions that were TLS when the message came. */
  secureMessages: number;
  messages: number;
  sessions: number;
  /** Most sessions open at once. */
  peak: number;
  /** RCPT addresses seen (distinct). */
  recipients: Set<string>;
  /** Message-IDs seen (distinct), with collectIds. */
  messageIds: Set<string>;
  close(): Promise<void>;
}

export async function loadServer(o: LoadServerOptions = {}): Promise<LoadServer> {
  let open = 0;
  let rcpts = 0;
  const state: Omit<LoadServer, 'port' | 'close'> = { messages: 0, secureMessages: 0, sessions: 0, peak: 0, recipients: new Set(), messageIds: new Set() };
  const server = new SMTPServer({
    logger: false, disableReverseLookup: true, authOptional: !o.users, name: 'load.test',
    key: readFileSync(new URL('valid-key.pem', CERTS)), cert: readFileSync(new URL('valid.pem', CERTS)),
    secure: !!o.implicitTls, allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (o.users?.[auth.username ?? ''] === auth.password) return cb(null, { user: auth.username });
      cb(Object.assign(new Error('5.7.8 Authentication failed'), { responseCode: 535 }));
    },
    ...(o.maxClients ? { maxClients: o.maxClients } : {}),
    ...(o.noPipelining ? { hidePIPELINING: true } : {}),
    onConnect(_session, cb) {
      state.sessions++;
      state.peak = Math.max(state.peak, ++open);
      if (o.greetingDelayMs) setTimeout(() => cb(), o.greetingDelayMs);
      else cb();
    },
    onClose() {
      open--;
    },
    onRcptTo(address, _session, cb) {
      state.recipients.add(address.address);
      if (o.deferRcpt?.(++rcpts)) return cb(Object.assign(new Error('4.7.1 Rate limit exceeded, try again later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      let head = '';
      stream.on('data', (d: Buffer) => {
        if (o.collectIds && head.length < 200) head += d.toString('latin1', 0, 200);
      });
      stream.on('end', () => {
        state.messages++;
        const id = /^Message-ID: (<[^>]*>)/im.exec(head)?.[1];
        if (id) state.messageIds.add(id);
        if (session.secure) state.secureMessages++;
        const reply = () => cb(null, '2.0.0 Ok: queued');
        if (o.eodDelayMs) setTimeout(reply, o.eodDelayMs);
        else reply();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
