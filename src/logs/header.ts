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

/**
 * The header parseHeader() fills. `msg` and `pid` are sliced only when read: the Postfix
 * parser reads the message in place (`text` from `msgAt`), which saves two strings a line.
 */
export interface LineHeader extends Header {
  /** The string that holds the message: the line itself, or the decoded journald MESSAGE. */
  text: string;
  /** Where the message starts in `text`. */
  msgAt: number;
  /** A message that is not a suffix of `text` (RFC 5424 with a BOM), else undefined. */
  msgOwn: string | undefined;
  pidAt: number;
  pidEnd: number;
  pidOwn: string | undefined;
}

export function newHeader(): LineHeader {
  const h = {
    ts: 0, host: '', program: '', daemon: '', syslogName: '', format: 'rfc3164',
    text: '', msgAt: 0, msgOwn: undefined, pidAt: 0, pidEnd: 0, pidOwn: undefined,
  } as unknown as LineHeader;
  // Own enumerable accessors, so a spread copy ({ ...h }) still carries msg and pid.
  Object.defineProperties(h, {
    msg: {
      enumerable: true,
      get(this: LineHeader) { return this.msgOwn ?? (this.msgOwn = this.msgAt === 0 ? this.text : this.text.slice(this.msgAt)); },
      set(this: LineHeader, v: string) { this.msgOwn = v; },
    },
    pid: {
      enumerable: true,
      get(this: LineHeader) { return this.pidOwn ?? (this.pidOwn = this.text.slice(this.pidAt, this.pidEnd)); },
      set(this: LineHeader, v: string) { this.pidOwn = v; },
    },
  });
  return h;
}

function setMsg(h: LineHeader, text: string, at: number): void {
  h.text = text;
  h.msgAt = at;
  h.msgOwn = undefined;
}

/** Fill h from line; false when the prefix is not one we know (the line is then "unparsed"). */
export function parseHeader(line: string, h: Header, ctx: HeaderContext): boolean {
  const lh = h as LineHeader;
  if (!('msgAt' in h)) {
    // A plain Header object from elsewhere: fill a private one and copy the fields.
    const tmp = newHeader();
    const ok = parseHeader(line, tmp, ctx);
    if (ok) Object.assign(h, { ts: tmp.ts, host: tmp.host, program: tmp.program, daemon: tmp.daemon, syslogName: tmp.syslogName, pid: tmp.pid, msg: tmp.msg, format: tmp.format });
    return ok;
  }
  return readHeader(line, lh, ctx);
}

/** parseHeader() for the header newHeader() made (the per-line path). */
export function readHeader(line: string, lh: LineHeader, ctx: HeaderContext): boolean {
  lh.pidOwn = '';
  lh.pidAt = 0;
  lh.pidEnd = 0;
  const c = line.charCodeAt(0);
  if (c >= 65 && c <= 90) return syslog(line, lh, ctx);
  if (c >= 48 && c <= 57) {
    const sep = line.charCodeAt(10);
    if (sep === 84) return iso(line, 0, lh, ctx, 'rfc3339'); // 'T'
    if (sep === 32) return own(line, lh, ctx);
    return false;
  }
  if (c === 123) return journald(line, lh); // '{'
  if (c === 60) return withPri(line, lh, ctx); // '<'
  return false;
}

