// A deterministic synthetic Postfix log with known counts (for tests and the benchmark):
// inbound and submitted messages, deliveries, deferrals then successes, bounces, rejects,
// SASL failures and noise, interleaved the way a busy server interleaves them.

export interface GenCounts {
  lines: number; received: number; delivered: number; deferred: number; deferrals: number; bounced: number;
  rejected: number; bytesReceived: number; bytesDelivered: number; saslFailures: number;
}

export interface GenOptions {
  messages: number;
  format?: 'rfc3339' | 'rfc3164';
  seed?: number;
  /** Start, wall-clock ms (UTC fields are written as local time). */
  start?: number;
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function* generatePostfixLog(o: GenOptions, counts: GenCounts): Generator<string> {
  let seed = o.seed ?? 42;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 0x100000000; };
  let t = o.start ?? Date.UTC(2025, 3, 9, 0, 0, 0);
  // The stamp changes once per message, not per line: cached (the benchmark writes ~1 GB with this).
  let stampT = NaN;
  let stampS = '';
  const stamp = () => {
    if (t === stampT) return stampS;
    stampT = t;
    stampS = format(t);
    return stampS;
  };
  const format = (ms: number) => {
    const d = new Date(ms);
    const hms = d.toISOString().slice(11, 19);
    return o.format === 'rfc3164'
      ? `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} mx`
      : `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}123+00:00 mx`;
  };
  const emit = (s: string) => { counts.lines++; return `${stamp()} ${s}`; };
  let qn = 0x10000;
  for (let i = 0; i < o.messages; i++) {
    t += Math.floor(rnd() * 20_000);
    const pid = 1000 + Math.floor(rnd() * 9000);
    const r = rnd();
    if (r < 0.08) {
      counts.rejected++;
      yield emit(`postfix/smtpd[${pid}]: NOQUEUE: reject: RCPT from unknown[192.0.2.${i % 250}]: 554 5.7.1 <u${i}@example.com>: Relay access denied; from=<s${i}@spam.example> to=<u${i}@example.com> proto=ESMTP helo=<x${i}>`);
      continue;
    }
    if (r < 0.10) {
      counts.saslFailures++;
      yield emit(`postfix/submission/smtpd[${pid}]: warning: unknown[198.51.100.${i % 7}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=user${i % 13}`);
      continue;
    }
    const qid = (qn++).toString(16).toUpperCase().padStart(10, 'A');
    const size = 500 + Math.floor(rnd() * 50_000);
    const client = `mail${i % 97}.sender${i % 31}.example[203.0.113.${i % 250}]`;
    const rcpt = `user${i % 500}@dest${i % 40}.example`;
    yield emit(`postfix/smtpd[${pid}]: connect from ${client}`);
    yield emit(`postfix/smtpd[${pid}]: ${qid}: client=${client}`);
    yield emit(`postfix/cleanup[${pid + 1}]: ${qid}: message-id=<${i}.${qid}@sender${i % 31}.example>`);
    yield emit(`postfix/qmgr[99]: ${qid}: from=<news${i % 300}@sender${i % 31}.example>, size=${size}, nrcpt=1 (queue active)`);
    yield emit(`postfix/smtpd[${pid}]: disconnect from ${client} ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`);
    counts.received++;
    counts.bytesReceived += size;
    const fate = rnd();
    if (fate < 0.1) {
      counts.deferred++;
      const tries = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < tries; k++) {
        counts.deferrals++;
        yield emit(`postfix/smtp[${pid + 2}]: ${qid}: to=<${rcpt}>, relay=none, delay=${30 + k * 300}, delays=0.01/0/30/0, dsn=4.4.1, status=deferred (connect to mx.dest${i % 40}.example[198.51.100.${i % 200}]:25: Connection timed out)`);
        if (k < tries - 1) yield emit(`postfix/qmgr[99]: ${qid}: from=<news${i % 300}@sender${i % 31}.example>, size=${size}, nrcpt=1 (queue active)`);
      }
    }
    if (fate > 0.95) {
      counts.bounced++;
      yield emit(`postfix/smtp[${pid + 2}]: ${qid}: to=<${rcpt}>, relay=mx.dest${i % 40}.example[198.51.100.${i % 200}]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.dest${i % 40}.example[198.51.100.${i % 200}] said: 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))`);
    } else {
      counts.delivered++;
      counts.bytesDelivered += size;
      yield emit(`postfix/smtp[${pid + 2}]: Trusted TLS connection established to mx.dest${i % 40}.example[198.51.100.${i % 200}]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`);
      yield emit(`postfix/smtp[${pid + 2}]: ${qid}: to=<${rcpt}>, relay=mx.dest${i % 40}.example[198.51.100.${i % 200}]:25, delay=${(rnd() * 3).toFixed(2)}, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${qid}X)`);
    }
    yield emit(`postfix/qmgr[99]: ${qid}: removed`);
  }
}

export function newCounts(): GenCounts {
  return { lines: 0, received: 0, delivered: 0, deferred: 0, deferrals: 0, bounced: 0, rejected: 0, bytesReceived: 0, bytesDelivered: 0, saslFailures: 0 };
}
