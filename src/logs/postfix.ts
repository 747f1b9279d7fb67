// Postfix, every daemon: one message text → one event. Checks are ordered by how often
// the line occurs in a busy log, and each starts with a cheap prefix test before any
// regex. Unknown lines return null (counted and sampled by the caller), never throw.
import { angle, delivery, field, hostIp, reject, tls } from './postfix-fields.js';
import type { LogEvent } from './types.js';

const OTHER: LogEvent = { k: 'other' };

/** Short hex ids (classic) or long ids (enable_long_queue_ids: base-52 time + 'z' + inode). */
export function isQueueId(s: string): boolean {
  const n = s.length;
  if (n < 5 || n > 20) return false;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c >= 65 && c <= 90) { upper = true; continue; }
    if (c >= 97 && c <= 122 && n >= 12) continue;
    return false;
  }
  return upper || n >= 6;
}

export function parsePostfix(daemon: string, msg: string): LogEvent | null {
  const colon = msg.indexOf(': ');
  if (colon > 0) {
    const head = msg.slice(0, colon);
    if (isQueueId(head)) return queued(daemon, head, msg.slice(colon + 2));
    if (head === 'NOQUEUE') {
      const rest = msg.slice(colon + 2);
      const c2 = rest.indexOf(': ');
      return c2 > 0 ? reject('', rest.slice(0, c2), rest.slice(c2 + 2), false) : null;
    }
    if (head === 'warning' || head === 'error' || head === 'fatal' || head === 'panic') return problem(head, msg.slice(colon + 2));
  }
  return unqueued(daemon, msg);
}

function queued(daemon: string, qid: string, rest: string): LogEvent | null {
  const c = rest.charCodeAt(0);
  if (c === 116 && rest.startsWith('to=<')) return delivery(qid, rest); // t
  if (c === 102 && rest.startsWith('from=<')) { // f
    const from = angle(rest, 'from=<') ?? '';
    if (rest.includes(', status=expired') || rest.includes(', status=force-expired')) return { k: 'expired', qid, from };
    const size = field(rest, ', size=');
    if (!size) return OTHER;
    return { k: 'queued', qid, from, size: Number(size) || 0, nrcpt: parseInt(field(rest, ', nrcpt='), 10) || 0 };
  }
  if (c === 99 && rest.startsWith('client=')) { // c
    const end = rest.indexOf(', ');
    const [client, ip] = hostIp(rest.slice(7, end < 0 ? rest.length : end));
    const sasl = end < 0 ? undefined : field(rest, 'sasl_username=') || undefined;
    return { k: 'received', qid, client, ip, sasl };
  }
  if (c === 109 && rest.startsWith('message-id=')) { // m
    let id = rest.slice(11);
    const sp = id.indexOf(' ');
    if (sp > 0) id = id.slice(0, sp);
    return { k: 'msgid', qid, messageId: id };
  }
  if (rest === 'removed') return { k: 'removed', qid };
  if (c === 117 && rest.startsWith('uid=') || c === 115 && rest.startsWith('sender=')) {
    return { k: 'pickup', qid, sender: angle(rest, 'from=<') ?? '' };
  }
  if (rest.includes(' notification: ')) {
    const m = /(?:sender|postmaster) (?:non-)?delivery (?:status )?notification: (\S+)/.exec(rest);
    if (m) return { k: 'notice', qid, bounceQid: m[1]! };
  }
  const sp = rest.indexOf(': ');
  if (sp > 0 && sp < 20) {
    const word = rest.slice(0, sp);
    // cleanup's "warning: header …" is a header_checks WARN action: a reject warning to pflogsumm too.
    const kind = word === 'warning' && daemon === 'cleanup' ? 'reject_warning' : word;
    const r = reject(qid, kind, rest.slice(sp + 2), daemon === 'cleanup');
    if (r) return r;
  }
  if (rest.startsWith('host ') || rest.startsWith('lost connection') || rest.startsWith('conversation with')
    || rest.startsWith('connect to ') || rest.startsWith('enabling PIX') || rest.startsWith('Protocol error')) {
    return { k: 'said', qid, text: rest };
  }
  if (rest.startsWith('resent-message-id=') || rest.startsWith('info: ') || rest.startsWith('replace: ')
    || rest.startsWith('redirect: ') || rest.startsWith('filter: ') || rest.startsWith('prepend: ')
    || rest.startsWith('skipped, still being delivered') || rest.startsWith('sender notify')) return OTHER;
  return null;
}

