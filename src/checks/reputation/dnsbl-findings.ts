// DNSBL facts judged into findings. Policy: a listing on a major list (widely used to
// reject mail: Spamhaus, Barracuda, SpamCop, SURBL, URIBL black) is critical; on a minor
// or aggressive one (UCEPROTECT L1, PSBL, Mailspike, URIBL grey/red) a warning. An answer
// that is not a documented listing code is `unknown`, never "listed" (RFC 5782 §2.3).
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import type { DnsblResult, DnsblSubject } from './dnsbl-lookup.js';

const RFC = 'RFC 5782 §2.1-2.4';
export const DNSBL_FINDINGS = {
  notListed: {
    id: 'dnsbl.not-listed', severity: 'ok', title: 'Not listed on any blacklist checked',
    meaning: 'Every list that answered returned NXDOMAIN for this address or name: it is not listed there.',
    refs: [RFC],
  },
  listed: {
    id: 'dnsbl.listed', severity: 'critical', title: 'Listed on a blacklist',
    meaning: 'The list answered with one of its documented listing codes: receivers that use it reject or junk mail from this address, or mail that names this domain. Critical on major lists (Spamhaus ZEN/DBL, Barracuda, SpamCop, SURBL, URIBL black; and any --dnsbl zone mxdoctor does not know), a warning on minor or aggressive ones (UCEPROTECT L1, PSBL, Mailspike, URIBL grey/red, SURBL DM/CT).',
    remediation: 'Find and stop the cause first (compromised account or host, open relay, spam from a customer, a misconfigured forwarder), then request delisting at the URL in the evidence; many lists expire listings on their own once the spam stops.',
    refs: [RFC],
  },
  refused: {
    id: 'dnsbl.query-refused', severity: 'unknown', title: 'A blacklist refused the query',
    meaning: 'The list answered with a code it documents as an error (e.g. Spamhaus 127.255.255.254: query via a public/open resolver; 127.255.255.255: too many queries; URIBL/SURBL 127.0.0.1: query blocked). This says nothing about a listing, so the status is unknown, never "listed".',
    remediation: 'Query through your own recursive resolver (e.g. a local unbound) with --resolver, not a public or large ISP resolver; for Spamhaus, a free DQS key works from anywhere: --dnsbl <key>.zen.dq.spamhaus.net.',
    refs: ['RFC 5782 §2.3', 'https://www.spamhaus.org/news/article/807/'],
  },
  unexpected: {
    id: 'dnsbl.unexpected-answer', severity: 'unknown', title: 'A blacklist gave an answer that is not a listing code',
    meaning: 'The answer is outside the codes the list documents (e.g. 127.0.0.1, which RFC 5782 §5 reserves as never listed, or an address outside 127.0.0.0/8, typical of a dead list whose domain now wildcards everything). It is not read as a listing.',
    remediation: 'Check the list\'s documentation for the code, or drop the list; a list answering outside 127.0.0.0/8 is probably dead.',
    refs: ['RFC 5782 §2.3', 'RFC 5782 §5'],
  },
  lookupFailed: {
    id: 'dnsbl.lookup-failed', severity: 'unknown', title: 'A blacklist lookup failed',
    meaning: 'The lookup timed out, or the resolver answered SERVFAIL or REFUSED, so whether the address or name is listed is unknown.',
    remediation: 'Retry; try another resolver with --resolver, or raise --timeout when the lists answer slowly.',
  },
  noAddresses: {
    id: 'dnsbl.no-addresses', severity: 'info', title: 'No mail server address to look up',
    meaning: 'The name has no MX host with an address and no A/AAAA address of its own, so only domain lists were checked.',
  },
} satisfies Record<string, FindingDef>;

const F = DNSBL_FINDINGS;

function codesText(r: DnsblResult): string {
  return r.codes.map((c) => `${c.code} (${c.meaning})`).join(', ');
}

/** Findings from lookup results: per subject (listed, not listed) and per list (refused, unexpected, failed). */
export function judgeResults(results: DnsblResult[], subjects: DnsblSubject[]): Finding[] {
  const out: Finding[] = [];
  for (const r of results.filter((x) => x.outcome === 'listed')) {
    const evidence: Record<string, unknown> = {
      list: r.list.name, zone: r.list.zone, query: r.query, codes: r.codes, weight: r.weight, ms: r.ms,
      delistUrl: r.list.delistUrl || undefined, codesSource: r.list.source,
    };
    if (r.txt) evidence.txt = r.txt;
    const txt = r.txt?.join(' ').trim();
    const reason = txt ? ` Reason: ${txt}${/[.!?]$/.test(txt) ? '' : '.'}` : '';
    out.push(finding(F.listed, {
      subject: r.subject.label, severity: r.weight === 'minor' ? 'warning' : 'critical', title: `Listed on ${r.list.name}`,
      detail: `${r.subject.value} is listed on ${r.list.name} (${r.list.zone}): ${codesText(r)}.${reason}${r.list.delistUrl ? ` Delisting: ${r.list.delistUrl}` : ''}`,
      evidence,
    }));
  }
  for (const s of subjects) {
    const mine = results.filter((r) => r.subject === s);
    const clean = mine.filter((r) => r.outcome === 'clean');
    if (!clean.length || mine.some((r) => r.outcome === 'listed')) continue;
    const untold = mine.length - clean.length;
    out.push(finding(F.notListed, {
      subject: s.label,
      detail: `${s.value} is not on ${clean.length === 1 ? 'the one list' : `any of the ${clean.length} lists`} that answered${untold ? ` (${untold} could not tell, see below)` : ''}: ${clean.map((r) => r.list.zone).join(', ')}.`,
      evidence: { lists: clean.map((r) => r.list.zone), queries: clean.map((r) => r.query) },
    }));
  }
  // One finding per list for "could not tell": a list refusing our resolver refuses every query.
  const perList = new Map<string, DnsblResult[]>();
  for (const r of results.filter((x) => x.outcome === 'refused' || x.outcome === 'unexpected' || x.outcome === 'failed')) {
    const key = `${r.list.zone}|${r.outcome}`;
    perList.set(key, [...(perList.get(key) ?? []), r]);
  }
  for (const group of perList.values()) {
    const { list, outcome } = group[0]!;
    const def = outcome === 'refused' ? F.refused : outcome === 'unexpected' ? F.unexpected : F.lookupFailed;
    const what = group.map((r) => r.subject.value).join(', ');
    const first = group[0]!;
    let detail: string;
    if (outcome === 'failed') detail = `${list.name} (${list.zone}) could not be asked about ${what}: ${first.failure}.`;
    else {
      detail = `${list.name} (${list.zone}) answered ${codesText(first)} for ${what}: not a listing, so whether it is listed is unknown.`;
      if (outcome === 'refused' && list.refusesPublicResolvers) detail += ' The list refuses queries from public/open resolvers: use your own resolver or a DQS key.';
    }
    out.push(finding(def, {
      subject: list.zone, detail,
      evidence: { list: list.name, zone: list.zone, queries: group.map((r) => ({ query: r.query, codes: r.codes, failure: r.failure })), codesSource: list.source },
    }));
  }
  return out;
}
