// IMAP framing over a LineConn: logical responses with literals folded in (and capped),
// tagged commands that wait for their tagged completion while collecting untagged data.
import type { ImapResponse } from '../parsers/imap-response.js';
import { literalAtEnd, parseImapLine } from '../parsers/imap-response.js';
import type { LineConn } from './line-conn.js';

/** Largest literal we read through; anything bigger is a protocol error (a hostile or broken server). */
export const MAX_LITERAL = 64 * 1024;
/** Most untagged responses accepted while waiting for one tagged completion. */
const MAX_UNTAGGED = 500;

export type ImapFailure = { ok: false; kind: string; error: string; partial?: string };
export type ImapRead = { ok: true; line: string; response: ImapResponse } | ImapFailure;
export type ImapReply = { ok: true; tagged: ImapResponse; untagged: ImapResponse[]; ms: number } | (ImapFailure & { untagged: ImapResponse[] });

/**
 * One logical response. A line ending in {n} is followed by n octets of literal data and
 * then the rest of the response (RFC 9051 §4.3); the literal is replaced by "{n bytes}".
 * Line lengths count a CRLF per line, which is exact for CRLF servers and close enough to
 * skip data from bare-LF ones.
 */
export async function readResponse(conn: LineConn, deadline: number): Promise<ImapRead> {
  const first = await conn.read(deadline);
  if (!first.ok) return first;
  let line = first.line;
  for (let lit = literalAtEnd(line); lit; lit = literalAtEnd(line)) {
    if (lit.size > MAX_LITERAL) {
      return { ok: false, kind: 'literal-too-large', error: `the server announced a ${lit.size}-byte literal (more than the ${MAX_LITERAL} we accept)` };
    }
    let got = 0;
    let rest: string | undefined;
    while (rest === undefined) {
      const r = await conn.read(deadline);
      if (!r.ok) return r;
      const len = r.line.length + 2;
      if (got + len > lit.size) rest = r.line.slice(Math.max(0, lit.size - got));
      else if ((got += len) === lit.size) {
        const next = await conn.read(deadline);
        if (!next.ok) return next;
        rest = next.line;
      }
    }
    line = `${line.slice(0, lit.index)}{${lit.size} bytes}${rest}`;
  }
  const response = parseImapLine(line);
  if (!response) return { ok: false, kind: 'garbage', error: 'the server sent a line that is not an IMAP response', partial: line.slice(0, 200) };
  return { ok: true, line, response };
}

/**
 * Send a tagged command and read until its tagged completion (OK/NO/BAD) or the step deadline.
 * `continuation` answers one "+" request (AUTHENTICATE without SASL-IR); any other "+" is an error,
 * since we never send literals and waiting would only end at the timeout.
 */
export async function imapCommand(conn: LineConn, tag: string, command: string, shown?: string, continuation?: () => void): Promise<ImapReply> {
  const t0 = performance.now();
  const deadline = conn.deadline();
  conn.send(`${tag} ${command}`, shown === undefined ? undefined : `${tag} ${shown}`);
  const untagged: ImapResponse[] = [];
  while (untagged.length < MAX_UNTAGGED) {
    const r = await readResponse(conn, deadline);
    if (!r.ok) return { ...r, untagged };
    const res = r.response;
    if (res.tag === tag && res.status) return { ok: true, tagged: res, untagged, ms: Math.round(performance.now() - t0) };
    if (res.tag === '+') {
      if (!continuation) return { ok: false, kind: 'garbage', error: 'the server asked for more data ("+") where none is due', untagged };
      continuation();
      continuation = undefined;
    } else if (res.tag === '*') untagged.push(res); // BYE included: the completion or the close follows
    else return { ok: false, kind: 'garbage', error: `a tagged reply for another command ("${r.line.slice(0, 80)}")`, untagged };
  }
  return { ok: false, kind: 'too-many-responses', error: `more than ${MAX_UNTAGGED} untagged responses to one command`, untagged };
}