function syslog(line: string, h: LineHeader, ctx: HeaderContext): boolean {
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
function dovecotOwn(line: string, p: number, h: LineHeader): boolean {
  const sp = line.indexOf(' ', p);
  if (sp < 0 || line.charCodeAt(sp - 1) !== 58 || !DOVECOT_LEVEL.test(line.slice(sp + 1, sp + 10))) return false;
  h.format = 'dovecot';
  h.host = '';
  setProgram(h, 'dovecot', '');
  setMsg(h, line, p);
  return true;
}

function iso(line: string, at: number, h: LineHeader, ctx: HeaderContext, format: 'rfc3339' | 'rfc5424'): boolean {
  const ts = ctx.days.isoSecond(line, at);
  if (Number.isNaN(ts)) return false;
  const sp = line.indexOf(' ', at + 19);
  if (sp < 0) return false;
  h.ts = ts;
  h.format = format;
  return hostAndTag(line, sp + 1, h);
}

/** "host tag[pid]: msg" from p on. */
// indexOf and startsWith below, not char loops: on the sliced line strings V8's builtins
// are faster than charCodeAt loops (measured: the loops cost ≈ 15% more on a 1 GB log).
function hostAndTag(line: string, p: number, h: LineHeader): boolean {
  const sp = line.indexOf(' ', p);
  if (sp < 0) return false;
  // The host rarely changes from line to line: compare instead of allocating a slice.
  if (sp - p !== h.host.length || line.slice(p, sp) !== h.host) h.host = line.slice(p, sp);
  return tag(line, sp + 1, h);
}

function tag(line: string, p: number, h: LineHeader): boolean {
  // A tag is "name[pid]:" up to the first space, at most 80 characters before its colon.
  const space = line.indexOf(' ', p);
  const colon = space - 1;
  if (space < 0 || colon < p || line.charCodeAt(colon) !== 58 || colon - p > 80) {
    // No "tag:" (e.g. postlog's stdout echo): keep the line, but no program.
    setProgram(h, '', '');
    setMsg(h, line, p);
    return true;
  }
  let end = colon;
  if (line.charCodeAt(colon - 1) === 93) { // "]"
    let lb = colon - 2;
    while (lb > p && line.charCodeAt(lb) !== 91) lb--;
    if (lb > p) { h.pidAt = lb + 1; h.pidEnd = colon - 1; h.pidOwn = undefined; end = lb; }
  }
  const known = recentProgram(line, p, end);
  if (known) { h.program = known.program; h.daemon = known.daemon; h.syslogName = known.syslogName; }
  else { setNames(h, line.slice(p, end)); remember(h); }
  let m = colon + 2;
  // Solaris: "[ID 197553 mail.info] " after the tag (pflogsumm strips it too).
  if (line.charCodeAt(m) === 91 && line.startsWith('[ID ', m)) { const rb = line.indexOf('] ', m); if (rb > 0) m = rb + 2; }
  setMsg(h, line, m);
  return true;
}

// The last few program tags (smtpd, cleanup, qmgr, smtp… interleave): a hit saves three
// slices per line (program, daemon, syslog name), which was ≈ 5% of the time on big logs.
interface ProgramNames { program: string; daemon: string; syslogName: string; last: number }
const recent: ProgramNames[] = [];
let recentNext = 0;

function recentProgram(line: string, p: number, end: number): ProgramNames | undefined {
  const len = end - p;
  const last = line.charCodeAt(end - 1);
  let tag: string | undefined;
  for (let i = 0; i < recent.length; i++) {
    const r = recent[i]!;
    // Length and last character first; then slice and === (cheaper than startsWith(x, pos) in V8).
    if (r.program.length === len && r.last === last && r.program === (tag ??= line.slice(p, end))) return r;
  }
  return undefined;
}

function remember(h: LineHeader): void {
  // Private copies: cached names must not pin the 64 KiB chunk their line was sliced from.
  const r = { program: copy(h.program), daemon: copy(h.daemon), syslogName: copy(h.syslogName), last: h.program.charCodeAt(h.program.length - 1) };
  if (recent.length < 8) recent.push(r); else { recent[recentNext] = r; recentNext = (recentNext + 1) % 8; }
}

function setProgram(h: LineHeader, program: string, pid: string): void {
  h.pidOwn = pid;
  setNames(h, program);
}

function setNames(h: LineHeader, program: string): void {
  h.program = program;
  const last = program.lastIndexOf('/');
  h.daemon = last < 0 ? program : program.slice(last + 1);
  const first = program.indexOf('/');
  h.syslogName = first < 0 ? program : program.slice(0, first);
}

/** "2020-06-20 01:32:57[.123] [+0200] [[789]] rest": Exim's main log or Dovecot's log_path. */
function own(line: string, h: LineHeader, ctx: HeaderContext): boolean {
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
  const dovecot = /^[a-z][\w-]*(?:\([^)]*\))?(?:<[^>]*>)*: (?:Info|Warning|Error|Fatal|Panic|Debug): /.test(line.slice(i, i + 200));
  h.format = dovecot ? 'dovecot' : 'exim';
  setProgram(h, dovecot ? 'dovecot' : 'exim', pid);
  setMsg(h, line, i);
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Local offset for journald's UTC microseconds; cached by hour (DST changes on the hour).
let tzHour = NaN;
let tzOffset = 0;

function journald(line: string, h: LineHeader): boolean {
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
  setMsg(h, msg, 0);
  h.format = 'journald-json';
  return true;
}

/** "<22>1 2025-… host app procid msgid [sd] msg" (RFC 5424 §6) or "<22>Apr  7 …" (RFC 3164 on the wire). */
function withPri(line: string, h: LineHeader, ctx: HeaderContext): boolean {
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
  if (line.charCodeAt(off) === 0xfeff) off++;
  setMsg(h, line, off);
  return true;
}
