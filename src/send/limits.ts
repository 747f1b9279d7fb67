// Safe by default: a test send goes to a handful of named recipients, never a list, and
// carries a test-sized message. Beyond these it is misuse (a UsageError), not a finding.
import { UsageError } from '../core/errors.js';

export const MAX_RECIPIENTS = 100;
/** 25 MB: above the usual submission limits (Postfix 10 MB, Gmail 25 MB, Exchange Online 35 MB). */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export function checkLimits(to: string[], messageBytes: number): void {
  if (!to.length) throw new UsageError('give at least one recipient with --to <address>');
  if (to.length > MAX_RECIPIENTS) throw new UsageError(`${to.length} recipients: a test send goes to at most ${MAX_RECIPIENTS} (--to)`);
  if (messageBytes > MAX_MESSAGE_BYTES) {
    throw new UsageError(`the message is ${(messageBytes / 1048576).toFixed(1)} MB: a test send is at most ${MAX_MESSAGE_BYTES / 1048576} MB (smaller --attach or --data-file)`);
  }
}

/** No CR, LF, space or angle bracket: an address is one path argument, never a second command (RFC 5321 §4.1.2). */
const PATH = /^[^\s<>\x00-\x1f\x7f]+@[^\s<>@\x00-\x1f\x7f]+$/;

/** Envelope addresses and the EHLO name are written into commands: refuse anything that could break out of them. */
export function checkEnvelope(from: string, to: string[], heloName?: string): void {
  // The null reverse-path "<>" (RFC 5321 §4.5.5) is a legitimate test sender.
  if (from !== '' && !PATH.test(from)) throw new UsageError(`--from ${JSON.stringify(from)}: give a plain address like you@example.com (no spaces, brackets or line breaks)`);
  for (const a of to) {
    if (!PATH.test(a) && !/^postmaster$/i.test(a)) throw new UsageError(`--to ${JSON.stringify(a)}: give a plain address like someone@example.com (no spaces, brackets or line breaks)`);
  }
  if (heloName !== undefined && !/^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f.:IPv]+\])$/.test(heloName)) {
    throw new UsageError(`--ehlo ${JSON.stringify(heloName)}: give a host name like mail.example.com or an address literal like [192.0.2.1]`);
  }
}
