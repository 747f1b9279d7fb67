// DNSBL lookups: every subject on every list that takes its kind, in parallel, under one
// overall deadline. Gathers facts only (the A answers judged by their documented codes,
// the TXT reason of a listing); dnsbl.ts turns them into findings.
import type { CheckContext } from '../../core/check.js';
import type { DnsblList } from '../../data/dnsbl.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import { dnsblQueryName, judgeAnswer, subjectKind } from '../../parsers/dnsbl.js';

export interface DnsblSubject {
  /** An IP address or a domain name. */
  value: string;
  /** How findings name it, e.g. "mx1.example.com (192.0.2.1)". */
  label: string;
  host?: string;
}

export interface DnsblResult {
  subject: DnsblSubject;
  list: DnsblList;
  query: string;
  /** clean: NXDOMAIN (or no A record); failed: timeout, SERVFAIL, REFUSED, error or the deadline. */
  outcome: 'listed' | 'clean' | 'refused' | 'unexpected' | 'failed';
  weight?: 'major' | 'minor';
  codes: { code: string; meaning: string }[];
  /** TXT record of a listing: the list's reason, often with a lookup URL. */
  txt?: string[];
  failure?: string;
  ms: number;
}

const TXT_CAP = 512;

/** Look every subject up on every list that takes its kind; never throws, never outlives the deadline. */
export async function lookupAll(ctx: CheckContext, subjects: DnsblSubject[], lists: DnsblList[], deadlineMs: number): Promise<DnsblResult[]> {
  const jobs = subjects.flatMap((subject) => lists.filter((l) => l.kinds.includes(subjectKind(subject.value))).map((list) => ({ subject, list })));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => { timer = setTimeout(() => resolve('deadline'), deadlineMs); });
  try {
    return await Promise.all(jobs.map(async ({ subject, list }) => {
      const query = dnsblQueryName(subject.value, list.zone);
      const t0 = ctx.clock.now();
      const r = await Promise.race([lookupOne(ctx, subject, list, query), deadline]);
      if (r !== 'deadline') return r;
      return { subject, list, query, outcome: 'failed' as const, codes: [], failure: `no answer within the ${deadlineMs} ms blacklist deadline`, ms: ctx.clock.now() - t0 };
    }));
  } finally {
    clearTimeout(timer);
  }
}

async function lookupOne(ctx: CheckContext, subject: DnsblSubject, list: DnsblList, query: string): Promise<DnsblResult> {
  const t0 = ctx.clock.now();
  const a = await ctx.resolver.query(query, 'A');
  const base = { subject, list, query, codes: [] as DnsblResult['codes'] };
  if (isIndeterminate(a)) return { ...base, outcome: 'failed', failure: describeFailure(a), ms: ctx.clock.now() - t0 };
  const codes = a.records.map((r) => String(r.data));
  // NXDOMAIN is "not listed" (RFC 5782 §2.1); NODATA too: the name exists only as a parent of listings.
  if (!codes.length) return { ...base, outcome: 'clean', ms: ctx.clock.now() - t0 };
  const verdict = judgeAnswer(list, codes);
  const result: DnsblResult = { ...base, outcome: verdict.status, codes: verdict.codes, ms: 0 };
  if (verdict.status === 'listed') {
    result.weight = verdict.weight;
    // The TXT record at the same name carries the reason (RFC 5782 §2.1); its failure does not matter.
    const txt = await ctx.resolver.query(query, 'TXT');
    const texts = txtTexts(txt).map((t) => (t.length > TXT_CAP ? `${t.slice(0, TXT_CAP)}…` : t)).slice(0, 4);
    if (texts.length) result.txt = texts;
  }
  result.ms = ctx.clock.now() - t0;
  return result;
}
