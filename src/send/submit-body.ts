// The mail transaction of a submission (RFC 5321 §3.3): MAIL with SIZE when offered
// (RFC 1870), one RCPT per recipient (the send goes on with the accepted ones), DATA,
// the dot-stuffed message, and the final reply with its queue id.
import { dotStuff, hasEightBit, headerBlock } from './message-data.js';
import { writeData } from './data-writer.js';
import { parseQueueId } from './queue-id.js';
import { enhancedCode } from '../parsers/smtp-reply.js';
import { exchange, fail, firstLine, quitAfter, refused, wholeReply } from './submit-run.js';
import type { Run, State } from './submit-run.js';

/** Header lines shown in the transcript before "<N bytes>" (the body is not echoed). */
const SHOWN_HEADER_LINES = 40;

export const BODY_STEPS: Record<'mail' | 'rcpt' | 'data' | 'body', (run: Run) => Promise<State>> = {
  async mail(run) {
    const { req, r } = run;
    const caps = run.caps;
    const limit = caps?.size;
    // RFC 1870 §6: refuse ourselves rather than send megabytes the server will throw away.
    if (limit && r.size > limit) {
      fail(run, { step: 'mail', kind: 'too-large', error: `the message is ${r.size} bytes; the server accepts at most ${limit} (EHLO SIZE ${limit})` });
      return 'quit';
    }
    const params: string[] = [];
    if (caps?.size !== undefined) params.push(`SIZE=${r.size}`);
    if (caps?.eightBitMime && hasEightBit(run.data)) params.push('BODY=8BITMIME');
    // RFC 6531 §3.4: non-ASCII addresses need SMTPUTF8; without it the server will refuse them.
    if (caps?.smtpUtf8 && [req.from, ...req.to].some((a) => /[^\x00-\x7f]/.test(a))) params.push('SMTPUTF8');
    const m = await exchange(run, 'mail', `MAIL FROM:<${req.from}>${params.length ? ` ${params.join(' ')}` : ''}`);
    if (!m.ok) return 'done';
    if (m.reply.code !== 250) return refused(run, 'mail', m.reply);
    return quitAfter(run, 'mail', 'rcpt');
  },

  async rcpt(run) {
    const { req, r } = run;
    for (const address of req.to) {
      const c = await exchange(run, 'rcpt', `RCPT TO:<${address}>`, { address });
      if (!c.ok) return 'done';
      if (c.reply.code === 250 || c.reply.code === 251) r.acceptedRecipients.push(address);
      else {
        r.rejectedRecipients.push({ address, reply: wholeReply(c.reply) });
        if (c.reply.code === 421) return refused(run, 'rcpt', c.reply);
      }
    }
    if (!r.acceptedRecipients.length) {
      fail(run, { step: 'rcpt', kind: 'no-recipients', error: 'the server accepted none of the recipients' });
      return 'quit';
    }
    return quitAfter(run, 'rcpt', 'data');
  },

  async data(run) {
    const d = await exchange(run, 'data', 'DATA');
    if (!d.ok) return 'done';
    return d.reply.code === 354 ? 'body' : refused(run, 'data', d.reply);
  },

  async body(run) {
    const s = run.session!;
    const t0 = performance.now();
    const headers = headerBlock(run.data).split(/\r\n/);
    for (const h of headers.slice(0, SHOWN_HEADER_LINES)) run.transcript.sent(h);
    run.transcript.event(`${headers.length > SHOWN_HEADER_LINES ? `${headers.length - SHOWN_HEADER_LINES} more header lines, ` : ''}the body: ${run.r.size} bytes in all, dot-stuffed (RFC 5321 §4.5.2)`);
    const w = await writeData(s.socket, dotStuff(run.data), run.timeoutMs);
    if (w.ok) run.transcript.sent('.');
    // A server that ends the transaction early (552 mid-DATA, then closes) has said why: read it.
    const res = await s.readReply(w.ok ? run.timeoutMs : Math.min(run.timeoutMs, 2000));
    const ms = Math.round(performance.now() - t0);
    if (!res.ok) {
      run.r.steps.push({ step: 'body', ms });
      const why = w.ok ? res : w;
      fail(run, { step: 'body', kind: why.kind === 'timeout' ? 'timeout' : why.kind === 'protocol' ? 'protocol' : 'closed', error: why.error });
      return 'done';
    }
    run.r.steps.push({ step: 'body', ms, reply: firstLine(res.reply) });
    const text = res.reply.lines.join(' ');
    const enhanced = enhancedCode(text);
    run.r.finalReply = { code: res.reply.code, ...(enhanced ? { enhanced } : {}), text };
    if (res.reply.code !== 250) return refused(run, 'body', res.reply);
    if (!w.ok) {
      fail(run, { step: 'body', kind: w.kind, error: `${w.error}; then the server said ${firstLine(res.reply)}` });
      return 'done';
    }
    run.r.accepted = true;
    const q = parseQueueId(text);
    if (q) {
      run.r.queueId = q.queueId;
      run.transcript.event(`accepted: queue id ${q.queueId} (${q.software} form)`);
    }
    return 'quit';
  },
};