function problem(level: 'warning' | 'error' | 'fatal' | 'panic', text: string): LogEvent {
  if (level === 'warning') {
    if (text.includes('SASL ') && text.includes(' authentication failed')) {
      const colon = text.indexOf(': ');
      const [client, ip] = hostIp(text.slice(0, colon < 0 ? 0 : colon));
      const m = /SASL (\S+) authentication failed/.exec(text);
      const user = field(text, 'sasl_username=');
      return { k: 'sasl-fail', ip, client, method: m?.[1] ?? '', user, service: 'smtp' };
    }
  }
  return { k: 'problem', level, text };
}

const POSTSCREEN = /^(PASS NEW|PASS OLD|PREGREET|HANGUP|DNSBL rank (\d+)|DENYLISTED|BLACKLISTED|ALLOWLISTED|WHITELISTED|ALLOWLIST VETO|WHITELIST VETO|COMMAND PIPELINING|COMMAND COUNT LIMIT|COMMAND TIME LIMIT|COMMAND LENGTH LIMIT|BARE NEWLINE|NON-SMTP COMMAND|DISCONNECT|CONNECT from|BDAT without valid RCPT|NOQUEUE)\b/;

function unqueued(daemon: string, msg: string): LogEvent | null {
  const c = msg.charCodeAt(0);
  if (c === 99 && msg.startsWith('connect from ')) return { k: 'connect', ip: hostIp(msg.slice(13))[1] };
  if (c === 100 && msg.startsWith('disconnect from ')) return { k: 'disconnect', ip: hostIp(msg.slice(16))[1] };
  if (msg.startsWith('lost connection after ') || msg.startsWith('timeout after ')) {
    const m = /after (\S+) (?:\([^)]*\) )?from (\S+)/.exec(msg);
    return { k: 'lost', stage: m?.[1] ?? '', ip: m ? hostIp(m[2]!)[1] : '' };
  }
  if (msg.includes(' TLS connection established ')) return tls(msg) ?? OTHER;
  if (daemon === 'postscreen') {
    const m = POSTSCREEN.exec(msg);
    if (!m) return null;
    const action = m[2] ? 'DNSBL' : m[1]!.replace('BLACKLISTED', 'DENYLISTED').replace('WHITELIST', 'ALLOWLIST').replace('WHITELISTED', 'ALLOWLISTED');
    const ipm = /\[([^\]]+)\]/.exec(msg);
    return { k: 'postscreen', action, ip: ipm?.[1] ?? '', rank: m[2] ? Number(m[2]) : undefined };
  }
  if (c === 99 && msg.startsWith('connect to ')) {
    // smtp: "connect to host[ip]:25: Connection timed out" (outbound failures, no queue id).
    const end = msg.indexOf(': ', 11);
    return { k: 'conn-fail', qid: '', host: msg.slice(11, end < 0 ? msg.length : end), text: end < 0 ? '' : msg.slice(end + 2) };
  }
  if (msg.startsWith('reject: ')) return reject('', 'reject', msg.slice(8), false);
  if (KNOWN.some((p) => msg.startsWith(p))) return OTHER;
  if (daemon === 'master' || daemon === 'anvil' || daemon === 'scache' || daemon === 'postfix-script' || daemon === 'postlog') return OTHER;
  return null;
}

/** Lines that are understood and carry nothing the summary needs. */
const KNOWN = [
  'improper command pipelining', 'too many errors after', 'SSL_accept error', 'SSL_connect error', 'table ',
  'setting up TLS connection', 'Untrusted TLS', 'Anonymous TLS', 'Trusted TLS', 'Verified TLS', 'statistics: ',
  'daemon started', 'reload', 'terminating on signal', 'starting the Postfix', 'refreshing the Postfix', 'stopping the Postfix',
  'NOQUEUE: ', 'message repeated', 'mapping DSN status', 'address not listed for hostname', 'dict_',
  'non-SMTP command from', 'lost connection', 'Host offered STARTTLS', 'server certificate verification',
  'certificate verification failed', 'passing ', 'Trusted ', 'Verified ', 'using ', 'TLS SNI', 'connection established',
];
