// What the IMAP and POP3 probes observe, in one shape so one judge (src/checks/server/
// mailbox-judge.ts) turns both into findings. Facts only: no severities here.
import type { NetClient, NetFailure } from '../io/net.js';
import type { TranscriptLine } from './transcript.js';
import type { LineConn, TlsSummary } from './line-conn.js';

export interface Credentials {
  user: string;
  password: string;
}

export type ProbeStage = 'connect' | 'greeting' | 'capabilities' | 'starttls' | 'tls' | 'capabilities-tls' | 'login' | 'logout' | 'done';

export type LoginOutcome =
  /** Accepted. */
  | 'ok'
  /** Credentials rejected ([AUTHENTICATIONFAILED], POP3 [AUTH], plain NO/-ERR). */
  | 'failed'
  /** Refused for now: [UNAVAILABLE], [IN-USE], [SYS/TEMP], LOGIN-DELAY, "too many", "locked". */
  | 'locked'
  /** Not tried: no TLS to a host that is not loopback (without --insecure), or no method fits. */
  | 'not-attempted'
  /** Not tried: the certificate did not verify, the host is not loopback, no --insecure. */
  | 'untrusted'
  /** No usable answer: timeout, connection lost, BAD. */
  | 'error';

export interface LoginResult {
  outcome: LoginOutcome;
  /** LOGIN, AUTHENTICATE PLAIN, USER/PASS. */
  method?: string;
  /** Response code ("AUTHENTICATIONFAILED", "AUTH", "IN-USE"). */
  code?: string;
  /** The server's reply text (never contains what we sent). */
  reply?: string;
  ms?: number;
  reason?: string;
  /** Set when --insecure let the password go where the rule would not: what was overridden. */
  insecure?: string;
}

export interface MailboxFacts {
  protocol: 'imap' | 'pop3';
  host: string;
  address: string;
  port: number;
  implicitTls: boolean;
  /** The step the probe reached (the failing one when `error` is set). */
  stage: ProbeStage;
  connect?: { ok: true; ms: number } | NetFailure;
  /** IMAP: OK / PREAUTH / BYE; POP3: OK / ERR. */
  greeting?: { status: 'OK' | 'PREAUTH' | 'BYE' | 'ERR'; text: string; ms: number };
  /** A protocol failure: no greeting in time, garbage, a line or literal over the cap, a lost connection. */
  error?: { stage: ProbeStage; kind: string; error: string; partial?: string };
  /** Capabilities on the plaintext connection (STARTTLS ports), upper-case atoms / CAPA lines. */
  capsPlain?: string[];
  /** Capabilities over TLS (after STARTTLS, or on 993/995). */
  capsTls?: string[];
  /** POP3 only: the server answered CAPA with -ERR (an RFC 1939-only server). */
  capaUnsupported?: boolean;
  /** STARTTLS (IMAP) / STLS (POP3) on a plaintext port. */
  starttls?: { offered: boolean; attempted: boolean; result?: 'ok' | 'refused' | 'failed'; reply?: string; error?: string };
  tls?: TlsSummary;
  /** SASL mechanisms on the connection a client would log in on (TLS when there is TLS). */
  authMechanisms?: string[];
  login?: LoginResult;
  transcript: TranscriptLine[];
  ms: number;
}

/** Words servers use when they throttle or lock an account (Dovecot, Courier, Exchange, Gmail). */
export const LOCKOUT_TEXT = /too many|locked|lockout|temporar|try again later|rate limit|throttl|blocked|suspended/i;

/** The TLS step after the server's go-ahead for STARTTLS (IMAP) or STLS (POP3); returns the next stage. */
export async function upgradeStep(conn: LineConn, net: NetClient, host: string, facts: MailboxFacts): Promise<ProbeStage> {
  const u = await conn.upgrade(net, { servername: host });
  if (!u.ok) {
    Object.assign(facts.starttls!, { result: 'failed', error: u.error });
    return 'done';
  }
  facts.starttls!.result = 'ok';
  facts.tls = u.tls;
  return 'capabilities-tls';
}
