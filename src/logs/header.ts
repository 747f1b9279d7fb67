// One tolerant front-end for every line prefix: RFC 3164 (space- or zero-padded day,
// year inferred), RFC 3339 / journalctl short-iso, RFC 5424, journald JSON, and the
// files Exim and Dovecot write themselves. Cheap char checks pick the format; no regex.
import { DayCache, MONTHS, clockAt, type YearContext } from './timestamp.js';
import type { Header } from './types.js';
import { own as copy } from './tally.js';

export interface HeaderContext {
  days: DayCache;
  year: YearContext;
}

export function newHeader(): Header {
  return { ts: 0, host: '', program: '', daemon: '', syslogName: '', pid: '', msg: '', format: 'rfc3164' };
}

/** Fill h from line; false when the prefix is not one we know (the line is then "unparsed"). */
export function parseHeader(line: string, h: Header, ctx: HeaderContext): boolean {
  const c = line.charCodeAt(0);
  if (c >= 65 && c <= 90) return syslog(line, h, ctx);
  if (c >= 48 && c <= 57) {
    const sep = line.charCodeAt(10);
    if (sep === 84) return iso(line, 0, h, ctx, 'rfc3339'); // 'T'
    if (sep === 32) return own(line, h, ctx);
    return false;
  }
  if (c === 123) return journald(line, h); // '{'
  if (c === 60) return withPri(line, h, ctx); // '<'
  return false;
}

function syslog(line: string, h: Header, ctx: HeaderContext): boolean {
  const month = MONTHS[line.slice(0, 3)];
  if (month === undefined || line.charCodeAt(3) !== 32) return false;
  let i = 4;
  if (line.charCodeAt(i) === 32) i++;
  let day = line.charCodeAt(i) - 48;
  if (!(day >= 0 && day <= 9)) return false;
  const d2 = line.charCodeAt(i + 1) - 48;
  if (d2 >= 0 && d2 <= 9) { day = day * 10 + d2; i += 2; } else i += 1;
  if (line.charCodeAt(i) !== 32 || day < 1 || day > 31) return false;
  const secs = clockAt(line, i + 1);
  if (Number.isNaN(secs)) return false;
  h.ts = ctx.days.syslogDay(month, day, ctx.year) + secs;
  h.format = 'rfc3164';
  if (dovecotOwn(line, i + 10, h)) return true;
  return hostAndTag(line, i + 10, h);
}

const DOVECOT_LEVEL = /^(?:Info|Warning|Error|Fatal|Panic|Debug): /;

/**
 * Dovecot's own log_path with its default log_timestamp ("%b %d %H:%M:%S "): no host, the
 * first word is "service(user)<pid><session>:" and a level follows (Debian's dovecot.log).
 */
function dovecotOwn(line: string, p: number, h: Header): boolean {
  const sp = line.indexOf(' ', p);
  if (sp < 0 || line.charCodeAt(sp - 1) !== 58 || !DOVECOT_LEVEL.test(line.slice(sp + 1, sp + 10))) return false;
  h.format = 'dovecot';
  h.host = '';
  setProgram(h, 'dovecot', '');
  h.msg = line.slice(p);
  return true;
}

function iso(line: string, at: number, h: Header, ctx: HeaderContext, format: 'rfc3339' | 'rfc5424'): boolean {
  const day = ctx.days.isoDay(line, at);
  const secs = clockAt(line, at + 11);
  if (Number.isNaN(day) || Number.isNaN(secs)) return false;
  const sp = line.indexOf(' ', at + 19);
  if (sp < 0) return false;
  h.ts = day + secs;
  h.format = format;
  return hostAndTag(line, sp + 1, h);
}

/** "host tag[pid]: msg" from p on. */
function hostAndTag(line: string, p: number, h: Header): boolean {
  const sp = line.indexOf(' ', p);
  if (sp < 0) return false;
  // The host rarely changes from line to line: compare instead of allocating a slice.
  if (sp - p !== h.host.length || !line.startsWith(h.host, p)) h.host = line.slice(p, sp);
  return tag(line, sp + 1, h);
}

function tag(line: string, p: number, h: Header): boolean {
  const colon = line.indexOf(': ', p);
  const space = line.indexOf(' ', p);
  if (colon < 0 || (space >= 0 && space < colon) || colon - p > 80) {
    // No "tag:" (e.g. postlog's stdout echo): keep the line, but no program.
    setProgram(h, '', '');
    h.msg = line.slice(p);
    return true;
  }
  let end = colon;
  let pid = '';
  if (line.charCodeAt(colon - 1) === 93) { // "]"
    const lb = line.lastIndexOf('[', colon);
    if (lb > p) { pid = line.slice(lb + 1, colon - 1); end = lb; }
  }
  const known = recentProgram(line, p, end);
  if (known) { h.program = known.program; h.daemon = known.daemon; h.syslogName = known.syslogName; h.pid = pid; }
  else { setProgram(h, line.slice(p, end), pid); remember(h); }
  let m = colon + 2;
  // Solaris: "[ID 197553 mail.info] " after the tag (pflogsumm strips it too).
  if (line.startsWith('[ID ', m)) { const rb = line.indexOf('] ', m); if (rb > 0) m = rb + 2; }
  h.msg = line.slice(m);
  return true;
}

