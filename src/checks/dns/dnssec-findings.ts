// Finding definitions of the DNSSEC check (kept apart so dnssec.ts stays small).
import type { FindingDef } from '../../core/finding.js';

const RETRY_VALIDATING = 'Retry, or point --resolver at a validating resolver (e.g. a local Unbound) you trust.';

export const DNSSEC_FINDINGS = {
  signed: {
    id: 'dnssec.signed', severity: 'ok', title: 'The domain is DNSSEC-signed and validates',
    meaning: 'A validating resolver authenticated the domain\'s answers (AD bit): senders can trust its MX, TLSA and policy records.',
    refs: ['RFC 4035 §3.2.3', 'RFC 4033'],
  },
  unsigned: {
    id: 'dnssec.unsigned', severity: 'warning', title: 'The domain is not DNSSEC-signed',
    meaning: 'There is no DS record at the parent zone, so no validator can authenticate the domain\'s records: its MX (and any TLSA) answers can be forged by an attacker on the path, who can then redirect or read mail, and there is no DANE for its MX hosts (senders only use TLSA records reached through a validated MX RRset). Mail still flows; internet.nl fails such a domain and Hardenize warns.',
    remediation: 'Sign the zone at your DNS provider and publish the DS record at your registrar; then DANE (TLSA for the MX hosts) becomes possible.',
    refs: ['RFC 4035 §5.2', 'RFC 7672 §2.2.1', 'RFC 7672 §1.3'],
  },
  bogus: {
    id: 'dnssec.bogus', severity: 'critical', title: 'DNSSEC is broken: validating resolvers cannot reach the domain',
    meaning: 'The resolver answers SERVFAIL, but answers when asked not to validate (CD bit): the chain of trust is broken (expired signatures, DS that matches no DNSKEY, a botched key rollover). Every validating resolver, including those of large mail providers, fails to resolve the domain, so mail to it is deferred and then bounced.',
    remediation: 'Check the chain with a DNSSEC debugger (e.g. dnsviz.net); fix or re-sign the zone, make the DS at the registrar match a published DNSKEY, or remove the DS to go unsigned while you repair it.',
    refs: ['RFC 4035 §5.5', 'RFC 4035 §3.2.2'],
  },
  notValidated: {
    id: 'dnssec.not-validated', severity: 'warning', title: 'DS records are published, but the domain does not validate',
    meaning: 'The parent publishes DS records, and the resolver validates other names, yet the domain\'s answers are not authenticated. Usually the algorithm is unsupported by the resolver or the parent zone itself is unsigned (an island of security): the domain gets none of DNSSEC\'s protection.',
    remediation: 'Use a widely supported algorithm (13 ECDSAP256SHA256 or 8 RSASHA256) and check the chain with a DNSSEC debugger (e.g. dnsviz.net).',
    refs: ['RFC 4035 §5.2', 'RFC 6840 §5.2', 'RFC 8624 §3.1'],
  },
  resolverNotValidating: {
    id: 'dnssec.resolver-not-validating', severity: 'unknown', title: 'The resolver does not validate DNSSEC: signed names could not be checked',
    meaning: 'DS records show that the domain or an MX host is signed, but the resolver sets the AD bit on nothing, not even the root zone or the TLD: it does not validate, so whether the chain of trust works is unknown.',
    remediation: RETRY_VALIDATING,
    refs: ['RFC 4035 §3.2.3', 'RFC 6840 §5.8'],
  },
  lookupFailed: {
    id: 'dnssec.lookup-failed', severity: 'unknown', title: 'Could not determine the domain\'s DNSSEC status',
    meaning: 'A lookup needed to judge DNSSEC (the domain\'s SOA, its zone or the DS at the parent) timed out or failed, also with validation switched off.',
    remediation: RETRY_VALIDATING,
  },
  weakDs: {
    id: 'dnssec.ds-deprecated-algorithm', severity: 'warning', title: 'DS records use a deprecated algorithm or digest',
    meaning: 'RFC 8624 says signing algorithms RSAMD5, DSA, ECC-GOST MUST NOT (and RSASHA1 variants, RSASHA512 should not) be used, and DS digests SHA-1 and GOST MUST NOT be used. Validators increasingly treat them as insecure.',
    remediation: 'Roll the key to algorithm 13 (ECDSAP256SHA256) or 8 (RSASHA256) and publish DS records with digest type 2 (SHA-256).',
    refs: ['RFC 8624 §3.1', 'RFC 8624 §3.3'],
  },
  mxSigned: {
    id: 'dnssec.mx-signed', severity: 'ok', title: 'MX hosts are in DNSSEC-validated zones',
    meaning: 'The address records of these MX hosts validate, so senders can use DANE for them.',
    refs: ['RFC 7672 §2.2'],
  },
  mxUnsigned: {
    id: 'dnssec.mx-unsigned', severity: 'info', title: 'An MX host\'s zone is not DNSSEC-signed',
    meaning: 'The MX host\'s zone has no DS at its parent: its addresses cannot be authenticated and DANE TLSA records for it would be ignored. Common when mail is hosted by a provider whose zone is unsigned.',
    remediation: 'If you run the MX host\'s zone, sign it; otherwise ask the provider, or accept it.',
    refs: ['RFC 7672 §2.2.1'],
  },
  mxBogus: {
    id: 'dnssec.mx-bogus', severity: 'critical', title: 'An MX host\'s DNSSEC is broken',
    meaning: 'The resolver answers SERVFAIL for the MX host, but answers with validation off (CD bit): validating senders cannot resolve the host and cannot deliver to it.',
    remediation: 'Repair the DNSSEC chain of the MX host\'s zone (re-sign, fix the DS), or point the MX at a host whose zone validates.',
    refs: ['RFC 4035 §5.5'],
  },
  mxNotValidated: {
    id: 'dnssec.mx-not-validated', severity: 'warning', title: 'An MX host\'s zone has DS records but does not validate',
    meaning: 'The parent publishes DS for the MX host\'s zone, yet the validating resolver does not authenticate the host: it gets no DNSSEC protection and DANE for it is ignored.',
    remediation: 'Check the zone\'s chain with a DNSSEC debugger (e.g. dnsviz.net); use a widely supported algorithm.',
    refs: ['RFC 4035 §5.2', 'RFC 6840 §5.2'],
  },
  mxLookupFailed: {
    id: 'dnssec.mx-lookup-failed', severity: 'unknown', title: 'Could not determine an MX host\'s DNSSEC status',
    meaning: 'A lookup needed to judge the MX host\'s DNSSEC status timed out or failed, also with validation switched off.',
    remediation: RETRY_VALIDATING,
  },
} satisfies Record<string, FindingDef>;
