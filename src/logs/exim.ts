// Exim's main log: "<id> <= sender … S=size", "=>"/"->" deliveries, "**" bounces, "=="
// deferrals, "Completed", and rejections. Ids in both shapes: 16 chars before 4.97
// (1jmKso-0009d4-Uf) and 23 chars after (1rxXXX-00000000Ajj-3Yfg, exim_id_update(8)).
import { codes } from './postfix-fields.js';
import type { LogEvent } from './types.js';

const OTHER: LogEvent = { k: 'other' };

/** Length of the Exim message id at the start of s, 0 when there is none. */
export function eximIdLength(s: string): number {
  if (s.charCodeAt(6) !== 45) return 0;
  const n = s.charCodeAt(13) === 45 && s.charCodeAt(16) === 32 ? 16 : s.charCodeAt(18) === 45 && s.charCodeAt(23) === 32 ? 23 : 0;
  if (!n) return 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 45 ? !(i === 6 || i === n - (n === 16 ? 3 : 5)) : !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return 0;
  }
  return n;
}

/** The value after " K=" up to the next space (quoted values kept whole). */
function opt(s: string, key: string): string {
  const i = s.indexOf(` ${key}=`);
  if (i < 0) return '';
  const start = i + key.length + 2;
  if (s.charCodeAt(start) === 34) { const q = s.indexOf('"', start + 1); return s.slice(start + 1, q < 0 ? s.length : q); }
  const end = s.indexOf(' ', start);
  return s.slice(start, end < 0 ? s.length : end);
}

function hostBracket(s: string): [string, string] {
  // H=name (helo) [ip]:port, H=(helo) [ip], H=[ip]
  const m = /\bH=(\S*)(?: \([^)]*\))? \[([^\]]+)\]/.exec(s) ?? /\bH=\(?([^\s)]*)\)? \[([^\]]+)\]/.exec(s);
  return m ? [m[1]!.replace(/^\(|\)$/g, ''), m[2]!] : ['', ''];
}

export function parseExim(msg: string): LogEvent | null {
  const n = eximIdLength(msg);
  if (!n) return unqueued(msg);
  const qid = msg.slice(0, n);
  const rest = msg.slice(n + 1);
  const flag = rest.slice(0, 3);
  if (flag === '<= ') {
    const sp = rest.indexOf(' ', 3);
    const from = rest.slice(3, sp < 0 ? rest.length : sp);
    const [client, ip] = hostBracket(rest);
    return { k: 'arrival', qid, from: from === '<>' ? '' : from, size: Number(opt(rest, 'S')) || 0, client: client || opt(rest, 'U'), ip, messageId: opt(rest, 'id'), parent: opt(rest, 'R') };
  }
  if (flag === '=> ' || flag === '-> ' || flag === '*> ' || flag === '** ' || flag === '== ') {
    const body = rest.slice(3);
    const sp = body.search(/[ :]/);
    const to = body.slice(0, sp < 0 ? body.length : sp);
    const orig = /^\S+ <([^>]*)>/.exec(body)?.[1] ?? '';
    let reply = '';
    if (flag === '** ') reply = body.slice((body.indexOf(': ') + 1 || body.length) + 1);
    else if (flag === '== ') { const d = body.indexOf(' defer ('); reply = d < 0 ? body.slice(body.indexOf(': ') + 2) : body.slice(d + 1); }
    else reply = opt(rest, 'C');
    const status = flag === '** ' ? 'bounced' : flag === '== ' ? 'deferred' : 'sent';
    const host = hostBracket(rest);
    const relay = host[0] || host[1] ? `${host[0]}[${host[1]}]` : opt(rest, 'T');
    const [, enhanced] = codes(reply.replace(/^.*?: /, ''));
    return { k: 'delivery', qid, to, origTo: orig, relay, delay: Number(opt(rest, 'QT').replace(/s$/, '')) || 0, delays: '', dsn: enhanced, status, reply, mta: 'exim' };
  }
  if (rest === 'Completed' || rest.startsWith('Completed ')) return { k: 'removed', qid };
  if (rest.startsWith('SMTP error from remote mail server') || rest.startsWith('H=')) return { k: 'said', qid, text: rest };
  if (rest.startsWith('Message is frozen') || rest.startsWith('Frozen')) return { k: 'problem', level: 'warning', text: rest };
  if (rest.includes(' rejected ')) return rejected(qid, rest);
  return OTHER;
}

function rejected(qid: string, s: string): LogEvent {
  // "H=(helo) [ip] F=<from> rejected RCPT <to>: reason"
  const [client, ip] = hostBracket(s);
  const m = /rejected (\S+)(?: <([^>]*)>)?(?:: (.*))?$/.exec(s);
  const stage = m?.[1] ?? '';
  const [code, enhanced, reason] = codes(m?.[3] ?? s);
  const from = /\bF=<([^>]*)>/.exec(s)?.[1] ?? '';
  return { k: 'reject', qid, kind: 'reject', stage, client, ip, code, enhanced, reason, from, to: stage === 'RCPT' ? m?.[2] ?? '' : '' };
}

function unqueued(msg: string): LogEvent | null {
  if (msg.includes(' rejected ')) return rejected('', msg);
  if (msg.startsWith('SMTP connection from ')) return { k: 'connect', ip: /\[([^\]]+)\]/.exec(msg)?.[1] ?? '' };
  if (msg.includes('authenticator failed')) {
    const [client, ip] = hostBracket(msg);
    return { k: 'sasl-fail', ip, client, method: /\b(\w+) authenticator failed/.exec(msg)?.[1] ?? '', user: /set_id=([^)\s]+)/.exec(msg)?.[1] ?? '', service: 'smtp' };
  }
  if (msg.startsWith('TLS error')) return { k: 'problem', level: 'warning', text: msg };
  if (/^(Start|End) queue run|^exim [\d.]+ daemon started|^no host name found|^SMTP (command timeout|protocol|syntax|data timeout)|^unexpected disconnection|^Connection from|^daemon_smtp_port|^cwd=|^\d+ messages? in queue|^SMTP call from/.test(msg)) return OTHER;
  if (msg.startsWith('panic') || msg.includes('PANIC')) return { k: 'problem', level: 'panic', text: msg };
  return null;
}
