// Every finding the DMARC family can emit (RFC 7489, noting DMARCbis / RFC 9989).
import type { FindingDef } from '../../core/finding.js';

const RETRY = 'Retry, or use another resolver with --resolver; a persistent SERVFAIL from a validating resolver often means broken DNSSEC.';

export const F = {
  valid: { id: 'dmarc.valid', severity: 'ok', title: 'DMARC record found and valid', meaning: 'Exactly one syntactically valid v=DMARC1 record applies to the domain.', refs: ['RFC 7489 §6.3', 'RFC 7489 §6.6.3'] },
  lookupFailed: {
    id: 'dmarc.lookup-failed', severity: 'unknown', title: 'Could not look up the DMARC record',
    meaning: 'The _dmarc TXT query timed out, answered SERVFAIL or was refused, so whether the domain has a DMARC policy is unknown.',
    remediation: RETRY,
  },
  missing: {
    id: 'dmarc.missing', severity: 'warning', title: 'No DMARC record',
    meaning: 'Neither _dmarc.<domain> nor the organizational domain publishes a v=DMARC1 record, so receivers apply no policy to mail that fails SPF and DKIM, and you get no reports. Large mailbox providers require DMARC from bulk senders.',
    remediation: 'Publish a TXT record at _dmarc.<domain>, starting with "v=DMARC1; p=none; rua=mailto:dmarc@<domain>" to collect reports, then move to p=quarantine or p=reject.',
    refs: ['RFC 7489 §6.1', 'RFC 7489 §6.6.3'],
  },
  multiple: {
    id: 'dmarc.multiple', severity: 'critical', title: 'More than one DMARC record',
    meaning: 'When _dmarc.<domain> holds several v=DMARC1 records, receivers must ignore all of them: the domain has no DMARC policy at all.',
    remediation: 'Merge them into one TXT record and delete the others.',
    refs: ['RFC 7489 §6.6.3'],
  },
  spfAtDmarc: {
    id: 'dmarc.spf-at-dmarc', severity: 'warning', title: 'An SPF record is published at _dmarc',
    meaning: 'A v=spf1 record at _dmarc.<domain> has no effect there; usually the DMARC and SPF records were put at the wrong names.',
    remediation: 'Move the SPF record to the domain itself and publish the DMARC record at _dmarc.<domain>.',
    refs: ['RFC 7489 §6.1', 'RFC 7208 §3'],
  },
  inherited: {
    id: 'dmarc.inherited', severity: 'info', title: 'DMARC policy inherited from the organizational domain',
    meaning: 'The domain has no record of its own; receivers use the organizational domain\'s record (found with the Public Suffix List) and apply its sp policy (or p when there is no sp).',
    refs: ['RFC 7489 §6.6.3', 'RFC 7489 §3.2'],
  },
  syntax: {
    id: 'dmarc.syntax-error', severity: 'critical', title: 'The DMARC record has a syntax error',
    meaning: 'Receivers discard a record that does not follow the grammar (v=DMARC1 first, tag=value pairs separated by ";"), so the domain has no DMARC policy.',
    remediation: 'Rewrite the record as "v=DMARC1; p=<policy>; rua=mailto:<address>", with ";" between tags.',
    refs: ['RFC 7489 §6.4', 'RFC 6376 §3.2'],
  },
  duplicateTag: {
    id: 'dmarc.duplicate-tag', severity: 'critical', title: 'A DMARC tag appears twice',
    meaning: 'A tag list with a duplicated tag is invalid as a whole, so receivers may ignore the entire record.',
    remediation: 'Keep each tag once.',
    refs: ['RFC 6376 §3.2', 'RFC 7489 §6.4'],
  },
  invalidPolicy: {
    id: 'dmarc.invalid-policy', severity: 'critical', title: 'The DMARC policy (p, sp or np) has an invalid value',
    meaning: 'A policy other than none, quarantine or reject is invalid; receivers then treat the record as p=none (if it has a valid rua) or ignore it.',
    remediation: 'Use p=none, p=quarantine or p=reject (and the same words for sp and np).',
    refs: ['RFC 7489 §6.3', 'RFC 7489 §6.6.3'],
  },
  invalidValue: {
    id: 'dmarc.invalid-value', severity: 'warning', title: 'A DMARC tag has an invalid value',
    meaning: 'adkim, aspf, fo, pct, rf, ri, t or psd has a value outside its grammar; receivers ignore it and use the default, which may not be what you meant.',
    remediation: 'Fix the value as described in the detail, or remove the tag to use the default.',
    refs: ['RFC 7489 §6.3'],
  },
  rejectedValue: {
    id: 'dmarc.value-rejected', severity: 'critical', title: 'A DMARC tag value makes OpenDMARC discard the record',
    meaning: 'adkim, aspf, pct, rf or ri has a value that libopendmarc refuses (DMARC_PARSE_ERROR_BAD_VALUE): receivers running OpenDMARC (the opendmarc milter, Exim\'s DMARC support) then treat the domain as having no DMARC record, so the policy is not applied there. RFC 7489 receivers that ignore the bad value apply the rest.',
    remediation: 'Fix the value (adkim/aspf: r or s; pct: 0 to 100; rf: afrf; ri: seconds) or remove the tag to use the default.',
    refs: ['RFC 7489 §6.3', 'OpenDMARC libopendmarc/opendmarc_policy.c'],
  },
  policyMissing: {
    id: 'dmarc.policy-missing', severity: 'warning', title: 'The DMARC record has no p tag',
    meaning: 'p is required by RFC 7489: receivers ignore the record unless it has a valid rua, and then act as if p=none. DMARCbis treats a missing p as none. Either way nothing is enforced.',
    remediation: 'Add p=none while you collect reports, then p=quarantine or p=reject, right after v=DMARC1.',
    refs: ['RFC 7489 §6.3', 'RFC 7489 §6.6.3'],
  },
  tagOrder: {
    id: 'dmarc.tag-order', severity: 'warning', title: 'The p tag is not the second tag',
    meaning: 'RFC 7489 requires v and p to be present and to appear in that order; most receivers are lenient, a few are not.',
    remediation: 'Put p= right after v=DMARC1.',
    refs: ['RFC 7489 §6.4'],
  },
  unknownTag: {
    id: 'dmarc.unknown-tag', severity: 'warning', title: 'The DMARC record has an unknown tag',
    meaning: 'Receivers ignore tags they do not know; an unknown tag is usually a typo of a real one, which then has no effect.',
    remediation: 'Correct or remove the tag.',
    refs: ['RFC 7489 §6.3'],
  },
  obsoleteTag: {
    id: 'dmarc.obsolete-tag', severity: 'info', title: 'The DMARC record uses tags that DMARCbis removed',
    meaning: 'pct, rf and ri are removed in DMARCbis (RFC 9989); receivers that implement it ignore them. They still work with RFC 7489 receivers.',
    refs: ['RFC 9989', 'RFC 7489 §6.3'],
  },
  sizeLimit: {
    id: 'dmarc.size-limit', severity: 'info', title: 'A report URI has an obsolete "!size" limit',
    meaning: 'The "!size" suffix on rua/ruf URIs is removed in DMARCbis and ignored by most receivers.',
    refs: ['RFC 7489 §6.4', 'RFC 9989'],
  },
  policyNone: {
    id: 'dmarc.policy-none', severity: 'warning', title: 'DMARC policy is "none": not enforced',
    meaning: 'p=none asks receivers to deliver mail that fails DMARC as usual: it only collects reports, so spoofed mail using the domain is not stopped.',
    remediation: 'Once the aggregate reports show that all your legitimate mail passes SPF or DKIM with alignment, move to p=quarantine, then p=reject.',
    refs: ['RFC 7489 §6.3', 'RFC 7489 §6.7'],
  },
  enforced: { id: 'dmarc.policy-enforced', severity: 'ok', title: 'DMARC policy is enforced', meaning: 'The policy that applies is quarantine or reject: receivers act on mail that fails DMARC.', refs: ['RFC 7489 §6.3'] },
  testing: {
    id: 'dmarc.testing-mode', severity: 'warning', title: 'DMARC testing mode (t=y)',
    meaning: 'DMARCbis t=y asks receivers to apply the policy one level weaker (reject as quarantine, quarantine as none).',
    remediation: 'Remove t=y (or set t=n) once the reports show your mail passes.',
    refs: ['RFC 9989'],
  },
  subWeaker: {
    id: 'dmarc.subdomain-policy-weaker', severity: 'info', title: 'Subdomains get a weaker DMARC policy than the domain',
    meaning: 'sp (existing subdomains) or np (non-existent subdomains) is weaker than p. Reported as a warning when it is "none": spoofed mail from any subdomain is then delivered.',
    remediation: 'Unless subdomains send mail that does not yet pass DMARC, remove sp/np (they default to p) or set them to p\'s value.',
    refs: ['RFC 7489 §6.3', 'RFC 9091 §4'],
  },
  pct: {
    id: 'dmarc.pct-partial', severity: 'warning', title: 'DMARC policy applies to only part of the mail (pct < 100)',
    meaning: 'With pct below 100 receivers apply the policy to that share of failing mail only and treat the rest one level weaker.',
    remediation: 'Raise pct to 100 (or remove it) once the reports are clean.',
    refs: ['RFC 7489 §6.3', 'RFC 7489 §6.6.4'],
  },
  alignment: { id: 'dmarc.alignment', severity: 'info', title: 'DMARC identifier alignment', meaning: 'adkim and aspf say whether the DKIM d= domain and the SPF MAIL FROM domain must equal the From domain (strict) or only share its organizational domain (relaxed, the default).', refs: ['RFC 7489 §3.1'] },
  noRua: {
    id: 'dmarc.no-rua', severity: 'info', title: 'No aggregate report address (rua)',
    meaning: 'Without rua you receive no aggregate reports, so you cannot see who sends mail as your domain or whether it passes. Best practice is to collect them. Reported as a warning when the policy is none: such a record then has no effect at all.',
    remediation: 'Add rua=mailto:<address> (an address in your domain, or a DMARC report service).',
    refs: ['RFC 7489 §7.2'],
  },
  invalidUri: {
    id: 'dmarc.invalid-uri', severity: 'warning', title: 'A DMARC report URI is invalid',
    meaning: 'A rua/ruf entry is not a valid mailto: (or https:) URI; receivers skip it, so those reports are lost.',
    remediation: 'Use "mailto:<address>", separate several URIs with commas and %-encode commas or "!" inside them.',
    refs: ['RFC 7489 §6.2', 'RFC 7489 §6.4'],
  },
  tooManyUris: {
    id: 'dmarc.too-many-uris', severity: 'warning', title: 'More than two report URIs',
    meaning: 'Receivers must support only two destinations per tag and may ignore the rest.',
    remediation: 'List at most two URIs in rua and in ruf; forward internally if more people need the reports.',
    refs: ['RFC 7489 §6.2'],
  },
  extAuthorized: { id: 'dmarc.external-report-authorized', severity: 'ok', title: 'External report destination authorized', meaning: 'A report destination in another organizational domain publishes <domain>._report._dmarc.<destination> starting with v=DMARC1, so receivers will send it reports.', refs: ['RFC 7489 §7.1'] },
  extUnauthorized: {
    id: 'dmarc.external-report-unauthorized', severity: 'warning', title: 'External report destination has not authorized your reports',
    meaning: 'Reports to a destination in another organizational domain are sent only when it publishes a TXT record <domain>._report._dmarc.<destination> starting with v=DMARC1. Without it, receivers will not send reports there.',
    remediation: 'Ask the report receiver to publish a TXT record "v=DMARC1" at <domain>._report._dmarc.<destination> (report services do this when you register the domain), or use an address in your own domain.',
    refs: ['RFC 7489 §7.1'],
  },
  reportLookupFailed: {
    id: 'dmarc.report-lookup-failed', severity: 'unknown', title: 'Could not check a DMARC report destination',
    meaning: 'The authorization or MX lookup for a rua/ruf destination failed (timeout, SERVFAIL, refused), so whether reports reach it is unknown.',
    remediation: RETRY,
  },
  reportNoMx: {
    id: 'dmarc.report-domain-no-mx', severity: 'warning', title: 'A DMARC report address is in a domain that receives no mail',
    meaning: 'The mail domain of a mailto: report URI has no MX record (or a null MX), so reports sent there are likely to bounce.',
    remediation: 'Use a report address in a domain with working MX records.',
    refs: ['RFC 7489 §7.2.1.1', 'RFC 5321 §5.1'],
  },
} satisfies Record<string, FindingDef>;
