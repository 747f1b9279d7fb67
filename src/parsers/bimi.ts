// BIMI assertion records at <selector>._bimi.<domain> (draft-brand-indicators-for-
// message-identification §4): v=BIMI1 first; l= HTTPS URI of an SVG Tiny PS logo;
// a= HTTPS URI of the PEM mark certificate (VMC/CMC). Empty l= and a= declines BIMI.
// Syntax only: nothing is fetched. Pure: no I/O, never throws.
import { parseTagList } from './tag-list.js';

export interface BimiRecord {
  raw: string;
  tags: Record<string, string>;
  /** Logo URI (l=), when present and non-empty. */
  logo?: string;
  /** Authority evidence URI (a=), when present and non-empty. */
  authority?: string;
  /** Empty l= (and no a=): the domain declines to show a logo. */
  declined: boolean;
  errors: string[];
  /** l= / a= values that are not HTTPS URLs. */
  badUris: { tag: string; value: string; message: string }[];
}

export function isBimiCandidate(text: string): boolean {
  return /^\s*v\s*=\s*bimi1/i.test(text);
}

const KNOWN = new Set(['v', 'l', 'a', 'avp', 'lps', 's']);

export function parseBimi(raw: string): BimiRecord {
  const rec: BimiRecord = { raw, tags: {}, declined: false, errors: [], badUris: [] };
  const list = parseTagList(raw.trim(), true);
  for (const e of list.errors) rec.errors.push(`at character ${e.pos + 1}: ${e.message}`);
  for (const d of list.duplicates) rec.errors.push(`the tag "${d}" appears more than once`);
  for (const t of list.tags) if (!(t.name.toLowerCase() in rec.tags)) rec.tags[t.name.toLowerCase()] = t.value;
  const first = list.tags[0];
  if (first?.name === 'v' && /^BIMI1\s/i.test(first.value)) rec.errors.push(`";" is missing after v=BIMI1 ("v=${first.value}")`);
  else if (!first || first.name !== 'v' || first.value !== 'BIMI1') rec.errors.push('the record must start with exactly "v=BIMI1"');
  for (const t of list.tags.slice(1)) if (!KNOWN.has(t.name.toLowerCase())) rec.errors.push(`unknown tag "${t.name}"`);
  if (rec.tags.l === undefined) rec.errors.push('the l= tag (the logo location) is missing; use an empty "l=" to decline BIMI');
  if (rec.tags.avp !== undefined && !['brand', 'personal'].includes(rec.tags.avp.toLowerCase())) rec.errors.push(`avp=${rec.tags.avp} must be brand or personal`);
  for (const tag of ['l', 'a'] as const) {
    const v = rec.tags[tag];
    if (!v) continue;
    const problem = httpsProblem(v);
    if (problem) rec.badUris.push({ tag, value: v, message: problem });
    else if (tag === 'l') rec.logo = v;
    else rec.authority = v;
  }
  rec.declined = rec.tags.l === '' && !rec.tags.a;
  return rec;
}

function httpsProblem(v: string): string | undefined {
  if (v.includes(',')) return 'only one URI is allowed';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'not a valid URL';
  }
  return url.protocol === 'https:' ? undefined : `the URL must use https:, not ${url.protocol}`;
}
