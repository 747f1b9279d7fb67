// How each protocol gets a connection to the point where TLS starts. The TLS probe
// (which versions, which certificate) is protocol-agnostic: it takes one of these.
import type net from 'node:net';
import type { NetClient, NetFailure } from '../io/net.js';

export interface OpenerParams {
  host: string;
  port: number;
  /** Per-step timeout. */
  timeoutMs: number;
  /** Name to announce in EHLO/LHLO. */
  heloName: string;
}

export type OpenResult =
  | { ok: true; socket: net.Socket }
  | { ok: false; stage: 'connect' | 'greeting' | 'starttls' | 'protocol'; error: string; failure?: NetFailure };

/** Connects and negotiates STARTTLS (SMTP, IMAP, POP3 STLS); on success the socket is ready for tls.connect. */
export type TlsOpener = (net: NetClient, p: OpenerParams) => Promise<OpenResult>;

/** Implicit TLS (465, 993, 995): nothing to negotiate, connect and start TLS at once. */
export const plainOpener: TlsOpener = async (net, p) => {
  const c = await net.connect(p.host, p.port, p.timeoutMs);
  return c.ok ? { ok: true, socket: c.socket } : { ok: false, stage: 'connect', error: c.error, failure: c };
};
