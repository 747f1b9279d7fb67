// DMARC policy records (RFC 7489 §6.3, grammar §6.4), noting DMARCbis (RFC 9989):
// it drops pct/rf/ri, adds np (RFC 9091), t (testing) and psd, and treats a missing p
// as "none". Pure: no I/O, never throws; problems are returned as issues.
import { parseTagList } from './tag-list.js';
import { parseReportUris } from './report-uri.js';
import { openDmarcRejects } from './dmarc-opendmarc.js';
import type { ReportUri } from './report-uri.js';

export type Policy = 'none' | 'quarantine' | 'reject';
export const POLICY_STRENGTH: Record<Policy, number> = { none: 0, quarantine: 1, reject: 2 };

export type DmarcIssueKind =
  | 'syntax' | 'duplicate-tag' | 'invalid-policy' | 'invalid-value' | 'rejected-value' | 'missing-p'
  | 'tag-order' | 'unknown-tag' | 'obsolete-tag' | 'size-limit';

export interface DmarcIssue {
  kind: DmarcIssueKind;
  message: string;
  tag?: string;
}

export interface DmarcRecord {
  raw: string;
  /** Lower-cased tag name → value, first occurrence. */
  tags: Record<string, string>;
  p?: Policy;
  sp?: Policy;
  np?: Policy;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  pct: number;
  fo: string[];
  rua: ReportUri[];
  ruf: ReportUri[];
  /** DMARCbis t=y: receivers apply the policy one level weaker. */
  testing: boolean;
  issues: DmarcIssue[];
}

/**
 * Whether a TXT text was meant as a DMARC record. Receivers discard anything not starting
 * with v=DMARC1 (RFC 7489 §6.6.3 step 3); we keep near misses ("v=DMARC1 p=reject",
 * "p=reject; v=DMARC1") so they are reported as syntax errors instead of "missing".
 */
export function isDmarcCandidate(text: string): boolean {
  return /^\s*v\s*=\s*dmarc1/i.test(text) || /(^|;)\s*v\s*=\s*dmarc1\s*(;|$)/i.test(text);
}

const KNOWN = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'pct', 'rf', 'ri', 'rua', 'ruf', 't', 'psd']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function parseDmarc(raw: string): DmarcRecord {
  const rec: DmarcRecord = { raw, tags: {}, adkim: 'r', aspf: 'r', pct: 100, fo: ['0'], rua: [], ruf: [], testing: false, issues: [] };
  const issue = (kind: DmarcIssueKind, message: string, tag?: string) => rec.issues.push(tag ? { kind, message, tag } : { kind, message });
  if (raw !== raw.trimStart()) issue('syntax', 'the record starts with whitespace; some receivers then do not recognise it');
  const list = parseTagList(raw.trim(), true);
  for (const e of list.errors) issue('syntax', `at character ${e.pos + 1}: ${e.message}`);
  for (const d of list.duplicates) issue('duplicate-tag', `the tag "${d}" appears more than once, which makes the record invalid`, d);
  for (const t of list.tags) {
    const name = t.name.toLowerCase();
    if (!(name in rec.tags)) rec.tags[name] = t.value;
  }
  const first = list.tags[0];
  // §6.3: v MUST be first and "MUST match precisely" DMARC1.
  if (!first || first.name.toLowerCase() !== 'v') issue('syntax', 'the record must start with "v=DMARC1"');
  else if (/^DMARC1\s/i.test(first.value)) issue('syntax', `";" is missing after v=DMARC1 ("${first.name}=${first.value}")`);
  // §6.4: the tag name "v" is an ABNF string, so case-insensitive; the value is %x44 %x4d... (exact).
  else if (first.value !== 'DMARC1') issue('syntax', `the version must be written exactly "v=DMARC1", not "${first.name}=${first.value}"`);
  // §6.4: "v" and "p" MUST appear in that order, p second.
  const second = list.tags[1]?.name.toLowerCase();
  if (rec.tags.p !== undefined && second !== 'p') issue('tag-order', 'the p tag should come right after v=DMARC1 (RFC 7489 §6.4); some receivers are strict about this', 'p');

  for (const t of list.tags.slice(1)) {
    const name = t.name.toLowerCase();
    if (!KNOWN.has(name)) issue('unknown-tag', `unknown tag "${t.name}" is ignored by receivers (a typo?)`, t.name);
    else if (name === 'v') issue('syntax', 'v may appear only once, as the first tag', 'v');
  }
  for (const name of ['p', 'sp', 'np'] as const) {
    const v = rec.tags[name];
    if (v === undefined) continue;
    if (POLICIES.has(v.toLowerCase())) rec[name] = v.toLowerCase() as Policy;
    else issue('invalid-policy', `${name}=${v} is not none, quarantine or reject`, name);
  }
  if (rec.tags.p === undefined) issue('missing-p', 'the required p tag is missing: RFC 7489 receivers ignore the record unless it has a valid rua; DMARCbis treats it as p=none');
  for (const name of ['adkim', 'aspf'] as const) {
    const v = rec.tags[name]?.toLowerCase();
    if (v === undefined) continue;
    if (v === 'r' || v === 's') rec[name] = v;
    else issue('invalid-value', `${name}=${rec.tags[name]} must be r (relaxed) or s (strict)`, name);
  }
  parseNumbers(rec, issue);
  if (rec.tags.fo !== undefined) {
    const parts = rec.tags.fo.split(':').map((s) => s.trim().toLowerCase());
    if (parts.every((p) => ['0', '1', 'd', 's'].includes(p))) rec.fo = parts;
    else issue('invalid-value', `fo=${rec.tags.fo} must be a ":"-separated list of 0, 1, d and s`, 'fo');
  }
  if (rec.tags.rf !== undefined && !rec.tags.rf.split(':').every((f) => f.trim().toLowerCase() === 'afrf')) {
    issue('invalid-value', `rf=${rec.tags.rf}: the only registered failure-report format is afrf`, 'rf');
  }
  const t = rec.tags.t?.toLowerCase();
  if (t !== undefined && t !== 'y' && t !== 'n') issue('invalid-value', `t=${rec.tags.t} must be y or n`, 't');
  rec.testing = t === 'y';
  const psd = rec.tags.psd?.toLowerCase();
  if (psd !== undefined && !['y', 'n', 'u'].includes(psd)) issue('invalid-value', `psd=${rec.tags.psd} must be y, n or u`, 'psd');
  for (const name of ['rua', 'ruf'] as const) {
    if (rec.tags[name] === undefined) continue;
    rec[name] = parseReportUris(rec.tags[name], true);
    if (rec[name].some((u) => u.sizeLimit !== undefined)) issue('size-limit', `a "!size" suffix in ${name} is obsolete: DMARCbis removed it and receivers ignore it`, name);
  }
  markRejected(rec);
  const obsolete = ['pct', 'rf', 'ri'].filter((n) => rec.tags[n] !== undefined);
  if (obsolete.length) issue('obsolete-tag', `${obsolete.join(', ')} ${obsolete.length > 1 ? 'are' : 'is'} removed in DMARCbis (RFC 9989) and will be ignored by receivers that implement it`);
  return rec;
}

