// The built-in DNS blacklists: well-documented public lists only, each with the return
// codes its operator documents, the codes that mean "we refused your query", where to ask
// for delisting and where the codes come from. Answers outside the documented codes are
// never read as a listing (RFC 5782 §2.3; Spamhaus answers 127.255.255.254 to queries
// that arrive through public resolvers, and naive checkers report that as "listed").
// SORBS is gone (closed 2024) and the CBL lives on inside Spamhaus XBL: neither is here.

export type DnsblKind = 'ip4' | 'ip6' | 'domain';
/** major: widely used to reject mail, a listing is critical; minor: scoring or aggressive lists, a warning. */
export type DnsblWeight = 'major' | 'minor';

export interface DnsblCode {
  /** First answer (dotted IPv4 in 127.0.0.0/8) with this meaning. */
  from: string;
  /** Last answer of the run, when the meaning covers several consecutive codes. */
  to?: string;
  meaning: string;
  /** Overrides the list's weight for this code (e.g. URIBL grey). */
  weight?: DnsblWeight;
}

export interface DnsblList {
  zone: string;
  name: string;
  /** What the list can be asked about: IPv4 and/or IPv6 addresses (reversed), or domain names. */
  kinds: readonly DnsblKind[];
  weight: DnsblWeight;
  /** Listing codes. With `bitmask`, each is one bit of the last octet and answers combine them. */
  listing: readonly DnsblCode[];
  bitmask?: boolean;
  /** Documented answers that mean the query was refused or malformed: never a listing. */
  errors: readonly DnsblCode[];
  delistUrl: string;
  /** The operator refuses (or answers with an error code) queries relayed by big public resolvers. */
  refusesPublicResolvers: boolean;
  /** Where the codes above are documented. */
  source: string;
}

const SPAMHAUS_ERRORS: DnsblCode[] = [
  { from: '127.255.255.252', meaning: 'typing error in the DNSBL name' },
  { from: '127.255.255.254', meaning: 'query via a public/open resolver or from unattributable reverse DNS' },
  { from: '127.255.255.255', meaning: 'excessive number of queries' },
];
const SPAMHAUS_SOURCE = 'https://docs.spamhaus.com/datasets/docs/source/10-data-type-documentation/datasets/040-zones.html';

