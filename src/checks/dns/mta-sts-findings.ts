// Finding definitions of the MTA-STS family (RFC 8461). Whatever makes senders ignore
// the policy (bad TXT, unreachable or invalid policy) is critical: the domain believes
// it is protected while it is not. "Could not tell" is unknown, never "missing".
import type { FindingDef } from '../../core/finding.js';

const IGNORED = 'Senders then treat the domain as having no MTA-STS policy (RFC 8461 §3.1, §3.3), so mail is not protected against TLS downgrade.';

export const F = {
  // The _mta-sts TXT record (§3.1)
  notDeployed: {
    id: 'mta-sts.not-deployed', severity: 'info', title: 'MTA-STS is not deployed',
    meaning: 'There is no "v=STSv1" TXT record at _mta-sts.<domain>, so senders do not require TLS with a valid certificate when delivering to the domain.',
    refs: ['RFC 8461 §3.1'],
  },
  txtLookupFailed: {
    id: 'mta-sts.txt-lookup-failed', severity: 'unknown', title: 'Could not look up the MTA-STS TXT record',
    meaning: 'The lookup of _mta-sts.<domain> timed out or failed, so whether the domain publishes MTA-STS is unknown.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
  txtMultiple: {
    id: 'mta-sts.txt-multiple', severity: 'critical', title: 'Several MTA-STS TXT records',
    meaning: `More than one TXT record at _mta-sts.<domain> begins with "v=STSv1;". ${IGNORED}`,
    remediation: 'Keep exactly one record, e.g. _mta-sts TXT "v=STSv1; id=20260101T000000".',
    refs: ['RFC 8461 §3.1'],
  },
  txtInvalid: {
    id: 'mta-sts.txt-invalid', severity: 'critical', title: 'The MTA-STS TXT record is invalid',
    meaning: `The _mta-sts record does not follow the §3.1 grammar ("v=STSv1; id=<1 to 32 letters or digits>"). ${IGNORED}`,
    remediation: 'Publish _mta-sts TXT "v=STSv1; id=<new id>" where the id is 1 to 32 letters and digits (a timestamp such as 20260101T000000 works); change the id whenever the policy changes.',
    refs: ['RFC 8461 §3.1'],
  },
  txtValid: {
    id: 'mta-sts.txt-valid', severity: 'ok', title: 'MTA-STS TXT record is valid',
    meaning: 'One valid "v=STSv1; id=…" record at _mta-sts.<domain> tells senders to fetch the policy.',
    refs: ['RFC 8461 §3.1'],
  },
  policyWithoutTxt: {
    id: 'mta-sts.policy-without-txt', severity: 'warning', title: 'An MTA-STS policy is served but the TXT record is missing',
    meaning: 'https://mta-sts.<domain>/.well-known/mta-sts.txt serves a policy, but senders only fetch it after finding the _mta-sts TXT record, so it has no effect.',
    remediation: 'Publish _mta-sts TXT "v=STSv1; id=<timestamp>", or remove the policy host if MTA-STS is not wanted.',
    refs: ['RFC 8461 §3.1', 'RFC 8461 §3.3'],
  },
  // Fetching the policy (§3.3)
  hostMissing: {
    id: 'mta-sts.policy-host-missing', severity: 'critical', title: 'The policy host mta-sts.<domain> does not resolve',
    meaning: `The TXT record announces MTA-STS but mta-sts.<domain> has no A or AAAA address, so the policy cannot be fetched. ${IGNORED}`,
    remediation: 'Create mta-sts.<domain> (A/AAAA or CNAME to your policy host) serving /.well-known/mta-sts.txt over HTTPS, or remove the _mta-sts TXT record.',
    refs: ['RFC 8461 §3.3'],
  },
  hostLookupFailed: {
    id: 'mta-sts.policy-host-lookup-failed', severity: 'unknown', title: 'Could not resolve the policy host',
    meaning: 'The address lookup of mta-sts.<domain> timed out or failed, so the policy could not be fetched.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
  connectFailed: {
    id: 'mta-sts.policy-connect-failed', severity: 'critical', title: 'Could not connect to the policy host',
    meaning: `The HTTPS connection to mta-sts.<domain> was refused, reset or unreachable. ${IGNORED}`,
    remediation: 'Make the web server at mta-sts.<domain> listen on port 443 (HTTPS) and allow it through firewalls.',
    refs: ['RFC 8461 §3.3'],
  },
  tlsInvalid: {
    id: 'mta-sts.policy-tls-invalid', severity: 'critical', title: 'The policy host\'s certificate is not valid',
    meaning: `Senders must fetch the policy over HTTPS with a certificate valid for mta-sts.<domain> that chains to a trusted root; this one is not (wrong name, self-signed, expired or incomplete chain). ${IGNORED}`,
    remediation: 'Install a publicly trusted certificate whose names include mta-sts.<domain> (e.g. from Let\'s Encrypt), with the full chain.',
    refs: ['RFC 8461 §3.3'],
  },
  fetchTimeout: {
    id: 'mta-sts.policy-fetch-timeout', severity: 'unknown', title: 'The policy host did not answer in time',
    meaning: 'The HTTPS fetch of the policy did not complete within the timeout; it may be down or filtered, or the network on our side may be slow.',
    remediation: 'Retry; if it persists, make sure mta-sts.<domain> answers HTTPS on port 443: senders give up the same way.',
    refs: ['RFC 8461 §3.3'],
  },
  fetchFailed: {
    id: 'mta-sts.policy-fetch-failed', severity: 'critical', title: 'The policy could not be fetched',
    meaning: `The HTTPS exchange failed (protocol error, or a body larger than the 64 KiB mxdoctor reads). ${IGNORED}`,
    remediation: 'Serve a small plain-text policy file at https://mta-sts.<domain>/.well-known/mta-sts.txt.',
    refs: ['RFC 8461 §3.3'],
  },
  redirect: {
    id: 'mta-sts.policy-redirect', severity: 'critical', title: 'The policy URL redirects',
    meaning: `Senders must not follow HTTP 3xx redirects when fetching the policy (§3.3). ${IGNORED}`,
    remediation: 'Serve the policy file directly at https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200 (no redirect to www or another host).',
    refs: ['RFC 8461 §3.3'],
  },
  httpStatus: {
    id: 'mta-sts.policy-http-status', severity: 'critical', title: 'The policy URL does not answer 200 OK',
    meaning: `Only a 200 response carries a policy. ${IGNORED}`,
    remediation: 'Place the policy file at /.well-known/mta-sts.txt on the mta-sts.<domain> web server so it answers 200.',
    refs: ['RFC 8461 §3.3'],
  },
  contentType: {
    id: 'mta-sts.policy-content-type', severity: 'critical', title: 'The policy is not served as text/plain',
    meaning: `The policy's media type must be "text/plain" and senders should reject anything else (§3.2), so that HTML or uploads cannot pose as a policy. ${IGNORED}`,
    remediation: 'Configure the web server to send "Content-Type: text/plain" for /.well-known/mta-sts.txt.',
    refs: ['RFC 8461 §3.2'],
  },
  // The policy itself (§3.2)
  policyInvalid: {
    id: 'mta-sts.policy-invalid', severity: 'critical', title: 'The MTA-STS policy is invalid',
    meaning: `The policy file does not follow §3.2: "version: STSv1", "mode: enforce|testing|none", "max_age: <seconds, at most 31557600>" and one "mx: <host or *.domain>" line per MX. ${IGNORED}`,
    remediation: 'Fix the lines listed; keys and values are case-sensitive, one "key: value" per line, only mx may repeat.',
    refs: ['RFC 8461 §3.2'],
  },
  policyValid: {
    id: 'mta-sts.policy-valid', severity: 'ok', title: 'MTA-STS policy fetched and valid',
    meaning: 'The policy was fetched over HTTPS with a valid certificate, as text/plain, and parses.',
    refs: ['RFC 8461 §3.2', 'RFC 8461 §3.3'],
  },
  policyNonstandard: {
    id: 'mta-sts.policy-nonstandard', severity: 'info', title: 'The policy has lines senders ignore',
    meaning: 'Unknown keys are ignored (§3.2); blank or indented lines fall outside the grammar but most senders skip them.',
    refs: ['RFC 8461 §3.2'],
  },
  modeTesting: {
    id: 'mta-sts.mode-testing', severity: 'info', title: 'MTA-STS is in testing mode',
    meaning: 'In testing mode senders deliver even when TLS or the certificate fails, and only report the failure (TLS-RPT). Good for rollout; it does not yet protect mail.',
    remediation: 'Once TLS reports show no failures, switch to "mode: enforce" and change the TXT id.',
    refs: ['RFC 8461 §5'],
  },
  modeNone: {
    id: 'mta-sts.mode-none', severity: 'info', title: 'MTA-STS policy mode is none',
    meaning: 'Mode none tells senders the domain has no active policy; it is how MTA-STS is withdrawn (§8.3).',
    refs: ['RFC 8461 §5', 'RFC 8461 §8.3'],
  },
  maxAgeShort: {
    id: 'mta-sts.max-age-short', severity: 'warning', title: 'max_age is under a day',
    meaning: 'Senders cache the policy for max_age seconds; a short cache leaves frequent windows where an attacker who blocks the policy fetch can downgrade TLS. RFC 8461 §3.2 expects values "in the range of weeks or greater".',
    remediation: 'Raise max_age to at least 604800 (one week); 1209600 to 31557600 is common once the policy is stable.',
    refs: ['RFC 8461 §3.2', 'RFC 8461 §10.2'],
  },
  maxAgeUnderWeeks: {
    id: 'mta-sts.max-age-under-weeks', severity: 'info', title: 'max_age is shorter than a week',
    meaning: 'RFC 8461 §3.2 expects max_age to be "in the range of weeks or greater" to limit downgrade attacks at policy refresh time.',
    refs: ['RFC 8461 §3.2'],
  },
  // The policy against the real MX hosts (§4.1)
  mxCovered: {
    id: 'mta-sts.mx-covered', severity: 'ok', title: 'Every MX host matches the MTA-STS policy',
    meaning: 'Each MX host name matches one of the policy\'s mx patterns, so senders accept every MX.',
    refs: ['RFC 8461 §4.1'],
  },
  mxNotCovered: {
    id: 'mta-sts.mx-not-covered', severity: 'critical', title: 'An MX host does not match any mx pattern of the policy',
    meaning: 'Senders that apply the policy refuse to deliver to an MX host no pattern matches: in enforce mode mail to that host fails (and bounces if no other MX matches); in testing mode it is reported as a failure.',
    remediation: 'Add an "mx:" line for the host (or a "*.<parent>" pattern covering exactly one extra label), publish the policy, then change the TXT id so senders refetch it.',
    refs: ['RFC 8461 §4.1', 'RFC 8461 §5.1'],
  },
  mxPatternUnused: {
    id: 'mta-sts.mx-pattern-unused', severity: 'info', title: 'An mx pattern matches none of the MX hosts',
    meaning: 'The pattern allows a host that is not in the MX records: often a leftover from a migration, or a typo.',
    refs: ['RFC 8461 §4.1'],
  },
  mxLookupFailed: {
    id: 'mta-sts.mx-lookup-failed', severity: 'unknown', title: 'Could not compare the policy with the MX hosts',
    meaning: 'The MX lookup failed, so whether every MX host matches the policy is unknown.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
} satisfies Record<string, FindingDef>;
