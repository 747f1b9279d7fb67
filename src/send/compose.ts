// The test message: built with nodemailer's MailComposer (MIME, encodings, attachments),
// or a raw --data-file message sent as is. Every message carries X-Mxdoctor-Token, the
// handle the round trip finds it by over IMAP, and a Message-ID made from the token.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { UsageError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { headerValue } from './message-data.js';
import type { ComposedMessage, ComposeOptions } from './types.js';

export const TOKEN_HEADER = 'X-Mxdoctor-Token';

/** Headers mxdoctor sets itself: a user value would break the round trip's search. */
const RESERVED = new Set([TOKEN_HEADER.toLowerCase(), 'message-id']);

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** Refuse the headers mxdoctor writes itself; called by the commands before any connection too. */
export function checkHeaders(headers: readonly [string, string][]): void {
  for (const [name] of headers) {
    const n = name.trim().toLowerCase();
    if (RESERVED.has(n)) throw new UsageError(`--header ${n}: mxdoctor sets ${TOKEN_HEADER} and Message-ID itself (the round trip finds the message by them)`);
  }
}

export async function composeMessage(o: ComposeOptions): Promise<ComposedMessage> {
  if (o.token !== undefined && !/^[0-9a-f]{8,64}$/i.test(o.token)) throw new UsageError(`token ${JSON.stringify(o.token)}: expected 8 to 64 hex digits`);
  if (o.raw) return rawMessage(o.raw, o.token);
  const token = (o.token ?? newToken()).toLowerCase();
  const headers = o.headers ?? [];
  // A user From/To/Subject/Date header replaces the one MailComposer would write from its options.
  checkHeaders(headers);
  const given = new Set(headers.map(([name]) => name.trim().toLowerCase()));
  const messageId = `<mxd-${token}@${domainOf(o.from)}>`;
  const composer = new MailComposer({
    ...(given.has('from') ? {} : { from: o.from }),
    ...(given.has('to') ? {} : { to: o.to }),
    ...(given.has('subject') ? {} : { subject: o.subject ?? `mxdoctor test message ${token.slice(0, 8)}` }),
    ...(given.has('date') ? {} : { date: o.date ?? new Date() }),
    messageId,
    headers: [
      { key: TOKEN_HEADER, value: token },
      { key: 'X-Mailer', value: `mxdoctor ${VERSION}` },
      ...headers.map(([key, value]) => ({ key: key.trim(), value })),
    ],
    text: o.text ?? defaultText(token),
    attachments: (o.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content })),
    // Nothing may be fetched from disk or the network while composing: content is given.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  return { raw, messageId, token };
}

/** A raw message keeps its bytes; the token header is prepended unless one is already there. */
function rawMessage(raw: Buffer, wanted?: string): ComposedMessage {
  const messageId = headerValue(raw, 'Message-ID') ?? '';
  const present = headerValue(raw, TOKEN_HEADER);
  if (present) return { raw, messageId, token: present };
  const token = (wanted ?? newToken()).toLowerCase();
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  return { raw: Buffer.concat([Buffer.from(`${TOKEN_HEADER}: ${token}${eol}`), raw]), messageId, token };
}

function domainOf(address: string): string {
  const d = /@([^@\s<>]+)>?\s*$/.exec(address)?.[1]?.toLowerCase();
  return d && /^[a-z0-9.-]+$/.test(d) ? d : 'mxdoctor.invalid';
}

function defaultText(token: string): string {
  return [
    'This is a test message sent by mxdoctor to check that mail submitted here is',
    'accepted and delivered. It can be deleted.',
    '',
    `Token: ${token}`,
    '',
  ].join('\n');
}
