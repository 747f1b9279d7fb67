// The queue id in the final reply to DATA: the handle to find the message in the
// server's log (`mxdoctor logs --trace <id>`). Every MTA words it differently.

interface QueueIdPattern {
  software: string;
  re: RegExp;
}

// Most specific first; the generic forms at the end.
const PATTERNS: QueueIdPattern[] = [
  // Postfix: "250 2.0.0 Ok: queued as 4Xyz1234AbC"
  { software: 'postfix', re: /\bqueued as ([0-9A-Za-z]{6,})\b/ },
  // Exim: "250 OK id=1abcDE-000123-AB" (4.97+: "1rXyZa-00000004Qm-ABCD")
  { software: 'exim', re: /\bid=([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})\b/ },
  // Exchange / Microsoft 365: "250 2.6.0 <id@host> [InternalId=12345, Hostname=...] Queued mail for delivery"
  { software: 'exchange', re: /\[InternalId=(\d+)/ },
  // Sendmail: "250 2.0.0 x9ABCD123456 Message accepted for delivery"
  { software: 'sendmail', re: /^(?:2\.\d\.\d+ )?([0-9A-Za-z]{10,20}) Message accepted for delivery/ },
  // Gmail: "250 2.0.0 OK  1700000000 a1b2c3d4e5f-abc.123 - gsmtp"
  { software: 'gmail', re: /\bOK\s+\d+\s+(\S+) - gsmtp\b/ },
  // qmail: "250 ok 1700000000 qp 12345"
  { software: 'qmail', re: /\bok \d+ (qp \d+)\b/ },
  // Amazon SES: "250 Ok 0100018b2f3a-...-000000"
  { software: 'ses', re: /^Ok ([0-9a-f]{16}-[0-9a-f-]{20,})$/ },
  // Haraka: "250 Message Queued (3F2A...)"
  { software: 'haraka', re: /Message Queued \(([^)\s]+)\)/i },
  { software: 'generic', re: /\bqueued as <?([^\s>]+)>?/i },
  { software: 'generic', re: /\b(?:id|queue[ -]?id)[=:]\s*<?([^\s>,;]+)/i },
];

/** The queue id in a final reply's text (without its code), or undefined when none is recognised. */
export function parseQueueId(text: string): { queueId: string; software: string } | undefined {
  const t = text.trim();
  for (const p of PATTERNS) {
    const m = p.re.exec(t);
    if (m?.[1]) return { queueId: m[1], software: p.software };
  }
  return undefined;
}
