// DKIM public key records (RFC 6376 §3.6.1), key algorithms per RFC 8301 (RSA sizes,
// no SHA-1) and RFC 8463 (Ed25519). Pure: node:crypto only decodes the key bytes.
// Never throws; problems are returned as issues.
import { createPublicKey } from 'node:crypto';
import { parseTagList } from './tag-list.js';

export type DkimIssueKind = 'syntax' | 'unknown-key-type' | 'key-invalid' | 'not-for-email';

export interface DkimIssue {
  kind: DkimIssueKind;
  message: string;
}

export interface DkimKey {
  raw: string;
  /** Tag name → value (tag names are case-sensitive, §3.2). */
  tags: Record<string, string>;
  /** k=, default rsa. */
  keyType: string;
  /** Empty p= : the key has been revoked (§3.6.1). */
  revoked: boolean;
  /** RSA modulus length in bits. */
  bits?: number;
  /** h= hash algorithms, when restricted. */
  hashes?: string[];
  /** t=y: the domain is testing DKIM. */
  testing: boolean;
  /** t=s: the i= domain must equal d= (no subdomains). */
  strict: boolean;
  issues: DkimIssue[];
}

/** Whether a TXT text plausibly is a DKIM key, to tell it from unrelated (e.g. wildcard) records. */
export function looksLikeDkimKey(text: string): boolean {
  return /^\s*v\s*=\s*DKIM1/i.test(text) || /(^|;)\s*p\s*=/.test(text);
}

export function parseDkimKey(raw: string): DkimKey {
  const key: DkimKey = { raw, tags: {}, keyType: 'rsa', revoked: false, testing: false, strict: false, issues: [] };
  const issue = (kind: DkimIssueKind, message: string) => key.issues.push({ kind, message });
  const list = parseTagList(raw.trim());
  for (const e of list.errors) issue('syntax', `at character ${e.pos + 1}: ${e.message}`);
  for (const d of list.duplicates) issue('syntax', `the tag "${d}" appears more than once, which makes the record invalid (§3.2)`);
  for (const t of list.tags) if (!(t.name in key.tags)) key.tags[t.name] = t.value;
  // §3.6.1: v is optional, but if present it MUST be first and exactly DKIM1.
  const vAt = list.tags.findIndex((t) => t.name === 'v');
  if (vAt > 0) issue('syntax', 'v=DKIM1 must be the first tag when present');
  if (vAt >= 0 && key.tags.v !== 'DKIM1') issue('syntax', `v=${key.tags.v} must be exactly "DKIM1"; verifiers discard the record`);
  if (key.tags.k !== undefined) key.keyType = key.tags.k.toLowerCase();
  if (key.tags.h !== undefined) key.hashes = key.tags.h.split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const flags = (key.tags.t ?? '').split(':').map((f) => f.trim().toLowerCase());
  key.testing = flags.includes('y');
  key.strict = flags.includes('s');
  if (key.tags.s !== undefined) {
    const services = key.tags.s.split(':').map((s) => s.trim().toLowerCase());
    if (!services.includes('*') && !services.includes('email')) issue('not-for-email', `s=${key.tags.s}: the key is restricted to services other than email`);
  }
  if (key.tags.p === undefined) {
    issue('syntax', 'the required p= tag (the public key) is missing');
    return key;
  }
  const b64 = key.tags.p.replace(/\s+/g, '');
  if (b64 === '') {
    key.revoked = true;
    return key;
  }
  if (key.keyType !== 'rsa' && key.keyType !== 'ed25519') {
    issue('unknown-key-type', `k=${key.tags.k} is not a key type verifiers know (rsa, ed25519)`);
    return key;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1) {
    issue('key-invalid', 'p= is not valid base64');
    return key;
  }
  decodeKey(key, Buffer.from(b64, 'base64'));
  return key;
}

function decodeKey(key: DkimKey, der: Buffer): void {
  if (key.keyType === 'ed25519') {
    // RFC 8463 §4.2: the raw 32-byte public key, not an SPKI structure.
    if (der.length !== 32) key.issues.push({ kind: 'key-invalid', message: `an Ed25519 key must be 32 bytes, this one is ${der.length}` });
    return;
  }
  const decoded = rsaKeyInfo(der);
  if (decoded.kind === 'rsa') {
    key.bits = decoded.bits;
    return;
  }
  if (decoded.kind === 'other') {
    key.issues.push({ kind: 'key-invalid', message: `k=rsa but p= holds a ${decoded.type} key` });
    return;
  }
  key.issues.push({ kind: 'key-invalid', message: 'p= does not decode to an RSA public key (SubjectPublicKeyInfo or RSAPublicKey DER)' });
}

type KeyInfo = { kind: 'rsa'; bits: number | undefined } | { kind: 'other'; type: string } | { kind: 'invalid' };

// Bulk audits meet the same provider keys (CNAMEd selectors) thousands of times, and
// createPublicKey costs about as much as the DNS lookups of a domain: remember recent answers.
const KEY_CACHE = new Map<string, KeyInfo>();
const KEY_CACHE_MAX = 2000;

function rsaKeyInfo(der: Buffer): KeyInfo {
  const cacheKey = der.toString('base64');
  const hit = KEY_CACHE.get(cacheKey);
  if (hit) return hit;
  let info: KeyInfo = { kind: 'invalid' };
  // RFC 6376 says RSAPublicKey, but practice (and errata 3017) is SubjectPublicKeyInfo: accept both.
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const k = createPublicKey({ key: der, format: 'der', type });
      info = k.asymmetricKeyType === 'rsa' ? { kind: 'rsa', bits: k.asymmetricKeyDetails?.modulusLength } : { kind: 'other', type: k.asymmetricKeyType ?? 'non-RSA' };
      break;
    } catch {
      // try the next encoding
    }
  }
  if (KEY_CACHE.size >= KEY_CACHE_MAX) KEY_CACHE.delete(KEY_CACHE.keys().next().value!);
  KEY_CACHE.set(cacheKey, info);
  return info;
}
