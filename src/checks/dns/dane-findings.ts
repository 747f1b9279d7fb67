// Finding definitions of the DANE check (kept apart so dane.ts stays small).
import type { FindingDef } from '../../core/finding.js';

export const DANE_FINDINGS = {
  present: {
    id: 'dane.present', severity: 'ok', title: 'DANE TLSA records are published and DNSSEC-validated',
    meaning: 'DANE-capable senders (Postfix, Exim, many providers) require TLS to this MX host and authenticate its certificate against these records.',
    refs: ['RFC 7672 §2.2', 'RFC 6698 §2.1'],
  },
  notApplicable: {
    id: 'dane.not-applicable', severity: 'info', title: 'DANE does not apply: the MX records are not DNSSEC-validated',
    meaning: 'Senders use TLSA records only for MX hosts reached through a DNSSEC-validated MX RRset: with an insecure MX RRset an attacker could substitute MX hosts of their choice, so Postfix, Exim and other DANE senders do not look the TLSA records up (RFC 7672 §2.2.1). TLSA records of the MX hosts then have no effect. A warning when the domain publishes TLSA records for its own MX hosts (they were meant to protect mail and do not).',
    remediation: 'Sign the mail domain\'s zone (DNSSEC, DS at the registrar) so its MX RRset validates; until then use MTA-STS to require authenticated TLS.',
    refs: ['RFC 7672 §2.2', 'RFC 7672 §2.2.1'],
  },
  none: {
    id: 'dane.none', severity: 'info', title: 'No DANE TLSA record for an MX host',
    meaning: 'Without TLSA records (and DNSSEC), senders cannot insist on authenticated TLS to this host: an attacker on the path can strip STARTTLS. MTA-STS is the alternative for unsigned domains; Gmail and Microsoft 365 hosted MX hosts publish none.',
    remediation: 'If the MX host\'s zone is DNSSEC-signed, publish "_25._tcp.<mx> TLSA 3 1 1 <sha256 of the public key>" plus a second record for the next key.',
    refs: ['RFC 7672 §1.3', 'RFC 7672 §3.1'],
  },
  invalid: {
    id: 'dane.tlsa-invalid', severity: 'warning', title: 'A TLSA record is malformed',
    meaning: 'The record has an unknown usage, selector or matching type, or a digest of the wrong length (SHA-256 is 32 bytes, SHA-512 64). Senders ignore unusable records; if none is usable, they use TLS without authentication.',
    remediation: 'Regenerate the record, e.g. "3 1 1 $(openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex)".',
    refs: ['RFC 6698 §2.1', 'RFC 7672 §2.2'],
  },
  pkixUsage: {
    id: 'dane.pkix-usage', severity: 'warning', title: 'TLSA usage PKIX-TA (0) or PKIX-EE (1) is not for SMTP',
    meaning: 'SMTP senders treat certificate usages 0 and 1 as unusable (there is no agreed set of trusted CAs for MX hosts), so these records give no protection.',
    remediation: 'Publish usage 3 (DANE-EE, "3 1 1 …") or 2 (DANE-TA, "2 1 1 …") instead.',
    refs: ['RFC 7672 §3.1.3'],
  },
  insecure: {
    id: 'dane.insecure', severity: 'warning', title: 'TLSA records are published but not DNSSEC-validated',
    meaning: 'Senders only use TLSA records that validate with DNSSEC; here the zone is unsigned or its chain does not validate, so the records are ignored.',
    remediation: 'Sign the zone of the MX host (and publish its DS at the parent), or remove the TLSA records.',
    refs: ['RFC 7672 §2.2', 'RFC 6698 §4.1'],
  },
  validationUnknown: {
    id: 'dane.validation-unknown', severity: 'unknown', title: 'Could not tell whether the TLSA records validate',
    meaning: 'The MX host\'s zone has DS records but the resolver does not validate DNSSEC, so whether senders can use the TLSA records is unknown.',
    remediation: 'Point --resolver at a validating resolver you trust.',
    refs: ['RFC 7672 §2.2'],
  },
  bogus: {
    id: 'dane.tlsa-bogus', severity: 'critical', title: 'The TLSA lookup fails DNSSEC validation',
    meaning: 'The resolver answers SERVFAIL for the TLSA records, but answers with validation off (CD bit): the chain is broken. DANE senders cannot tell whether TLSA records exist and defer mail to this host.',
    remediation: 'Repair the DNSSEC chain of the zone holding _25._tcp.<mx> (re-sign, fix the DS).',
    refs: ['RFC 7672 §2.1.1', 'RFC 4035 §5.5'],
  },
  lookupFailed: {
    id: 'dane.lookup-failed', severity: 'unknown', title: 'Could not look up TLSA records',
    meaning: 'The TLSA lookup timed out or failed, also with validation off. DANE senders defer mail while TLSA lookups fail.',
    remediation: 'Retry, or use another resolver with --resolver; make sure the name servers answer TLSA queries (some old servers drop unknown types).',
    refs: ['RFC 7672 §2.1.1'],
  },
  noRollover: {
    id: 'dane.no-rollover', severity: 'info', title: 'No TLSA rollover scheme',
    meaning: 'Only one usable TLSA record: when the key or certificate changes, DANE senders fail until the new record is published and cached. Internet.nl expects "3 x x + 3 x x" (current and next key) or "3 x x + 2 x x" (key and issuing CA).',
    remediation: 'Publish the next key\'s record next to the current one before each change (e.g. "3 1 1 <current>" and "3 1 1 <next>").',
    refs: ['RFC 7671 §8.1', 'RFC 7672 §3.1'],
  },
} satisfies Record<string, FindingDef>;
