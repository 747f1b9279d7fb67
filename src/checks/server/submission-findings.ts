// Finding definitions of the `submission` family (587 STARTTLS, 465 implicit TLS).
import type { FindingDef } from '../../core/finding.js';
import { hostLookupDefs } from './host-addresses.js';

export const SUB = {
  ...hostLookupDefs('submission', 'A submission host published in SRV records or named with --submission-host'),
  reachable: {
    id: 'submission.reachable', severity: 'ok', title: 'Submission server answers',
    meaning: 'The submission endpoint greeted with 220 and accepted EHLO. Evidence lists the timings and extensions.',
    refs: ['RFC 6409 §3', 'RFC 8314 §3'],
  },
  notOffered: {
    id: 'submission.not-offered', severity: 'info', title: 'No mail submission service found',
    meaning: 'No SRV record names a submission host and the MX hosts do not answer on 587 or 465 (or SRV says the service is not provided). That is fine when users submit mail elsewhere (a provider, webmail); mail clients cannot send through these hosts.',
    refs: ['RFC 6186 §3', 'RFC 8314 §5.1'],
  },
  unreachable: {
    id: 'submission.unreachable', severity: 'critical', title: 'A named submission endpoint does not answer',
    meaning: 'A host published in SRV records (or named with --submission) refused the connection, or gave no answer (then unknown: filtered or down). Mail clients configured with it cannot send.',
    remediation: 'Start the submission service on the port (Postfix: enable "submission" / "submissions" in master.cf) and open it in the firewall, or fix the SRV record.',
    refs: ['RFC 6409 §3.1', 'RFC 6186 §3.1'],
  },
  sessionFailed: {
    id: 'submission.session-failed', severity: 'critical', title: 'The submission session failed',
    meaning: 'The endpoint accepted TCP but the SMTP dialogue broke: a refused or missing greeting, a reset, a closed connection, EHLO refused, or bytes that are not SMTP. Details name the step.',
    remediation: 'Run `mxdoctor smtp <host>:<port> --transcript` and look at the server log for the step shown.',
    refs: ['RFC 6409 §3', 'RFC 5321 §4.2'],
  },
  starttlsOffered: {
    id: 'submission.starttls-offered', severity: 'ok', title: 'STARTTLS on port 587 works',
    meaning: 'The submission port offers STARTTLS and the TLS session came up, so credentials can be sent encrypted.',
    refs: ['RFC 3207', 'RFC 8314 §3.3'],
  },
  starttlsMissing: {
    id: 'submission.starttls-missing', severity: 'critical', title: 'Port 587 does not offer STARTTLS',
    meaning: 'Without STARTTLS, mail clients either refuse to send or send passwords and mail in clear text.',
    remediation: 'Enable TLS on the submission service (Postfix master.cf: -o smtpd_tls_security_level=encrypt) and prefer implicit TLS on 465 (RFC 8314).',
    refs: ['RFC 8314 §3.3', 'RFC 3207'],
  },
  starttlsFailed: {
    id: 'submission.starttls-failed', severity: 'critical', title: 'STARTTLS on port 587 fails',
    meaning: 'STARTTLS is advertised but the command is refused or the TLS handshake fails, so clients cannot get an encrypted session.',
    remediation: 'Check the certificate and TLS settings of the submission service; `mxdoctor tls <host>:587` shows the handshake.',
    refs: ['RFC 3207 §4'],
  },
  implicitOk: {
    id: 'submission.implicit-tls-ok', severity: 'ok', title: 'Implicit TLS on port 465 works',
    meaning: 'Port 465 starts TLS at once and then speaks SMTP inside it, as RFC 8314 recommends for submission.',
    refs: ['RFC 8314 §3.3'],
  },
  implicitFailed: {
    id: 'submission.implicit-tls-failed', severity: 'critical', title: 'Port 465 answers but implicit TLS fails',
    meaning: 'A connection to 465 must start with a TLS handshake (RFC 8314 §3.3). The handshake failed: often the port speaks plaintext SMTP, or the TLS configuration is broken.',
    remediation: 'Serve 465 with implicit TLS (Postfix master.cf "submissions" with -o smtpd_tls_wrappermode=yes) and a valid certificate.',
    refs: ['RFC 8314 §3.3'],
  },
  authBeforeTls: {
    id: 'submission.auth-before-tls', severity: 'critical', title: 'AUTH offered before TLS: passwords can travel in clear text',
    meaning: 'The EHLO reply before STARTTLS lists AUTH. With PLAIN or LOGIN (or a bearer token) a client that authenticates at once sends the credentials unencrypted; a man in the middle can also strip STARTTLS. Only challenge-response mechanisms (CRAM-MD5, SCRAM) make it a warning.',
    remediation: 'Offer AUTH only after TLS (Postfix: smtpd_tls_auth_only = yes; Exim: auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}}).',
    refs: ['RFC 4954 §4', 'RFC 8314 §3.3', 'RFC 4616 §4'],
  },
  authMechanisms: {
    id: 'submission.auth-mechanisms', severity: 'ok', title: 'AUTH offered after TLS',
    meaning: 'Inside TLS the server lists the AUTH mechanisms mail clients can use.',
    refs: ['RFC 4954 §3'],
  },
  noAuth: {
    id: 'submission.no-auth', severity: 'warning', title: 'No AUTH offered on the submission port',
    meaning: 'Even after TLS the EHLO reply lists no AUTH mechanism, so mail clients cannot log in to send (unless the server only takes client certificates or trusted networks).',
    remediation: 'Enable SASL authentication on the submission service (Postfix: -o smtpd_sasl_auth_enable=yes with Dovecot SASL).',
    refs: ['RFC 6409 §4.3', 'RFC 4954'],
  },
  slowReply: {
    id: 'submission.slow-reply', severity: 'warning', title: 'Slow submission replies',
    meaning: 'A step of the submission dialogue took longer than the slow threshold (default 500 ms); mail clients feel it on every send.',
    remediation: 'Look at DNS lookups, authentication back ends and filters the server runs at that step.',
  },
} satisfies Record<string, FindingDef>;
