// Tag values OpenDMARC refuses. libopendmarc's opendmarc_policy_parse_dmarc returns
// DMARC_PARSE_ERROR_BAD_VALUE for them, and its callers (the opendmarc milter, Exim's DMARC
// support) then treat the domain as having no DMARC record: the whole policy is lost there,
// not just the one tag (its test suite: adkim=bob, aspf=bob, rf=bob, ri=bob, pct=500).
// RFC 7489 §6.3 itself only says to ignore such values, hence a separate list.

export interface RejectedValue {
  tag: string;
  value: string;
  why: string;
}

/** OpenDMARC accepts any leading part of a word ("s", "str", "strict"), case-insensitively. */
function prefixOf(value: string, ...words: string[]): boolean {
  const v = value.toLowerCase();
  return v.length > 0 && words.some((w) => w.startsWith(v));
}

/** The tags (lower-cased names → values, first occurrence) whose value makes OpenDMARC discard the record. */
export function openDmarcRejects(tags: Record<string, string>): RejectedValue[] {
  const out: RejectedValue[] = [];
  for (const tag of ['adkim', 'aspf']) {
    const v = tags[tag];
    if (v && !prefixOf(v, 'strict', 'relaxed')) out.push({ tag, value: v, why: 'not s or r' });
  }
  const pct = tags.pct;
  // strtoul: a number above 100 (or a negative one, which wraps) is refused; no digits reads as 0.
  if (pct && (/^\s*-\s*\d/.test(pct) || (/^\s*\d/.test(pct) && parseInt(pct, 10) > 100))) out.push({ tag: 'pct', value: pct, why: 'above 100' });
  const ri = tags.ri;
  if (ri && !/^\d+$/.test(ri)) out.push({ tag: 'ri', value: ri, why: 'not a number' });
  const rf = tags.rf;
  if (rf && rf.split(',').some((f) => f.trim() && !prefixOf(f.trim(), 'afrf', 'iodef'))) out.push({ tag: 'rf', value: rf, why: 'not afrf or iodef' });
  return out;
}
