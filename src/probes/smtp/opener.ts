// SMTP's way to the point where TLS starts (RFC 3207): greeting, EHLO, STARTTLS, 220.
// The TLS probe (src/probes/tls-*.ts) takes it from there, one handshake per connection.
import type { TlsOpener } from '../tls-opener.js';
import { Transcript } from '../transcript.js';
import { SmtpSession } from './session.js';

export const smtpStartTlsOpener: TlsOpener = async (net, p) => {
  const c = await net.connect(p.host, p.port, p.timeoutMs);
  if (!c.ok) return { ok: false, stage: 'connect', error: c.error, failure: c };
  const s = new SmtpSession(c.socket, new Transcript());
  const bail = (stage: 'greeting' | 'starttls' | 'protocol', error: string) => {
    s.close();
    return { ok: false as const, stage, error };
  };
  const g = await s.readReply(p.timeoutMs);
  if (!g.ok) return bail(g.kind === 'protocol' ? 'protocol' : 'greeting', g.error);
  if (g.reply.code !== 220) return bail('greeting', `greeting ${g.reply.code} ${g.reply.lines.join(' ')}`);
  const e = await s.command(`EHLO ${p.heloName}`, p.timeoutMs);
  if (!e.ok) return bail(e.kind === 'protocol' ? 'protocol' : 'starttls', `EHLO: ${e.error}`);
  if (e.reply.code !== 250) return bail('starttls', `EHLO answered ${e.reply.code} ${e.reply.lines.join(' ')}`);
  if (!e.reply.lines.slice(1).some((l) => /^STARTTLS\b/i.test(l.trim()))) return bail('starttls', 'STARTTLS is not offered in the EHLO reply');
  const t = await s.command('STARTTLS', p.timeoutMs);
  if (!t.ok) return bail(t.kind === 'protocol' ? 'protocol' : 'starttls', `STARTTLS: ${t.error}`);
  if (t.reply.code !== 220) return bail('starttls', `STARTTLS answered ${t.reply.code} ${t.reply.lines.join(' ')}`);
  // Bytes after the 220 would be taken for TLS records: discard them (RFC 3207 §4.2).
  await s.drainPending();
  return { ok: true, socket: s.release() };
};
