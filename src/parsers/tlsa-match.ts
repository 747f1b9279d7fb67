// Does a presented certificate chain match TLSA records? RFC 6698 §2.1 fields, with the
// SMTP rules of RFC 7672 §3.1: DANE-EE(3) matches the leaf, DANE-TA(2) a CA certificate
// the server sent that the leaf chains up to; PKIX usages (0/1) are not used for SMTP.
// Pure: node:crypto hashing only.
import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import type { Tlsa } from './tlsa.js';
import { isUsableForSmtp } from './tlsa.js';
import { issuedBy } from './certificate.js';

/** The association data for a certificate under a selector and matching type (RFC 6698 §2.1.2-§2.1.3). */
export function associationData(cert: X509Certificate, selector: number, matchingType: number): string | undefined {
  const bytes = selector === 0 ? cert.raw : selector === 1 ? cert.publicKey.export({ type: 'spki', format: 'der' }) : undefined;
  if (!bytes) return undefined;
  if (matchingType === 0) return Buffer.from(bytes).toString('hex');
  if (matchingType === 1) return createHash('sha256').update(bytes).digest('hex');
  if (matchingType === 2) return createHash('sha512').update(bytes).digest('hex');
  return undefined;
}

export interface TlsaMatch {
  /** The usable record that matched, if any. */
  record?: Tlsa;
  /** Chain index it matched (0 = leaf). */
  index?: number;
  /** Records considered (usable for SMTP). */
  usable: Tlsa[];
}

export function matchTlsa(records: Tlsa[], chain: X509Certificate[]): TlsaMatch {
  const usable = records.filter(isUsableForSmtp);
  for (const record of usable) {
    if (record.usage === 3) {
      if (chain[0] && associationData(chain[0], record.selector, record.matchingType) === record.hex) return { record, index: 0, usable };
      continue;
    }
    // DANE-TA: any CA certificate in the chain above the leaf, with every link up to it verified.
    for (let i = 1; i < chain.length; i++) {
      if (!issuedBy(chain[i - 1]!, chain[i]!)) break;
      if (associationData(chain[i]!, record.selector, record.matchingType) === record.hex) return { record, index: i, usable };
    }
  }
  return { usable };
}
