// RFC 3463 enhanced status codes (class.subject.detail) and the later entries of the
// IANA "SMTP Enhanced Status Codes" registry. Keys are "X.s.d": the class (2/4/5)
// only says success/temporary/permanent; subject and detail carry the meaning.
import type { KnowledgeEntry } from './reply-codes.js';

export interface EnhancedCodeEntry extends KnowledgeEntry {
  /** "X.2.2": class-independent key. */
  code: string;
}

/** Class digit (RFC 3463 §2). */
export const ENHANCED_CLASS: Readonly<Record<string, string>> = {
  '2': 'Success: the action succeeded.',
  '4': 'Persistent transient failure: the message is valid but a temporary condition stopped it; retrying later may succeed.',
  '5': 'Permanent failure: retrying the same message will not succeed without a change.',
};

/** Subject digit (RFC 3463 §2): used when the detail code is not in the registry. */
export const ENHANCED_SUBJECT: Readonly<Record<string, string>> = {
  '0': 'Other or undefined status',
  '1': 'Addressing status: something about the sender or recipient address',
  '2': 'Mailbox status: the recipient mailbox (under the recipient’s control)',
  '3': 'Mail system status: the destination system (under its administrator’s control)',
  '4': 'Network and routing status: connections, DNS, routing',
  '5': 'Mail delivery protocol status: the SMTP conversation itself',
  '6': 'Message content or media status',
  '7': 'Security or policy status: authentication, authorisation, filtering',
};

type Row = [code: string, title: string, meaning: string, causes: string[], fixes: string[], source: string];

const S1 = 'RFC 3463 §3.2', S2 = 'RFC 3463 §3.3', S3 = 'RFC 3463 §3.4', S4 = 'RFC 3463 §3.5';
const S5 = 'RFC 3463 §3.6', S6 = 'RFC 3463 §3.7', S7 = 'RFC 3463 §3.8', AUTH = 'RFC 4954 §6';
const AUTH_FIX = 'Check SPF, DKIM and DMARC of the sending domain (mxdoctor check <domain>).';

