// Why a message (or the connection it needed) failed: the step, and the server's reply
// (code, RFC 3463 enhanced code, text) or the network failure's kind. Grouped by stats.ts.
import { enhancedCode } from '../parsers/smtp-reply.js';
import type { ReplyResult } from '../probes/smtp/session.js';
import type { Phase } from './types.js';

export interface LoadFailure {
  step: Phase | 'rset';
  /** The reply, when the server answered with a refusal. */
  code?: number;
  enhanced?: string;
  /** Network/protocol failure kind (timeout, closed, refused, tls...), when it did not. */
  kind?: string;
  text: string;
}

export function replyFailure(step: LoadFailure['step'], code: number, text: string): LoadFailure {
  const enhanced = enhancedCode(text);
  return { step, code, ...(enhanced ? { enhanced } : {}), text: text.slice(0, 200) };
}

/** A failure from the session's reply (the opening steps). */
export function failureOf(step: LoadFailure['step'], r: ReplyResult): LoadFailure {
  if (r.ok) return replyFailure(step, r.reply.code, r.reply.lines.join(' '));
  return ioFailure(step, r.kind, r.error);
}

export function ioFailure(step: LoadFailure['step'], kind: string, error: string): LoadFailure {
  return { step, kind, text: error.slice(0, 200) };
}
