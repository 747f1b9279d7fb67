// INTRUSIVE, opt-in only (`mxdoctor smtp <host> --intrusive --rcpt <address>`): does the
// server end a message at a bare-LF "<LF>.<LF>" (SMTP smuggling, CVE-2023-51764/5/6)?
// It sends ONE small message to the ONE recipient the user named, on the ONE host named.
// RFC 5321 §4.1.1.4: only <CRLF>.<CRLF> ends the data. Method: send the body up to
// "<LF>.<LF>" and wait the whole step timeout (a milter can hold a reply for seconds). A
// reply now means the server ended the message there; silence means it still reads data,
// and we finish with the proper <CRLF>.<CRLF>. A late reply to the first end followed by
// replies to our body text taken as commands is still "ended"; no reply at all is "no answer".
import type { NetClient } from '../../io/net.js';
import { Transcript } from '../transcript.js';
import { SmtpSession } from './session.js';
import type { StepTiming } from './types.js';

export interface SmugglingParams {
  host: string;
  address: string;
  port: number;
  heloName: string;
  timeoutMs: number;
  /** The user's own recipient: the only address this test ever sends to. */
  rcpt: string;
  /** Date header value (from the injected clock). */
  date: string;
  /** How long to wait for a reply after "<LF>.<LF>" (default: the step timeout). */
  windowMs?: number;
}

export type SmugglingOutcome = 'ended-at-bare-lf' | 'waited-for-crlf' | 'rejected-bare-lf' | 'no-answer' | 'not-reached';

export interface SmugglingResult {
  outcome: SmugglingOutcome;
  /** What the server said, and at which point. */
  reply?: { code: number; text: string };
  detail: string;
  steps: StepTiming[];
  transcript: Transcript;
}

const BARE_LF_REFUSAL = /bare|<LF>|\bLF\b|line ending|CRLF|newline/i;

