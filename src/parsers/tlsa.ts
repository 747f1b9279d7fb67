// TLSA records (RFC 6698 §2.1, RFC 7218 acronyms) judged for SMTP (RFC 7672): what the
// fields mean and whether a sender can use the record at all. Pure: no I/O.

export const MATCHING_NAMES = ['Full', 'SHA2-256', 'SHA2-512'] as const;

/** Digest lengths for matching types 1 and 2 (RFC 6698 §2.1.3). */
const DIGEST_BYTES: Record<number, number> = { 1: 32, 2: 64 };

export interface Tlsa {
  usage: number;
  selector: number;
  matchingType: number;
  /** The certificate association data, lower-case hex. */
  hex: string;
  /** "3 1 1 abcd…" presentation form (digest shortened for display). */
  text: string;
  /** Why a sender would ignore this record; empty when usable for SMTP. */
  problems: string[];
  /** Usage 0/1 (PKIX-TA/PKIX-EE): RFC 7672 §3.1.3 says SMTP clients treat these as unusable. */
  pkix: boolean;
}

/**
 * Parse the rdata of one TLSA record as the DNS client hands it over: dns-packet's
 * { usage, selector, matchingType, certificate: Buffer }. Anything else yields a record
 * whose `problems` say so, never an exception.
 */
export function parseTlsa(data: unknown): Tlsa {
  const d = (data ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : -1);
  const usage = num(d.usage);
  const selector = num(d.selector);
  const matchingType = num(d.matchingType);
  const bytes = asBytes(d.certificate);
  const hex = bytes ? bytes.toString('hex') : '';
  const problems: string[] = [];
  if (usage < 0 || usage > 3) problems.push(`unknown certificate usage ${usage} (RFC 6698 §2.1.1 defines 0-3)`);
  if (selector < 0 || selector > 1) problems.push(`unknown selector ${selector} (0 full certificate, 1 SubjectPublicKeyInfo)`);
  if (matchingType < 0 || matchingType > 2) problems.push(`unknown matching type ${matchingType} (0 full, 1 SHA-256, 2 SHA-512)`);
  if (!bytes || bytes.length === 0) problems.push('empty certificate association data');
  else if (DIGEST_BYTES[matchingType] !== undefined && bytes.length !== DIGEST_BYTES[matchingType]) {
    problems.push(`${MATCHING_NAMES[matchingType]} digest must be ${DIGEST_BYTES[matchingType]} bytes, found ${bytes.length}`);
  } else if (matchingType === 0 && bytes[0] !== 0x30) {
    // A full certificate or SubjectPublicKeyInfo is a DER SEQUENCE (tag 0x30).
    problems.push('matching type 0 needs the DER certificate or public key, which must start with a SEQUENCE (0x30)');
  }
  const pkix = usage === 0 || usage === 1;
  const shown = hex.length > 24 ? `${hex.slice(0, 24)}…` : hex;
  return { usage, selector, matchingType, hex, text: `${usage} ${selector} ${matchingType} ${shown}`, problems, pkix };
}

/** Usable by an SMTP client under RFC 7672: well-formed and usage DANE-TA(2) or DANE-EE(3). */
export function isUsableForSmtp(t: Tlsa): boolean {
  return t.problems.length === 0 && !t.pkix;
}

/**
 * Internet.nl's rollover scheme: "3 x x + 3 x x" (current and next key) or
 * "3 x x + 2 x x" (key plus issuing CA), so one key can change without an outage
 * (RFC 7671 §8.1 publishes the new record before the key changes).
 */
export function hasRolloverScheme(records: Tlsa[]): boolean {
  const usable = records.filter(isUsableForSmtp);
  const ee = usable.filter((t) => t.usage === 3);
  const ta = usable.filter((t) => t.usage === 2);
  const distinctEe = new Set(ee.map((t) => `${t.selector}${t.matchingType}${t.hex}`)).size;
  return distinctEe >= 2 || (ee.length >= 1 && ta.length >= 1);
}

function asBytes(v: unknown): Buffer | undefined {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string' && /^([0-9a-f]{2})*$/i.test(v)) return Buffer.from(v, 'hex');
  return undefined;
}
