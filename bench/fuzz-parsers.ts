// A seeded fuzzer for the parsers that read what others wrote: SPF, DMARC, DKIM keys,
// MTA-STS policies, TLSA rdata, SMTP/IMAP/POP3 replies and mail log lines. Inputs are
// mutations of real examples (insert, delete, repeat, splice, swap numbers, hostile
// characters), so most of them get deep into each parser. A parser must return, never
// throw: every exception is counted with its input. Used by test/fuzz.test.ts (a small
// run) and `npm run bench` (BENCH_ONLY=fuzz, a million inputs).
import { readFileSync } from 'node:fs';
import { parseSpf } from '../src/parsers/spf.js';
import { parseDmarc } from '../src/parsers/dmarc.js';
import { parseDkimKey } from '../src/parsers/dkim-key.js';
import { parseStsPolicy } from '../src/parsers/mta-sts-policy.js';
import { parseTlsa } from '../src/parsers/tlsa.js';
import { parseReplyLine, enhancedCode } from '../src/parsers/smtp-reply.js';
import { parseEhlo } from '../src/parsers/smtp-ehlo.js';
import { capabilitiesOf, literalAtEnd, parseImapLine, quoteImap } from '../src/parsers/imap-response.js';
import { capaList, parseCapa, parsePop3Reply } from '../src/parsers/pop3-response.js';
import { Analyser } from '../src/logs/analyse.js';
import { prng } from './synthetic-zones.js';

export { prng };

const FX = new URL('../test/fixtures/logs/', import.meta.url);
const logSeeds = (): string[] => ['postfix-rfc3164.log', 'postfix-rfc3339.log', 'real-debian-dovecot.log', 'exim-mainlog', 'postfix-short-iso.log']
  .flatMap((f) => { try { return readFileSync(new URL(f, FX), 'utf8').split('\n').filter(Boolean).slice(0, 60); } catch { return []; } });

const ED_KEY = 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const RSA_KEY = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB';

/** Real-looking examples per parser: the mutations start from these. */
const SEEDS: Record<string, string[]> = {
  spf: [
    'v=spf1 mx a:mail.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com ~all',
    'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} redirect=_spf.example.com',
    'v=spf1 ptr:example.org a/24//64 mx:mx.example.com/28 -all exp=explain.%{d}',
    'v=spf1 include:%{d2}.example.net ?all', 'v=spf1', 'v=spf1 +all',
  ],
  dmarc: [
    'v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; pct=50; rua=mailto:dmarc@example.com,mailto:x@example.net!10m; ruf=mailto:f@example.com; fo=1:d:s; rf=afrf; ri=86400',
    'v=DMARC1; p=none', 'V=DMARC1; P=reject; np=reject; t=y; psd=n',
  ],
  dkim: [`v=DKIM1; k=rsa; p=${RSA_KEY}`, `v=DKIM1; k=ed25519; h=sha256; s=email; t=y:s; p=${ED_KEY}`, 'v=DKIM1; p=', `k=rsa; n=notes; p=${RSA_KEY.slice(0, 60)}`],
  'mta-sts': [
    'version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n',
    'version: STSv1\r\nmode: testing\r\nmx: mx1.example.org\r\nmax_age: 86400\r\n', 'version: STSv1\nmode: none\nmax_age: 0',
  ],
  'smtp-reply': ['250-mx.example.com Hello', '250 2.0.0 Ok: queued as 4QtRcPt123', '421 4.3.2 Service not available', '550-5.1.1 <u@example.com>: Recipient address rejected', '220 mx ESMTP Postfix (Debian/GNU)', '354 End data with <CR><LF>.<CR><LF>'],
  ehlo: ['mx.example.com Hello', 'PIPELINING', 'SIZE 10240000', 'STARTTLS', 'AUTH PLAIN LOGIN', 'AUTH=PLAIN', 'ENHANCEDSTATUSCODES', '8BITMIME', 'SMTPUTF8', 'CHUNKING'],
  imap: [
    '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED AUTH=PLAIN] Dovecot ready.',
    'a1 NO [AUTHENTICATIONFAILED] Authentication failed.', '* CAPABILITY IMAP4rev1 AUTH=PLAIN {12}', '* BYE Logging out', '+ ', 'a2 OK [READ-WRITE] SELECT completed', '* PREAUTH [CAPABILITY IMAP4rev2] hi',
  ],
  pop3: ['+OK Dovecot ready.', '-ERR [AUTH] Authentication failed.', '-ERR [IN-USE] Mailbox locked', '+OK', 'SASL PLAIN LOGIN', 'USER', 'IMPLEMENTATION Dovecot', 'RESP-CODES'],
};

const HOSTILE = ['\0', '\x1b[2J', '\r', '\n', '\t', ';', '=', ':', ' ', '/', '%{', '}', '{', '[', ']', '"', '\\', '.', ',', '!', '-', '+', '*', 'é', '\u202e', '\ud800', '💥', '\uffff', '%%', '%{ir}', 'include:', 'redirect=', 'v=', 'p=', 'mx:', '{4294967296}', '{-1}', 'ip4:', '/33', '::', '0x', 'NaN', '1e999', '9'.repeat(30)];
const NUMBERS = ['0', '-1', '256', '4294967296', '99999999999999999999', '1.5', 'NaN', '', '007', '-0'];

