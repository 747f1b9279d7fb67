// Every finding the SPF family can emit (RFC 7208), declared once.
import type { FindingDef } from '../../core/finding.js';

const RETRY = 'Retry, or use another resolver with --resolver; a persistent SERVFAIL often means broken DNSSEC or a dead name server for that zone.';

export const SPF = {
  valid: { id: 'spf.valid', severity: 'ok', title: 'SPF record found and syntactically valid', meaning: 'The domain publishes exactly one "v=spf1" TXT record and it parses without errors.', refs: ['RFC 7208 §4.5', 'RFC 7208 §12'] },
  missing: {
    id: 'spf.missing', severity: 'warning', title: 'No SPF record',
    meaning: 'No TXT record at the domain starts with "v=spf1", so receivers get SPF result "none" and cannot tell forged mail from real mail.',
    remediation: 'Publish one TXT record such as "v=spf1 mx -all" listing every host that sends mail for the domain; "v=spf1 -all" for a domain that sends no mail.',
    refs: ['RFC 7208 §4.5', 'RFC 7208 §2.6.1'],
  },
  multiple: {
    id: 'spf.multiple', severity: 'critical', title: 'More than one SPF record',
    meaning: 'Several TXT records start with "v=spf1". RFC 7208 §4.5 makes that a permerror: receivers treat the domain as having a broken policy.',
    remediation: 'Merge them into one record (combine their mechanisms, keep a single "all" at the end) and delete the others.',
    refs: ['RFC 7208 §4.5', 'RFC 7208 §3.2'],
  },
  lookupFailed: {
    id: 'spf.lookup-failed', severity: 'unknown', title: 'Could not look up an SPF-related record',
    meaning: 'A DNS query needed for SPF timed out, answered SERVFAIL or was refused, so whether the record exists is unknown. Receivers in the same situation return temperror.',
    remediation: RETRY, refs: ['RFC 7208 §4.4', 'RFC 7208 §2.6.6'],
  },
  syntaxError: {
    id: 'spf.syntax-error', severity: 'critical', title: 'SPF record has a syntax error',
    meaning: 'The record does not follow the SPF grammar. Receivers must reject the whole record with permerror, so none of it protects the domain.',
    remediation: 'Fix the term marked in the evidence (position counted from 0 in the joined record text).',
    refs: ['RFC 7208 §4.6', 'RFC 7208 §12'],
  },
  syntaxWarning: {
    id: 'spf.syntax-warning', severity: 'warning', title: 'SPF record has terms that do not do what they seem to',
    meaning: 'The record is valid but contains terms that are never evaluated or are ignored (mechanisms after "all", "redirect" next to "all", a modifier spelled like a mechanism).',
    remediation: 'Remove or correct the marked terms; put "all" last.',
    refs: ['RFC 7208 §5.1', 'RFC 7208 §6.1'],
  },
  allPass: {
    id: 'spf.all-pass', severity: 'critical', title: 'SPF authorizes every address on the internet (+all)',
    meaning: 'A record ending in "+all" (or "all" with no qualifier), or an include of such a record, makes SPF pass for any sender anywhere: anyone can send as the domain.',
    remediation: 'End the record with "-all" (or "~all") after listing the real senders; do not include records that end in +all.',
    refs: ['RFC 7208 §5.1', 'RFC 7208 §5.2'],
  },
  allNeutral: {
    id: 'spf.all-neutral', severity: 'warning', title: 'SPF ends with ?all: unlisted senders get "neutral"',
    meaning: '"?all" says nothing about addresses not listed, so forged mail is not marked; DMARC cannot use SPF to reject it.',
    remediation: 'End the record with "-all" (or "~all" while testing).',
    refs: ['RFC 7208 §5.1', 'RFC 7208 §8.2'],
  },
  allMissing: {
    id: 'spf.all-missing', severity: 'warning', title: 'SPF record has no "all" mechanism and no redirect',
    meaning: 'Without "all" or "redirect=", addresses not listed get the default result neutral (§4.7), the same as "?all".',
    remediation: 'Add "-all" (or "~all") at the end of the record.',
    refs: ['RFC 7208 §4.7', 'RFC 7208 §5.1'],
  },
  allOk: { id: 'spf.all-ok', severity: 'ok', title: 'SPF rejects or marks unlisted senders (-all / ~all)', meaning: 'The policy ends with "-all" (fail) or "~all" (softfail), so mail from unlisted addresses is not authorized.', refs: ['RFC 7208 §5.1'] },
  lookupCount: { id: 'spf.lookup-count', severity: 'ok', title: 'SPF stays within 10 DNS lookups', meaning: 'Counted through every include and redirect: the terms that cost a DNS lookup (include, a, mx, ptr, exists, redirect) number 10 or fewer. The evidence has the whole tree with the count at each node.', refs: ['RFC 7208 §4.6.4'] },
  tooManyLookups: {
    id: 'spf.too-many-lookups', severity: 'critical', title: 'SPF needs more than 10 DNS lookups',
    meaning: 'Receivers stop after 10 DNS-querying terms (include, a, mx, ptr, exists, redirect, counted through every include) and return permerror, so SPF fails for legitimate mail once the limit is reached.',
    remediation: 'Remove includes you no longer use, replace a/mx with ip4:/ip6: ranges, or ask providers for narrower includes. The evidence tree shows which include costs what.',
    refs: ['RFC 7208 §4.6.4'],
  },
  tooManyVoid: {
    id: 'spf.too-many-void-lookups', severity: 'critical', title: 'SPF has more than 2 void lookups',
    meaning: 'More than two terms look up names that do not exist or have no records. Receivers that enforce the limit of §4.6.4 return permerror.',
    remediation: 'Remove the terms whose targets no longer exist (listed in the evidence).',
    refs: ['RFC 7208 §4.6.4', 'RFC 7208 §11.1'],
  },
  loop: {
    id: 'spf.loop', severity: 'critical', title: 'SPF include or redirect loop',
    meaning: 'Following include/redirect leads back to a record already being evaluated; evaluation can only end at the lookup limit, with permerror.',
    remediation: 'Remove the include or redirect that points back up the chain shown in the evidence.',
    refs: ['RFC 7208 §5.2', 'RFC 7208 §6.1', 'RFC 7208 §4.6.4'],
  },
  duplicateInclude: {
    id: 'spf.duplicate-include', severity: 'warning', title: 'The same domain is included more than once',
    meaning: 'An include reached twice (directly or through other includes) costs its lookups twice and adds nothing.',
    remediation: 'Keep one include of the domain.',
    refs: ['RFC 7208 §4.6.4'],
  },
  ptr: {
    id: 'spf.ptr-deprecated', severity: 'warning', title: 'SPF uses the deprecated "ptr" mechanism',
    meaning: 'RFC 7208 §5.5 says "ptr" should not be used: it is slow, unreliable and costs many DNS lookups; some receivers skip it.',
    remediation: 'Replace "ptr" with ip4:/ip6: ranges or "a:" for the sending hosts.',
    refs: ['RFC 7208 §5.5'],
  },
  mxTooMany: {
    id: 'spf.mx-too-many-hosts', severity: 'critical', title: 'An "mx" mechanism names a domain with more than 10 MX hosts',
    meaning: 'Evaluating "mx" may look up at most 10 MX hosts\' addresses; with more, the mechanism is a permerror.',
    remediation: 'Replace the "mx" mechanism with ip4:/ip6: ranges of the sending hosts.',
    refs: ['RFC 7208 §4.6.4'],
  },
  includeMissing: {
    id: 'spf.include-missing', severity: 'critical', title: 'An include or redirect target has no SPF record',
    meaning: 'Including (or redirecting to) a domain with no SPF record is a permerror (§5.2, §6.1): the whole policy breaks, typically after a provider retired a name.',
    remediation: 'Remove the include/redirect or correct the domain name (see the provider\'s current documentation).',
    refs: ['RFC 7208 §5.2', 'RFC 7208 §6.1'],
  },
  nestedInvalid: {
    id: 'spf.nested-invalid', severity: 'critical', title: 'An included or redirected SPF record is broken',
    meaning: 'The target of an include or redirect publishes several SPF records or one with a syntax error; receivers return permerror for the whole evaluation when they reach it.',
    remediation: 'Ask the owner of that domain to fix it, or stop including it.',
    refs: ['RFC 7208 §5.2', 'RFC 7208 §4.5', 'RFC 7208 §4.6'],
  },
  noAddress: {
    id: 'spf.target-no-address', severity: 'warning', title: 'An "a" or "mx" mechanism points at a name without addresses',
    meaning: 'The name has no A/AAAA (or no MX) records, so the mechanism never matches and costs a (void) lookup: usually a leftover from a retired host.',
    remediation: 'Remove the mechanism or fix the host name.',
    refs: ['RFC 7208 §5.3', 'RFC 7208 §5.4'],
  },
  tooLarge: {
    id: 'spf.record-too-large', severity: 'warning', title: 'The TXT answer holding SPF exceeds 512 bytes',
    meaning: 'The DNS answer with the SPF record does not fit in 512 bytes, so resolvers without EDNS fall back to TCP; where TCP is blocked, SPF lookups fail (temperror).',
    remediation: 'Shorten the record (ip4 ranges instead of many hosts, fewer includes) or move other TXT records off the domain apex.',
    refs: ['RFC 7208 §3.4'],
  },
  stringTooLong: {
    id: 'spf.string-too-long', severity: 'warning', title: 'A character-string of the SPF record is over 255 bytes',
    meaning: 'A TXT character-string holds at most 255 bytes (RFC 1035 §3.3.14). A longer one cannot come over the wire, so it shows a record handed to mxdoctor from elsewhere (an API, a provider\'s form) that DNS software will cut or reject.',
    remediation: 'Split the record into several quoted strings of at most 255 bytes each ("v=spf1 ..." "... -all"); they are joined without a separator.',
    refs: ['RFC 7208 §3.3', 'RFC 1035 §3.3.14'],
  },
  obsoleteType: {
    id: 'spf.obsolete-rr-type', severity: 'warning', title: 'The obsolete SPF record type (99) is published',
    meaning: 'RFC 7208 removed DNS record type SPF (99); receivers only read TXT. A type-99 record is ignored and easily drifts out of sync with the TXT record.',
    remediation: 'Delete the SPF-type record; keep the policy in TXT only.',
    refs: ['RFC 7208 §3.1', 'RFC 7208 §14.1'],
  },
  macros: { id: 'spf.macro-terms', severity: 'info', title: 'SPF terms with macros are counted but not followed', meaning: 'Terms such as "exists:%{i}._spf.example.com" expand per message; each still costs one lookup (counted), but what they resolve to depends on the sender, so the static walk cannot follow them. Use --ip to evaluate for an address.', refs: ['RFC 7208 §7'] },
  expInvalid: {
    id: 'spf.exp-invalid', severity: 'warning', title: 'The exp= explanation cannot be used',
    meaning: 'The exp= domain has no TXT record, several, or one that is not a valid macro-string, so receivers give no explanation on fail (§6.2).',
    remediation: 'Publish exactly one TXT record at the exp= domain with the explanation text, or remove exp=.',
    refs: ['RFC 7208 §6.2'],
  },
  evaluation: {
    id: 'spf.evaluation', severity: 'info', title: 'SPF evaluation for the given address',
    meaning: 'The result of check_host() for the address given with --ip (and --sender): pass, fail, softfail, neutral, none, permerror or temperror, with the path of records and terms walked.',
    remediation: 'If the address should be allowed, add it (ip4:/ip6:) or its provider\'s include to the record; if the result is an error, fix the findings above.',
    refs: ['RFC 7208 §4', 'RFC 7208 §2.6'],
  },
} satisfies Record<string, FindingDef>;
