// A real submission server for the send tests: smtp-server on 127.0.0.1, port 0, with
// STARTTLS (or implicit TLS) and a certificate from the test CA, AUTH PLAIN/LOGIN, a SIZE
// limit, recipients it refuses, and every message it received kept for inspection.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';

const CERTS = new URL('../fixtures/certs/', import.meta.url);
export const TEST_CA = readFileSync(new URL('ca.pem', CERTS));
const KEY = readFileSync(new URL('valid-key.pem', CERTS));
const CERT = readFileSync(new URL('valid.pem', CERTS));

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  user?: string;
  secure: boolean;
}

export interface SubmissionServer {
  port: number;
  received: Received[];
  /** AUTH attempts: user and mechanism (never the password). */
  logins: { user: string; method: string; ok: boolean }[];
  close(): Promise<void>;
}

export interface SubmissionOptions {
  /** Implicit TLS from the first byte (465). */
  secure?: boolean;
  users?: Record<string, string>;
  /** Recipients refused with this reply (code and text). */
  reject?: Record<string, { code: number; text: string }>;
  /** SIZE limit advertised (and enforced at the end of DATA). */
  size?: number;
  /** Reply text after a message (smtp-server sends it with 250). */
  queuedText?: string;
  /** Do not advertise STARTTLS. */
  noStartTls?: boolean;
  authMethods?: string[];
  /** AUTH needed before MAIL (default true). */
  authRequired?: boolean;
  /** Let AUTH happen without TLS (smtp-server refuses it by default). */
  allowInsecureAuth?: boolean;
}

export async function submissionServer(o: SubmissionOptions = {}): Promise<SubmissionServer> {
  const received: Received[] = [];
  const logins: SubmissionServer['logins'] = [];
  const users = o.users ?? { alice: 'correct horse battery staple' };
  const options: SMTPServerOptions = {
    secure: o.secure ?? false, key: KEY, cert: CERT, logger: false, disableReverseLookup: true,
    name: 'mail.healthy.test', size: o.size, hideSTARTTLS: o.noStartTls ?? false,
    authMethods: o.authMethods ?? ['PLAIN', 'LOGIN'], authOptional: o.authRequired === false,
    allowInsecureAuth: o.allowInsecureAuth ?? false,
    onAuth(auth, _session, cb) {
      const ok = users[auth.username ?? ''] === auth.password;
      logins.push({ user: auth.username ?? '', method: auth.method, ok });
      if (!ok) return cb(Object.assign(new Error('5.7.8 Error: authentication failed: authentication failure'), { responseCode: 535 }));
      cb(null, { user: auth.username });
    },
    onRcptTo(address, _session, cb) {
      const r = o.reject?.[address.address];
      if (r) return cb(Object.assign(new Error(r.text), { responseCode: r.code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return cb(Object.assign(new Error('5.3.4 Message size exceeds fixed limit'), { responseCode: 552 }));
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks),
          user: session.user as string | undefined, secure: session.secure,
        });
        cb(null, o.queuedText ?? '2.0.0 Ok: queued as 4XyzAbC123');
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port, received, logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
