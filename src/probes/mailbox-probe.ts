// The one state machine of the mailbox probes, IMAP (RFC 9051, RFC 3501) and POP3 (RFC 1939):
// connect, greeting, capabilities, STARTTLS/STLS on plaintext ports, the TLS handshake,
// capabilities again over TLS (pre-TLS ones are discarded: RFC 9051 §6.2.1, RFC 2595 §4), an
// optional login test, logout. Each protocol (imap.ts, pop3.ts) supplies its steps as a
// dialect; the order, the credential rule and the facts are decided here once.
import type { NetClient } from '../io/net.js';
import { Redactor } from '../core/redact.js';
import { LineConn, summarizeTls } from './line-conn.js';
import type { Credentials, LoginResult, MailboxFacts, ProbeStage } from './mailbox-facts.js';
import { upgradeStep } from './mailbox-facts.js';
import { Transcript } from './transcript.js';
import { credentialVerdict } from './credential-rule.js';

export interface MailboxProbeParams {
  /** Host name: SNI and the name in reports. */
  host: string;
  /** Address to connect to. */
  address: string;
  port: number;
  implicitTls: boolean;
  timeoutMs: number;
  /** Only with credentials is a login tried: over verified TLS or to loopback (probes/credential-rule.ts). */
  credentials?: Credentials;
  /** Log in even without TLS or over TLS that did not verify (--insecure); the finding says so. */
  insecure?: boolean;
}

export interface StepFailure { ok: false; kind: string; error: string; partial?: string }

/** One protocol's steps; each reads and writes on the connection and records its own facts. */
export interface MailboxDialect {
  protocol: MailboxFacts['protocol'];
  /** The capability that offers TLS on a plaintext port. */
  startTlsCapability: string;
  /** Reads the greeting (facts.greeting); `closed`: the server said goodbye at once. */
  greeting(conn: LineConn, facts: MailboxFacts): Promise<{ ok: true; closed?: boolean; preauth?: boolean; caps?: string[] } | StepFailure>;
  capabilities(conn: LineConn, facts: MailboxFacts): Promise<{ ok: true; caps: string[] } | StepFailure>;
  authMechanisms(caps: string[]): string[];
  /** Sends STARTTLS/STLS; `reply` when the server refused. */
  startTls(conn: LineConn): Promise<{ ok: true; accepted: boolean; reply?: string } | StepFailure>;
  login(conn: LineConn, c: Credentials, caps: string[], facts: MailboxFacts): Promise<LoginResult>;
  logout(conn: LineConn): Promise<void>;
}

export async function runMailboxProbe(net: NetClient, p: MailboxProbeParams, d: MailboxDialect): Promise<MailboxFacts> {
  // A server may echo the password (in a NO/-ERR text, in base64): every line passes this first.
  const transcript = new Transcript(undefined, p.credentials ? Redactor.of({ value: p.credentials.password, user: p.credentials.user }) : Redactor.none);
  const t0 = performance.now();
  const facts: MailboxFacts = {
    protocol: d.protocol, host: p.host, address: p.address, port: p.port, implicitTls: p.implicitTls, stage: 'connect', transcript: transcript.lines, ms: 0,
  };
  let conn: LineConn | undefined;
  let preauth = false;
  const fail = (f: StepFailure): ProbeStage => {
    facts.error = { stage: facts.stage, kind: f.kind, error: f.error, ...(f.partial ? { partial: f.partial } : {}) };
    return 'done';
  };
  const afterCaps = (caps: string[]): ProbeStage => {
    if (facts.tls) facts.capsTls = caps;
    else facts.capsPlain = caps;
    facts.authMechanisms = d.authMechanisms(caps);
    if (facts.tls) return p.credentials && !preauth ? 'login' : 'logout';
    if (preauth) return 'logout'; // STARTTLS is only valid before authentication (RFC 9051 §6.2.1)
    return 'starttls';
  };

  try {
    for (let state: ProbeStage = 'connect'; state !== 'done';) {
      facts.stage = state;
      switch (state) {
        case 'connect': {
          transcript.event(`connect ${p.address}:${p.port}${p.implicitTls ? ' (implicit TLS)' : ''}`);
          const r = p.implicitTls
            ? await net.connectTls(p.address, p.port, { servername: p.host, timeoutMs: p.timeoutMs })
            : await net.connect(p.address, p.port, p.timeoutMs);
          if (!r.ok) { facts.connect = r; transcript.event(`${r.kind}: ${r.error}`); state = 'done'; break; }
          facts.connect = { ok: true, ms: r.ms };
          if ('protocol' in r) facts.tls = summarizeTls(r);
          conn = new LineConn(r.socket, transcript, p.timeoutMs);
          transcript.event(`connected in ${facts.connect.ms} ms`);
          state = 'greeting';
          break;
        }
        case 'greeting': {
          const g = await d.greeting(conn!, facts);
          if (!g.ok) { state = fail(g); break; }
          if (g.closed) { state = 'done'; break; }
          preauth = !!g.preauth;
          state = g.caps ? afterCaps(g.caps) : 'capabilities';
          break;
        }
        case 'capabilities':
        case 'capabilities-tls': {
          const r = await d.capabilities(conn!, facts);
          state = r.ok ? afterCaps(r.caps) : fail(r);
          break;
        }
        case 'starttls': {
          const offered = facts.capsPlain!.includes(d.startTlsCapability);
          facts.starttls = { offered, attempted: offered };
          if (!offered) { state = 'logout'; break; }
          const r = await d.startTls(conn!);
          if (!r.ok) { Object.assign(facts.starttls, { result: 'failed', error: r.error }); state = 'done'; break; }
          if (!r.accepted) { Object.assign(facts.starttls, { result: 'refused', reply: r.reply }); state = 'logout'; break; }
          state = 'tls';
          break;
        }
        case 'tls':
          state = await upgradeStep(conn!, net, p.host, facts);
          break;
        case 'login': {
          const v = credentialVerdict({ host: p.host, address: p.address, tls: facts.tls, insecure: p.insecure });
          if (!v.ok) { facts.login = { outcome: v.kind === 'plaintext' ? 'not-attempted' : 'untrusted', reason: v.reason }; state = 'logout'; break; }
          facts.login = await d.login(conn!, p.credentials!, (facts.tls ? facts.capsTls : facts.capsPlain) ?? [], facts);
          if (v.via === 'insecure') facts.login.insecure = v.note;
          state = facts.login.outcome === 'error' ? 'done' : 'logout';
          break;
        }
        case 'logout': {
          if (p.credentials && !facts.login && preauth) facts.login = { outcome: 'not-attempted', reason: 'the server pre-authenticated the connection (PREAUTH)' };
          // No TLS (STARTTLS missing or refused): the login state applies the rule (loopback or --insecure).
          if (p.credentials && !facts.login) { state = 'login'; break; }
          await d.logout(conn!);
          state = 'done';
          break;
        }
        default:
          state = 'done';
      }
    }
  } finally {
    conn?.close();
    facts.ms = Math.round(performance.now() - t0);
  }
  return facts;
}
