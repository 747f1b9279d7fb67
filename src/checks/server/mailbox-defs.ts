// The findings IMAP and POP3 share, defined once per family from a small protocol
// description, so `imap.*` and `pop3.*` say the same things with the right RFCs.
import type { FindingDef } from '../../core/finding.js';
import { hostLookupDefs } from './host-addresses.js';

export interface MailboxProtocol {
  family: 'imap' | 'pop3';
  name: 'IMAP' | 'POP3';
  /** The upgrade command: STARTTLS (IMAP, RFC 9051 §6.2.1) or STLS (POP3, RFC 2595 §4). */
  tlsCmd: 'STARTTLS' | 'STLS';
  plainPort: number;
  tlsPort: number;
  /** The base RFC and the TLS one. */
  rfc: string;
  tlsRfc: string;
  srv: string;
}

export const IMAP_PROTOCOL: MailboxProtocol = {
  family: 'imap', name: 'IMAP', tlsCmd: 'STARTTLS', plainPort: 143, tlsPort: 993, rfc: 'RFC 9051', tlsRfc: 'RFC 9051 §6.2.1', srv: '_imaps._tcp',
};
export const POP3_PROTOCOL: MailboxProtocol = {
  family: 'pop3', name: 'POP3', tlsCmd: 'STLS', plainPort: 110, tlsPort: 995, rfc: 'RFC 1939', tlsRfc: 'RFC 2595 §4', srv: '_pop3s._tcp',
};

