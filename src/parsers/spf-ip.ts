// IP address handling for SPF: strict parsing of ip4/ip6 values (RFC 7208 §5.6 ABNF,
// RFC 4291 §2.2 text forms), CIDR matching, and the forms the i/c/v macros need (§7.3).
// Own code rather than node:net so the parser stays pure and byte-exact.

export interface IpAddress {
  version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

/** RFC 7208 dec-octet: 0-255 without leading zeros. */
const DEC_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => DEC_OCTET.test(p))) return undefined;
  return parts.map(Number);
}

export function parseIPv6(s: string): number[] | undefined {
  if (!/^[0-9a-f:.]+$/i.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  // An embedded IPv4 address may end the address (RFC 4291 §2.2 form 3).
  const all = halves.length === 2 ? tail : head;
  let v4: number[] | undefined;
  if (all.length && all[all.length - 1]!.includes('.')) {
    v4 = parseIPv4(all.pop()!);
    if (!v4) return undefined;
  }
  const words = [...head, ...tail];
  if (!words.every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return undefined;
  const total = words.length + (v4 ? 2 : 0);
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const bytes: number[] = [];
  const push = (ws: string[]) => ws.forEach((w) => bytes.push(parseInt(w, 16) >> 8, parseInt(w, 16) & 0xff));
  push(head);
  if (halves.length === 2) for (let i = 0; i < 8 - total; i++) bytes.push(0, 0);
  push(tail);
  if (v4) bytes.push(...v4);
  return bytes;
}

/** A client address; IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated as IPv4 (RFC 7208 §5). */
export function parseIp(s: string): IpAddress | undefined {
  const v4 = parseIPv4(s.trim());
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIPv6(s.trim());
  if (!v6) return undefined;
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return { version: 4, bytes: v6.slice(12) };
  return { version: 6, bytes: v6 };
}

/** True when the first `bits` bits of a and b are equal. */
export function cidrMatch(a: number[], b: number[], bits: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** Dotted form for the i macro: IPv4 as is, IPv6 as 32 dot-separated nibbles (§7.3). */
export function dottedIp(ip: IpAddress): string {
  if (ip.version === 4) return ip.bytes.join('.');
  return ip.bytes.flatMap((b) => [(b >> 4).toString(16), (b & 15).toString(16)]).join('.');
}

/** The reverse-lookup name (in-addr.arpa / ip6.arpa) for the ptr mechanism and p macro. */
export function reverseName(ip: IpAddress): string {
  return `${dottedIp(ip).split('.').reverse().join('.')}.${ip.version === 4 ? 'in-addr' : 'ip6'}.arpa`;
}

/** Human form for the c macro (RFC 5952 compressed for IPv6). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return ip.bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
