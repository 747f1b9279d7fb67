// Finding definitions of the name-server consistency check.
import type { FindingDef } from '../../core/finding.js';

const SYNC = 'Compare the zone at each server (dig @server <name> <type> +norec); make the provider sync the secondaries (NOTIFY/zone transfer, RFC 1996), or fix the records by hand on every provider when you run several.';

export const NS_FINDINGS = {
  consistent: {
    id: 'ns.consistent', severity: 'ok', title: 'All authoritative name servers answer and agree',
    meaning: 'Every name server of the zone answers authoritatively with the same SOA serial, MX, SPF and DMARC records.',
    refs: ['RFC 1034 §4.1', 'RFC 2182 §5'],
  },
  lookupFailed: {
    id: 'ns.lookup-failed', severity: 'unknown', title: 'Could not find the domain\'s name servers',
    meaning: 'The zone apex or its NS records could not be looked up (timeout, SERVFAIL, REFUSED).',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
  none: {
    id: 'ns.none', severity: 'critical', title: 'The zone publishes no NS records',
    meaning: 'A zone must list its name servers at its apex (RFC 1034 §4.2.1); without them resolvers cannot find authoritative answers reliably.',
    remediation: 'Publish NS records at the zone apex matching the delegation at the parent.',
    refs: ['RFC 1034 §4.2.1'],
  },
  tooFew: {
    id: 'ns.too-few', severity: 'warning', title: 'Fewer than two name servers',
    meaning: 'With a single name server, one outage makes the domain unresolvable and mail to it bounces after the senders\' retry period. RFC 1034 requires at least two, ideally in different networks.',
    remediation: 'Add a second (and third) name server, preferably on another network.',
    refs: ['RFC 1034 §4.1', 'RFC 2182 §5'],
  },
  hostNoAddress: {
    id: 'ns.host-no-address', severity: 'warning', title: 'A name server host has no address',
    meaning: 'An NS record names a host without A or AAAA records, so resolvers cannot use that server.',
    remediation: 'Fix the name server\'s address records, or remove the NS record (at the zone and at the parent).',
    refs: ['RFC 1034 §4.2.1', 'RFC 1912 §2.8'],
  },
  hostLookupFailed: {
    id: 'ns.host-lookup-failed', severity: 'unknown', title: 'Could not resolve a name server host',
    meaning: 'The address lookup of an NS host timed out or failed, so that server could not be checked.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
  lame: {
    id: 'ns.lame', severity: 'warning', title: 'A name server is lame or unreachable',
    meaning: 'The server timed out, refused, failed, or answered without the Authoritative Answer bit: it does not serve the zone. Resolvers waste time on it, and the zone has less redundancy than it appears to.',
    remediation: 'Make the server serve the zone (add the zone, fix its ACL or firewall), or remove it from the NS records and the parent\'s delegation.',
    refs: ['RFC 1912 §2.8', 'RFC 8499 §7 (lame delegation)'],
  },
  allLame: {
    id: 'ns.all-lame', severity: 'critical', title: 'No name server answers authoritatively for the zone',
    meaning: 'Every listed name server timed out, refused or answered without authority: the domain resolves, at best, from caches.',
    remediation: 'Restore the zone on the name servers, or correct the NS records and the delegation at the registrar.',
    refs: ['RFC 1034 §4.1', 'RFC 8499 §7 (lame delegation)'],
  },
  ipv6Unreachable: {
    id: 'ns.ipv6-unreachable', severity: 'unknown', title: 'Name servers could not be reached over IPv6 from here',
    meaning: 'No IPv6 address of any name server answered, while IPv4 worked: this machine may lack IPv6 connectivity, so their IPv6 service is unknown.',
    remediation: 'Re-run from a host with IPv6 connectivity to check the servers\' IPv6 addresses.',
  },
  queryFailed: {
    id: 'ns.query-failed', severity: 'unknown', title: 'A name server did not answer one of the queries',
    meaning: 'The server answered the SOA query but not the MX or TXT one (timeout, refusal, or no authority), so its records could not be compared.',
    remediation: 'Retry; if it persists, check the server\'s rate limiting and its handling of TXT/MX queries.',
  },
  serialMismatch: {
    id: 'ns.serial-mismatch', severity: 'warning', title: 'Name servers serve different SOA serials',
    meaning: 'The servers hold different versions of the zone: a secondary missed updates (transfers failing) or is being updated right now.',
    remediation: SYNC,
    refs: ['RFC 1034 §4.3.5', 'RFC 1996'],
  },
  mxMismatch: {
    id: 'ns.mx-mismatch', severity: 'critical', title: 'Name servers give different MX records',
    meaning: 'Depending on which server a sender\'s resolver asks, mail goes to different hosts (or nowhere).',
    remediation: SYNC,
    refs: ['RFC 1034 §4.3.5'],
  },
  spfMismatch: {
    id: 'ns.spf-mismatch', severity: 'critical', title: 'Name servers give different SPF records',
    meaning: 'Receivers see one SPF policy or another depending on the server they ask, so the same mail passes or fails SPF at random. A real outage: the DNS provider did not sync the SPF record to all servers.',
    remediation: SYNC,
    refs: ['RFC 7208 §4.4', 'RFC 1034 §4.3.5'],
  },
  dmarcMismatch: {
    id: 'ns.dmarc-mismatch', severity: 'critical', title: 'Name servers give different DMARC records',
    meaning: 'Receivers apply one DMARC policy or another (or none) depending on the server they ask.',
    remediation: SYNC,
    refs: ['RFC 7489 §6.1', 'RFC 1034 §4.3.5'],
  },
} satisfies Record<string, FindingDef>;
