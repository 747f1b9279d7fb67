// Finding definitions of the `cert` family. Trust-related findings (untrusted, name
// mismatch, self-signed, incomplete chain, SHA-1) are critical where clients verify
// (submission, IMAP, POP3: RFC 8314 §4.1) and warnings on port 25 (see MX_NOTE).
import type { FindingDef } from '../../core/finding.js';

const MX_NOTE = ' On port 25 this is a warning, not critical: most sending MTAs use opportunistic TLS without verifying the certificate (RFC 7435; internet.nl rates MX certificate trust as optional), so mail still flows. Senders that enforce MTA-STS (Gmail, Microsoft) do verify and will NOT deliver, and DANE senders ignore the name and CA entirely (RFC 7672 §3.1). On submission, IMAP and POP3 ports clients verify (RFC 8314 §4.1), so there it is critical.';

export const CERT_FINDINGS = {
  expired: {
    id: 'cert.expired', severity: 'critical', title: 'Certificate expired',
    meaning: 'The certificate (or an intermediate in its chain) is past its notAfter date. Verifying clients refuse the connection; MTA-STS senders refuse delivery.',
    remediation: 'Renew the certificate and reload the server (Postfix: postfix reload; Dovecot: doveadm reload); automate renewal (ACME) and its reload hook.',
    refs: ['RFC 5280 §4.1.2.5'],
  },
  expiresSoon: {
    id: 'cert.expires-soon', severity: 'warning', title: 'Certificate expires soon',
    meaning: 'The certificate expires within the warning threshold (--cert-warn-days, default 30); critical within --cert-crit-days (default 7). ACME certificates renew 30 days ahead, so one this close usually means renewal or the reload after it is failing.',
    remediation: 'Renew the certificate now and check that the renewal job also reloads the mail server.',
    refs: ['RFC 5280 §4.1.2.5'],
  },
  validityOk: {
    id: 'cert.validity-ok', severity: 'ok', title: 'Certificate valid',
    meaning: 'The certificate is within its validity period and not close to expiry.',
  },
  notYetValid: {
    id: 'cert.not-yet-valid', severity: 'critical', title: 'Certificate not yet valid',
    meaning: 'The certificate\'s notBefore date is in the future: verifying clients reject it. Either a certificate was installed too early or a clock (ours or the CA\'s) is wrong.',
    remediation: 'Check the system clocks (NTP); serve the previous certificate until the new one is valid.',
    refs: ['RFC 5280 §4.1.2.5'],
  },
  nameMismatch: {
    id: 'cert.name-mismatch', severity: 'critical', title: 'Certificate does not name the host',
    meaning: 'None of the certificate\'s subjectAltName DNS names (wildcards per RFC 6125 §6.4.3) matches the host name clients connect to.' + MX_NOTE,
    remediation: 'Issue a certificate whose subjectAltName includes the host name (the MX host, or the name in the SRV record / client settings).',
    refs: ['RFC 6125 §6.4', 'RFC 8314 §4.1', 'RFC 7672 §3.1'],
  },
  nameOk: {
    id: 'cert.name-ok', severity: 'ok', title: 'Certificate names the host',
    meaning: 'The host name matches a subjectAltName of the certificate (RFC 6125 §6.4).',
  },
  untrusted: {
    id: 'cert.untrusted', severity: 'critical', title: 'Certificate not trusted',
    meaning: 'The chain does not verify against the system trust store (plus --ca files) for a reason not reported separately (expiry, self-signed, incomplete chain, SHA-1): e.g. a private or unknown CA, or a revoked/invalid signature.' + MX_NOTE,
    remediation: 'Use a certificate from a publicly trusted CA (e.g. Let\'s Encrypt); for a private CA pass its certificate with --ca.',
    refs: ['RFC 5280 §6', 'RFC 8314 §4.1'],
  },
  trusted: {
    id: 'cert.trusted', severity: 'ok', title: 'Certificate chain trusted',
    meaning: 'The chain verifies against the system trust store (plus --ca files). The host name is judged separately (cert.name-ok / cert.name-mismatch).',
  },
  selfSigned: {
    id: 'cert.self-signed', severity: 'critical', title: 'Self-signed certificate',
    meaning: 'The server presents a certificate signed by its own key, which no client trusts unless configured to.' + MX_NOTE,
    remediation: 'Replace it with a CA-issued certificate (ACME/Let\'s Encrypt is free); for DANE-only MX hosts publish a "3 1 1" TLSA record instead.',
    refs: ['RFC 5280 §6', 'RFC 7672 §3.1.1'],
  },
  chainIncomplete: {
    id: 'cert.chain-incomplete', severity: 'critical', title: 'Certificate chain incomplete',
    meaning: 'The chain does not lead to a root: the server did not send the intermediate certificate(s), and the issuer is not in the trust store. Browsers sometimes fetch missing intermediates; mail clients and MTAs do not.' + MX_NOTE,
    remediation: 'Serve the full chain: Postfix smtpd_tls_chain_files = key, then fullchain.pem (leaf first); Dovecot ssl_cert = <fullchain.pem.',
    refs: ['RFC 8446 §4.4.2', 'RFC 5246 §7.4.2'],
  },
  weakKey: {
    id: 'cert.weak-key', severity: 'warning', title: 'Weak certificate key',
    meaning: 'The key is below current minimums: RSA under 2048 bits (internet.nl: insufficient; Debian\'s OpenSSL default security level 2 refuses it), DSA, or an uncommon EC curve. Critical for RSA under 1024 bits, which can be factored.',
    remediation: 'Issue a new certificate with an RSA 2048+ (3072 preferred) or an EC P-256/P-384 key.',
    refs: ['RFC 9325 §4.3', 'NIST SP 800-131A'],
  },
  keyOk: {
    id: 'cert.key-ok', severity: 'ok', title: 'Certificate key strong enough',
    meaning: 'RSA of 2048 bits or more, EC P-256/P-384/P-521 or EdDSA.',
  },
  sha1Signature: {
    id: 'cert.sha1-signature', severity: 'critical', title: 'Certificate signed with SHA-1 (or MD5)',
    meaning: 'A certificate in the chain (not the root, whose signature nobody checks) is signed with SHA-1 or MD5, which are broken for signatures (SHAttered, 2017). OpenSSL 3 rejects such chains at its default security level.' + MX_NOTE,
    remediation: 'Reissue the certificate (and any intermediate) with a SHA-256 signature.',
    refs: ['RFC 9155', 'RFC 6151'],
  },
} satisfies Record<string, FindingDef>;
