// Finding definitions of the `smtp` family (MX endpoints on port 25, and `mxdoctor smtp`).
import type { FindingDef } from '../../core/finding.js';
import { hostLookupDefs } from './host-addresses.js';

export const SMTP = {
  reachable: {
    id: 'smtp.reachable', severity: 'ok', title: 'SMTP server answers: 220 greeting and EHLO accepted',
    meaning: 'The endpoint accepted a TCP connection, greeted with 220 and accepted EHLO. Evidence lists the timings and every extension it offers.',
    refs: ['RFC 5321 §3.1', 'RFC 5321 §4.1.1.1'],
  },
  connectRefused: {
    id: 'smtp.connect-refused', severity: 'critical', title: 'Connection refused: nothing listens on the SMTP port',
    meaning: 'The host answered the TCP connection with a reset: it is up, but no mail server listens on this address and port (or a firewall rejects actively). Senders cannot deliver here.',
    remediation: 'Start the mail server or make it listen on this address (Postfix: inet_interfaces = all; check IPv6 too), and open the port in the firewall.',
    refs: ['RFC 5321 §3.1'],
  },
  connectTimeout: {
    id: 'smtp.connect-timeout', severity: 'unknown', title: 'No answer on the SMTP port (filtered or down)',
    meaning: 'The TCP connection got no answer at all: a firewall drops the packets, the host is down, or the network running mxdoctor blocks the port. A timeout is not a refusal. It is critical when other MX endpoints did answer on the same port (so this network does not block it).',
    remediation: 'Check the host is up and that the firewall allows inbound TCP on the port from anywhere; retry from another network to rule out an outbound block here.',
  },
  connectUnreachable: {
    id: 'smtp.connect-unreachable', severity: 'unknown', title: 'No route to the SMTP server from here',
    meaning: 'The connection failed before reaching the server (host or network unreachable). Often the machine running mxdoctor has no IPv6 connectivity and the address is IPv6.',
    remediation: 'Retry from a network with a route to the address (for IPv6, one with IPv6 connectivity).',
  },
  port25Blocked: {
    id: 'smtp.port25-blocked', severity: 'unknown', title: 'This network seems to block outbound port 25',
    meaning: 'Every port-25 connection timed out, but the same hosts answered on other ports. Many ISPs, cloud providers and office networks block outbound port 25, so the MX servers could not be tested from here: this says nothing about them.',
    remediation: 'Run mxdoctor from a network that allows outbound SMTP (a server, a VPS with port 25 unblocked), or ask the network provider to unblock port 25.',
  },
  reset: {
    id: 'smtp.connection-reset', severity: 'critical', title: 'The server reset the connection during the SMTP session',
    meaning: 'The connection was torn down with a TCP reset in the middle of the dialogue: a crashing server process, a firewall or IPS cutting SMTP, or a load balancer without a healthy backend.',
    remediation: 'Check the mail server logs and any firewall, IPS or load balancer in front of it at the time of the test.',
  },
  closed: {
    id: 'smtp.connection-closed', severity: 'critical', title: 'The server closed the connection without a reply',
    meaning: 'The server hung up where an SMTP reply was due. Typical causes: the SMTP process crashes or is misconfigured, a proxy has no backend, or the server drops clients it dislikes without a reply.',
    remediation: 'Look at the mail server logs at the time of the test; try `mxdoctor smtp <host> --transcript` to see the step where it happened.',
  },
  greetingRefused: {
    id: 'smtp.greeting-refused', severity: 'warning', title: 'The server refused the session in its greeting (421/554)',
    meaning: 'Instead of 220 the server greeted with 421 (service not available) or 554 (no SMTP service here). A 554 at connect usually means this client\'s address is refused (a dynamic or listed IP, RFC 5321 §3.1), so other senders may well get through; a 421 means overload or rate limiting.',
    remediation: 'Read the reply text: if it names a blocklist or policy about the client, test from a server network; otherwise check the server\'s connection limits and logs.',
    refs: ['RFC 5321 §3.1', 'RFC 5321 §4.2.3'],
  },
  greetingTimeout: {
    id: 'smtp.greeting-timeout', severity: 'warning', title: 'No complete SMTP greeting within the step timeout',
    meaning: 'TCP connected but the 220 greeting did not finish in time: an overloaded server, a tarpit, or a proxy that accepts connections and never reaches a backend. RFC 5321 lets senders wait 5 minutes, but many give up much sooner.',
    remediation: 'Check the server load and any greeting delay (postscreen greet wait, tarpitting); raise --step-timeout if the delay is deliberate.',
    refs: ['RFC 5321 §4.5.3.2.1'],
  },
  commandTimeout: {
    id: 'smtp.command-timeout', severity: 'warning', title: 'A command got no reply within the step timeout',
    meaning: 'The server stopped answering in the middle of the session (EHLO, STARTTLS, MAIL, RCPT). Senders wait up to 5 minutes per command, but a server this slow delays or loses mail.',
    remediation: 'Check what the server does at that step (DNS lookups, recipient verification, content filters) and its logs.',
    refs: ['RFC 5321 §4.5.3.2'],
  },
  protocolError: {
    id: 'smtp.protocol-error', severity: 'critical', title: 'The server does not speak SMTP',
    meaning: 'What came back is not an SMTP reply: another service on the port (SSH, HTTP, TLS expected from the first byte), binary garbage, a line longer than any SMTP reply, or a reply that never ends.',
    remediation: 'Make sure the port is served by the mail server (not a proxy or another daemon); the evidence shows the first bytes received.',
    refs: ['RFC 5321 §4.2'],
  },
  ehloRefused: {
    id: 'smtp.ehlo-refused', severity: 'warning', title: 'EHLO refused: the server only speaks old SMTP (HELO)',
    meaning: 'EHLO got a 5xx reply and HELO worked. Without EHLO the server can offer no extension: no STARTTLS (so no encryption), no SIZE, no 8BITMIME, no SMTPUTF8.',
    remediation: 'Enable ESMTP on the server or the device in front of it (some firewalls\' "SMTP fixup" breaks EHLO).',
    refs: ['RFC 5321 §4.1.4', 'RFC 5321 §3.2'],
  },
  heloRefused: {
    id: 'smtp.helo-refused', severity: 'critical', title: 'The server refused EHLO and HELO',
    meaning: 'Neither EHLO nor HELO was accepted, so no mail can be sent to this endpoint. Some servers refuse the HELO name of clients they distrust; the reply text says why.',
    remediation: 'Read the reply text in the evidence; check the server\'s HELO restrictions and logs.',
    refs: ['RFC 5321 §4.1.1.1'],
  },
  starttlsOffered: {
    id: 'smtp.starttls-offered', severity: 'ok', title: 'STARTTLS offered and the TLS session came up',
    meaning: 'The server lists STARTTLS, answered 220 to it, the TLS handshake completed and EHLO worked again inside TLS. Certificate and protocol details are the TLS checks\' findings.',
    refs: ['RFC 3207', 'RFC 8314 §3'],
  },
  starttlsMissing: {
    id: 'smtp.starttls-missing', severity: 'warning', title: 'STARTTLS is not offered: mail to this server travels unencrypted',
    meaning: 'The EHLO reply does not list STARTTLS, so every sender must deliver in plaintext. Opportunistic TLS is the norm between MX servers; MTA-STS and DANE need it.',
    remediation: 'Configure a certificate and enable STARTTLS (Postfix: smtpd_tls_security_level = may with smtpd_tls_chain_files; Exim: tls_advertise_hosts = *).',
    refs: ['RFC 3207', 'RFC 8314 §3', 'RFC 8461 §4'],
  },
  starttlsRefused: {
    id: 'smtp.starttls-refused', severity: 'warning', title: 'STARTTLS is advertised but the command is refused',
    meaning: 'The server lists STARTTLS but answers the command with an error (e.g. 454 "TLS not available"): usually a missing or unreadable certificate. Senders fall back to plaintext, or defer the mail under MTA-STS/DANE.',
    remediation: 'Check the server log for the TLS error (certificate and key paths, permissions) and fix the TLS configuration.',
    refs: ['RFC 3207 §4'],
  },
  starttlsHandshake: {
    id: 'smtp.starttls-handshake-failed', severity: 'critical', title: 'STARTTLS accepted but the TLS handshake failed',
    meaning: 'The server said 220 to STARTTLS but the TLS handshake did not complete (no common protocol or cipher, a broken certificate setup, or a middlebox). Senders defer the mail and retry, some never fall back to plaintext.',
    remediation: 'Test the handshake with `mxdoctor tls <host>:25` or `openssl s_client -starttls smtp -connect <host>:25` and fix the server\'s TLS settings.',
    refs: ['RFC 3207 §4.1'],
  },
  starttlsInjection: {
    id: 'smtp.starttls-injection', severity: 'warning', title: 'Bytes after the STARTTLS 220, before the TLS handshake',
    meaning: 'The server (or something between) sent more data after its 220 reply to STARTTLS. RFC 3207 §4.2 says nothing may be taken from before the handshake; a client that did would treat injected plaintext as protected (STARTTLS response injection). mxdoctor discarded the bytes.',
    remediation: 'Look for a proxy, firewall or buggy server that writes after the 220; the evidence shows the bytes.',
    refs: ['RFC 3207 §4.2', 'CVE-2011-0411'],
  },
  authBeforeTls: {
    id: 'smtp.auth-before-tls', severity: 'warning', title: 'AUTH with plaintext mechanisms offered before TLS on port 25',
    meaning: 'The server offers AUTH PLAIN or LOGIN on an unencrypted connection: a client that uses it sends its password in clear text.',
    remediation: 'Offer AUTH only after STARTTLS (Postfix: smtpd_tls_auth_only = yes) and use the submission ports (587, 465) for clients.',
    refs: ['RFC 4954 §4', 'RFC 8314 §3.3'],
  },
  slowReply: {
    id: 'smtp.slow-reply', severity: 'warning', title: 'Slow SMTP replies',
    meaning: 'A step of the SMTP dialogue took longer than the slow threshold (default 500 ms). Slow servers hold senders\' connections and delay mail; the evidence names the steps and their times.',
    remediation: 'Look at what the server does at that step: DNS lookups (reverse DNS, blocklists) with a slow resolver, recipient verification callouts, content filters.',
  },
  greetingDelayed: {
    id: 'smtp.greeting-delayed', severity: 'info', title: 'The greeting is deliberately delayed (multi-line 220-)',
    meaning: 'The server sent the first "220-" line at once and finished the greeting later, like Postfix postscreen\'s greet wait: a deliberate test that keeps spambots that talk too early out. Senders that follow RFC 5321 wait.',
    refs: ['RFC 5321 §4.2.1', 'https://www.postfix.org/POSTSCREEN_README.html'],
  },
  bannerHostname: {
    id: 'smtp.banner-hostname', severity: 'ok', title: 'The greeting names the host its address points back to (PTR)',
    meaning: 'The host name in the 220 greeting is one of the PTR names of the address, as reputation checkers (MXToolbox\'s "SMTP Banner Check") expect.',
    refs: ['RFC 5321 §4.1.3'],
  },
  bannerMismatch: {
    id: 'smtp.banner-ptr-mismatch', severity: 'info', title: 'The greeting host name does not match the address\'s PTR',
    meaning: 'The name in the 220 greeting is not among the reverse DNS (PTR) names of the address. Delivery to this server is not affected, but the same name is usually the server\'s HELO when it sends mail, where receivers do compare it with the PTR; MXToolbox flags it as "Reverse DNS does not match SMTP Banner".',
    refs: ['RFC 5321 §4.1.3', 'RFC 1912 §2.1'],
  },
  software: {
    id: 'smtp.software', severity: 'info', title: 'Mail server software and version identified',
    meaning: 'The banner or EHLO reply names the software and its version; mxdoctor compared it with its list of known vulnerable versions and found none.',
  },
  versionHidden: {
    id: 'smtp.version-hidden', severity: 'info', title: 'Server version not disclosed',
    meaning: 'The banner and EHLO reply do not give a version (the default for Postfix and most servers), so known vulnerabilities cannot be checked from outside. This is not a problem: patch the server regardless.',
  },
  vulnerable: {
    id: 'smtp.vulnerable-version', severity: 'critical', title: 'The announced server version has known vulnerabilities',
    meaning: 'The banner or EHLO reply gives a version that is affected by a published vulnerability (CVE ids and sources in the evidence). Distributions backport fixes without changing the version, so check the package changelog; some issues need a feature or setting to be exploitable (warning then).',
    remediation: 'Upgrade to a fixed release (or confirm your distribution\'s package carries the backported fix), and consider hiding the version in the banner.',
  },
  relayRefused: {
    id: 'smtp.relay-refused', severity: 'ok', title: 'Not an open relay: mail for outside domains refused',
    meaning: 'RCPT TO an outside test address (a reserved example domain, RFC 2606) was refused, as it must be for an unauthenticated client. The test stops before DATA and ends with RSET.',
    refs: ['RFC 5321 §3.6.2', 'RFC 2606'],
  },
  openRelay: {
    id: 'smtp.open-relay', severity: 'critical', title: 'Open relay: the server accepts mail for outside domains from anyone',
    meaning: 'An unauthenticated client got RCPT TO an outside reserved test address accepted. Spammers find open relays within hours; the server ends up on every blocklist. (A few filters accept at RCPT and reject later at DATA; mxdoctor never sends DATA, so check the configuration either way.)',
    remediation: 'Allow relaying only for your own networks and authenticated users (Postfix: smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination).',
    refs: ['RFC 5321 §3.6.2', 'RFC 2505 §2.1'],
  },
  rcptInconclusive: {
    id: 'smtp.rcpt-inconclusive', severity: 'unknown', title: 'The RCPT tests could not be completed',
    meaning: 'MAIL FROM or RCPT got a temporary (4xx) reply, typically greylisting, or a refusal aimed at this client (a blocklist), or the session ended early; whether the server relays or accepts postmaster is unknown.',
    remediation: 'Retry later (greylisting passes on retry) or from a network whose address is not on blocklists.',
  },
  postmasterAccepted: {
    id: 'smtp.postmaster-accepted', severity: 'ok', title: 'postmaster@ the domain is accepted',
    meaning: 'RCPT TO:<postmaster@domain> was accepted, as RFC 5321 §4.5.1 requires of every domain that receives mail.',
    refs: ['RFC 5321 §4.5.1'],
  },
  postmasterRefused: {
    id: 'smtp.postmaster-refused', severity: 'warning', title: 'postmaster@ the domain is refused',
    meaning: 'RFC 5321 §4.5.1 requires a postmaster mailbox for every domain that receives mail, so that problems can be reported. The server refused it as an unknown recipient.',
    remediation: 'Create postmaster@<domain> as an alias to a mailbox someone reads.',
    refs: ['RFC 5321 §4.5.1', 'RFC 2142 §5'],
  },
  rcptDomainRefused: {
    id: 'smtp.rcpt-domain-refused', severity: 'critical', title: 'This MX refuses mail for the domain',
    meaning: 'The MX answered RCPT TO:<postmaster@domain> with a relay refusal: it does not accept mail for the domain at all. Senders that pick this MX (a backup MX whenever the primary is down, or always with equal preferences) bounce or defer the mail, so the fallback breaks exactly when it is needed.',
    remediation: 'Configure the host to accept the domain (Postfix backup MX: relay_domains = <domain> with relay_recipient_maps), or remove its MX record.',
    refs: ['RFC 5321 §5.1', 'RFC 5321 §4.5.1'],
  },
  ...hostLookupDefs('smtp', 'The host given to `mxdoctor smtp`'),
  smugglingAccepted: {
    id: 'smtp.smuggling-accepted', severity: 'critical', title: 'SMTP smuggling: the server ends a message at <LF>.<LF>',
    meaning: 'Sent only with --intrusive to the recipient you named: the server treated a bare-LF end-of-data sequence as the end of the message. Behind an outbound server that passes bare LFs, an attacker can smuggle a second, spoofed message past SPF/DMARC.',
    remediation: 'Update the server and accept only <CR><LF>.<CR><LF> as end of data (Postfix: smtpd_forbid_bare_newline = normalize; Exim >= 4.97.1; Sendmail >= 8.18.1).',
    refs: ['RFC 5321 §4.1.1.4', 'CVE-2023-51764', 'https://www.postfix.org/smtp-smuggling.html'],
  },
  smugglingRejected: {
    id: 'smtp.smuggling-rejected', severity: 'ok', title: 'SMTP smuggling: bare-LF end of data not accepted',
    meaning: 'Sent only with --intrusive: the server did not treat <LF>.<LF> as the end of the message (it waited for <CR><LF>.<CR><LF> or refused bare LFs).',
    refs: ['RFC 5321 §4.1.1.4'],
  },
  smugglingNoAnswer: {
    id: 'smtp.smuggling-no-answer', severity: 'unknown', title: 'SMTP smuggling: no answer to either end of data',
    meaning: 'Sent only with --intrusive: the server answered neither the bare-LF end of data (<LF>.<LF>) nor the proper one (<CR><LF>.<CR><LF>) within the step timeout, so whether it ends a message at a bare LF cannot be told. A slow content filter (milter) is the usual cause.',
    remediation: 'Run again with a longer --step-timeout (the test waits that long for each end of data) and check the transcript (--transcript).',
    refs: ['RFC 5321 §4.1.1.4', 'RFC 5321 §4.5.3.2.6'],
  },
  smugglingInconclusive: {
    id: 'smtp.smuggling-inconclusive', severity: 'unknown', title: 'SMTP smuggling test could not be completed',
    meaning: 'The intrusive test did not reach the message body (MAIL, RCPT or DATA refused, or the session failed), so it says nothing about bare-LF handling.',
    remediation: 'Give a recipient the server accepts (--rcpt) and check the transcript (--transcript).',
  },
} satisfies Record<string, FindingDef>;
