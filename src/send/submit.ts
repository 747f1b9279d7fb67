// `submitMessage`: one test submission as an explicit state machine
//   connect → [tls] → greeting → ehlo → [starttls → tls → ehlo-after-tls] → [auth]
//   → mail → rcpt… → data → body → quit
// Strictly one command at a time (no PIPELINING), a timeout on every step, both EHLO
// replies kept, a redacted transcript, and findings judged from the facts at the end.
import { Redactor } from '../core/redact.js';
import { credentialVerdict } from '../probes/credential-rule.js';
import { parseEhlo } from '../parsers/smtp-ehlo.js';
import { Transcript } from '../probes/transcript.js';
import { judgeSend } from './judge.js';
import { checkEnvelope, checkLimits } from './limits.js';
import { normalizeCrlf } from './message-data.js';
import { exchange, fail, quitAfter, refused } from './submit-run.js';
import type { Run, State } from './submit-run.js';
import { BODY_STEPS } from './submit-body.js';
import { connect, handshake } from './submit-open.js';
import { authenticate } from './auth.js';
import type { SubmitDeps, SubmitRequest, SubmitResult } from './types.js';

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;
const STEPS: Record<Exclude<State, 'done'>, (run: Run) => Promise<State>> = {
  connect,

  async greeting(run) {
    const g = await exchange(run, 'greeting', undefined);
    if (!g.ok) return 'done';
    // 554 waits for QUIT (RFC 5321 §3.1); 421 closes on its own.
    if (g.reply.code !== 220) return refused(run, 'greeting', g.reply);
    return quitAfter(run, 'greeting', 'ehlo');
  },

  async ehlo(run) {
    const heloName = run.req.heloName ?? 'mxdoctor.invalid';
    const e = await exchange(run, 'ehlo', `EHLO ${heloName}`);
    if (!e.ok) return 'done';
    if (e.reply.code === 250) {
      run.caps = parseEhlo(e.reply.lines);
      run.r.ehlo = run.tls ? { afterTls: run.caps.raw } : { before: run.caps.raw };
    } else if (e.reply.code >= 500 && e.reply.code !== 521) {
      // No ESMTP: HELO (RFC 5321 §4.1.4), and so no extensions: no STARTTLS, AUTH or SIZE.
      const h = await exchange(run, 'helo', `HELO ${heloName}`);
      if (!h.ok) return 'done';
      if (h.reply.code !== 250) return refused(run, 'ehlo', h.reply);
      run.caps = parseEhlo([]);
    } else return refused(run, 'ehlo', e.reply);
    if (run.req.security === 'starttls' && !run.tls) return quitAfter(run, 'ehlo', 'starttls');
    return quitAfter(run, 'ehlo', quitAfter(run, 'tls', 'auth'));
  },

  async starttls(run) {
    if (!run.caps?.starttls) {
      fail(run, { step: 'starttls', kind: 'tls-not-offered', error: 'the EHLO reply does not list STARTTLS; not sending in plaintext (use --tls none to allow it)' });
      return 'quit';
    }
    const s = await exchange(run, 'starttls', 'STARTTLS');
    if (!s.ok) return 'done';
    if (s.reply.code !== 220) return refused(run, 'starttls', s.reply, 'tls');
    // RFC 3207 §4.2: nothing before the handshake may be trusted: bytes after the 220 are discarded.
    const injected = await run.session!.drainPending();
    if (injected !== undefined) run.transcript.event(`${injected.length} bytes after the STARTTLS 220, before TLS: discarded`);
    if (!(await handshake(run))) return run.r.failure?.kind === 'untrusted' ? 'quit' : 'done';
    return 'ehlo-after-tls';
  },

  async 'ehlo-after-tls'(run) {
    // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
    const e = await exchange(run, 'ehlo-after-tls', `EHLO ${run.req.heloName ?? 'mxdoctor.invalid'}`);
    if (!e.ok) return 'done';
    if (e.reply.code !== 250) return refused(run, 'ehlo-after-tls', e.reply);
    run.caps = parseEhlo(e.reply.lines);
    run.r.ehlo = { ...run.r.ehlo, afterTls: run.caps.raw };
    return quitAfter(run, 'tls', 'auth');
  },

  async auth(run) {
    const { req, r } = run;
    if (!req.auth) return quitAfter(run, 'auth', 'mail');
    // One rule for every password mxdoctor sends (probes/credential-rule.ts).
    const v = credentialVerdict({ host: req.host, address: r.address, tls: run.tls ? r.tls : undefined, insecure: req.insecure || req.allowPlaintextAuth });
    if (!v.ok) {
      fail(run, { step: 'auth', kind: v.kind === 'plaintext' ? 'plaintext-auth' : 'untrusted-auth', error: v.reason });
      return 'quit';
    }
    if (!run.tls) r.plaintextAuth = true;
    if (v.via === 'insecure') {
      r.insecureAuth = true;
      run.transcript.event(v.note!);
    }
    const a = await authenticate(run.session!, run.caps?.auth ?? [], req.auth, run.timeoutMs);
    const reply = a.ok || a.kind === 'auth' ? a.reply : undefined;
    r.steps.push({ step: 'auth', ms: a.ms, ...(reply ? { reply: `${reply.code}${reply.lines[0] ? ` ${reply.lines[0]}` : ''}` } : {}) });
    if (a.ok) {
      run.transcript.event(`authenticated with ${a.mechanism}`);
      return quitAfter(run, 'auth', 'mail');
    }
    if (a.kind === 'auth-not-offered') {
      fail(run, { step: 'auth', kind: 'auth-not-offered', error: a.error });
      return 'quit';
    }
    if (a.kind === 'io') {
      fail(run, { step: 'auth', kind: a.failure.kind, error: a.failure.error });
      return 'done';
    }
    return refused(run, 'auth', a.reply, 'auth');
  },

  ...BODY_STEPS,

  async quit(run) {
    const s = run.session;
    if (!s || s.socket.destroyed || !s.socket.writable) return 'done';
    const t0 = performance.now();
    const q = await s.command('QUIT', Math.min(run.timeoutMs, 5000));
    // A missing 221 is no finding: the session's work is done.
    run.r.steps.push({ step: 'quit', ms: Math.round(performance.now() - t0), ...(q.ok ? { reply: `${q.reply.code} ${q.reply.lines[0] ?? ''}`.trim() } : {}) });
    return 'done';
  },
};

