// Reverse-mapping names for IP addresses: in-addr.arpa (RFC 1035 §3.5) and ip6.arpa
// (RFC 3596 §2.5), plus a canonical form so addresses written differently compare equal.

// Address syntax only (no node:net, so parsers stay free of I/O modules).
const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return V4.test(s);
}

/** Eight 16-bit groups of an IPv6 address (embedded IPv4 tail allowed), or undefined. */
export function ipv6Groups(ip: string): number[] | undefined {
  let s = ip.trim().replace(/%.*$/, '').toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(s) || (s.match(/::/g) ?? []).length > 1 || !s.includes(':')) return undefined;
  // A dotted IPv4 tail (::ffff:192.0.2.1) is two 16-bit groups (RFC 4291 §2.2 form 3).
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    if (!isIpv4(v4[0])) return undefined;
    const b = v4.slice(1).map(Number);
    s = `${s.slice(0, v4.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  if (fill.length === 0 && tail !== undefined) return undefined; // "::" must stand for at least one group
  const parts = [...h, ...fill, ...t];
  if (parts.length !== 8 || !parts.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return parts.map((g) => parseInt(g, 16));
}

/** The PTR owner name for an address, or undefined when it is not an IP address. */
export function reverseName(ip: string): string | undefined {
  const s = ip.trim();
  if (isIpv4(s)) return `${s.split('.').map(Number).reverse().join('.')}.in-addr.arpa`;
  const groups = ipv6Groups(s);
  if (!groups) return undefined;
  // One label per nibble, least significant first (RFC 3596 §2.5).
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('').split('');
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** A canonical text form: dotted quad without leading zeros, or 8 full lower-case hex groups. */
export function canonicalIp(ip: string): string | undefined {
  const s = ip.trim();
  if (isIpv4(s)) return s.split('.').map(Number).join('.');
  return ipv6Groups(s)?.map((g) => g.toString(16).padStart(4, '0')).join(':');
}
