// The state shared by the steps of one submission, and the helpers every step uses:
// a timed command that records its step, the first failure, the --quit-after check.
import type { NetClient } from '../io/net.js';
import type { SmtpCapabilities } from '../parsers/smtp-ehlo.js';
import type { ReplyResult, SmtpSession } from '../probes/smtp/session.js';
import type { SmtpReply } from '../probes/smtp/types.js';
import type { Transcript } from '../probes/transcript.js';
import type { FailureKind, QuitAfter, SubmitRequest, SubmitResult } from './types.js';

export type State = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'ehlo-after-tls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'body' | 'quit' | 'done';

export interface Run {
  req: SubmitRequest;
  net: NetClient;
  resolve?: (host: string) => Promise<string[]>;
  r: Omit<SubmitResult, 'transcript' | 'findings'>;
  transcript: Transcript;
  session?: SmtpSession;
  /** TLS is up (implicit, or after STARTTLS). */
  tls: boolean;
  caps?: SmtpCapabilities;
  timeoutMs: number;
  /** The CRLF-normalised message (its length is the RFC 1870 size). */
  data: Buffer;
}

export type Replied = { ok: true; reply: SmtpReply } | { ok: false };

/** "250 2.0.0 Ok: queued as X" from a reply: its code and first line. */
export function firstLine(reply: SmtpReply): string {
  return `${reply.code}${reply.lines[0] ? ` ${reply.lines[0]}` : ''}`;
}

/** The whole reply on one line, for findings and explain(). */
export function wholeReply(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines.join(' ')}`.trim();
}

/** Send `line` (or only read, for the greeting), time it, record the step; io failures become the run's failure. */
export async function exchange(run: Run, step: string, line: string | undefined, extra: { address?: string } = {}): Promise<Replied> {
  const s = run.session!;
  const t0 = performance.now();
  const res: ReplyResult = line === undefined ? await s.readReply(run.timeoutMs) : await s.command(line, run.timeoutMs);
  const ms = Math.round(performance.now() - t0);
  if (!res.ok) {
    run.r.steps.push({ step, ms, ...extra });
    fail(run, { step, kind: res.kind, error: res.error + (res.partial ? ` (received: ${JSON.stringify(res.partial.slice(0, 120))})` : '') });
    return { ok: false };
  }
  run.r.steps.push({ step, ms, reply: firstLine(res.reply), ...extra });
  return { ok: true, reply: res.reply };
}

/** Record the first failure; the caller decides whether QUIT still makes sense. */
export function fail(run: Run, f: { step: string; kind: FailureKind | string; reply?: SmtpReply; error?: string }): void {
  if (run.r.failure) return;
  run.r.failure = {
    step: f.step, kind: f.kind as FailureKind,
    ...(f.reply ? { reply: wholeReply(f.reply) } : {}),
    ...(f.error ? { error: f.error } : {}),
  };
  run.transcript.event(`stopped at ${f.step}: ${f.kind}${f.error ? `: ${f.error}` : ''}`);
}

/** The server refused: record it and end the session politely (421 means it is closing already). */
export function refused(run: Run, step: string, reply: SmtpReply, kind: FailureKind = 'rejected'): State {
  fail(run, { step, kind, reply });
  return reply.code === 421 ? 'done' : 'quit';
}

/** After `stage`, stop when --quit-after says so (before DATA, always with QUIT). */
export function quitAfter(run: Run, stage: QuitAfter, next: State): State {
  if (run.req.quitAfter !== stage) return next;
  run.r.quitAfter = stage;
  run.transcript.event(`--quit-after ${stage}: ending the session here, before DATA`);
  return 'quit';
}