/** One mutation of `s`, drawing from `r`; `other` for splicing. */
export function mutate(s: string, r: () => number, other: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = Math.floor(r() * (s.length + 1));
  switch (Math.floor(r() * 9)) {
    case 0: return s.slice(0, at) + pick(HOSTILE) + s.slice(at);
    case 1: return s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
    case 2: { const len = 1 + Math.floor(r() * 12); return s.slice(0, at) + s.slice(at, at + len).repeat(1 + Math.floor(r() * 20)) + s.slice(at); }
    case 3: return s.slice(0, at) + other.slice(Math.floor(r() * other.length));
    case 4: return s.replace(/\d+/, pick(NUMBERS));
    case 5: return s.slice(0, at);
    case 6: return s.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x10000)) + s.slice(at + 1);
    case 7: return s.toUpperCase();
    default: return s.slice(0, at) + pick(HOSTILE).repeat(1 + Math.floor(r() * 50)) + s.slice(at);
  }
}

interface Target { name: string; seeds: string[]; run: (s: string, r: () => number) => void }

function targets(): Target[] {
  const logs = logSeeds();
  const analyser = () => new Analyser({ trace: 'example.com', unparsedSamples: 5 });
  let a = analyser();
  let fed = 0;
  return [
    { name: 'spf', seeds: SEEDS.spf!, run: (s) => { parseSpf(s); parseSpf(s.match(/.{1,255}/gs) ?? [s]); } },
    { name: 'dmarc', seeds: SEEDS.dmarc!, run: (s) => { parseDmarc(s); } },
    { name: 'dkim-key', seeds: SEEDS.dkim!, run: (s) => { parseDkimKey(s); } },
    { name: 'mta-sts-policy', seeds: SEEDS['mta-sts']!, run: (s) => { parseStsPolicy(s); } },
    {
      name: 'tlsa', seeds: ['3 1 1 2bb1e5c9', '2 0 1 ab', '3 1 0 30820122'],
      run: (s, r) => {
        const [u, sel, m, hex] = s.split(' ');
        const num = (x: string | undefined) => (r() < 0.1 ? x : Number(x));
        parseTlsa({ usage: num(u), selector: num(sel), matchingType: num(m), certificate: r() < 0.1 ? hex : Buffer.from(hex ?? '', 'hex') });
        if (r() < 0.02) parseTlsa(r() < 0.5 ? null : s);
      },
    },
    { name: 'smtp-reply', seeds: SEEDS['smtp-reply']!, run: (s) => { parseReplyLine(s); enhancedCode(s); } },
    { name: 'smtp-ehlo', seeds: SEEDS.ehlo!, run: (s) => { parseEhlo(['mx.example.com', ...s.split('\n')]); } },
    {
      name: 'imap-response', seeds: SEEDS.imap!,
      run: (s) => { const x = parseImapLine(s); if (x) capabilitiesOf(x); literalAtEnd(s); quoteImap(s); },
    },
    { name: 'pop3-response', seeds: SEEDS.pop3!, run: (s) => { parsePop3Reply(s); capaList(parseCapa(s.split('\n'))); } },
    {
      name: 'log-line', seeds: logs.length ? logs : ['Apr  7 15:35:18 mail postfix/smtpd[20230]: connect from mx.example.net[192.0.2.5]'],
      run: (s) => {
        // A long-lived analyser, as in a real run (state across lines), renewed now and then.
        if (++fed % 5000 === 0) a = analyser();
        a.line(s);
      },
    },
  ];
}

export interface FuzzFailure { parser: string; input: string; error: string }
export interface FuzzResult { inputs: number; perParser: Record<string, number>; failures: FuzzFailure[]; ms: number }

/** Errors a parser may throw by design (none so far): each needs a reason in docs/security.md. */
export const DOCUMENTED_EXCEPTIONS: RegExp[] = [];

/** `n` inputs spread over the parsers, from `seed`; at most `keep` failures are kept. */
export function fuzzParsers(n: number, seed = 1, keep = 20): FuzzResult {
  const r = prng(seed);
  const ts = targets();
  const perParser: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = ts[i % ts.length]!;
    let s = t.seeds[Math.floor(r() * t.seeds.length)]!;
    const other = t.seeds[Math.floor(r() * t.seeds.length)]!;
    const rounds = 1 + Math.floor(r() * 4);
    for (let k = 0; k < rounds; k++) s = mutate(s, r, other);
    if (s.length > 8192) s = s.slice(0, 8192);
    perParser[t.name] = (perParser[t.name] ?? 0) + 1;
    try {
      t.run(s, r);
    } catch (e) {
      const error = String((e as Error)?.stack ?? e).split('\n').slice(0, 3).join(' | ');
      if (DOCUMENTED_EXCEPTIONS.some((re) => re.test(error))) continue;
      if (failures.length < keep) failures.push({ parser: t.name, input: s.slice(0, 300), error });
      else failures.length++;
    }
  }
  return { inputs: n, perParser, failures, ms: performance.now() - t0 };
}