export const DNSBL_LISTS: readonly DnsblList[] = [
  {
    zone: 'zen.spamhaus.org', name: 'Spamhaus ZEN', kinds: ['ip4', 'ip6'], weight: 'major',
    listing: [
      { from: '127.0.0.2', meaning: 'SBL: Spamhaus-maintained listing (spam source or spam operation)' },
      { from: '127.0.0.3', meaning: 'SBL CSS: snowshoe spam source detected by automation' },
      { from: '127.0.0.4', to: '127.0.0.7', meaning: 'XBL: exploited host (malware, proxy, compromised; the former CBL)' },
      { from: '127.0.0.9', meaning: 'SBL DROP/EDROP: hijacked or criminal network' },
      { from: '127.0.0.10', meaning: 'PBL (set by the ISP): end-user address that should not send mail directly' },
      { from: '127.0.0.11', meaning: 'PBL (set by Spamhaus): end-user address that should not send mail directly' },
      { from: '127.0.0.30', meaning: 'BCL: botnet controller' },
    ],
    errors: SPAMHAUS_ERRORS,
    delistUrl: 'https://check.spamhaus.org/', refusesPublicResolvers: true,
    source: SPAMHAUS_SOURCE,
  },
  {
    zone: 'dbl.spamhaus.org', name: 'Spamhaus DBL', kinds: ['domain'], weight: 'major',
    listing: [
      { from: '127.0.1.2', meaning: 'low-reputation (spam) domain' },
      { from: '127.0.1.4', meaning: 'phishing domain' },
      { from: '127.0.1.5', meaning: 'malware domain' },
      { from: '127.0.1.6', meaning: 'botnet C&C domain' },
      { from: '127.0.1.102', meaning: 'abused legitimate domain (spam)' },
      { from: '127.0.1.103', meaning: 'abused legitimate redirector' },
      { from: '127.0.1.104', meaning: 'abused legitimate domain (phishing)' },
      { from: '127.0.1.105', meaning: 'abused legitimate domain (malware)' },
      { from: '127.0.1.106', meaning: 'abused legitimate domain (botnet C&C)' },
    ],
    errors: [{ from: '127.0.1.255', meaning: 'IP address queried on a domain list' }, ...SPAMHAUS_ERRORS],
    delistUrl: 'https://check.spamhaus.org/', refusesPublicResolvers: true,
    source: SPAMHAUS_SOURCE,
  },
  {
    zone: 'b.barracudacentral.org', name: 'Barracuda BRBL', kinds: ['ip4'], weight: 'major',
    listing: [{ from: '127.0.0.2', meaning: 'listed on the Barracuda Reputation Block List (poor sending reputation)' }],
    errors: [],
    delistUrl: 'https://www.barracudacentral.org/rbl/removal-request', refusesPublicResolvers: false,
    source: 'https://www.barracudacentral.org/rbl/how-to-use',
  },
  {
    zone: 'bl.spamcop.net', name: 'SpamCop', kinds: ['ip4'], weight: 'major',
    listing: [{ from: '127.0.0.2', meaning: 'reported as a spam source by SpamCop users (expires about 24 h after the reports stop)' }],
    errors: [],
    delistUrl: 'https://www.spamcop.net/bl.shtml', refusesPublicResolvers: false,
    source: 'https://www.spamcop.net/fom-serve/cache/291.html',
  },
  {
    zone: 'dnsbl-1.uceprotect.net', name: 'UCEPROTECT Level 1', kinds: ['ip4'], weight: 'minor',
    listing: [{ from: '127.0.0.2', meaning: 'this address hit UCEPROTECT spam traps (aggressive list, expires after 7 days without new hits)' }],
    errors: [],
    delistUrl: 'https://www.uceprotect.net/en/rblcheck.php', refusesPublicResolvers: false,
    source: 'https://www.uceprotect.net/en/index.php?m=3&s=3',
  },
  {
    zone: 'psbl.surriel.com', name: 'PSBL', kinds: ['ip4'], weight: 'minor',
    listing: [{ from: '127.0.0.2', meaning: 'sent mail to a PSBL spam trap' }],
    errors: [],
    delistUrl: 'https://psbl.org/remove', refusesPublicResolvers: false,
    source: 'https://psbl.org/howto/',
  },
  {
    zone: 'bl.mailspike.net', name: 'Mailspike BL', kinds: ['ip4'], weight: 'minor',
    listing: [
      { from: '127.0.0.2', meaning: 'Z: part of a distributed spam wave (zero-hour list)' },
      { from: '127.0.0.10', meaning: 'L5: worst reputation' },
      { from: '127.0.0.11', meaning: 'L4: very bad reputation' },
      { from: '127.0.0.12', meaning: 'L3: bad reputation' },
    ],
    errors: [],
    delistUrl: 'https://mailspike.org/', refusesPublicResolvers: false,
    source: 'https://mailspike.org/usage.html',
  },
  {
    zone: 'multi.surbl.org', name: 'SURBL multi', kinds: ['domain'], weight: 'major', bitmask: true,
    listing: [
      { from: '127.0.0.4', meaning: 'DM: disposable email domain', weight: 'minor' },
      { from: '127.0.0.8', meaning: 'PH: phishing' },
      { from: '127.0.0.16', meaning: 'MW: malware' },
      { from: '127.0.0.32', meaning: 'CT: click-tracking domain', weight: 'minor' },
      { from: '127.0.0.64', meaning: 'ABUSE: spam and abuse' },
      { from: '127.0.0.128', meaning: 'CR: cracked (compromised) site' },
    ],
    // Bit 0 is never a listing; SURBL answers 127.0.0.1 to the resolvers it blocks.
    errors: [{ from: '127.0.0.1', meaning: 'query blocked (the resolver sends too many queries: public or shared resolver)' }],
    delistUrl: 'https://surbl.org/surbl-analysis', refusesPublicResolvers: true,
    source: 'https://surbl.org/lists',
  },
  {
    zone: 'multi.uribl.com', name: 'URIBL multi', kinds: ['domain'], weight: 'major', bitmask: true,
    listing: [
      { from: '127.0.0.2', meaning: 'black: domain used by spammers' },
      { from: '127.0.0.4', meaning: 'grey: domain seen in bulk mail, may be legitimate', weight: 'minor' },
      { from: '127.0.0.8', meaning: 'red: very young or privacy-protected domain active in mail flow', weight: 'minor' },
    ],
    errors: [{ from: '127.0.0.1', meaning: 'query refused (public or high-volume resolver)' }],
    delistUrl: 'https://admin.uribl.com/', refusesPublicResolvers: true,
    source: 'https://uribl.com/refused.shtml',
  },
];

/** Any list not in the table (`--dnsbl zone`): RFC 5782 §2.3 codes, 127.0.0.2-127.0.0.254, for names and addresses. */
export function customList(zone: string): DnsblList {
  return {
    zone, name: zone, kinds: ['ip4', 'ip6', 'domain'], weight: 'major',
    listing: [{ from: '127.0.0.2', to: '127.0.0.254', meaning: 'listed (code not documented by mxdoctor for this list)' }],
    errors: [], delistUrl: '', refusesPublicResolvers: false, source: 'RFC 5782 §2.3',
  };
}

/** The lists to use: the user's zones (known ones keep their documented codes), else the built-in set. */
export function selectLists(zones: readonly string[]): DnsblList[] {
  if (!zones.length) return [...DNSBL_LISTS];
  const norm = [...new Set(zones.map((z) => z.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean))];
  return norm.map((z) => DNSBL_LISTS.find((l) => l.zone === z) ?? dqsList(z) ?? customList(z));
}

/** A Spamhaus DQS zone (<key>.zen.dq.spamhaus.net) keeps the public zone's documented codes. */
function dqsList(zone: string): DnsblList | undefined {
  const m = /^[a-z0-9]+\.(zen|dbl)\.dq\.spamhaus\.net$/.exec(zone);
  const base = m && DNSBL_LISTS.find((l) => l.zone === `${m[1]}.spamhaus.org`);
  return base ? { ...base, zone, name: `${base.name} (DQS)`, refusesPublicResolvers: false } : undefined;
}
