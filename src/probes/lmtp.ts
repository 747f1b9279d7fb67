// LMTP (RFC 2033): SMTP's framing with LHLO instead of EHLO, spoken by a delivery agent
// (Dovecot, Cyrus) on a port the user names. Only greeting and LHLO: we never deliver.
import type { NetClient, NetFailure } from '../io/net.js';
import type { SmtpCapabilities } from '../parsers/smtp-ehlo.js';
import { parseEhlo } from '../parsers/smtp-ehlo.js';
import { SmtpSession } from './smtp/session.js';
import type { SmtpReply } from './smtp/types.js';
import { Transcript } from './transcript.js';
import type { TranscriptLine } from './transcript.js';

export interface LmtpFacts {
  host: string;
  address: string;
  port: number;
  connect?: { ok: true; ms: number } | NetFailure;
  greeting?: SmtpReply;
  lhlo?: SmtpReply;
  caps?: SmtpCapabilities;
  error?: { stage: 'greeting' | 'lhlo'; kind: string; error: string; partial?: string };
  transcript: TranscriptLine[];
  ms: number;
}

export interface LmtpProbeParams {
  host: string;
  address: string;
  port: number;
  timeoutMs: number;
  heloName: string;
}

export async function probeLmtp(net: NetClient, p: LmtpProbeParams): Promise<LmtpFacts> {
  const transcript = new Transcript();
  const t0 = performance.now();
  const facts: LmtpFacts = { host: p.host, address: p.address, port: p.port, transcript: transcript.lines, ms: 0 };
  transcript.event(`connect ${p.address}:${p.port}`);
  const c = await net.connect(p.address, p.port, p.timeoutMs);
  if (!c.ok) {
    transcript.event(`${c.kind}: ${c.error}`);
    facts.connect = c;
  } else {
    facts.connect = { ok: true, ms: c.ms };
    const s = new SmtpSession(c.socket, transcript);
    try {
      const g = await s.readReply(p.timeoutMs);
      if (!g.ok) facts.error = { stage: 'greeting', kind: g.kind, error: g.error, ...(g.partial ? { partial: g.partial } : {}) };
      else {
        facts.greeting = g.reply;
        if (g.reply.code === 220) {
          const r = await s.command(`LHLO ${p.heloName}`, p.timeoutMs);
          if (!r.ok) facts.error = { stage: 'lhlo', kind: r.kind, error: r.error, ...(r.partial ? { partial: r.partial } : {}) };
          else {
            facts.lhlo = r.reply;
            if (r.reply.code === 250) facts.caps = parseEhlo(r.reply.lines);
            await s.quit(p.timeoutMs);
          }
        }
      }
    } finally {
      s.close();
    }
  }
  facts.ms = Math.round(performance.now() - t0);
  return facts;
}