/** Invalid values that OpenDMARC does not just ignore but refuses the whole record for. */
function markRejected(rec: DmarcRecord): void {
  for (const r of openDmarcRejects(rec.tags)) {
    const message = `${r.tag}=${r.value} (${r.why}): receivers running OpenDMARC (the opendmarc milter, Exim's DMARC support) discard the whole record, so they apply no DMARC policy to your mail`;
    const i = rec.issues.findIndex((x) => x.kind === 'invalid-value' && x.tag === r.tag);
    const issue: DmarcIssue = { kind: 'rejected-value', message, tag: r.tag };
    if (i >= 0) rec.issues[i] = issue;
    else rec.issues.push(issue);
  }
}

function parseNumbers(rec: DmarcRecord, issue: (k: DmarcIssueKind, m: string, t?: string) => void): void {
  const pct = rec.tags.pct;
  if (pct !== undefined) {
    if (/^\d{1,3}$/.test(pct) && Number(pct) <= 100) rec.pct = Number(pct);
    else issue('invalid-value', `pct=${pct} must be an integer from 0 to 100`, 'pct');
  }
  const ri = rec.tags.ri;
  if (ri !== undefined && !(/^\d{1,10}$/.test(ri) && Number(ri) <= 0xffffffff)) issue('invalid-value', `ri=${ri} must be a number of seconds`, 'ri');
}

/** Issues that make receivers discard the record (or its policy): the domain then has no DMARC in effect. */
export const FATAL_ISSUES: ReadonlySet<DmarcIssueKind> = new Set<DmarcIssueKind>(['syntax', 'duplicate-tag', 'invalid-policy', 'rejected-value']);

export function isUsable(rec: DmarcRecord): boolean {
  return !rec.issues.some((i) => FATAL_ISSUES.has(i.kind));
}

/** The policy a receiver applies to mail from the domain (RFC 7489 §6.6.3 step 6): sp for subdomains found through the organizational domain. */
export function effectivePolicy(rec: DmarcRecord, inherited: boolean): Policy | undefined {
  if (inherited) return rec.sp ?? rec.p;
  return rec.p;
}