export async function probeSmuggling(net: NetClient, p: SmugglingParams): Promise<SmugglingResult> {
  const transcript = new Transcript();
  const steps: StepTiming[] = [];
  const notReached = (detail: string, reply?: { code: number; lines: string[] }): SmugglingResult =>
    ({ outcome: 'not-reached', detail, steps, transcript, ...(reply ? { reply: { code: reply.code, text: reply.lines.join(' ') } } : {}) });
  const c = await net.connect(p.address, p.port, p.timeoutMs);
  if (!c.ok) return notReached(`connect: ${c.error}`);
  const s = new SmtpSession(c.socket, transcript);
  try {
    const expect = async (cmd: string | undefined, codes: number[], step: string) => {
      const r = cmd === undefined ? await s.readReply(p.timeoutMs) : await s.command(cmd, p.timeoutMs);
      if (!r.ok) return { ok: false as const, why: `${step}: ${r.error}` };
      steps.push({ step, ms: r.reply.ms });
      if (!codes.includes(r.reply.code)) return { ok: false as const, why: `${step} answered ${r.reply.code} ${r.reply.lines.join(' ')}`, reply: r.reply };
      return { ok: true as const, reply: r.reply };
    };
    const g = await expect(undefined, [220], 'greeting');
    if (!g.ok) return notReached(g.why, g.reply);
    let e = await expect(`EHLO ${p.heloName}`, [250], 'ehlo');
    if (!e.ok) return notReached(e.why, e.reply);
    // Go the way real senders go: inside TLS when the server offers it.
    if (e.reply.lines.slice(1).some((l) => /^STARTTLS\b/i.test(l.trim()))) {
      const t = await expect('STARTTLS', [220], 'starttls');
      if (t.ok) {
        await s.drainPending();
        const h = await s.upgrade(net, p.host, p.timeoutMs);
        if (!h.ok) return notReached(`TLS handshake: ${h.error}`);
        e = await expect(`EHLO ${p.heloName}`, [250], 'ehlo-tls');
        if (!e.ok) return notReached(e.why, e.reply);
      }
    }
    for (const [cmd, codes, step] of [['MAIL FROM:<>', [250], 'mail'], [`RCPT TO:<${p.rcpt}>`, [250, 251], 'rcpt'], ['DATA', [354], 'data']] as const) {
      const r = await expect(cmd, [...codes], step);
      if (!r.ok) return notReached(r.why, r.reply);
    }
    const head = [
      `From: <${p.rcpt}>`, `To: <${p.rcpt}>`, 'Subject: mxdoctor SMTP smuggling test (--intrusive)', `Date: ${p.date}`,
      `Message-ID: <smuggling-test.${Math.random().toString(36).slice(2)}@mxdoctor.invalid>`, '',
      'This message tests whether the server ends a message at a bare-LF end-of-data sequence.',
      'It was sent by mxdoctor --intrusive to the address its operator named.',
    ].join('\r\n');
    s.sendRaw(`${head}\r\nbare-LF end of data follows\n.\n`, '<headers and body>, then <LF>.<LF>');
    const window = p.windowMs ?? p.timeoutMs;
    const early = await s.readReply(window);
    if (early.ok) {
      const text = early.reply.lines.join(' ');
      steps.push({ step: 'after <LF>.<LF>', ms: early.reply.ms });
      if (early.reply.code >= 500 && BARE_LF_REFUSAL.test(text)) {
        return { outcome: 'rejected-bare-lf', reply: { code: early.reply.code, text }, detail: `After <LF>.<LF> the server refused the bare LF: ${early.reply.code} ${text}.`, steps, transcript };
      }
      return { outcome: 'ended-at-bare-lf', reply: { code: early.reply.code, text }, detail: `The server answered ${early.reply.code} ${text} right after <LF>.<LF>: it took that as the end of the message.`, steps, transcript };
    }
    if (early.kind !== 'timeout') return notReached(`after <LF>.<LF> the connection ended: ${early.error}`);
    s.sendRaw('text after the bare-LF sequence\r\n.\r\n', 'more text, then <CR><LF>.<CR><LF>');
    const end = await s.readReply(p.timeoutMs);
    if (!end.ok) {
      if (end.kind === 'timeout') {
        return { outcome: 'no-answer', detail: `No reply within ${window} ms after <LF>.<LF>, nor within ${p.timeoutMs} ms after <CR><LF>.<CR><LF>: the server's handling of a bare-LF end of data is unknown.`, steps, transcript };
      }
      return notReached(`after <CR><LF>.<CR><LF>: ${end.error}`);
    }
    const text = end.reply.lines.join(' ');
    steps.push({ step: 'after <CR><LF>.<CR><LF>', ms: end.reply.ms });
    // A server that ended at <LF>.<LF> but answered after our window answers that message now,
    // then reads our last body line and "." as commands: more replies follow at once.
    const extra = await s.readReply(Math.min(p.timeoutMs, 1000));
    if (extra.ok) {
      steps.push({ step: 'extra reply', ms: extra.reply.ms });
      return { outcome: 'ended-at-bare-lf', reply: { code: end.reply.code, text }, detail: `The server answered ${end.reply.code} ${text} late (after ${window} ms), then ${extra.reply.code} ${extra.reply.lines.join(' ')} to the text that followed: it had ended the message at <LF>.<LF> and read the rest as commands.`, steps, transcript };
    }
    if (end.reply.code >= 500 && BARE_LF_REFUSAL.test(text)) {
      return { outcome: 'rejected-bare-lf', reply: { code: end.reply.code, text }, detail: `The server refused the bare LF at the end of the message: ${end.reply.code} ${text}.`, steps, transcript };
    }
    return { outcome: 'waited-for-crlf', reply: { code: end.reply.code, text }, detail: `No reply within ${window} ms after <LF>.<LF>; the server answered ${end.reply.code} ${text} only after <CR><LF>.<CR><LF>.`, steps, transcript };
  } finally {
    await s.quit(p.timeoutMs);
  }
}
