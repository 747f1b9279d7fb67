// Field extractors for the long Postfix lines: deliveries ("to=<…>, relay=…, status=…"),
// rejections ("reject: RCPT from host[ip]: 554 5.7.1 …; from=<…> to=<…>") and TLS.
// Linear scans with indexOf: the text is untrusted and some lines are kilobytes long.
import type { DeliveryStatus, LogEvent, RejectKind } from './types.js';

/** The value of `name=` up to the next ", " (or end), '' when absent. */
export function field(s: string, name: string, from = 0): string {
  const i = s.indexOf(name, from);
  if (i < 0) return '';
  const start = i + name.length;
  const end = s.indexOf(', ', start);
  return s.slice(start, end < 0 ? s.length : end);
}

/** "<addr>" after `name` → addr ('' for <>), undefined when the field is missing. */
export function angle(s: string, name: string, from = 0): string | undefined {
  const i = s.indexOf(name, from);
  if (i < 0) return undefined;
  const end = s.indexOf('>', i + name.length);
  return end < 0 ? s.slice(i + name.length) : s.slice(i + name.length, end);
}

/** "host[ip]" or "host[ip]:port" → [host, ip]. */
export function hostIp(s: string): [string, string] {
  const lb = s.indexOf('[');
  if (lb < 0) return [s, ''];
  const rb = s.indexOf(']', lb);
  return [s.slice(0, lb), s.slice(lb + 1, rb < 0 ? s.length : rb)];
}

/** `qid: to=<…>, [orig_to=<…>,] relay=…, delay=…, delays=…, dsn=…, status=… (reply)` */
export function delivery(qid: string, rest: string): LogEvent | null {
  const to = angle(rest, 'to=<');
  const st = rest.indexOf(', status=');
  if (to === undefined || st < 0) return null;
  const sp = rest.indexOf(' ', st + 9);
  let status = rest.slice(st + 9, sp < 0 ? rest.length : sp);
  let reply = '';
  if (sp > 0) {
    reply = rest.slice(sp + 1);
    if (reply.charCodeAt(0) === 40 && reply.charCodeAt(reply.length - 1) === 41) reply = reply.slice(1, -1);
  }
  if (status === 'sent' && reply.includes('forwarded as ')) status = 'forwarded';
  else if (status === 'deliverable') status = 'sent';
  else if (status === 'undeliverable') status = 'bounced';
  if (status !== 'sent' && status !== 'deferred' && status !== 'bounced' && status !== 'expired' && status !== 'forwarded') return null;
  const head = rest.slice(0, st);
  return {
    k: 'delivery', qid, to, origTo: angle(head, 'orig_to=<') ?? '', relay: field(head, 'relay='),
    delay: Number(field(head, ', delay=')) || 0, delays: field(head, 'delays='), dsn: field(head, 'dsn='),
    status: status as DeliveryStatus, reply, mta: 'postfix',
  };
}

const REJECT_KINDS = new Set(['reject', 'reject_warning', 'hold', 'discard', 'milter-reject']);

/** "3-digit code" and "x.y.z" at the start of a reply text. */
export function codes(text: string): [string, string, string] {
  const m = /^([2-5]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3}) )?/.exec(text);
  if (!m) {
    const e = /^([245]\.\d{1,3}\.\d{1,3}) /.exec(text);
    return e ? ['', e[1]!, text.slice(e[0].length)] : ['', '', text];
  }
  return [m[1]!, m[2] ?? '', text.slice(m[0].length)];
}

/**
 * smtpd/postscreen: `reject: RCPT from host[ip]:port: 554 5.7.1 <x>: reason; from=<a> to=<b> proto=… helo=<…>`;
 * cleanup: `reject: header Subject: … from host[ip]; from=<a> to=<b> proto=… helo=<…>: 5.7.1 reason`.
 */
export function reject(qid: string, kindWord: string, rest: string, cleanup: boolean): LogEvent | null {
  if (!REJECT_KINDS.has(kindWord)) return null;
  const kind = kindWord as RejectKind;
  const sp = rest.indexOf(' ');
  const stage = sp < 0 ? rest : rest.slice(0, sp);
  let semi = rest.indexOf('; from=<');
  if (semi < 0) semi = rest.indexOf('; proto=');
  const tail = semi < 0 ? '' : rest.slice(semi);
  const from = angle(tail, 'from=<') ?? '';
  const to = angle(tail, ' to=<') ?? '';
  let client = '';
  let ip = '';
  let text: string;
  if (cleanup) {
    const fi = rest.lastIndexOf(' from ', semi < 0 ? rest.length : semi);
    if (fi >= 0) [client, ip] = hostIp(rest.slice(fi + 6, semi < 0 ? rest.length : semi));
    const helo = tail.indexOf('>: ', tail.indexOf('helo=<'));
    text = helo >= 0 ? tail.slice(helo + 3) : rest.slice(sp + 1, fi < 0 ? rest.length : fi);
  } else {
    const fi = rest.indexOf(' from ');
    const colon = fi < 0 ? -1 : rest.indexOf(': ', fi);
    if (fi < 0 || colon < 0) return null;
    [client, ip] = hostIp(rest.slice(fi + 6, colon));
    text = rest.slice(colon + 2, semi < 0 ? rest.length : semi);
  }
  const [code, enhanced, reason] = codes(text);
  return { k: 'reject', qid, kind, stage, client, ip, code, enhanced, reason, from, to };
}

/** "Trusted TLS connection established from|to peer: TLSv1.3 with cipher X (256/256 bits)…" */
export function tls(msg: string): LogEvent | null {
  const est = msg.indexOf(' TLS connection established ');
  if (est < 0) return null;
  const trust = msg.slice(0, est).toLowerCase();
  const dirWord = msg.slice(est + 28, est + 33);
  const dir = dirWord.startsWith('to') ? 'out' : 'in';
  const at = msg.indexOf(': ', est + 28);
  if (at < 0) return null;
  const peer = msg.slice(est + 28 + (dir === 'out' ? 3 : 5), at);
  const sp = msg.indexOf(' ', at + 2);
  const protocol = msg.slice(at + 2, sp < 0 ? msg.length : sp);
  const ci = msg.indexOf('with cipher ', at);
  const cipher = ci < 0 ? '' : msg.slice(ci + 12, msg.indexOf(' ', ci + 12) >>> 0);
  return { k: 'tls', dir, trust, protocol, cipher, peer };
}
