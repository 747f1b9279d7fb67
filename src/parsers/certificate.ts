// X.509 facts a mail admin needs, from node:crypto's X509Certificate: validity, name
// match, key strength, signature digest, self-signed, chain links. Pure: the time comes
// from the caller (ctx.clock), trust decisions from the TLS handshake.
import type { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { signatureAlgorithm } from './cert-signature.js';
import type { SignatureAlgorithm } from './cert-signature.js';

const DAY_MS = 86_400_000;

export interface Validity {
  state: 'valid' | 'expired' | 'not-yet-valid';
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter; negative once expired. */
  daysLeft: number;
}

export function validity(c: X509Certificate, now: Date): Validity {
  const from = new Date(c.validFrom);
  const to = new Date(c.validTo);
  const state = now < from ? 'not-yet-valid' : now > to ? 'expired' : 'valid';
  return { state, notBefore: from.toISOString(), notAfter: to.toISOString(), daysLeft: Math.floor((to.getTime() - now.getTime()) / DAY_MS) };
}

/** The expiry severity for a valid certificate: critical under critDays, warning under warnDays. */
export function expiryLevel(daysLeft: number, warnDays: number, critDays: number): 'ok' | 'warning' | 'critical' {
  return daysLeft < critDays ? 'critical' : daysLeft < warnDays ? 'warning' : 'ok';
}

/**
 * Does the certificate name `host`? SAN dNSName (or iPAddress for an IP literal) with
 * RFC 6125 §6.4.3 wildcards: only a whole left-most label, matching exactly one label;
 * the subject CN only when there is no SAN dNSName (§6.4.4).
 */
export function matchesName(c: X509Certificate, host: string): boolean {
  const h = host.replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(h)) return c.checkIP(h) !== undefined;
  return c.checkHost(h, { subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}

/** SAN entries as "DNS:x" / "IP Address:y" strings. */
export function sanList(c: X509Certificate): string[] {
  return c.subjectAltName ? c.subjectAltName.split(/,\s*/).filter(Boolean) : [];
}

export interface KeyInfo {
  /** rsa, ec, ed25519, ed448, dsa, ... */
  type: string;
  bits?: number;
  curve?: string;
  /**
   * internet.nl / NCSC TLS guidelines: RSA ≥ 3072 good, 2048-3071 sufficient, < 2048
   * insufficient; EC on P-256/P-384/P-521 and EdDSA good; other curves and DSA weak.
   */
  strength: 'good' | 'sufficient' | 'weak' | 'insufficient';
  text: string;
}

const GOOD_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'P-256', 'P-384', 'P-521']);

export function keyInfo(c: X509Certificate): KeyInfo {
  const k = c.publicKey;
  const type = k.asymmetricKeyType ?? 'unknown';
  const d = k.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = d.modulusLength ?? 0;
    const strength = bits >= 3072 ? 'good' : bits >= 2048 ? 'sufficient' : 'insufficient';
    return { type, bits, strength, text: `RSA ${bits} bits` };
  }
  if (type === 'ec') {
    const curve = d.namedCurve ?? 'unknown';
    return { type, curve, strength: GOOD_CURVES.has(curve) ? 'good' : 'weak', text: `EC ${curve}` };
  }
  if (type === 'ed25519' || type === 'ed448') return { type, strength: 'good', text: type === 'ed25519' ? 'Ed25519' : 'Ed448' };
  return { type, bits: d.modulusLength, strength: 'insufficient', text: `${type.toUpperCase()}${d.modulusLength ? ` ${d.modulusLength} bits` : ''}` };
}

/** Issued by itself and signed by its own key (a root, or a self-signed leaf). */
export function isSelfSigned(c: X509Certificate): boolean {
  return c.issuer === c.subject && issuedBy(c, c);
}

/** `c` names `issuer` as its issuer (name, key identifiers) and `issuer`'s key verifies its signature. */
export function issuedBy(c: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return c.checkIssued(issuer) && c.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export interface ChainCheck {
  /** Every certificate is signed by the next, and the last is a self-signed root. */
  complete: boolean;
  /** Index of the certificate whose issuer is missing or does not verify. */
  brokenAt?: number;
  /** Issuer name that is missing, when incomplete. */
  missingIssuer?: string;
}

/**
 * The chain as the handshake saw it, leaf first (what the server sent, completed by Node
 * from the trust store): complete when it links up to a self-signed root. A leaf whose
 * issuer neither the server sent nor the store holds makes it incomplete (the server
 * must send its intermediates: RFC 8446 §4.4.2, RFC 5246 §7.4.2).
 */
export function checkChain(chain: X509Certificate[]): ChainCheck {
  if (!chain.length) return { complete: false, brokenAt: 0 };
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!issuedBy(chain[i]!, chain[i + 1]!)) return { complete: false, brokenAt: i, missingIssuer: chain[i]!.issuer };
  }
  const last = chain[chain.length - 1]!;
  return isSelfSigned(last) ? { complete: true } : { complete: false, brokenAt: chain.length - 1, missingIssuer: last.issuer };
}

/** Certificates whose own signature uses MD5/SHA-1; self-signed roots are exempt (their signature is never checked). */
export function weakSignatures(chain: X509Certificate[]): { index: number; subject: string; algorithm: SignatureAlgorithm }[] {
  const out: { index: number; subject: string; algorithm: SignatureAlgorithm }[] = [];
  chain.forEach((c, index) => {
    const algorithm = signatureAlgorithm(c.raw);
    if (algorithm?.weakDigest && !(index > 0 && isSelfSigned(c))) out.push({ index, subject: c.subject, algorithm });
  });
  return out;
}

/** A compact, JSON-friendly description for evidence and `mxdoctor tls`. */
export function describeCert(c: X509Certificate, now: Date) {
  const v = validity(c, now);
  return {
    subject: c.subject.replace(/\n/g, ', '), issuer: c.issuer.replace(/\n/g, ', '), serial: c.serialNumber,
    notBefore: v.notBefore, notAfter: v.notAfter, daysLeft: v.daysLeft, san: sanList(c),
    key: keyInfo(c).text, signature: signatureAlgorithm(c.raw)?.name ?? 'unknown', sha256: c.fingerprint256,
  };
}

/**
 * Validity of a chain as served or stored: the leaf and every intermediate count (an expired
 * intermediate breaks the chain too), a self-signed root after the leaf does not (clients use
 * their own copy of a trust anchor). The first expired, the first not yet valid, the soonest to expire.
 */
export function chainValidity(chain: X509Certificate[], now: Date): {
  expired?: { i: number; v: Validity }; future?: { i: number; v: Validity }; soonest: { i: number; v: Validity };
} {
  const checked = chain.map((c, i) => ({ c, i, v: validity(c, now) })).filter(({ c, i }) => i === 0 || !isSelfSigned(c));
  const pick = (x: { i: number; v: Validity } | undefined) => (x ? { i: x.i, v: x.v } : undefined);
  const soonest = checked.reduce((a, b) => (b.v.daysLeft < a.v.daysLeft ? b : a));
  return {
    expired: pick(checked.find((x) => x.v.state === 'expired')),
    future: pick(checked.find((x) => x.v.state === 'not-yet-valid')),
    soonest: { i: soonest.i, v: soonest.v },
  };
}
