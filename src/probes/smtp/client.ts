// The diagnostic SMTP client: an explicit state machine
//   connect → greeting → ehlo (HELO on 5xx) → starttls → ehlo-tls → rcpt → quit
// with a named timeout per step (CONNECT, GREETING, COMMAND, STARTTLS), caps on every
// reply (session.ts), per-step timings and a redacted transcript. It records facts only;
// the checks judge them. It never sends DATA: the RCPT tests end with RSET and QUIT.
import type { NetClient } from '../../io/net.js';
import { parseEhlo } from '../../parsers/smtp-ehlo.js';
import { Transcript } from '../transcript.js';
import { SmtpSession } from './session.js';
import type { ReplyResult } from './session.js';
import type { SmtpFailure, SmtpProbeParams, SmtpProbeResult, SmtpReply, SmtpStage } from './types.js';

type State = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'ehlo-tls' | 'rcpt' | 'quit' | 'done';

interface Run {
  net: NetClient;
  p: SmtpProbeParams;
  r: SmtpProbeResult;
  session?: SmtpSession;
  /** TLS is up (implicit or after STARTTLS). */
  tls: boolean;
}

const STEPS: Record<Exclude<State, 'done'>, (run: Run) => Promise<State>> = {
  async connect(run) {
    const { net, p, r } = run;
    r.transcript.event(`connecting to ${p.address} port ${p.port}`);
    const c = await net.connect(p.address, p.port, p.timeoutMs);
    r.steps.push({ step: 'connect', ms: c.ms });
    if (!c.ok) return fail(run, { stage: 'connect', kind: c.kind, error: c.error });
    r.connectMs = c.ms;
    r.transcript.event(`connected in ${c.ms} ms`);
    run.session = new SmtpSession(c.socket, r.transcript);
    if (p.implicitTls) {
      // RFC 8314 §3: on 465 TLS starts at once; the greeting comes inside TLS.
      r.starttls = {};
      if (!(await handshake(run))) return 'done';
    }
    return 'greeting';
  },

  async greeting(run) {
    const { r, p } = run;
    const g = await run.session!.readReply(p.timeoutMs);
    if (!g.ok) return fail(run, { stage: 'greeting', ...failureOf(g) });
    r.greeting = g.reply;
    r.steps.push({ step: 'greeting', ms: g.reply.ms });
    if (g.reply.code !== 220) {
      // 554 "no SMTP service here" waits for QUIT (RFC 5321 §3.1); 421 closes on its own.
      fail(run, { stage: 'greeting', kind: 'rejected', error: `greeting ${g.reply.code}`, code: g.reply.code, text: g.reply.lines.join(' ') });
      return 'quit';
    }
    return 'ehlo';
  },

  async ehlo(run) {
    const { r, p } = run;
    // The first EHLO of the session; the second follows STARTTLS (RFC 3207 §4.2).
    const first = !(run.tls && !p.implicitTls);
    const stage: SmtpStage = first ? 'ehlo' : 'ehlo-tls';
    const e = await run.session!.command(`EHLO ${p.heloName}`, p.timeoutMs);
    if (!e.ok) return fail(run, { stage, ...failureOf(e) });
    r.steps.push({ step: stage, ms: e.reply.ms });
    if (e.reply.code === 250) {
      if (run.tls) r.ehloTls = { ...e.reply, caps: parseEhlo(e.reply.lines) };
      else r.ehlo = { ...e.reply, command: 'EHLO', caps: parseEhlo(e.reply.lines) };
      return run.tls ? (p.rcpt?.length ? 'rcpt' : 'quit') : 'starttls';
    }
    if (e.reply.code >= 500 && first) {
      // No ESMTP: fall back to HELO (RFC 5321 §4.1.4), which has no extensions at all.
      const h = await run.session!.command(`HELO ${p.heloName}`, p.timeoutMs);
      if (!h.ok) return fail(run, { stage: 'ehlo', ...failureOf(h) });
      r.steps.push({ step: 'helo', ms: h.reply.ms });
      const ehloRefused = { code: e.reply.code, text: e.reply.lines.join(' ') };
      if (h.reply.code !== 250) {
        fail(run, { stage: 'ehlo', kind: 'rejected', error: `EHLO ${e.reply.code}, HELO ${h.reply.code}`, code: h.reply.code, text: h.reply.lines.join(' ') });
        return 'quit';
      }
      r.ehlo = { ...h.reply, command: 'HELO', ehloRefused };
      return p.rcpt?.length ? 'rcpt' : 'quit';
    }
    fail(run, { stage, kind: 'rejected', error: `EHLO ${e.reply.code}`, code: e.reply.code, text: e.reply.lines.join(' ') });
    return 'quit';
  },

  async starttls(run) {
    const { r, p } = run;
    if (!r.ehlo?.caps?.starttls || p.startTls === false) return p.rcpt?.length ? 'rcpt' : 'quit';
    const s = await run.session!.command('STARTTLS', p.timeoutMs);
    if (!s.ok) return fail(run, { stage: 'starttls', ...failureOf(s) });
    r.steps.push({ step: 'starttls', ms: s.reply.ms });
    r.starttls = { reply: s.reply };
    // Refused (454 etc.): carry on in plaintext, as opportunistic senders do.
    if (s.reply.code !== 220) return p.rcpt?.length ? 'rcpt' : 'quit';
    // RFC 3207 §4.2: nothing may follow the 220 before the handshake; anything buffered
    // here would be read as if it came over TLS (STARTTLS response injection).
    const injected = await run.session!.drainPending();
    if (injected !== undefined) {
      r.starttls.injected = injected;
      r.transcript.event(`${injected.length} bytes after the 220, before TLS: discarded`);
    }
    if (!(await handshake(run))) return 'done';
    return 'ehlo-tls';
  },

  async 'ehlo-tls'(run) {
    return STEPS.ehlo(run);
  },

  async rcpt(run) {
    const { r, p } = run;
    const s = run.session!;
    // Null reverse-path: accepted by every server (RFC 5321 §4.5.5) and no third party named.
    const m = await s.command('MAIL FROM:<>', p.timeoutMs);
    if (!m.ok) return fail(run, { stage: 'mail', ...failureOf(m) });
    r.steps.push({ step: 'mail', ms: m.reply.ms });
    r.rcpt = { mailFrom: { code: m.reply.code, text: m.reply.lines.join(' '), ms: m.reply.ms }, results: [] };
    if (m.reply.code === 250) {
      for (const t of p.rcpt ?? []) {
        const c = await s.command(`RCPT TO:<${t.address}>`, p.timeoutMs);
        if (!c.ok) return fail(run, { stage: 'rcpt', ...failureOf(c) });
        r.steps.push({ step: `rcpt ${t.kind}`, ms: c.reply.ms });
        r.rcpt.results.push({ kind: t.kind, address: t.address, code: c.reply.code, text: c.reply.lines.join(' '), ms: c.reply.ms });
        if (c.reply.code === 421) return 'done';
      }
    }
    // Never DATA: drop the transaction (RFC 5321 §4.1.1.5).
    const rs = await s.command('RSET', p.timeoutMs);
    if (rs.ok) r.steps.push({ step: 'rset', ms: rs.reply.ms });
    return 'quit';
  },

  async quit(run) {
    await run.session?.quit(run.p.timeoutMs);
    return 'done';
  },
};

