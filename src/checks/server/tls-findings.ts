// Finding definitions of the `tls` family (transport: STARTTLS, handshake, versions, key exchange).
import type { FindingDef } from '../../core/finding.js';
import { hostLookupDefs } from './host-addresses.js';

export const TLS_FINDINGS = {
  ...hostLookupDefs('tls', 'The host given to `mxdoctor tls`'),
  connectFailed: {
    id: 'tls.connect-failed', severity: 'critical', title: 'No TCP connection to the port',
    meaning: '`mxdoctor tls`: the connection was refused (nothing listens: critical) or not answered (filtered or down: unknown, a timeout is not a refusal). In a domain check the SMTP/IMAP/POP3 findings report this instead.',
    remediation: 'Check that the service listens on this address and port and that firewalls allow it; many networks block outbound port 25.',
  },
  notTested: {
    id: 'tls.not-tested', severity: 'unknown', title: 'TLS could not be tested',
    meaning: 'The server answered the connection, but the exchange before TLS (greeting, EHLO/CAPABILITY, the STARTTLS command) failed or timed out, so nothing is known about its TLS. The protocol checks (SMTP, IMAP, POP3) say why.',
    remediation: 'Fix what the protocol findings report for this endpoint, then re-run; raise --step-timeout for a slow server.',
  },
  starttlsOffered: {
    id: 'tls.starttls-offered', severity: 'ok', title: 'STARTTLS offered and accepted',
    meaning: 'The server advertises STARTTLS (STLS for POP3) and answers the command with a go-ahead (RFC 3207 §4, RFC 2595 §3.1).',
    refs: ['RFC 3207 §4', 'RFC 2595 §3.1'],
  },
  starttlsMissing: {
    id: 'tls.starttls-missing', severity: 'critical', title: 'STARTTLS not offered or refused',
    meaning: 'The server does not advertise STARTTLS, or refuses the command, so mail (port 25) or passwords and mailboxes (587, 143, 110) travel in clear text. On port 25 senders that enforce MTA-STS or DANE will not deliver at all; internet.nl fails a mail server without it.',
    remediation: 'Enable STARTTLS with a certificate: Postfix smtpd_tls_security_level = may (port 25) or encrypt (587) with smtpd_tls_chain_files; Dovecot ssl = yes (or required) with ssl_cert/ssl_key.',
    refs: ['RFC 3207', 'RFC 8314 §3', 'RFC 2595'],
  },
  handshakeOk: {
    id: 'tls.handshake-ok', severity: 'ok', title: 'TLS handshake completed',
    meaning: 'A TLS handshake with default client settings succeeded; the detail names the protocol version, cipher and key exchange.',
  },
  handshakeFailed: {
    id: 'tls.handshake-failed', severity: 'critical', title: 'TLS handshake failed',
    meaning: 'The server accepted STARTTLS (or the implicit-TLS connection) but the TLS handshake failed: no common version or cipher, a broken certificate/key configuration, or something that is not TLS at all (a plain-text service on an implicit-TLS port). Senders then retry in clear text or not at all; clients cannot connect.',
    remediation: 'Test with `openssl s_client -connect host:port -starttls smtp` and read the server log around the failure: a missing or unreadable key file, a cipher list without modern suites, or a TLS port served by a plain-text daemon are the usual causes.',
    refs: ['RFC 8446', 'RFC 3207 §4.1'],
  },
  handshakeTimeout: {
    id: 'tls.handshake-timeout', severity: 'warning', title: 'TLS handshake did not finish in time',
    meaning: 'The connection and the exchange before TLS worked, but the handshake did not complete within the step timeout. A server stuck there (overloaded, entropy-starved, a middlebox eating the ClientHello) makes senders wait and fall back.',
    remediation: 'Re-run with a larger --step-timeout; if it persists, check the server load and any firewall or IPS that inspects TLS.',
  },
  legacyVersions: {
    id: 'tls.legacy-versions', severity: 'warning', title: 'TLS 1.0 or 1.1 still accepted',
    meaning: 'RFC 8996 deprecates TLS 1.0 and 1.1 (weak SHA-1/MD5 handshake signatures, CBC attacks); internet.nl rates them "phase out". Mail still flows, but a downgrade-capable attacker can force the weakest version both sides support.',
    remediation: 'Allow TLS 1.2 and 1.3 only: Postfix smtpd_tls_protocols = >=TLSv1.2 (and smtpd_tls_mandatory_protocols), Dovecot ssl_min_protocol = TLSv1.2.',
    refs: ['RFC 8996', 'RFC 9325 §3.1.1'],
  },
  noModernVersion: {
    id: 'tls.no-modern-version', severity: 'critical', title: 'Neither TLS 1.2 nor TLS 1.3 accepted',
    meaning: 'The server only speaks deprecated TLS versions. Current clients and MTAs (OpenSSL 3 at its default security level) refuse them, so TLS fails and mail falls back to clear text or is not delivered.',
    remediation: 'Upgrade the TLS library/server software and enable TLS 1.2 and 1.3.',
    refs: ['RFC 8996', 'RFC 9325 §3.1.1'],
  },
  noTls13: {
    id: 'tls.no-tls13', severity: 'info', title: 'TLS 1.3 not supported',
    meaning: 'The server negotiates TLS 1.2 at most. That is still acceptable (RFC 9325), but TLS 1.3 is faster and removes legacy options; any OpenSSL ≥ 1.1.1 supports it.',
    refs: ['RFC 8446', 'RFC 9325 §3.1.1'],
  },
  versionsOk: {
    id: 'tls.versions-ok', severity: 'ok', title: 'Only current TLS versions accepted',
    meaning: 'TLS 1.2 and/or 1.3 are accepted and TLS 1.0/1.1 are refused (RFC 8996).',
    refs: ['RFC 8996'],
  },
  versionUntested: {
    id: 'tls.version-untested', severity: 'unknown', title: 'Support for a TLS version could not be determined',
    meaning: 'The handshake pinned to this version timed out, could not reach TLS, or was refused by this machine\'s own TLS library rather than by the server, so whether the server accepts it is unknown (not "unsupported").',
    remediation: 'Re-run with a larger --step-timeout; for TLS 1.0/1.1, test from a machine whose OpenSSL still offers them (e.g. testssl.sh with its bundled OpenSSL).',
  },
  noForwardSecrecy: {
    id: 'tls.no-forward-secrecy', severity: 'warning', title: 'No forward secrecy',
    meaning: 'The negotiated key exchange is static RSA: whoever obtains the server\'s private key later can decrypt recorded sessions. (EC)DHE key exchange, and every TLS 1.3 handshake, prevents that.',
    remediation: 'Prefer ECDHE cipher suites (Postfix: tls_preempt_cipherlist = yes with the default "medium" list; Dovecot: ssl_cipher_list without kRSA-only suites) and enable TLS 1.3.',
    refs: ['RFC 9325 §4.1', 'RFC 8446 §1.2'],
  },
  forwardSecrecy: {
    id: 'tls.forward-secrecy', severity: 'ok', title: 'Forward secrecy',
    meaning: 'The key exchange is ephemeral (ECDHE/DHE, or TLS 1.3), so a later key compromise does not expose recorded sessions.',
  },
  summary: {
    id: 'tls.summary', severity: 'info', title: 'SMTP service summary',
    meaning: 'One line per SMTP and submission endpoint, e.g. "SMTP 25 ok (STARTTLS, TLS 1.3, cert 61 days)" (IMAP and POP3 have their own summary lines). The human report lists these lines first, under "Servers".',
  },
} satisfies Record<string, FindingDef>;
