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
  return parsePostfixAt(daemon, msg, 0);
}

/**
 * The message is s from m to its end (the line, read in place: no slice per line). Its
 * first ": " decides: "QUEUEID: ", "NOQUEUE: ", "warning: "…; anything else is unqueued.
 * `lite` (the summary alone reads the events): fields it never reads are left empty, the
 * client address of connect/disconnect and a delivery's orig_to, relay and delays.
 */
export function parsePostfixAt(daemon: string, s: string, m: number, lite = false): LogEvent | null {
  const colon = s.indexOf(': ', m);
  const len = colon - m;
  if (len > 0 && len <= 20) {
    // A short head is sliced (a fresh flat string: checking its characters is cheap).
    const head = s.slice(m, colon);
    // Before isQueueId: "NOQUEUE" has the shape of a short queue id (capitals) but is no message.
    if (head === 'NOQUEUE') {
      const rest = s.slice(colon + 2);
      const c2 = rest.indexOf(': ');
      return c2 > 0 ? reject('', rest.slice(0, c2), rest.slice(c2 + 2), false) : null;
    }
    if (isQueueId(head)) return queued(daemon, head, s, colon + 2, lite);
    if (head === 'warning' || head === 'error' || head === 'fatal' || head === 'panic') return problem(head, s.slice(colon + 2));
  }
  return unqueued(daemon, s, m, lite);
}

const OTHER_PREFIXES = ['resent-message-id=', 'info: ', 'replace: ', 'redirect: ', 'filter: ', 'prepend: ', 'skipped, still being delivered', 'sender notify'];
const SAID_PREFIXES = ['host ', 'lost connection', 'conversation with', 'connect to ', 'enabling PIX', 'Protocol error'];

/** "qid: rest", rest = s from r to its end. */
function queued(daemon: string, qid: string, s: string, r: number, lite: boolean): LogEvent | null {
  const c = s.charCodeAt(r);
  if (c === 116 && s.startsWith('to=<', r)) return delivery(qid, s, r, lite); // t
  if (c === 102 && s.startsWith('from=<', r)) { // f
    const from = angle(s, 'from=<', r) ?? '';
    const st = s.indexOf(', status=', r);
    if (st >= 0 && (s.indexOf(', status=expired', r) >= 0 || s.indexOf(', status=force-expired', r) >= 0)) return { k: 'expired', qid, from };
    const size = field(s, ', size=', r);
    if (!size) return OTHER;
    return { k: 'queued', qid, from, size: Number(size) || 0, nrcpt: parseInt(field(s, ', nrcpt=', r), 10) || 0 };
  }
  if (c === 99 && s.startsWith('client=', r)) { // c
    const end = s.indexOf(', ', r);
    const [client, ip] = hostIp(s.slice(r + 7, end < 0 ? s.length : end));
    const sasl = end < 0 ? undefined : field(s, 'sasl_username=', r) || undefined;
    return { k: 'received', qid, client, ip, sasl };
  }
  if (c === 109 && s.startsWith('message-id=', r)) { // m
    const sp = s.indexOf(' ', r + 11);
    return { k: 'msgid', qid, messageId: s.slice(r + 11, sp > r + 11 ? sp : s.length) };
  }
  if (c === 114 && s.length - r === 7 && s.startsWith('removed', r)) return { k: 'removed', qid };
  if (c === 117 && s.startsWith('uid=', r) || c === 115 && s.startsWith('sender=', r)) {
    return { k: 'pickup', qid, sender: angle(s, 'from=<', r) ?? '' };
  }
  const rest = s.slice(r);
  if (rest.includes(' notification: ')) {
    const m = /(?:sender|postmaster) (?:non-)?delivery (?:status )?notification: (\S+)/.exec(rest);
    if (m) return { k: 'notice', qid, bounceQid: m[1]! };
  }
  const sp = rest.indexOf(': ');
  if (sp > 0 && sp < 20) {
    const word = rest.slice(0, sp);
    // cleanup's "warning: header …" is a header_checks WARN action: a reject warning to pflogsumm too.
    const kind = word === 'warning' && daemon === 'cleanup' ? 'reject_warning' : word;
    const rj = reject(qid, kind, rest.slice(sp + 2), daemon === 'cleanup');
    if (rj) return rj;
  }
  if (SAID_PREFIXES.some((x) => rest.startsWith(x))) return { k: 'said', qid, text: rest };
  if (OTHER_PREFIXES.some((x) => rest.startsWith(x))) return OTHER;
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

/** "[ip]" after `from` in s: the address between the brackets, '' when there is none. */
function bracketIp(s: string, from: number): string {
  const lb = s.indexOf('[', from);
  if (lb < 0) return '';
  const rb = s.indexOf(']', lb);
  return s.slice(lb + 1, rb < 0 ? s.length : rb);
}

function unqueued(daemon: string, s: string, m: number, lite: boolean): LogEvent | null {
  const c = s.charCodeAt(m);
  if (c === 99 && s.startsWith('connect from ', m)) return { k: 'connect', ip: lite ? '' : bracketIp(s, m + 13) };
  if (c === 100 && s.startsWith('disconnect from ', m)) return { k: 'disconnect', ip: lite ? '' : bracketIp(s, m + 16) };
  if (s.startsWith('lost connection after ', m) || s.startsWith('timeout after ', m)) {
    const x = /after (\S+) (?:\([^)]*\) )?from (\S+)/.exec(m ? s.slice(m) : s);
    return { k: 'lost', stage: x?.[1] ?? '', ip: x ? hostIp(x[2]!)[1] : '' };
  }
  if (s.indexOf(' TLS connection established ', m) >= 0) return tls(s, m) ?? OTHER;
  // postscreen's DNSBL helper: "addr 192.0.2.1 listed by domain zen.spamhaus.org as 127.0.0.2" (postscreen logs the verdict).
  if (daemon === 'dnsblog' && s.startsWith('addr ', m) && s.indexOf(' listed by domain ', m) > 0) return OTHER;
  const msg = m ? s.slice(m) : s;
  if (daemon === 'postscreen') {
    const x = POSTSCREEN.exec(msg);
    if (!x) return null;
    const action = x[2] ? 'DNSBL' : x[1]!.replace('BLACKLISTED', 'DENYLISTED').replace('WHITELIST', 'ALLOWLIST').replace('WHITELISTED', 'ALLOWLISTED');
    const ipm = /\[([^\]]+)\]/.exec(msg);
    return { k: 'postscreen', action, ip: ipm?.[1] ?? '', rank: x[2] ? Number(x[2]) : undefined };
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
