// DNSBL query names and answers (RFC 5782): pure functions, no I/O.
import type { DnsblCode, DnsblKind, DnsblList, DnsblWeight } from '../data/dnsbl.js';
import { ipv6Groups, isIpv4 } from './reverse-name.js';

/** What kind of subject a string is: an IPv4 or IPv6 address, or a domain name. */
export function subjectKind(subject: string): DnsblKind {
  if (isIpv4(subject)) return 'ip4';
  return ipv6Groups(subject) ? 'ip6' : 'domain';
}

/**
 * The name to look up: IPv4 octets reversed (RFC 5782 §2.1), IPv6 as 32 reversed nibbles
 * (§2.4, as in ip6.arpa), a domain name as itself (§3.1), each under the list's zone.
 */
export function dnsblQueryName(subject: string, zone: string): string {
  const s = subject.trim().toLowerCase().replace(/\.$/, '');
  if (isIpv4(s)) return `${s.split('.').map(Number).reverse().join('.')}.${zone}`;
  const groups = ipv6Groups(s);
  if (groups) return `${groups.map((g) => g.toString(16).padStart(4, '0')).join('').split('').reverse().join('.')}.${zone}`;
  return `${s}.${zone}`;
}

export type AnswerVerdict =
  | { status: 'listed'; weight: DnsblWeight; codes: { code: string; meaning: string }[] }
  /** A documented error code: the list refused or could not serve the query. */
  | { status: 'refused'; codes: { code: string; meaning: string }[] }
  /** An answer outside the documented codes: never read as a listing. */
  | { status: 'unexpected'; codes: { code: string; meaning: string }[] };

function toNum(ip: string): number | undefined {
  if (!isIpv4(ip)) return undefined;
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCode(c: DnsblCode, n: number): boolean {
  const from = toNum(c.from)!;
  return n >= from && n <= toNum(c.to ?? c.from)!;
}

/** Judge one A answer of a list: listed, refused, or unexpected (RFC 5782 §2.3, §5). */
export function judgeCode(list: DnsblList, code: string): { status: 'listed' | 'refused' | 'unexpected'; meaning: string; weight?: DnsblWeight } {
  const n = toNum(code);
  if (n === undefined || code.split('.')[0] !== '127') {
    // Outside 127.0.0.0/8: the zone is not answering as a DNSBL (often an expired, parked domain with a wildcard).
    return { status: 'unexpected', meaning: 'not in 127.0.0.0/8: the zone does not answer like a DNSBL (expired or wildcarded?)' };
  }
  const error = list.errors.find((c) => inCode(c, n));
  if (error) return { status: 'refused', meaning: error.meaning };
  // 127.0.0.1 is never a listing: RFC 5782 §5 reserves it as the must-not-be-listed test entry.
  if (code === '127.0.0.1') return { status: 'unexpected', meaning: '127.0.0.1 is never a listing (RFC 5782 §5); the list probably refused the query' };
  if (list.bitmask) {
    const last = n & 0xff;
    const bits = list.listing.filter((c) => (last & (toNum(c.from)! & 0xff)) !== 0);
    const covered = bits.reduce((m, c) => m | (toNum(c.from)! & 0xff), 0);
    if (code.startsWith('127.0.0.') && last !== 0 && covered === last) {
      return { status: 'listed', meaning: bits.map((c) => c.meaning).join('; '), weight: bits.some((c) => (c.weight ?? list.weight) === 'major') ? 'major' : 'minor' };
    }
  } else {
    const hit = list.listing.find((c) => inCode(c, n));
    if (hit) return { status: 'listed', meaning: hit.meaning, weight: hit.weight ?? list.weight };
  }
  return { status: 'unexpected', meaning: `not a code ${list.name} documents as a listing` };
}

/** Judge all A answers of one lookup: any listing wins, then a documented refusal, then "unexpected". */
export function judgeAnswer(list: DnsblList, addresses: string[]): AnswerVerdict {
  const judged = addresses.map((code) => ({ code, ...judgeCode(list, code) }));
  const listed = judged.filter((j) => j.status === 'listed');
  if (listed.length) {
    return { status: 'listed', weight: listed.some((j) => j.weight === 'major') ? 'major' : 'minor', codes: listed.map(({ code, meaning }) => ({ code, meaning })) };
  }
  const refused = judged.filter((j) => j.status === 'refused');
  const codes = (refused.length ? refused : judged).map(({ code, meaning }) => ({ code, meaning }));
  return { status: refused.length ? 'refused' : 'unexpected', codes };
}
