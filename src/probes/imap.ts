// A diagnostic IMAP client (RFC 9051, RFC 3501): the mailbox probes' state machine
// (mailbox-probe.ts) with IMAP's steps: the greeting (its CAPABILITY response code saves a
// round trip; PREAUTH means no STARTTLS, RFC 9051 §6.2.1), tagged commands, STARTTLS, LOGIN or
// AUTHENTICATE PLAIN, LOGOUT. It gathers facts; src/checks/server judges them.
import type { NetClient } from '../io/net.js';
import type { ImapResponse } from '../parsers/imap-response.js';
import { authMechanisms, capabilitiesOf, quoteImap } from '../parsers/imap-response.js';
import { LineConn } from './line-conn.js';
import { imapCommand, readResponse } from './imap-session.js';
import type { Credentials, LoginResult, MailboxFacts } from './mailbox-facts.js';
import { LOCKOUT_TEXT } from './mailbox-facts.js';
import { runMailboxProbe, type MailboxDialect, type MailboxProbeParams } from './mailbox-probe.js';
import { Transcript } from './transcript.js';
import type { TlsOpener } from './tls-opener.js';

export type { MailboxProbeParams } from './mailbox-probe.js';

export function probeImap(net: NetClient, p: MailboxProbeParams): Promise<MailboxFacts> {
  return runMailboxProbe(net, p, imapDialect());
}

/** IMAP's steps; each probe gets its own, for its own command tags. */
function imapDialect(): MailboxDialect {
  let n = 0;
  const tag = () => `a${++n}`;
  return {
    protocol: 'imap',
    startTlsCapability: 'STARTTLS',
    authMechanisms,
    async greeting(conn, facts) {
      const g0 = performance.now();
      const r = await readResponse(conn, conn.deadline());
      if (!r.ok) return r;
      const res = r.response;
      if (res.tag !== '*' || (res.status !== 'OK' && res.status !== 'PREAUTH' && res.status !== 'BYE')) {
        return { ok: false, kind: 'garbage', error: 'the first line is not an IMAP greeting (* OK, * PREAUTH or * BYE)', partial: r.line.slice(0, 200) };
      }
      facts.greeting = { status: res.status, text: r.line, ms: Math.round(performance.now() - g0) };
      if (res.status === 'BYE') return { ok: true, closed: true };
      return { ok: true, preauth: res.status === 'PREAUTH', caps: capabilitiesOf(res) };
    },
    async capabilities(conn) {
      const r = await imapCommand(conn, tag(), 'CAPABILITY');
      if (!r.ok) return r;
      if (r.tagged.status !== 'OK') return { ok: false, kind: 'rejected', error: `CAPABILITY answered ${r.tagged.status} ${r.tagged.text}` };
      return { ok: true, caps: [...r.untagged, r.tagged].map(capabilitiesOf).find(Boolean) ?? [] };
    },
    async startTls(conn) {
      const r = await imapCommand(conn, tag(), 'STARTTLS');
      if (!r.ok) return r;
      return r.tagged.status === 'OK' ? { ok: true, accepted: true } : { ok: true, accepted: false, reply: `${r.tagged.status} ${r.tagged.text}` };
    },
    login: (conn, c, caps) => imapLogin(conn, tag, c, caps),
    async logout(conn) {
      const t = tag();
      await conn.goodbye(`${t} LOGOUT`, (l) => l.startsWith(`${t} `));
    },
  };
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