export function mailboxDefs(p: MailboxProtocol) {
  const { family: f, name: n, tlsCmd: cmd } = p;
  const tls = cmd.toLowerCase();
  const connectFix = `Check that the ${n} server runs and listens on this address and port, and that firewalls allow it; if ${n} is served elsewhere, publish ${p.srv} SRV records (RFC 6186) or name the host with --imap-host.`;
  return {
    greetingOk: { id: `${f}.greeting-ok`, severity: 'ok', title: `${n} server answers with a greeting`, meaning: `The ${n} port accepted a connection and the server sent a valid greeting.`, refs: [p.rfc] },
    refused: {
      id: `${f}.refused`, severity: 'critical', title: `${n} port refuses connections`,
      meaning: `The host answered the TCP connection with a reset (ECONNREFUSED): nothing listens on the port, or a firewall rejects it. Mail clients cannot reach the mailbox here.`,
      remediation: connectFix,
    },
    timeout: {
      id: `${f}.timeout`, severity: 'critical', title: `${n} port does not answer (timeout)`,
      meaning: `No TCP answer at all within the timeout: a firewall drops the packets (on the server side or on the network running mxdoctor) or the host is down. This is not a refusal.`,
      remediation: `${connectFix} Try from another network to rule out a local firewall.`,
    },
    connectFailed: {
      id: `${f}.connect-failed`, severity: 'critical', title: `Cannot connect to the ${n} port`,
      meaning: 'The connection failed for another reason (network unreachable, connection reset); the detail names it.',
      remediation: connectFix,
    },
    tlsFailed: {
      id: `${f}.tls-failed`, severity: 'critical', title: `TLS handshake fails on the implicit-TLS ${n} port`,
      meaning: `Port ${p.tlsPort} speaks TLS from the first byte (RFC 8314 §3.3); the handshake failed, so no client can use it.`,
      remediation: `Check the TLS configuration (certificate and key files, protocol versions) of the ${n} server on port ${p.tlsPort}; \`mxdoctor tls\` shows the details.`,
      refs: ['RFC 8314 §3.3'],
    },
    notOnMx: {
      id: `${f}.not-on-mx`, severity: 'info', title: `No ${n} on the MX host`,
      meaning: `The domain publishes no ${n} SRV records, so mxdoctor tried the MX hosts, which do not serve ${n}. That is common: mailboxes often live on another host.`,
      refs: ['RFC 6186 §3'],
    },
    noGreeting: {
      id: `${f}.no-greeting`, severity: 'critical', title: `${n} server accepts connections but sends no greeting`,
      meaning: `The TCP connection opened, but no complete greeting line came within the timeout (or the server closed the connection first): an overloaded, hung or tarpitting server, or a different protocol on the port.`,
      remediation: `Check the ${n} server's logs and process limits (e.g. Dovecot's process_limit / client_limit), and that the port is not forwarded to another service.`,
      refs: [p.rfc],
    },
    protocolError: {
      id: `${f}.protocol-error`, severity: 'critical', title: `${n} server broke the protocol`,
      meaning: `The server sent something that is not ${n} (binary data, a line or literal over the size cap, an unexpected reply) or dropped the connection mid-session. The detail names the step.`,
      remediation: `Check that the port runs a ${n} server and look at the server's logs for the time of the test; \`--transcript\` shows the exchange.`,
      refs: [p.rfc],
    },
    greetingRejected: {
      id: `${f}.greeting-rejected`, severity: 'critical', title: `${n} server rejects the connection at the greeting`,
      meaning: f === 'imap' ? 'The server greeted with "* BYE": it refuses the session (overload, blocked client address, shutdown).' : 'The server greeted with "-ERR": it refuses the session (overload, blocked client address).',
      remediation: 'Read the greeting text in the detail; check connection limits and access rules (e.g. login_trusted_networks, fail2ban) on the server.',
      refs: [f === 'imap' ? 'RFC 9051 §7.1.5' : 'RFC 1939 §4'],
    },
    capabilities: {
      id: `${f}.capabilities`, severity: 'ok', title: `${n} capabilities read`,
      meaning: `The server listed its capabilities${f === 'imap' ? ' (CAPABILITY, RFC 9051 §7.2.2)' : ' (CAPA, RFC 2449 §5)'}; the detail names the login mechanisms offered.`,
      refs: [f === 'imap' ? 'RFC 9051 §7.2.2' : 'RFC 2449 §5'],
    },
    starttlsOk: {
      id: `${f}.${tls}-ok`, severity: 'ok', title: `${cmd} offered and the TLS handshake succeeds`,
      meaning: `Port ${p.plainPort} offers ${cmd} and a TLS session was established; certificate and protocol versions are judged by the TLS checks.`,
      refs: [p.tlsRfc],
    },
    starttlsMissing: {
      id: `${f}.${tls}-missing`, severity: 'critical', title: `${cmd} not offered on port ${p.plainPort}`,
      meaning: `The server does not offer ${cmd}, so clients on port ${p.plainPort} send their password unencrypted. Critical when plaintext login is allowed there; a warning when it is disabled (the port is then simply useless).`,
      remediation: `Enable TLS in the ${n} server (e.g. Dovecot: ssl = required with ssl_cert/ssl_key), or close port ${p.plainPort} and serve port ${p.tlsPort} only (RFC 8314 recommends implicit TLS).`,
      refs: [p.tlsRfc, 'RFC 8314 §3.3'],
    },
    starttlsRefused: {
      id: `${f}.${tls}-refused`, severity: 'critical', title: `${cmd} advertised but refused`,
      meaning: `The server lists ${cmd} but answered the command with an error, so no client can switch to TLS; typically a missing or unreadable certificate.`,
      remediation: `Check the TLS certificate and key configuration of the ${n} server and its logs for the reason.`,
      refs: [p.tlsRfc],
    },
    starttlsFailed: {
      id: `${f}.${tls}-failed`, severity: 'critical', title: `${cmd} accepted but TLS could not be established`,
      meaning: `The server accepted ${cmd}, then the TLS handshake failed, timed out, or the server sent plaintext after its go-ahead (a command-injection risk, CVE-2011-0411 class).`,
      remediation: `Check the TLS configuration of the ${n} server (protocol versions, certificate and key); \`mxdoctor tls\` and --transcript show details.`,
      refs: [p.tlsRfc],
    },
    plaintextLogin: {
      id: `${f}.plaintext-login`, severity: 'warning', title: 'Password login allowed before TLS (plaintext credentials)',
      meaning: f === 'imap'
        ? 'Before STARTTLS the server does not announce LOGINDISABLED, so it accepts LOGIN with a cleartext password on an unencrypted connection (RFC 9051 §6.2.3). A client that skips STARTTLS, or an attacker stripping it, exposes passwords.'
        : 'Before STLS the server offers USER/PASS or a plaintext SASL mechanism, so passwords can be sent unencrypted (RFC 2595 §2.1, RFC 8314 §3). A client that skips STLS, or an attacker stripping it, exposes passwords.',
      remediation: f === 'imap'
        ? 'Disable plaintext authentication without TLS (Dovecot: disable_plaintext_auth = yes / auth_allow_cleartext = no), so the server announces LOGINDISABLED before STARTTLS.'
        : 'Disable plaintext authentication without TLS (Dovecot: disable_plaintext_auth = yes / auth_allow_cleartext = no).',
      refs: f === 'imap' ? ['RFC 9051 §6.2.3', 'RFC 8314 §3'] : ['RFC 2595 §2.1', 'RFC 8314 §3'],
    },
    loginOk: { id: `${f}.login-ok`, severity: 'ok', title: `${n} login with the given credentials works`, meaning: 'The login test with the credentials from the environment or --credentials file succeeded over TLS.' },
    loginFailed: {
      id: `${f}.login-failed`, severity: 'critical', title: `${n} login rejected`,
      meaning: `The server rejected the credentials given${f === 'imap' ? ' ([AUTHENTICATIONFAILED] or NO, RFC 5530)' : ' (-ERR, [AUTH] per RFC 3206)'}: wrong user name or password, or the account cannot log in.`,
      remediation: 'Check the user name (often the full address) and password; look at the server\'s auth log for the reason.',
      refs: [f === 'imap' ? 'RFC 5530 §3' : 'RFC 3206 §4'],
    },
    loginLocked: {
      id: `${f}.login-locked`, severity: 'critical', title: `${n} login refused for now (locked out or throttled)`,
      meaning: `The server refused the login as temporarily unavailable${f === 'imap' ? ' ([UNAVAILABLE], RFC 5530)' : ' ([IN-USE], [LOGIN-DELAY] or [SYS/TEMP], RFC 2449 / RFC 3206)'} or said "too many" attempts: a lockout, rate limit or fail2ban-style block, not necessarily a wrong password.`,
      remediation: 'Wait and retry; check the server\'s lockout/rate-limit rules (fail2ban, auth_policy, LOGIN-DELAY) and whether the client address was blocked.',
      refs: [f === 'imap' ? 'RFC 5530 §3' : 'RFC 3206 §4'],
    },
    loginNotTested: {
      id: `${f}.login-not-tested`, severity: 'info', title: 'Login not tested',
      meaning: 'Credentials were given but the login was not tried: mxdoctor sends a password only over TLS that verified or to loopback (without --insecure), and needs LOGIN/USER or SASL PLAIN. The detail says why.',
    },
    loginUntrusted: {
      id: `${f}.login-untrusted`, severity: 'warning', title: 'Login not tested: the certificate did not verify',
      meaning: 'Credentials were given, but the server\'s certificate did not verify (unknown CA, self-signed, expired or another name) and the host is not loopback. Whoever holds that certificate could be a man in the middle, so the password was not sent (RFC 8314 §4.3).',
      remediation: 'Give the server a certificate from a public CA for the name clients use; only for a lab, pass --insecure to log in anyway.',
      refs: ['RFC 8314 §4.3', 'RFC 9525'],
    },
    loginInsecure: {
      id: `${f}.login-insecure`, severity: 'warning', title: 'The password was sent over an unverified connection (--insecure)',
      meaning: 'With --insecure the login test sent the password without TLS, or over TLS whose certificate did not verify, to a host that is not loopback: someone on the path could have read it.',
      remediation: 'Change that password if the network is not trusted; fix the server\'s TLS so that no override is needed.',
      refs: ['RFC 8314 §3.3', 'RFC 8314 §4.3'],
    },
    loginError: {
      id: `${f}.login-error`, severity: 'unknown', title: `${n} login gave no usable answer`,
      meaning: 'The login command timed out (a server that throttles logins may hold its answer back), the connection dropped, or the server called the command malformed, so whether the credentials work is unknown.',
      remediation: 'Retry with --transcript; look at the server\'s auth log for the time of the test.',
    },
    summary: { id: `${f}.summary`, severity: 'info', title: `${n} service summary`, meaning: `One line per ${n} endpoint: port, state, TLS mode and version, certificate lifetime; the evidence holds the transcript.` },
    ...hostLookupDefs(f, `The ${n} host (given on the command line, or an SRV target)`),
  } satisfies Record<string, FindingDef>;
}

export type MailboxDefs = ReturnType<typeof mailboxDefs>;
