// A diagnostic POP3 client (RFC 1939): the mailbox probes' state machine (mailbox-probe.ts)
// with POP3's steps: the greeting, CAPA (RFC 2449 §5), STLS (RFC 2595 §4), a USER/PASS (or
// AUTH PLAIN, RFC 5034) login test, QUIT. Facts only.
import type { NetClient } from '../io/net.js';
import type { Pop3Reply } from '../parsers/pop3-response.js';
import { capaList, multiLine, parseCapa, parsePop3Reply } from '../parsers/pop3-response.js';
import { LineConn } from './line-conn.js';
import type { Credentials, LoginResult, MailboxFacts } from './mailbox-facts.js';
import { LOCKOUT_TEXT } from './mailbox-facts.js';
import { runMailboxProbe, type MailboxDialect, type MailboxProbeParams } from './mailbox-probe.js';
import { Transcript } from './transcript.js';
import type { TlsOpener } from './tls-opener.js';

type Reply = { ok: true; reply: Pop3Reply; line: string; ms: number } | { ok: false; kind: string; error: string; partial?: string };
const MAX_CAPA_LINES = 200;

/** One status line; anything but +OK/-ERR is a protocol error. */
async function status(conn: LineConn, deadline = conn.deadline()): Promise<Reply> {
  const t0 = performance.now();
  const r = await conn.read(deadline);
  if (!r.ok) return r;
  const reply = parsePop3Reply(r.line);
  if (!reply) return { ok: false, kind: 'garbage', error: 'a line that is neither +OK nor -ERR', partial: r.line.slice(0, 200) };
  return { ok: true, reply, line: r.line, ms: Math.round(performance.now() - t0) };
}

async function command(conn: LineConn, line: string, shown?: string): Promise<Reply> {
  conn.send(line, shown);
  return status(conn);
}

/** CAPA: undefined caps when the server answers -ERR (RFC 1939-only servers). */
async function capa(conn: LineConn): Promise<{ ok: true; caps?: string[] } | { ok: false; kind: string; error: string; partial?: string }> {
  const deadline = conn.deadline();
  conn.send('CAPA');
  const s = await status(conn, deadline);
  if (!s.ok) return s;
  if (!s.reply.ok) return { ok: true };
  const lines: string[] = [];
  for (;;) {
    const r = await conn.read(deadline);
    if (!r.ok) return r;
    const l = multiLine(r.line);
    if (l === undefined) return { ok: true, caps: capaList(parseCapa(lines)) };
    if (lines.push(l) > MAX_CAPA_LINES) return { ok: false, kind: 'too-many-lines', error: `CAPA sent more than ${MAX_CAPA_LINES} lines` };
  }
}

export function saslOf(caps: string[]): string[] {
  const sasl = caps.find((c) => c === 'SASL' || c.startsWith('SASL '));
  return sasl ? sasl.split(' ').slice(1) : [];
}

export function probePop3(net: NetClient, p: MailboxProbeParams): Promise<MailboxFacts> {
  return runMailboxProbe(net, p, POP3);
}

/** POP3's steps: +OK/-ERR status lines, CAPA (absent on RFC 1939-only servers), STLS, USER/PASS or AUTH PLAIN, QUIT. */
const POP3: MailboxDialect = {
  protocol: 'pop3',
  startTlsCapability: 'STLS',
  authMechanisms: saslOf,
  async greeting(conn, facts) {
    const r = await status(conn);
    if (!r.ok) return r;
    facts.greeting = { status: r.reply.ok ? 'OK' : 'ERR', text: r.line, ms: r.ms };
    return { ok: true, closed: !r.reply.ok };
  },
  async capabilities(conn, facts) {
    const r = await capa(conn);
    if (!r.ok) return r;
    if (!r.caps) facts.capaUnsupported = true;
    return { ok: true, caps: r.caps ?? [] };
  },
  async startTls(conn) {
    const r = await command(conn, 'STLS');
    if (!r.ok) return r;
    return r.reply.ok ? { ok: true, accepted: true } : { ok: true, accepted: false, reply: r.line };
  },
  login: (conn, c, caps, facts) => pop3Login(conn, c, caps, !!facts.capaUnsupported),
  async logout(conn) {
    await conn.goodbye('QUIT', (l) => l.startsWith('+OK') || l.startsWith('-ERR'));
  },
};

async function pop3Login(conn: LineConn, c: Credentials, caps: string[], noCapa: boolean): Promise<LoginResult> {
  const t0 = performance.now();
  let method: string;
  let r: Reply;
  if ((caps.includes('USER') || noCapa) && !/[\r\n]/.test(c.user + c.password)) {
    method = 'USER/PASS';
    r = await command(conn, `USER ${c.user}`);
    if (r.ok && r.reply.ok) r = await command(conn, `PASS ${c.password}`, 'PASS <redacted>');
  } else if (saslOf(caps).includes('PLAIN')) {
    method = 'AUTH PLAIN';
    const b64 = Buffer.from(`\0${c.user}\0${c.password}`, 'utf8').toString('base64');
    conn.send(`AUTH PLAIN ${b64}`, 'AUTH PLAIN <redacted>');
    const first = await conn.read();
    // A server that does not take an initial response asks with "+ " (RFC 5034 §4).
    if (first.ok && first.line.startsWith('+ ') || (first.ok && first.line === '+')) r = await command(conn, b64, '<redacted>');
    else if (!first.ok) r = first;
    else {
      const reply = parsePop3Reply(first.line);
      r = reply ? { ok: true, reply, line: first.line, ms: 0 } : { ok: false, kind: 'garbage', error: 'a line that is neither +OK nor -ERR' };
    }
  } else {
    return { outcome: 'not-attempted', reason: 'the server offers neither USER nor SASL PLAIN over TLS' };
  }
  const ms = Math.round(performance.now() - t0);
  if (!r.ok) return { outcome: 'error', method, ms, reason: r.error };
  const base = { method, ms, reply: r.line, ...(r.reply.code ? { code: r.reply.code } : {}) };
  if (r.reply.ok) return { outcome: 'ok', ...base };
  // RFC 2449 §8.1 / RFC 3206: IN-USE (mailbox locked), LOGIN-DELAY (too soon), SYS/TEMP (outage).
  const code = r.reply.code ?? '';
  if (code === 'IN-USE' || code === 'LOGIN-DELAY' || code.startsWith('SYS/TEMP') || LOCKOUT_TEXT.test(r.reply.text)) return { outcome: 'locked', ...base };
  return { outcome: 'failed', ...base };
}

/** Connect, read the +OK greeting, STLS: the socket is then ready for a TLS handshake. */
export const pop3StartTlsOpener: TlsOpener = async (net, p) => {
  const c = await net.connect(p.host, p.port, p.timeoutMs);
  if (!c.ok) return { ok: false, stage: 'connect', error: c.error, failure: c };
  const conn = new LineConn(c.socket, new Transcript(), p.timeoutMs);
  const g = await status(conn);
  if (!g.ok || !g.reply.ok) {
    conn.close();
    return { ok: false, stage: 'greeting', error: g.ok ? `greeting: ${g.line.slice(0, 120)}` : g.error };
  }
  const r = await command(conn, 'STLS');
  if (!r.ok || !r.reply.ok || conn.pending() > 0) {
    conn.close();
    return { ok: false, stage: 'starttls', error: !r.ok ? r.error : !r.reply.ok ? `STLS answered ${r.line.slice(0, 120)}` : 'data after the STLS reply' };
  }
  return { ok: true, socket: conn.release() };
};