const ROWS: Row[] = [
  ['X.0.0', 'Other undefined Status', 'Only the class is known: no detail given.', ['The server gives no structured reason.'], ['Read the text of the reply.'], 'RFC 3463 §3.1'],
  ['X.1.0', 'Other address status', 'Something about an address caused this.', ['Address rejected without a specific reason.'], ['Check the sender and recipient addresses.'], S1],
  ['X.1.1', 'Bad destination mailbox address', 'The recipient mailbox (left of @) does not exist.', ['Typo in the recipient address.', 'The account was deleted or never existed.', 'Receiving server’s user table is incomplete (e.g. missing from virtual_mailbox_maps).'], ['Check the spelling of the recipient address.', 'Contact the recipient by other means.', 'If it is your server: add the user/alias and reload the maps.'], S1],
  ['X.1.2', 'Bad destination system address', 'The recipient domain (right of @) does not exist or cannot accept mail.', ['Typo in the recipient domain.', 'The domain expired or has no MX/A record.'], ['Check the domain part of the address; look up its MX records.'], S1],
  ['X.1.3', 'Bad destination mailbox address syntax', 'The recipient address is syntactically invalid.', ['Malformed address (spaces, missing angle brackets, illegal characters).'], ['Fix the address.'], S1],
  ['X.1.4', 'Destination mailbox address ambiguous', 'The address matches more than one recipient.', ['Heuristic address matching on the receiving system.'], ['Use the exact address.'], S1],
  ['X.1.5', 'Destination address valid', 'Positive: the recipient address is valid.', ['Normal RCPT TO acceptance.'], ['Nothing to fix.'], S1],
  ['X.1.6', 'Destination mailbox has moved, No forwarding address', 'The address was valid once but no longer accepts mail.', ['The recipient left the organisation or changed address.'], ['Find the new address and update your lists.'], S1],
  ['X.1.7', 'Bad sender\'s mailbox address syntax', 'The sender address is syntactically invalid.', ['Malformed MAIL FROM (e.g. a bare name, missing domain).'], ['Fix the sender address the application or client uses.'], S1],
  ['X.1.8', 'Bad sender\'s system address', 'The sender domain does not exist or cannot receive replies.', ['The sender domain has no MX/A record (unregistered, typo, "localhost", internal-only name).', 'A temporary DNS failure on the receiver (with class 4).'], ['Send with a real, resolvable sender domain (fix myorigin / the application’s From).', 'Check the sender domain’s DNS.'], S1],
  ['X.1.9', 'Message relayed to non-compliant mailer', 'The address was valid but the message went to a system that does not speak this protocol.', ['Gateway to a non-SMTP system.'], ['Usually nothing to fix.'], 'RFC 3886 §3.3.4'],
  ['X.1.10', 'Recipient address has null MX', 'The recipient domain declares with a null MX that it accepts no mail.', ['The domain publishes "MX 0 ." — it does not receive mail.', 'Typo in the recipient domain.'], ['Check the recipient address; this domain cannot receive mail.'], 'RFC 7505'],
  ['X.2.0', 'Other or undefined mailbox status', 'The mailbox exists but something about it caused this.', ['Mailbox-specific problem on the receiver.'], ['Read the text; contact the recipient.'], S2],
  ['X.2.1', 'Mailbox disabled, not accepting messages', 'The mailbox exists but does not accept mail (temporarily or permanently).', ['Account suspended or disabled.'], ['Contact the recipient by other means.'], S2],
  ['X.2.2', 'Mailbox full', 'The recipient has exceeded their mailbox quota; they can delete mail to make room. Not the server’s disk (that is X.3.1).', ['The recipient’s mailbox is over quota.', 'Quota set too low on the receiving server.'], ['Tell the recipient to empty their mailbox; retry later.', 'If it is your server: raise the quota or clean the mailbox (Dovecot: doveadm quota get -u <user>).'], S2],
  ['X.2.3', 'Message length exceeds administrative limit', 'The message exceeds a per-mailbox size limit (smaller than the system limit).', ['Large attachments.'], ['Send a smaller message or a link to the file.'], S2],
  ['X.2.4', 'Mailing list expansion problem', 'The address is a list that could not be expanded.', ['Broken list configuration.'], ['Tell the list owner.'], S2],
  ['X.3.0', 'Other or undefined mail system status', 'The destination system normally accepts mail but something about it caused this.', ['Receiver-side system problem.'], ['Read the text; let temporary failures retry.'], S3],
  ['X.3.1', 'Mail system full', 'The mail system’s storage is exhausted (disk or queue file system), not one user’s quota.', ['The receiver’s disk or queue file system is full.'], ['If it is your server: free disk space (df -h; Postfix queue_minfree), then "postqueue -f".'], S3],
  ['X.3.2', 'System not accepting network messages', 'The host is not accepting mail (shutdown, overload, maintenance).', ['Maintenance or overload on the receiving host.', 'A host that never accepts mail (with 521).'], ['Let it retry; check MX records if permanent.'], S3],
  ['X.3.3', 'System not capable of selected features', 'Features requested for the message are not supported by the destination.', ['Gateway cannot map a requested feature.'], ['Send without the feature.'], S3],
  ['X.3.4', 'Message too big for system', 'The message is larger than the per-message size limit of the system.', ['Attachments larger than the receiver’s limit (often 10–50 MB, base64 adds about 37%).'], ['Send a link instead of the attachment.', 'If it is your server: raise message_size_limit (Postfix) / message_size_limit (Exim).'], S3],
  ['X.3.5', 'System incorrectly configured', 'The receiving system is not configured to accept this message.', ['Misconfiguration on the receiver.'], ['Tell the receiving postmaster.'], S3],
  ['X.3.6', 'Requested priority was changed', 'The message was accepted, but not at the priority asked for (or implied): the reply text starts with the priority it got.', ['The server lowered (or raised) the MT-PRIORITY of the message by its policy.'], ['Usually nothing: the message is on its way. Check the server’s priority policy if timing matters.'], 'RFC 6710 §5'],
  ['X.4.0', 'Other or undefined network or routing status', 'Something went wrong with networking or routing.', ['Network or DNS problem between the servers.'], ['Check connectivity and DNS; let it retry.'], S4],
  ['X.4.1', 'No answer from host', 'The connection attempt was not answered.', ['Outbound port 25 blocked by your ISP or cloud provider.', 'The remote server is down or firewalled.'], ['Test: nc -vz <mx-host> 25 from the sending host.', 'Ask the provider to unblock port 25, or relay through a smarthost.'], S4],
  ['X.4.2', 'Bad connection', 'Connected, but the transaction could not be completed (timeout, dropped connection).', ['Network problems, MTU issues, or the remote side dropping slow clients.'], ['Let it retry; if persistent, check firewalls and TLS settings.'], S4],
  ['X.4.3', 'Directory server failure', 'A directory server (typically DNS) was unavailable.', ['The sending or receiving host cannot reach its DNS resolver.', 'The domain’s name servers do not answer.'], ['Check the local resolver (dig MX <domain>), and the domain’s name servers.'], S4],
  ['X.4.4', 'Unable to route', 'No next hop could be determined (no MX/A records, e.g. only an SOA answer).', ['The recipient domain has no MX and no A/AAAA record.', 'Transport map or relayhost misconfiguration.'], ['Check the domain’s MX records; check relayhost/transport maps.'], S4],
  ['X.4.5', 'Mail system congestion', 'The mail system was congested.', ['Receiver overloaded or rate limiting.'], ['Let it retry; slow down sending.'], S4],
  ['X.4.6', 'Routing loop detected', 'The message was forwarded too many times.', ['MX points back to the sender, or a forwarding loop between aliases.', 'Postfix: the domain is not in mydestination/virtual domains while its MX points here ("loops back to myself").'], ['Fix forwarding rules; list the domain as local/virtual on the server its MX points to.'], S4],
  ['X.4.7', 'Delivery time expired', 'The message was too old: it stayed queued past the retry limit (Postfix maximal_queue_lifetime, 5 days by default).', ['Repeated temporary failures (timeouts, greylisting, 4xx) for days.'], ['Look up the earlier deferral reason in the logs; that is the real cause.'], S4],
  ['X.5.0', 'Other or undefined protocol status', 'Something was wrong with the protocol.', ['Protocol-level error.'], ['Read the text and the preceding commands.'], S5],
  ['X.5.1', 'Invalid command', 'A command was out of sequence or unsupported.', ['Client bug or skipped step.'], ['Fix or update the client.'], S5],
  ['X.5.2', 'Syntax error', 'A command could not be interpreted.', ['Malformed command, or non-SMTP traffic; Postfix uses it for non-FQDN HELO/addresses.'], ['Fix the client configuration (FQDN in EHLO, proper addresses).'], S5],
  ['X.5.3', 'Too many recipients', 'More recipients than the server accepts in one transaction.', ['Recipient limit per message (Postfix smtpd_recipient_limit).'], ['Nothing usually: the sending MTA sends the rest in another transaction. Split large manual mailings.'], S5],
  ['X.5.4', 'Invalid command arguments', 'A valid command with invalid arguments.', ['Unsupported or out-of-range parameter.'], ['Fix the client.'], S5],
  ['X.5.5', 'Wrong protocol version', 'Protocol version mismatch.', ['Incompatible client/server.'], ['Update the client.'], S5],
  ['X.5.6', 'Authentication Exchange line is too long', 'An AUTH response was longer than the server accepts.', ['Client sending an oversized SASL response.'], ['Use another mechanism or fix the client.'], AUTH],
  ['X.6.0', 'Other or undefined media error', 'Something about the content made it undeliverable.', ['Content rejected without a specific reason (often a content filter).'], ['Read the text.'], S6],
  ['X.6.1', 'Media not supported', 'The media type is not supported by the next hop.', ['Unsupported content type.'], ['Send in another format.'], S6],
  ['X.6.2', 'Conversion required and prohibited', 'Conversion was needed but not allowed.', ['Sender prohibited conversion.'], ['Send in a supported format.'], S6],
  ['X.6.3', 'Conversion required but not supported', 'Conversion was needed but impossible (e.g. 8-bit to 7-bit).', ['8BITMIME not supported by the next hop.'], ['Send with MIME encodings (quoted-printable/base64).'], S6],
  ['X.6.4', 'Conversion with loss performed', 'Delivered, but a conversion lost some data.', ['Downgrade in a gateway.'], ['Usually nothing.'], S6],
  ['X.6.5', 'Conversion Failed', 'A required conversion failed.', ['Gateway conversion error.'], ['Send in another format.'], S6],
  ['X.6.6', 'Message content not available', 'The content could not be fetched from a remote system (BURL).', ['IMAP URL could not be resolved.'], ['Check the BURL/IMAP setup of the client.'], 'RFC 4468'],
  ['X.6.7', 'Non-ASCII addresses not permitted for that sender/recipient', 'Internationalised address not allowed here.', ['SMTPUTF8 address where it is not supported.'], ['Use an ASCII address.'], 'RFC 6531'],
  ['X.6.8', 'UTF-8 string reply is required, but not permitted by the SMTP client', 'The reply needs UTF-8 but the client did not allow it.', ['SMTPUTF8 mismatch.'], ['Use a client with SMTPUTF8 support.'], 'RFC 6531'],
  ['X.6.9', 'UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected', 'The message has UTF-8 headers and a recipient’s server cannot take them.', ['Next hop lacks SMTPUTF8.'], ['Send without internationalised headers/addresses.'], 'RFC 6531'],
  ['X.6.10', 'Duplicate of X.6.8 (deprecated)', 'Same as X.6.8.', ['SMTPUTF8 mismatch.'], ['See X.6.8.'], 'RFC 6531'],
  ['X.7.0', 'Other or undefined security status', 'Security or policy reason, possibly not disclosed; with AUTH: authentication required (530) or temporary auth failure (454).', ['Policy rejection with no detail.', 'Authentication required or temporarily failing.'], ['Read the text; authenticate if required.'], S7],
  ['X.7.1', 'Delivery not authorized, message refused', 'The sender is not authorised to send to this destination: per-host or per-recipient policy (relay denied, blocklisted IP, sender policy, spam verdict).', ['Relay access denied: client not authenticated, or domain not hosted there.', 'Sending IP on a blocklist or with poor reputation.', 'The recipient only accepts mail from certain senders.', 'Spam or policy filter verdict on the content.'], ['Read the text: it usually names the policy (relay, blocklist, reputation).', 'Authenticate when sending through your own server.', 'Check your IP on blocklists and your domain’s authentication (mxdoctor check).'], S7],
  ['X.7.2', 'Mailing list expansion prohibited', 'The sender may not post to this list.', ['List accepts only members/moderators.'], ['Subscribe or ask the list owner.'], S7],
  ['X.7.3', 'Security conversion required but not possible', 'A secure-messaging conversion was impossible.', ['Incompatible secure messaging.'], ['Send without it.'], S7],
  ['X.7.4', 'Security features not supported', 'Security features could not be supported on the delivery protocol.', ['Unsupported security feature (e.g. AUTH mechanism).'], ['Use supported features.'], S7],
  ['X.7.5', 'Cryptographic failure', 'A system authorised to validate or decrypt could not (key missing or invalid).', ['Missing or invalid key.'], ['Check keys and certificates.'], S7],
  ['X.7.6', 'Cryptographic algorithm not supported', 'The needed algorithm is not supported.', ['Unsupported algorithm.'], ['Use a supported algorithm.'], S7],
  ['X.7.7', 'Message integrity failure', 'The message was corrupted or altered.', ['Content changed in transit (signatures broken).'], ['Check relays and filters that rewrite mail.'], S7],
  ['X.7.8', 'Authentication credentials invalid', 'AUTH failed: wrong or insufficient credentials.', ['Wrong password or login name format.', 'Provider requires an app password or OAuth2.'], ['Re-enter the credentials; check the login name format.'], AUTH],
  ['X.7.9', 'Authentication mechanism is too weak', 'The chosen AUTH mechanism is weaker than policy permits.', ['PLAIN/LOGIN not allowed for this user.'], ['Use another mechanism (see EHLO) or the provider’s method.'], AUTH],
  ['X.7.10', 'Encryption Needed', 'A strong privacy layer (TLS) is needed for the chosen AUTH mechanism.', ['AUTH attempted without TLS.'], ['Use STARTTLS or implicit TLS before AUTH.'], 'RFC 5248'],
  ['X.7.11', 'Encryption required for requested authentication mechanism', 'The mechanism may only be used over an encrypted connection.', ['AUTH PLAIN/LOGIN before STARTTLS.'], ['Enable TLS in the client (587 STARTTLS or 465).'], AUTH],
  ['X.7.12', 'A password transition is needed', 'Authenticate once with PLAIN so the server can set up the chosen mechanism.', ['No stored credentials for that mechanism.'], ['Authenticate once with PLAIN over TLS.'], AUTH],
  ['X.7.13', 'User Account Disabled', 'Authentication succeeded but the account is disabled.', ['Account disabled by the administrator.'], ['Contact the administrator; re-entering the password will not help.'], 'RFC 5248'],
  ['X.7.14', 'Trust relationship required', 'The submission server needs a configured trust relationship with a third-party server to get the content (replaces X.7.8 for this, BURL).', ['Missing trust between submission and IMAP server.'], ['Configure the trust relationship.'], 'RFC 5248'],
  ['X.7.15', 'Priority Level is too low', 'The message priority is below what the server accepts now.', ['Server accepts only higher-priority mail at the moment.'], ['Retry later or raise the priority.'], 'RFC 6710'],
  ['X.7.16', 'Message is too big for the specified priority', 'Size limit for this priority exceeded.', ['Large message at low priority.'], ['Send smaller or later.'], 'RFC 6710'],
  ['X.7.17', 'Mailbox owner has changed', 'RRVS: the mailbox has not been continuously owned since the given time.', ['The address was reassigned to a new person.'], ['Verify the recipient before resending.'], 'RFC 7293'],
  ['X.7.18', 'Domain owner has changed', 'RRVS: the recipient domain changed owner since the given time.', ['Domain re-registered by someone else.'], ['Verify the recipient.'], 'RFC 7293'],
  ['X.7.19', 'RRVS test cannot be completed', 'RRVS could not be evaluated (no timestamp recorded).', ['Receiver does not track ownership dates.'], ['Decide whether to resend without RRVS.'], 'RFC 7293'],
  ['X.7.20', 'No passing DKIM signature found', 'The message had no valid DKIM signature, contrary to the receiver’s policy.', ['The message is not DKIM-signed, or the signature broke (body changed, wrong key in DNS).'], ['Enable DKIM signing and publish the key; check with mxdoctor check --dkim-selector <s>.'], 'RFC 7372'],
  ['X.7.21', 'No acceptable DKIM signature found', 'Passing DKIM signatures exist but none is acceptable to the receiver.', ['Signed by a domain the receiver does not accept (e.g. only the provider’s domain).'], ['Sign with your own domain.'], 'RFC 7372'],
  ['X.7.22', 'No valid author-matched DKIM signature found', 'No passing DKIM signature matches the From: domain.', ['DKIM d= domain differs from the From: domain.'], ['Sign with d= equal to (or a parent of) the From: domain.'], 'RFC 7372'],
  ['X.7.23', 'SPF validation failed', 'SPF evaluation gave "fail" for the sending IP.', ['The sending IP is not in the domain’s SPF record (new server, third-party sender, forwarding).'], ['Add the sending IP or the provider’s include to SPF; test with mxdoctor dns <domain> --ip <ip>.'], 'RFC 7372; RFC 7208 §8.4'],
  ['X.7.24', 'SPF validation error', 'SPF evaluation ended in an error (temperror with class 4, permerror with class 5).', ['Syntax error in the SPF record, more than 10 DNS lookups, or a DNS timeout.'], ['Fix the SPF record (mxdoctor check shows spf.* findings).'], 'RFC 7372; RFC 7208 §8.6, §8.7'],
  ['X.7.25', 'Reverse DNS validation failed', 'The sending IP failed the receiver’s reverse-DNS check.', ['No PTR record for the sending IP, or the PTR name does not resolve back to the IP.'], ['Ask the owner of the IP (hosting provider) to set a PTR matching the server’s A record and EHLO name.'], 'RFC 7372'],
  ['X.7.26', 'Multiple authentication checks failed', 'More than one authentication check (SPF, DKIM, …) failed.', ['Neither SPF nor DKIM pass (or align for DMARC).'], [AUTH_FIX], 'RFC 7372'],
  ['X.7.27', 'Sender address has null MX', 'The sender domain publishes a null MX, so bounces could not be returned.', ['Sending from a domain that declares it receives no mail.'], ['Send from a domain that can receive mail, or remove the null MX.'], 'RFC 7505'],
  ['X.7.28', 'Mail flood detected', 'The message looks like part of a flood of similar abusive messages.', ['High volume or a sudden burst from your IP/domain; compromised account sending spam.'], ['Slow down; check for compromised accounts or scripts; warm up new IPs gradually.'], 'IANA SMTP Enhanced Status Codes registry'],
  ['X.7.29', 'ARC validation failure', 'The message failed ARC validation.', ['Broken ARC chain from an intermediary.'], ['Check the forwarding/list server’s ARC signing.'], 'RFC 8617'],
  ['X.7.30', 'REQUIRETLS support required', 'The message required REQUIRETLS but the next hop does not support it.', ['Next hop lacks REQUIRETLS.'], ['Send without REQUIRETLS or via a path that supports it.'], 'RFC 8689'],
];

export const ENHANCED_CODES: readonly EnhancedCodeEntry[] = ROWS.map(([code, title, meaning, causes, fixes, source]) => ({ code, title, meaning, causes, fixes, source }));

const BY_KEY = new Map(ENHANCED_CODES.map((e) => [e.code, e]));

/** Entry for "5.2.2" (any class) or "X.2.2". */
export function enhancedCodeEntry(code: string): EnhancedCodeEntry | undefined {
  const m = /^[245X]\.(\d{1,3})\.(\d{1,3})$/i.exec(code);
  return m ? BY_KEY.get(`X.${Number(m[1])}.${Number(m[2])}`) : undefined;
}
