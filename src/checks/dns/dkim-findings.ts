// Every finding the DKIM family can emit (RFC 6376 §3.6, RFC 8301, RFC 8463).
import type { FindingDef } from '../../core/finding.js';

export const F = {
  found: { id: 'dkim.key-found', severity: 'ok', title: 'DKIM key found', meaning: 'A selector publishes a usable DKIM public key (type and size in the detail).', refs: ['RFC 6376 §3.6.1', 'RFC 8301 §3.2'] },
  lookupFailed: {
    id: 'dkim.lookup-failed', severity: 'unknown', title: 'Could not look up a DKIM selector',
    meaning: 'The TXT query for <selector>._domainkey.<domain> timed out, answered SERVFAIL or was refused, so whether that key exists is unknown.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
  notFound: {
    id: 'dkim.selector-not-found', severity: 'warning', title: 'No DKIM key at a selector you named',
    meaning: 'The selector given with --dkim-selector has no TXT record, so signatures made with it cannot be verified and DKIM fails.',
    remediation: 'Check the selector in the DKIM-Signature header (s=) of a sent message, and publish its public key at <selector>._domainkey.<domain>.',
    refs: ['RFC 6376 §3.6.2.1', 'RFC 6376 §6.1.2'],
  },
  invalidSelector: {
    id: 'dkim.invalid-selector', severity: 'warning', title: 'A selector you named is not a valid DNS label sequence',
    meaning: 'A DKIM selector is one or more DNS labels (letters, digits, hyphen, underscore, dots between); this one cannot be looked up.',
    remediation: 'Give only the selector (the s= value of the DKIM-Signature header), e.g. --dkim-selector selector1.',
    refs: ['RFC 6376 §3.1'],
  },
  noneGuessed: {
    id: 'dkim.none-found', severity: 'info', title: 'No DKIM key under the common selectors tried',
    meaning: 'None of the common selectors has a key, or _domainkey.<domain> does not exist at all (NXDOMAIN: then nothing below it can, and the common selectors are not queried). This proves nothing about signing: selectors are chosen freely and cannot be listed from DNS, so the domain may well sign with a selector not on the list.',
    refs: ['RFC 6376 §3.6.2.1', 'RFC 8020 §2'],
  },
  notChecked: {
    id: 'dkim.not-checked', severity: 'info', title: 'DKIM not checked: no selector to try',
    meaning: 'No selector was given and guessing is off, so no DKIM key was looked up.',
  },
  syntax: {
    id: 'dkim.syntax-error', severity: 'critical', title: 'The DKIM key record has a syntax error',
    meaning: 'Verifiers discard a key record that does not parse (tag=value list, v=DKIM1 first if present, p= required), so signatures with this selector fail.',
    remediation: 'Publish the record exactly as your mail system or provider generated it: "v=DKIM1; k=rsa; p=<base64 key>".',
    refs: ['RFC 6376 §3.6.1', 'RFC 6376 §3.2'],
  },
  multiple: {
    id: 'dkim.multiple-records', severity: 'warning', title: 'Several DKIM key records at one selector',
    meaning: 'With more than one key record at a selector, which one a verifier uses is undefined; signatures fail at random when the keys differ.',
    remediation: 'Keep one TXT record per selector; use a new selector for a new key.',
    refs: ['RFC 6376 §3.6.2.2'],
  },
  revoked: {
    id: 'dkim.key-revoked', severity: 'warning', title: 'DKIM key revoked (empty p=)',
    meaning: 'An empty p= means the key was revoked: signatures with this selector fail. That is right for a retired selector, wrong if mail is still signed with it.',
    remediation: 'If this selector is still in use, publish its public key; otherwise nothing to do (or remove the record).',
    refs: ['RFC 6376 §3.6.1'],
  },
  invalidKey: {
    id: 'dkim.key-invalid', severity: 'critical', title: 'The DKIM public key cannot be decoded',
    meaning: 'p= is not valid base64 or does not hold a key of the stated type, so every signature with this selector fails.',
    remediation: 'Copy the public key again from your signing system (one line, no quotes or spaces inside), e.g. "v=DKIM1; k=rsa; p=MIIBIjAN…".',
    refs: ['RFC 6376 §3.6.1'],
  },
  unknownType: {
    id: 'dkim.unknown-key-type', severity: 'critical', title: 'Unknown DKIM key type',
    meaning: 'k= names an algorithm verifiers do not implement (they know rsa and ed25519), so signatures fail.',
    remediation: 'Use k=rsa (or k=ed25519 next to an RSA key).',
    refs: ['RFC 6376 §3.6.1', 'RFC 8463'],
  },
  notForEmail: {
    id: 'dkim.not-for-email', severity: 'critical', title: 'The DKIM key is not for e-mail (s=)',
    meaning: 's= lists service types without "email" or "*", so verifiers must not use the key for mail.',
    remediation: 'Remove s= or set s=email.',
    refs: ['RFC 6376 §3.6.1'],
  },
  tooWeak: {
    id: 'dkim.key-too-weak', severity: 'critical', title: 'RSA DKIM key shorter than 1024 bits',
    meaning: 'Verifiers must not accept signatures from RSA keys under 1024 bits, and such keys can be factored: DKIM fails and can be forged.',
    remediation: 'Generate a 2048-bit RSA key under a new selector, publish it, switch signing to it, then revoke the old one.',
    refs: ['RFC 8301 §3.2'],
  },
  short: {
    id: 'dkim.key-short', severity: 'warning', title: 'RSA DKIM key shorter than 2048 bits',
    meaning: 'Signers SHOULD use at least 2048-bit RSA keys; 1024-bit keys still verify but are considered weak and some receivers rate them down.',
    remediation: 'Rotate to a 2048-bit RSA key under a new selector (most providers offer this), then revoke the old one.',
    refs: ['RFC 8301 §3.2'],
  },
  testing: {
    id: 'dkim.testing', severity: 'warning', title: 'DKIM key in testing mode (t=y)',
    meaning: 'With t=y verifiers must treat signed mail like unsigned mail even when the signature verifies, so DKIM gives no protection.',
    remediation: 'Remove the t=y flag once signing works.',
    refs: ['RFC 6376 §3.6.1'],
  },
  sha1Only: {
    id: 'dkim.sha1-only', severity: 'warning', title: 'DKIM key allows only SHA-1',
    meaning: 'h= restricts the key to sha1, but rsa-sha1 must no longer be used for signing or verifying; verifiers that follow RFC 8301 reject those signatures.',
    remediation: 'Remove h= (or set h=sha256) and sign with rsa-sha256.',
    refs: ['RFC 8301 §3.1', 'RFC 6376 §3.6.1'],
  },
  ed25519Only: {
    id: 'dkim.ed25519-only', severity: 'info', title: 'Only Ed25519 DKIM keys found',
    meaning: 'Many verifiers do not implement Ed25519 yet, so RFC 8463 expects signers to add an RSA signature as well.',
    refs: ['RFC 8463 §1'],
  },
} satisfies Record<string, FindingDef>;