// The last few program tags (smtpd, cleanup, qmgr, smtp… interleave): a hit saves three
// slices per line (program, daemon, syslog name), which was ≈ 5% of the time on big logs.
interface ProgramNames { program: string; daemon: string; syslogName: string }
const recent: ProgramNames[] = [];
let recentNext = 0;

function recentProgram(line: string, p: number, end: number): ProgramNames | undefined {
  const len = end - p;
  for (let i = 0; i < recent.length; i++) {
    const r = recent[i]!;
    if (r.program.length === len && line.startsWith(r.program, p)) return r;
  }
  return undefined;
}

function remember(h: Header): void {
  // Private copies: cached names must not pin the 64 KiB chunk their line was sliced from.
  const r = { program: copy(h.program), daemon: copy(h.daemon), syslogName: copy(h.syslogName) };
  if (recent.length < 8) recent.push(r); else { recent[recentNext] = r; recentNext = (recentNext + 1) % 8; }
}

function setProgram(h: Header, program: string, pid: string): void {
  h.program = program;
  h.pid = pid;
  const last = program.lastIndexOf('/');
  h.daemon = last < 0 ? program : program.slice(last + 1);
  const first = program.indexOf('/');
  h.syslogName = first < 0 ? program : program.slice(0, first);
}

/** "2020-06-20 01:32:57[.123] [+0200] [[789]] rest": Exim's main log or Dovecot's log_path. */
function own(line: string, h: Header, ctx: HeaderContext): boolean {
  const day = ctx.days.isoDay(line, 0);
  const secs = clockAt(line, 11);
  if (Number.isNaN(day) || Number.isNaN(secs)) return false;
  let i = 19;
  if (line.charCodeAt(i) === 46) { i++; while (isDigit(line.charCodeAt(i))) i++; }
  if (line.charCodeAt(i) !== 32) return false;
  i++;
  const sign = line.charCodeAt(i);
  if ((sign === 43 || sign === 45) && isDigit(line.charCodeAt(i + 1)) && line.charCodeAt(i + 5) === 32) i += 6;
  let pid = '';
  if (line.charCodeAt(i) === 91) { // "[pid]"
    const rb = line.indexOf('] ', i);
    if (rb > 0 && rb - i < 12) { pid = line.slice(i + 1, rb); i = rb + 2; }
  }
  h.ts = day + secs;
  h.host = '';
  const rest = line.slice(i);
  const dovecot = /^[a-z][\w-]*(?:\([^)]*\))?(?:<[^>]*>)*: (?:Info|Warning|Error|Fatal|Panic|Debug): /.test(rest.slice(0, 200));
  h.format = dovecot ? 'dovecot' : 'exim';
  setProgram(h, dovecot ? 'dovecot' : 'exim', pid);
  h.msg = rest;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Local offset for journald's UTC microseconds; cached by hour (DST changes on the hour).
let tzHour = NaN;
let tzOffset = 0;

function journald(line: string, h: Header): boolean {
  let o: Record<string, unknown>;
  try { o = JSON.parse(line) as Record<string, unknown>; } catch { return false; }
  if (!o || typeof o !== 'object') return false;
  const us = Number(o.__REALTIME_TIMESTAMP);
  let msg = o.MESSAGE;
  // journald stores non-UTF-8 messages as byte arrays.
  if (Array.isArray(msg)) msg = Buffer.from(msg.filter((b) => typeof b === 'number') as number[]).toString('utf8');
  if (!Number.isFinite(us) || typeof msg !== 'string') return false;
  const utc = Math.floor(us / 1e6);
  const hour = Math.floor(utc / 3600);
  if (hour !== tzHour) { tzHour = hour; tzOffset = new Date(utc * 1000).getTimezoneOffset() * 60; }
  h.ts = utc - tzOffset;
  h.host = typeof o._HOSTNAME === 'string' ? o._HOSTNAME : '';
  const ident = typeof o.SYSLOG_IDENTIFIER === 'string' ? o.SYSLOG_IDENTIFIER : typeof o._COMM === 'string' ? o._COMM : '';
  const pid = o.SYSLOG_PID ?? o._PID;
  setProgram(h, ident, typeof pid === 'string' || typeof pid === 'number' ? String(pid) : '');
  h.msg = msg;
  h.format = 'journald-json';
  return true;
}

/** "<22>1 2025-… host app procid msgid [sd] msg" (RFC 5424 §6) or "<22>Apr  7 …" (RFC 3164 on the wire). */
function withPri(line: string, h: Header, ctx: HeaderContext): boolean {
  const gt = line.indexOf('>');
  if (gt < 2 || gt > 4) return false;
  if (line.charCodeAt(gt + 1) !== 49 || line.charCodeAt(gt + 2) !== 32) return syslog(line.slice(gt + 1), h, ctx);
  const at = gt + 3;
  const parts = line.slice(at).split(' ', 6);
  if (parts.length < 6 || !iso(line, at, h, ctx, 'rfc5424')) return false;
  const [, host, app, procid, , sd] = parts as [string, string, string, string, string, string];
  h.host = host === '-' ? '' : host;
  setProgram(h, app === '-' ? '' : app, procid === '-' ? '' : procid);
  let off = at + parts.slice(0, 5).join(' ').length + 1;
  if (sd === '-') off += 2;
  else { const end = line.indexOf('] ', off); off = end < 0 ? line.length : end + 2; }
  h.msg = line.slice(off).replace(/^\uFEFF/, '');
  return true;
}
