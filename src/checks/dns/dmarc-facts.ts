// DMARC policy discovery (RFC 7489 §6.6.3): _dmarc.<domain>, then _dmarc.<organizational
// domain> from the Public Suffix List (tldts, bundled). DMARCbis replaces the PSL with a
// DNS tree walk; for an ordinary registered domain both find the same record.
// Shared through ctx.memo by the DMARC and BIMI checks.
import { getDomain } from 'tldts';
import type { CheckContext } from '../../core/check.js';
import type { DnsResponse } from '../../io/resolver.js';
import { isIndeterminate, txtTexts } from '../../io/resolver.js';
import { isDmarcCandidate, parseDmarc } from '../../parsers/dmarc.js';
import type { DmarcRecord } from '../../parsers/dmarc.js';

export type DmarcLookup =
  /** One record: `domain` is where it was found; `inherited` when that is the organizational domain. */
  | { kind: 'found'; domain: string; inherited: boolean; record: DmarcRecord }
  | { kind: 'multiple'; domain: string; texts: string[] }
  | { kind: 'missing' }
  | { kind: 'failed'; response: DnsResponse };

export interface DmarcFacts {
  domain: string;
  /** Organizational domain (PSL); equals `domain` for a registered domain. */
  orgDomain: string;
  result: DmarcLookup;
  /** Every _dmarc lookup made, in order, with the TXT texts seen (evidence). */
  queried: { name: string; status: string; texts: string[] }[];
}

/** Organizational domain per the PSL, including its private section (e.g. github.io users are separate owners). */
export function orgDomainOf(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: true }) ?? domain;
}

export function getDmarcFacts(ctx: CheckContext, domain: string): Promise<DmarcFacts> {
  return ctx.memo(`dmarc:${domain}`, async () => {
    const orgDomain = orgDomainOf(domain);
    const queried: DmarcFacts['queried'] = [];
    const ask = async (d: string): Promise<DmarcLookup | undefined> => {
      const r = await ctx.resolver.query(`_dmarc.${d}`, 'TXT');
      const texts = txtTexts(r);
      queried.push({ name: `_dmarc.${d}`, status: r.status, texts });
      if (isIndeterminate(r)) return { kind: 'failed', response: r };
      const found = texts.filter(isDmarcCandidate);
      if (found.length > 1) return { kind: 'multiple', domain: d, texts: found };
      if (found.length === 1) return { kind: 'found', domain: d, inherited: d !== domain, record: parseDmarc(found[0]!) };
      return undefined;
    };
    let result = await ask(domain);
    if (!result && orgDomain !== domain) result = await ask(orgDomain);
    return { domain, orgDomain, result: result ?? { kind: 'missing' }, queried };
  });
}
