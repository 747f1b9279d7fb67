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

/** field() within s[from, to): the name must lie wholly inside, and the value ends at `to` at the latest. */
function fieldIn(s: string, name: string, from: number, to: number): string {
  const i = s.indexOf(name, from);
  if (i < 0 || i + name.length > to) return '';
  const start = i + name.length;
  const end = s.indexOf(', ', start);
  return s.slice(start, end < 0 || end > to ? to : end);
}

/** angle() within s[from, to). */
function angleIn(s: string, name: string, from: number, to: number): string | undefined {
  const i = s.indexOf(name, from);
  if (i < 0 || i + name.length > to) return undefined;
  const end = s.indexOf('>', i + name.length);
  return s.slice(i + name.length, end < 0 || end > to ? to : end);
}

/** `qid: to=<…>, [orig_to=<…>,] relay=…, delay=…, delays=…, dsn=…, status=… (reply)`, read from s at r. */
export function delivery(qid: string, s: string, r = 0, lite = false): LogEvent | null {
  const to = angle(s, 'to=<', r);
  const st = s.indexOf(', status=', r);
  if (to === undefined || st < 0) return null;
  const sp = s.indexOf(' ', st + 9);
  let status = s.slice(st + 9, sp < 0 ? s.length : sp);
  let reply = '';
  if (sp > 0) {
    const a = sp + 1;
    const b = s.length;
    reply = b - a >= 2 && s.charCodeAt(a) === 40 && s.charCodeAt(b - 1) === 41 ? s.slice(a + 1, b - 1) : s.slice(a);
  }
  if (status === 'sent' && reply.includes('forwarded as ')) status = 'forwarded';
  else if (status === 'deliverable') status = 'sent';
  else if (status === 'undeliverable') status = 'bounced';
  if (status !== 'sent' && status !== 'deferred' && status !== 'bounced' && status !== 'expired' && status !== 'forwarded') return null;
  // The fields before ", status=" (the reply text after it may quote anything); `lite`: only those the summary reads.
  return {
    k: 'delivery', qid, to, origTo: lite ? '' : angleIn(s, 'orig_to=<', r, st) ?? '', relay: lite ? '' : fieldIn(s, 'relay=', r, st),
    delay: Number(fieldIn(s, ', delay=', r, st)) || 0, delays: lite ? '' : fieldIn(s, 'delays=', r, st), dsn: fieldIn(s, 'dsn=', r, st),
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

/** "Trusted TLS connection established from|to peer: TLSv1.3 with cipher X (256/256 bits)…", read from s at m. */
export function tls(s: string, m = 0): LogEvent | null {
  const est = s.indexOf(' TLS connection established ', m);
  if (est < 0) return null;
  const trust = lowerTrust(s, m, est);
  const dir = s.charCodeAt(est + 28) === 116 && s.charCodeAt(est + 29) === 111 ? 'out' : 'in'; // "to"
  const at = s.indexOf(': ', est + 28);
  if (at < 0) return null;
  const peer = s.slice(est + 28 + (dir === 'out' ? 3 : 5), at);
  const sp = s.indexOf(' ', at + 2);
  const protocol = s.slice(at + 2, sp < 0 ? s.length : sp);
  const ci = s.indexOf('with cipher ', at);
  const cipher = ci < 0 ? '' : s.slice(ci + 12, s.indexOf(' ', ci + 12) >>> 0);
  return { k: 'tls', dir, trust, protocol, cipher, peer };
}

// "Trusted", "Verified", "Untrusted", "Anonymous": the last one lower-cased is reused.
let lastTrustRaw = '';
let lastTrust = '';

function lowerTrust(s: string, from: number, to: number): string {
  if (to - from === lastTrustRaw.length && s.startsWith(lastTrustRaw, from)) return lastTrust;
  lastTrustRaw = s.slice(from, to);
  lastTrust = lastTrustRaw.toLowerCase();
  return lastTrust;
}