export async function submitMessage(req: SubmitRequest, deps: SubmitDeps): Promise<SubmitResult> {
  const data = normalizeCrlf(req.message);
  checkLimits(req.to, data.length);
  checkEnvelope(req.from, req.to, req.heloName);
  const t0 = performance.now();
  // Every line the server sends passes this before it is parsed, cut or recorded.
  const redactor = req.auth ? Redactor.of({ value: req.auth.password, user: req.auth.user }) : Redactor.none;
  const transcript = new Transcript(t0, redactor);
  const run: Run = {
    req, net: deps.net, resolve: deps.resolve, transcript, tls: false, data,
    timeoutMs: req.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
    r: {
      accepted: false, steps: [], acceptedRecipients: [], rejectedRecipients: [], size: data.length,
      startedAt: new Date(deps.clock?.now() ?? Date.now()).toISOString(), totalMs: 0,
    },
  };
  let state: State = 'connect';
  try {
    while (state !== 'done') state = await STEPS[state](run);
  } finally {
    run.session?.close();
    run.r.totalMs = Math.round(performance.now() - t0);
  }
  const result: SubmitResult = { ...run.r, transcript: transcript.lines, findings: [] };
  result.findings = judgeSend(result, req);
  // The last line of defence: no string of the result (findings, steps, failure) holds a form of the password.
  return redactor.redactDeep(result);
}
