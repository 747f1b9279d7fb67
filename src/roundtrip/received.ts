// One Received trace field (RFC 5321 §4.4) → its from/by/via/with/id/for clauses, the
// client's address and HELO, whether the hop used TLS, and its date. Pure, never throws.
import { isIP } from 'node:net';
import { splitComments } from './headers.js';
import { parseMailDate } from './mail-date.js';

export type HopTls = 'yes' | 'no' | 'unknown';

export interface ReceivedHop {
  /** The field as written, capped. */
  raw: string;
  /** The `from` clause: the name the client gave (HELO/EHLO) or an address literal. */
  from?: string;
  fromComment?: string;
  /** The client's address, from `[ip]` in the from clause or its comment (TCP-info). */
  fromIp?: string;
  /** HELO name: the from word unless it is an address literal; Exim's `helo=` comment wins. */
  helo?: string;
  by?: string;
  byComment?: string;
  /** The protocol (RFC 3848 registry: ESMTP, ESMTPS, ESMTPSA, LMTP...), or the words given. */
  with?: string;
  id?: string;
  for?: string;
  /** ISO time of the hop, when the date parsed. */
  date?: string;
  tls: HopTls;
  tlsVersion?: string;
  tlsCipher?: string;
  /** The client authenticated (ESMTPA/ESMTPSA, RFC 3848 §2; Postfix "Authenticated sender"). */
  authenticated: boolean;
}

const KEYWORDS = new Set(['from', 'by', 'via', 'with', 'id', 'for']);
// RFC 3848 §2 (+ RFC 6531 UTF8 forms): the S means TLS, the A means SMTP AUTH. SMTPS is not
// registered but Gmail writes it for TLS.
const WITH_TLS = /^(?:UTF8)?(?:ESMTP|SMTP|LMTP)S(A)?$/i;
const WITH_PLAIN = /^(?:UTF8)?(?:ESMTP|SMTP|LMTP)(A)?$/i;
const IP_IN_BRACKETS = /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/;
const BARE_IP = /(?:^|[\s(])((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7})(?=$|[\s)\]])/;

interface Clause { key: string; words: string[]; comments: string[] }

/** Parse one Received field value. */
export function parseReceived(value: string): ReceivedHop {
  const capped = value.slice(0, 4000);
  const semi = capped.lastIndexOf(';');
  const clausesText = semi >= 0 ? capped.slice(0, semi) : capped;
  const dateMs = semi >= 0 ? parseMailDate(splitComments(capped.slice(semi + 1)).text) : undefined;
  const clauses = tokenize(clausesText);
  const hop: ReceivedHop = { raw: capped.slice(0, 1000), tls: 'unknown', authenticated: false };
  const get = (k: string) => clauses.find((c) => c.key === k);
  const from = get('from');
  if (from) {
    hop.from = from.words[0];
    // The first comment is the TCP-info (RFC 5321 §4.4: reverse name and [address]).
    if (from.comments[0]) hop.fromComment = from.comments[0];
    const lit = hop.from ? IP_IN_BRACKETS.exec(hop.from) : null;
    const ip = lit?.[1] && isIP(lit[1]) ? lit[1] : firstIp(from.comments);
    if (ip) hop.fromIp = ip;
    const heloComment = /\bhelo=([^\s)]+)/i.exec(from.comments.join(' '))?.[1];
    hop.helo = heloComment ?? (hop.from && !lit ? hop.from : undefined);
  }
  const by = get('by');
  if (by?.words[0]) hop.by = by.words[0];
  if (by?.comments.length) hop.byComment = by.comments.join(' ');
  const withC = get('with');
  if (withC?.words.length) hop.with = withC.words.join(' ');
  const id = get('id')?.words[0];
  if (id) hop.id = id;
  const forC = get('for')?.words[0];
  if (forC) hop.for = forC.replace(/^<|>$/g, '');
  if (dateMs !== undefined) hop.date = new Date(dateMs).toISOString();
  judgeTls(hop, clauses.flatMap((c) => c.comments).join(' '));
  return hop;
}

function judgeTls(hop: ReceivedHop, comments: string): void {
  const proto = hop.with?.split(' ')[0] ?? '';
  const tlsProto = WITH_TLS.exec(proto);
  const plainProto = WITH_PLAIN.exec(proto);
  hop.authenticated = !!(tlsProto?.[1] || plainProto?.[1]) || /Authenticated sender:/i.test(comments);
  // Postfix: "(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ...)".
  const postfix = /using (TLSv[\d.]+|SSLv\d) with cipher ([\w-]+)/i.exec(comments);
  // Microsoft: "(version=TLS1_2, cipher=TLS_ECDHE_...)"; Sendmail: "(version=TLSv1.3 cipher=... bits=256 verify=NOT)".
  const versioned = /version=(TLS[\w.]+),?\s+cipher=([\w-]+)/i.exec(comments);
  // Exim: "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384".
  const exim = /\bTLS(1\.[0-3])\b/.exec(comments);
  const eximCipher = /\btls ([A-Z0-9_-]{8,})/.exec(hop.with ?? '');
  if (postfix || versioned) {
    const m = (postfix ?? versioned)!;
    hop.tls = 'yes';
    hop.tlsVersion = m[1];
    hop.tlsCipher = m[2];
  } else if (tlsProto) {
    hop.tls = 'yes';
    if (exim) hop.tlsVersion = `TLSv${exim[1]}`;
    if (eximCipher) hop.tlsCipher = eximCipher[1];
  } else if (plainProto || /^local$/i.test(proto)) hop.tls = 'no';
}

function firstIp(comments: string[]): string | undefined {
  for (const c of comments) {
    const m = IP_IN_BRACKETS.exec(c) ?? BARE_IP.exec(c);
    if (m?.[1] && isIP(m[1])) return m[1];
  }
  return undefined;
}

/** Words and comments → clauses; a comment belongs to the clause before it. */
function tokenize(s: string): Clause[] {
  const clauses: Clause[] = [];
  let current: Clause | undefined;
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '(') {
      let depth = 0;
      const start = i;
      for (; i < s.length; i++) {
        if (s[i] === '\\') { i++; continue; }
        if (s[i] === '(') depth++;
        else if (s[i] === ')' && --depth === 0) { i++; break; }
      }
      const comment = s.slice(start + 1, depth === 0 ? i - 1 : i).trim();
      (current ?? (current = pushClause(clauses, ''))).comments.push(comment);
      continue;
    }
    const end = ch === '<' ? s.indexOf('>', i) + 1 || s.length : s.slice(i).search(/[\s(]/) + i;
    const word = s.slice(i, end > i ? end : s.length);
    i = end > i ? end : s.length;
    const key = word.toLowerCase();
    // A keyword starts a clause only where a keyword can stand: after the clause's value.
    if (KEYWORDS.has(key) && (!current || current.words.length > 0)) current = pushClause(clauses, key);
    else (current ?? (current = pushClause(clauses, ''))).words.push(word);
  }
  return clauses;
}

function pushClause(list: Clause[], key: string): Clause {
  const c: Clause = { key, words: [], comments: [] };
  list.push(c);
  return c;
}
