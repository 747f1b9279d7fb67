// The signature algorithm of an X.509 certificate, read from its DER (RFC 5280 §4.1.1.2).
// Node 20's X509Certificate does not expose it, so this walks just enough ASN.1:
// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, ... }, ... }.
// Pure; malformed input yields undefined, never an exception.

/** Signature algorithm OIDs (RFC 3279 §2.2, RFC 4055 §5, RFC 5758 §3.2, RFC 8410 §3). */
const NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

export interface SignatureAlgorithm {
  oid: string;
  /** Conventional name, or the OID when unknown. */
  name: string;
  /** Signed with MD5 or SHA-1 digests, which collisions have broken (RFC 6151, SHAttered 2017). */
  weakDigest: boolean;
}

export function signatureAlgorithm(der: Uint8Array): SignatureAlgorithm | undefined {
  const cert = readTlv(der, 0);
  if (!cert || cert.tag !== 0x30) return undefined;
  const tbs = readTlv(der, cert.start);
  if (!tbs || tbs.tag !== 0x30) return undefined;
  const alg = readTlv(der, tbs.end);
  if (!alg || alg.tag !== 0x30) return undefined;
  const oid = readTlv(der, alg.start);
  if (!oid || oid.tag !== 0x06 || oid.end > alg.end) return undefined;
  const dotted = decodeOid(der.subarray(oid.start, oid.end));
  if (!dotted) return undefined;
  const name = NAMES[dotted] ?? dotted;
  return { oid: dotted, name, weakDigest: /md5|sha1/i.test(name) };
}

interface Tlv { tag: number; start: number; end: number }

/** One DER tag-length-value at `at`: content from start to end. Only definite lengths (DER). */
export function readTlv(buf: Uint8Array, at: number): Tlv | undefined {
  if (at + 2 > buf.length) return undefined;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  return end <= buf.length ? { tag, start, end } : undefined;
}

/** X.690 §8.19: first octet 40·X+Y, then base-128 groups with the high bit as "more". */
export function decodeOid(bytes: Uint8Array): string | undefined {
  if (!bytes.length || bytes[bytes.length - 1]! & 0x80) return undefined;
  const arcs: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (!(b & 0x80)) {
      if (!arcs.length) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}