export async function probeSmtp(net: NetClient, p: SmtpProbeParams): Promise<SmtpProbeResult> {
  const t0 = performance.now();
  const r: SmtpProbeResult = { host: p.host, address: p.address, port: p.port, implicitTls: p.implicitTls, steps: [], transcript: new Transcript(t0), totalMs: 0 };
  const run: Run = { net, p, r, tls: false };
  let state: State = 'connect';
  try {
    while (state !== 'done') state = await STEPS[state](run);
  } finally {
    run.session?.close();
    r.totalMs = Math.round(performance.now() - t0);
  }
  return r;
}

async function handshake(run: Run): Promise<boolean> {
  const { r, p } = run;
  const h = await run.session!.upgrade(run.net, p.host, p.timeoutMs);
  r.steps.push({ step: 'tls', ms: h.ms });
  if (!h.ok) {
    r.starttls!.handshake = { ok: false, error: h.error, ms: h.ms };
    fail(run, { stage: 'tls', kind: h.kind === 'timeout' ? 'timeout' : 'tls', error: h.error });
    return false;
  }
  r.starttls!.handshake = {
    ok: true, protocol: h.protocol, cipher: h.cipher?.name ?? '', ms: h.ms, authorized: h.authorized,
    ...(h.authorizationError ? { authorizationError: h.authorizationError } : {}),
  };
  run.tls = true;
  return true;
}

function failureOf(x: Extract<ReplyResult, { ok: false }>): Omit<SmtpFailure, 'stage'> {
  return { kind: x.kind, error: x.error, ...(x.partial !== undefined ? { partial: x.partial } : {}) };
}

function fail(run: Run, f: SmtpFailure): 'done' {
  run.r.failure ??= f;
  run.r.transcript.event(`${f.stage}: ${f.kind}: ${f.error}`);
  return 'done';
}

export type { SmtpProbeResult, SmtpReply, SmtpStage };
