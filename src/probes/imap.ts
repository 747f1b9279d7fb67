// A diagnostic IMAP client (RFC 9051, RFC 3501) as an explicit state machine: greeting,
// CAPABILITY (from the greeting's response code or the command), STARTTLS on plaintext
// ports, CAPABILITY again over TLS (RFC 9051 §6.2.1: pre-TLS capabilities must be
// discarded), an optional login test, LOGOUT. It gathers facts; src/checks/server judges them.
import type { NetClient } from '../io/net.js';
import type { ImapResponse } from '../parsers/imap-response.js';
import { authMechanisms, capabilitiesOf, quoteImap } from '../parsers/imap-response.js';
import { LineConn, summarizeTls } from './line-conn.js';
import { imapCommand, readResponse } from './imap-session.js';
import type { Credentials, LoginResult, MailboxFacts, ProbeStage } from './mailbox-facts.js';
import { LOCKOUT_TEXT, upgradeStep } from './mailbox-facts.js';
import { Transcript } from './transcript.js';
import { Redactor } from '../core/redact.js';
import { credentialVerdict } from './credential-rule.js';
import type { TlsOpener } from './tls-opener.js';

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

export async function probeImap(net: NetClient, p: MailboxProbeParams): Promise<MailboxFacts> {
  // A server may echo the password (in a NO/-ERR text, in base64): every line passes this first.
  const transcript = new Transcript(undefined, p.credentials ? Redactor.of({ value: p.credentials.password, user: p.credentials.user }) : Redactor.none);
  const t0 = performance.now();
  const facts: MailboxFacts = {
    protocol: 'imap', host: p.host, address: p.address, port: p.port, implicitTls: p.implicitTls, stage: 'connect', transcript: transcript.lines, ms: 0,
  };
  let conn: LineConn | undefined;
  let n = 0;
  const tag = () => `a${++n}`;
  let preauth = false;
  const fail = (kind: string, error: string, partial?: string): ProbeStage => {
    facts.error = { stage: facts.stage, kind, error, ...(partial ? { partial } : {}) };
    return 'done';
  };
  const afterCaps = (caps: string[]): ProbeStage => {
    if (facts.tls) facts.capsTls = caps;
    else facts.capsPlain = caps;
    facts.authMechanisms = authMechanisms(caps);
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
          if (p.implicitTls) {
            const r = await net.connectTls(p.address, p.port, { servername: p.host, timeoutMs: p.timeoutMs });
            if (!r.ok) { facts.connect = r; transcript.event(`${r.kind}: ${r.error}`); state = 'done'; break; }
            facts.connect = { ok: true, ms: r.ms };
            facts.tls = summarizeTls(r);
            conn = new LineConn(r.socket, transcript, p.timeoutMs);
          } else {
            const r = await net.connect(p.address, p.port, p.timeoutMs);
            if (!r.ok) { facts.connect = r; transcript.event(`${r.kind}: ${r.error}`); state = 'done'; break; }
            facts.connect = { ok: true, ms: r.ms };
            conn = new LineConn(r.socket, transcript, p.timeoutMs);
          }
          transcript.event(`connected in ${facts.connect.ms} ms`);
          state = 'greeting';
          break;
        }
        case 'greeting': {
          const g0 = performance.now();
          const r = await readResponse(conn!, conn!.deadline());
          if (!r.ok) { state = fail(r.kind, r.error, r.partial); break; }
          const res = r.response;
          if (res.tag !== '*' || (res.status !== 'OK' && res.status !== 'PREAUTH' && res.status !== 'BYE')) {
            state = fail('garbage', 'the first line is not an IMAP greeting (* OK, * PREAUTH or * BYE)', r.line.slice(0, 200));
            break;
          }
          facts.greeting = { status: res.status, text: r.line, ms: Math.round(performance.now() - g0) };
          if (res.status === 'BYE') { state = 'done'; break; }
          preauth = res.status === 'PREAUTH';
          const caps = capabilitiesOf(res);
          state = caps ? afterCaps(caps) : 'capabilities';
          break;
        }
        case 'capabilities':
        case 'capabilities-tls': {
          const r = await imapCommand(conn!, tag(), 'CAPABILITY');
          if (!r.ok) { state = fail(r.kind, r.error, r.partial); break; }
          if (r.tagged.status !== 'OK') { state = fail('rejected', `CAPABILITY answered ${r.tagged.status} ${r.tagged.text}`); break; }
          const caps = [...r.untagged, r.tagged].map(capabilitiesOf).find(Boolean) ?? [];
          state = afterCaps(caps);
          break;
        }
        case 'starttls': {
          const offered = facts.capsPlain!.includes('STARTTLS');
          facts.starttls = { offered, attempted: offered };
          if (!offered) { state = 'logout'; break; }
          const r = await imapCommand(conn!, tag(), 'STARTTLS');
          if (!r.ok) { facts.starttls.result = 'failed'; facts.starttls.error = r.error; state = 'done'; break; }
          if (r.tagged.status !== 'OK') {
            Object.assign(facts.starttls, { result: 'refused', reply: `${r.tagged.status} ${r.tagged.text}` });
            state = 'logout';
            break;
          }
          state = 'tls';
          break;
        }
        case 'tls':
          state = await upgradeStep(conn!, net, p.host, facts);
          break;
        case 'login': {
          const v = credentialVerdict({ host: p.host, address: p.address, tls: facts.tls, insecure: p.insecure });
          if (!v.ok) { facts.login = { outcome: v.kind === 'plaintext' ? 'not-attempted' : 'untrusted', reason: v.reason }; state = 'logout'; break; }
          facts.login = await imapLogin(conn!, tag, p.credentials!, (facts.tls ? facts.capsTls : facts.capsPlain) ?? []);
          if (v.via === 'insecure') facts.login.insecure = v.note;
          state = facts.login.outcome === 'error' ? 'done' : 'logout';
          break;
        }
        case 'logout': {
          if (p.credentials && !facts.login && preauth) facts.login = { outcome: 'not-attempted', reason: 'the server pre-authenticated the connection (PREAUTH)' };
          // No TLS (STARTTLS missing or refused): the login state applies the rule (loopback or --insecure).
          if (p.credentials && !facts.login) { state = 'login'; break; }
          const t = tag();
          await conn!.goodbye(`${t} LOGOUT`, (l) => l.startsWith(`${t} `));
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

async function imapLogin(conn: LineConn, tag: () => string, c: Credentials, caps: string[]): Promise<LoginResult> {
  const user = quoteImap(c.user);
  const pass = quoteImap(c.password);
  const t = tag();
  let method: string;
  let reply;
  if (!caps.includes('LOGINDISABLED') && user && pass) {
    method = 'LOGIN';
    reply = await imapCommand(conn, t, `LOGIN ${user} ${pass}`, `LOGIN ${user} <redacted>`);
  } else if (authMechanisms(caps).includes('PLAIN')) {
    // RFC 4616: authzid NUL authcid NUL passwd; SASL-IR (RFC 4959) saves a round trip.
    method = 'AUTHENTICATE PLAIN';
    const b64 = Buffer.from(`\0${c.user}\0${c.password}`, 'utf8').toString('base64');
    if (caps.includes('SASL-IR')) reply = await imapCommand(conn, t, `AUTHENTICATE PLAIN ${b64}`, 'AUTHENTICATE PLAIN <redacted>');
    else reply = await imapCommand(conn, t, 'AUTHENTICATE PLAIN', undefined, () => conn.send(b64, '<redacted>'));
  } else {
    return { outcome: 'not-attempted', reason: caps.includes('LOGINDISABLED') ? 'LOGINDISABLED even over TLS and no AUTH=PLAIN' : 'the user name or password needs characters a quoted string cannot carry, and no AUTH=PLAIN' };
  }
  if (!reply.ok) {
    const bye = reply.untagged.find((r) => r.status === 'BYE');
    if (bye && LOCKOUT_TEXT.test(bye.text)) return { outcome: 'locked', method, reply: `BYE ${bye.text}` };
    return { outcome: 'error', method, reason: reply.error };
  }
  return judgeTagged(reply.tagged, method, reply.ms);
}

/** RFC 5530 response codes tell a wrong password from a lockout or an outage. */
function judgeTagged(r: ImapResponse, method: string, ms: number): LoginResult {
  const base = { method, ms, reply: `${r.status}${r.code ? ` [${r.code}]` : ''} ${r.text}`, ...(r.code ? { code: r.code } : {}) };
  if (r.status === 'OK') return { outcome: 'ok', ...base };
  if (r.status === 'BAD') return { outcome: 'error', ...base, reason: 'the server called the command malformed (BAD)' };
  if (r.code === 'UNAVAILABLE' || r.code === 'INUSE' || LOCKOUT_TEXT.test(r.text)) return { outcome: 'locked', ...base };
  return { outcome: 'failed', ...base };
}

/** Connect, read the greeting, STARTTLS: the socket is then ready for a TLS handshake (the TLS probe's opener). */
export const imapStartTlsOpener: TlsOpener = async (net, p) => {
  const c = await net.connect(p.host, p.port, p.timeoutMs);
  if (!c.ok) return { ok: false, stage: 'connect', error: c.error, failure: c };
  const conn = new LineConn(c.socket, new Transcript(), p.timeoutMs);
  const g = await readResponse(conn, conn.deadline());
  if (!g.ok || g.response.tag !== '*' || g.response.status !== 'OK') {
    conn.close();
    return { ok: false, stage: 'greeting', error: g.ok ? `greeting: ${g.line.slice(0, 120)}` : g.error };
  }
  const r = await imapCommand(conn, 'a1', 'STARTTLS');
  if (!r.ok || r.tagged.status !== 'OK' || conn.pending() > 0) {
    conn.close();
    const error = !r.ok ? r.error : r.tagged.status !== 'OK' ? `STARTTLS answered ${r.tagged.status} ${r.tagged.text}` : 'data after the STARTTLS reply';
    return { ok: false, stage: 'starttls', error };
  }
  return { ok: true, socket: conn.release() };
};
