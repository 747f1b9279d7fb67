// Causes of slow mail: MX or submission servers that answer slowly or stall, deliberate
// greeting pauses, greylisting, slow TLS handshakes.
import type { CauseDef } from './cause-types.js';

/** A temporary (4xx) reply to our RCPT test: greylisting or rate limiting, not a refusal. */
const temporaryRcpt = (f: { evidence?: Record<string, unknown> }) => /^4\d\d\b/.test(String(f.evidence?.reply ?? ''));

export const SLOW_CAUSES: CauseDef[] = [
  {
    id: 'mx-slow-replies',
    title: 'The MX server answers slowly',
    why: 'Every sender waits for each reply (greeting, EHLO, RCPT): slow DNS lookups in the server\'s restrictions, an overloaded content filter or an exhausted process limit add delay to every message and, past the senders\' timeouts, defer it.',
    fix: 'Find the slow step in the evidence; check the server\'s resolver (a local caching resolver), DNSBL lookups, milters and process limits (Postfix default_process_limit).',
    ids: ['smtp.slow-reply'],
    roles: ['mx'],
    weight: { slow: 3 },
    refs: ['RFC 5321 §4.5.3.2'],
  },
  {
    id: 'mx-stalls',
    title: 'The MX server stops answering in the middle of the dialogue',
    why: 'No complete reply arrived within the step timeout. Senders wait up to 5 minutes per step (RFC 5321 §4.5.3.2), then defer and retry later.',
    fix: 'Look at the server log at the time of the test for the step that stalled (DNS lookups, policy services, milters); `mxdoctor smtp <mx> --transcript` shows it.',
    ids: ['smtp.greeting-timeout', 'smtp.command-timeout'],
    roles: ['mx'],
    weight: { slow: 3, 'cannot-receive': 1 },
    refs: ['RFC 5321 §4.5.3.2'],
  },
  {
    id: 'submission-slow-replies',
    title: 'The submission server answers slowly',
    why: 'Mail apps wait for every reply when sending: slow authentication back ends, DNS lookups or filters delay each message users send.',
    fix: 'Find the slow step in the evidence; check the SASL back end (Dovecot auth), the resolver and filters of the submission service.',
    ids: ['submission.slow-reply'],
    roles: ['submission'],
    weight: { slow: 3, 'client-cannot-connect': 1 },
    refs: ['RFC 6409 §3'],
  },
  {
    id: 'greeting-pause',
    title: 'The MX delays its greeting on purpose',
    why: 'A multi-line greeting with a pause (postscreen\'s pregreet test) adds a few seconds to every incoming connection; by itself it does not delay mail noticeably.',
    fix: 'Nothing, unless the pause is long (postscreen_greet_wait); keep it short.',
    ids: ['smtp.greeting-delayed'],
    roles: ['mx'],
    weight: { slow: 2 },
    refs: ['RFC 5321 §4.3.1'],
  },
  {
    id: 'greylisting',
    title: 'The MX greylists: first mail from a new sender is deferred',
    why: 'The RCPT test got a temporary (4xx) reply. Greylisting defers the first attempt of each new sender/recipient pair; the mail arrives only when the sender retries, minutes to an hour later.',
    fix: 'Expected with greylisting; shorten the delay or whitelist known senders (postgrey --delay, --auto-whitelist-clients), or replace it with postscreen.',
    ids: ['smtp.rcpt-inconclusive'],
    roles: ['mx'],
    accept: temporaryRcpt,
    asSeverity: 'warning',
    weight: { slow: 2 },
    refs: ['RFC 5321 §4.2.5', 'RFC 6647'],
  },
  {
    id: 'tls-handshake-slow',
    title: 'TLS handshakes do not finish in time',
    why: 'A handshake that takes seconds (slow key operations, an overloaded server, a middlebox) adds that delay to every encrypted connection, or makes senders give up and retry.',
    fix: 'Check the server\'s load and TLS settings (ECDSA keys are cheaper than large RSA ones); `mxdoctor tls <host>` shows the timings.',
    ids: ['tls.handshake-timeout'],
    roles: ['mx', 'submission'],
    weight: { slow: 2 },
    refs: ['RFC 8446 §2'],
  },
];
