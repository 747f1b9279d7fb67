// Finding definitions of the `send` family (`mxdoctor send`, and the send half of a round trip).
import type { FindingDef } from '../core/finding.js';

export const SEND = {
  accepted: {
    id: 'send.accepted', severity: 'ok', title: 'The server accepted the message',
    meaning: 'The final reply to DATA was 250: the server took responsibility for the message (RFC 5321 §4.1.1.4). The detail gives the queue id to look for in its log (`mxdoctor logs --trace <id>`). Accepted is not delivered: `mxdoctor roundtrip` checks that.',
    refs: ['RFC 5321 §4.1.1.4', 'RFC 6409 §3'],
  },
  quitAfter: {
    id: 'send.quit-after', severity: 'info', title: 'Stopped before DATA, as asked (--quit-after)',
    meaning: 'The session ended with QUIT at the step named by --quit-after, so no message was sent. The steps before it worked.',
  },
  connectFailed: {
    id: 'send.connect-failed', severity: 'critical', title: 'Could not connect to the submission server',
    meaning: 'The TCP connection was refused (nothing listens on the port) or reset. When the address is unreachable from here (no route, no IPv6) this cannot be told and the severity is unknown.',
    remediation: 'Check the host and port (587 STARTTLS, 465 implicit TLS), that the submission service is enabled (Postfix master.cf "submission"/"submissions") and that the firewall allows it.',
    refs: ['RFC 6409 §3.1', 'RFC 8314 §3.3'],
  },
  timeout: {
    id: 'send.timeout', severity: 'unknown', title: 'The server did not answer within the step timeout',
    meaning: 'A step (the connection, the greeting, a command, the TLS handshake or the final reply to the message) got no complete answer in time, so the outcome cannot be told: a firewall dropping packets, an overloaded server, a tarpit, or a content filter slower than --step-timeout.',
    remediation: 'Retry with a longer --step-timeout; look at the server log for the step named; check that no firewall drops the port.',
    refs: ['RFC 5321 §4.5.3.2'],
  },
  lookupFailed: {
    id: 'send.lookup-failed', severity: 'unknown', title: 'Could not look up the server\'s address',
    meaning: 'The A/AAAA lookup of the server name timed out or failed (SERVFAIL, REFUSED), so nothing was sent. That is not "the name does not exist".',
    remediation: 'Check the resolver (--resolver) and the server name\'s DNS; retry.',
  },
  hostNotFound: {
    id: 'send.host-not-found', severity: 'critical', title: 'The server name has no address',
    meaning: 'The server name does not exist or has no A or AAAA record, so there is nothing to connect to.',
    remediation: 'Check the spelling of --server, or add the address records for the submission host.',
  },
  greetingRejected: {
    id: 'send.greeting-rejected', severity: 'critical', title: 'The server refused the session in its greeting',
    meaning: 'Instead of 220 the server greeted with an error (421 service not available, 554 no service here), usually about this client\'s address or a connection limit. The reply is explained in the detail.',
    remediation: 'Read the explained reply; check the server\'s connection limits and client restrictions, and its log.',
    refs: ['RFC 5321 §3.1', 'RFC 5321 §4.2.3'],
  },
  ehloRejected: {
    id: 'send.ehlo-rejected', severity: 'critical', title: 'The server refused EHLO (and HELO)',
    meaning: 'The server did not accept the client\'s greeting, often because of the announced name (--ehlo) or a policy about this client.',
    remediation: 'Announce a fully qualified name with --ehlo; read the explained reply and the server\'s HELO restrictions.',
    refs: ['RFC 5321 §4.1.1.1'],
  },
  tlsNotOffered: {
    id: 'send.tls-not-offered', severity: 'critical', title: 'STARTTLS is not offered: nothing was sent',
    meaning: 'The EHLO reply does not list STARTTLS, so the message and any password would travel in clear text. mxdoctor does not downgrade: it stopped. Mail clients refuse such a server or, worse, send passwords in clear.',
    remediation: 'Enable TLS on the submission service (Postfix master.cf: -o smtpd_tls_security_level=encrypt); use --tls none only to test a server that is meant to be plaintext.',
    refs: ['RFC 3207', 'RFC 8314 §3.3'],
  },
  tlsFailed: {
    id: 'send.tls-failed', severity: 'critical', title: 'STARTTLS or the TLS handshake failed',
    meaning: 'The server refused the STARTTLS command (often 454: a missing or unreadable certificate), or the TLS handshake did not complete (no common protocol or cipher, plaintext on the implicit-TLS port).',
    remediation: 'Check the certificate and key settings of the submission service and its log; `mxdoctor tls <host>:<port>` shows the handshake. Port 465 needs --tls implicit, 587 --tls starttls.',
    refs: ['RFC 3207 §4', 'RFC 8314 §3'],
  },
  certUntrusted: {
    id: 'send.cert-untrusted', severity: 'warning', title: 'The server\'s certificate is not trusted',
    meaning: 'The certificate does not verify against the system trust store (plus --ca): self-signed, an unknown CA, expired, or issued for another name. Without a login mxdoctor still sends the message (as swaks does), so the test says whether mail is accepted; a password is not sent over it (send.untrusted-auth-refused). Mail clients will refuse or warn. With --tls-verify it stops before AUTH and is critical.',
    remediation: 'Install a certificate from a public CA for the name clients use (Let\'s Encrypt), with its full chain; for a private CA pass it with --ca.',
    refs: ['RFC 8314 §4.4', 'RFC 6125'],
  },
  plaintextAuthRefused: {
    id: 'send.plaintext-auth-refused', severity: 'unknown', title: 'The password was not sent over an unencrypted connection',
    meaning: 'AUTH was asked for on a connection without TLS to a host that is not loopback. mxdoctor refuses to send a password in clear text (RFC 8314 §3.3), so whether the server would accept it was not tested.',
    remediation: 'Use --tls starttls (587) or --tls implicit (465); only for a test server on a trusted network, pass --insecure.',
    refs: ['RFC 4954 §4', 'RFC 8314 §3.3'],
  },
  untrustedAuthRefused: {
    id: 'send.untrusted-auth-refused', severity: 'critical', title: 'The password was not sent: the certificate did not verify',
    meaning: 'AUTH was asked for over TLS whose certificate does not verify (self-signed, unknown CA, expired, another name) to a host that is not loopback. Whoever holds that certificate could be a man in the middle, so mxdoctor did not send the password (RFC 8314 §4.3) and the session stopped.',
    remediation: 'Install a certificate from a public CA for the name clients use, or pass a private CA with --ca; only for a lab, pass --insecure.',
    refs: ['RFC 8314 §4.3', 'RFC 6125'],
  },
  insecureAuth: {
    id: 'send.insecure-auth', severity: 'warning', title: 'The password was sent over TLS that did not verify (--insecure)',
    meaning: 'With --insecure, credentials went over TLS whose certificate did not verify to a host that is not loopback: a man in the middle could have read them.',
    remediation: 'Change that password if the network is not trusted, and give the server a certificate that verifies.',
    refs: ['RFC 8314 §4.3'],
  },
  plaintextAuth: {
    id: 'send.plaintext-auth', severity: 'warning', title: 'The password was sent without encryption',
    meaning: 'With --insecure, credentials went over a connection without TLS to a host that is not loopback: anyone on the path could read them.',
    remediation: 'Change that password if the network is not trusted, and enable TLS on the submission service.',
    refs: ['RFC 8314 §3.3'],
  },
  authNotOffered: {
    id: 'send.auth-not-offered', severity: 'critical', title: 'The server offers no AUTH mechanism mxdoctor can use',
    meaning: 'Credentials were given but the EHLO reply lists no AUTH extension, or only mechanisms other than PLAIN and LOGIN. Many servers offer AUTH only inside TLS or only on the submission ports.',
    remediation: 'Use the submission port (587 with STARTTLS or 465) and enable SASL authentication on it (Postfix: smtpd_sasl_auth_enable=yes; smtpd_sasl_type=dovecot).',
    refs: ['RFC 4954 §3', 'RFC 6409 §4'],
  },
  authFailed: {
    id: 'send.auth-failed', severity: 'critical', title: 'Authentication failed',
    meaning: 'The server refused the credentials (535 5.7.8: wrong user name or password), or refused AUTH for another reason given in its reply (534, 538, 454), explained in the detail.',
    remediation: 'Check the user name (full address or local part, as the server expects) and the password (MXDOCTOR_SMTP_PASSWORD or --password-file); look at the server\'s auth log.',
    refs: ['RFC 4954 §6', 'RFC 3463'],
  },
  senderRejected: {
    id: 'send.sender-rejected', severity: 'critical', title: 'The sender (MAIL FROM) was refused',
    meaning: 'The server refused the envelope sender: authentication required (530), a sender the login may not use, an unknown sender domain. The reply is explained in the detail.',
    remediation: 'Authenticate (--auth-user), and send from an address the account owns; read the explained reply.',
    refs: ['RFC 5321 §4.1.1.2', 'RFC 6409 §6.1'],
  },
  recipientRejected: {
    id: 'send.recipient-rejected', severity: 'critical', title: 'A recipient was refused',
    meaning: 'The server refused RCPT TO for this address (unknown user, relay denied, mailbox full...), explained in the detail. The message went on to the accepted recipients; when none was accepted, nothing was sent.',
    remediation: 'Read the explained reply: fix the address, authenticate to relay, or fix the server\'s recipient settings.',
    refs: ['RFC 5321 §4.1.1.3'],
  },
  dataRejected: {
    id: 'send.data-rejected', severity: 'critical', title: 'The message was refused',
    meaning: 'The server refused DATA or, after receiving the message, answered the end of data with an error: content filters (spam, virus), policy, or a temporary problem (4xx, the server asks to retry later). Explained in the detail.',
    remediation: 'Read the explained reply and the server log for the reason (milters, content filters, quotas).',
    refs: ['RFC 5321 §4.1.1.4'],
  },
  messageTooLarge: {
    id: 'send.message-too-large', severity: 'critical', title: 'The message is larger than the server accepts',
    meaning: 'The server\'s EHLO SIZE limit is below the message size, so mxdoctor did not send it (RFC 1870 §6), or the server refused it as too large (552, 5.3.4).',
    remediation: 'Send a smaller message, or raise the limit (Postfix message_size_limit, 10 MB by default; base64 attachments grow by a third).',
    refs: ['RFC 1870', 'RFC 3463 §3.4'],
  },
  serverClosed: {
    id: 'send.server-closed', severity: 'critical', title: 'The server closed the connection in the middle of the session',
    meaning: 'The server hung up (or reset the connection) where a reply was due: a crashing process, a proxy without a backend, a firewall cutting SMTP. Closed during the message, it was not accepted (RFC 5321 §4.1.1.4: only the final 250 counts).',
    remediation: 'Look at the server log at the time of the test for the step named (`--transcript` shows it).',
    refs: ['RFC 5321 §3.8'],
  },
  protocolError: {
    id: 'send.protocol-error', severity: 'critical', title: 'The server\'s answer is not SMTP',
    meaning: 'What came back is not an SMTP reply: another service on the port (or TLS expected from the first byte), binary garbage, a line longer than any SMTP reply, or a reply that never ends.',
    remediation: 'Check that the port is served by the mail server; for port 465 use --tls implicit.',
    refs: ['RFC 5321 §4.2'],
  },
} satisfies Record<string, FindingDef>;

export const SEND_FINDINGS: FindingDef[] = Object.values(SEND);
