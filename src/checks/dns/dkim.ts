// DKIM public keys (RFC 6376 §3.6) under the selectors the user named and, when allowed,
// a list of common ones. Selectors cannot be discovered, so absence is never a verdict; the
// common ones are not asked when _domainkey.<domain> itself does not exist (RFC 8020).
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import { looksLikeDkimKey, parseDkimKey } from '../../parsers/dkim-key.js';
import type { DkimIssueKind, DkimKey } from '../../parsers/dkim-key.js';
import { COMMON_DKIM_SELECTORS } from '../../data/dkim-selectors.js';
import { F } from './dkim-findings.js';

const ISSUE_FINDING: Record<DkimIssueKind, (typeof F)[keyof typeof F]> = {
  'syntax': F.syntax, 'unknown-key-type': F.unknownType, 'key-invalid': F.invalidKey, 'not-for-email': F.notForEmail,
};
// RFC 6376 §3.1: selector = sub-domain *( "." sub-domain ); underscores occur in practice.
const SELECTOR = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

export const dkimCheck: Check = {
  family: 'dkim',
  area: 'DKIM',
  description: 'DKIM keys under the given selectors and common ones: presence, syntax, key type and RSA size, revocation, testing flag, hash algorithms.',
  findings: Object.values(F),
  async run(target, ctx) {
    const given = [...new Set(ctx.options.dkimSelectors.map((s) => s.trim().toLowerCase().replace(/\._domainkey(\..*)?$/, '')).filter(Boolean))];
    const guessed = ctx.options.dkimGuess ? COMMON_DKIM_SELECTORS.filter((s) => !given.includes(s)) : [];
    if (!given.length && !guessed.length) return [finding(F.notChecked)];
    const out: Finding[] = [];
    const valid = given.filter((s) => {
      if (SELECTOR.test(s)) return true;
      out.push(finding(F.invalidSelector, { subject: s, detail: `"${s}" is not a valid selector.` }));
      return false;
    });
    const named = valid.map((s) => checkSelector(ctx, target.domain, s, true));
    const skipGuesses = guessed.length > 0 && (await noKeysBelow(ctx, target.domain));
    const results = await Promise.all([...named, ...(skipGuesses ? [] : guessed.map((s) => checkSelector(ctx, target.domain, s, false)))]);
    const keys: DkimKey[] = [];
    const failedGuesses: string[] = [];
    for (const r of results) {
      out.push(...r.findings);
      keys.push(...r.keys);
      if (r.failure && !r.given) failedGuesses.push(`${r.name}: ${r.failure}`);
      else if (r.failure) out.push(finding(F.lookupFailed, { subject: r.name, detail: r.failure }));
    }
    // One finding for all failed guesses: a dead resolver should not produce twenty.
    if (failedGuesses.length) {
      out.push(finding(F.lookupFailed, { detail: `${failedGuesses.length} of the common selectors could not be looked up: ${failedGuesses[0]}${failedGuesses.length > 1 ? ', …' : ''}`, evidence: { failed: failedGuesses } }));
    }
    const usable = keys.filter((k) => !k.revoked && !k.issues.length);
    if (usable.length && usable.every((k) => k.keyType === 'ed25519')) out.push(finding(F.ed25519Only, { detail: 'Every key found is Ed25519; no RSA key was found under the selectors tried.' }));
    if (!keys.length && skipGuesses) {
      out.push(finding(F.noneGuessed, {
        subject: `_domainkey.${target.domain}`,
        detail: `_domainkey.${target.domain} does not exist (NXDOMAIN), so no selector under it can hold a key (RFC 8020): the ${guessed.length} common selectors were not queried. If this domain's mail is DKIM-signed, its DNS answers NXDOMAIN for a name that has names below it (a broken server): give the selector from the s= tag of a DKIM-Signature header with --dkim-selector to check it.`,
        evidence: { skipped: guessed, domainkey: 'nxdomain' },
      }));
    } else if (!keys.length && guessed.length && !results.some((r) => r.failure)) {
      out.push(finding(F.noneGuessed, {
        detail: `None of the ${guessed.length} common selectors tried has a DKIM key. This does not mean the domain lacks DKIM: give the selector from the s= tag of a DKIM-Signature header with --dkim-selector to check it.`,
        evidence: { tried: guessed },
      }));
    }
    return out;
  },
};

/**
 * Whether `_domainkey.<domain>` is NXDOMAIN: then no name exists below it (RFC 8020 §2), so
 * guessing selectors would only collect NXDOMAINs. NODATA (an empty non-terminal above the
 * real keys, the usual case), SERVFAIL, a timeout or a CNAME prove nothing: guess as usual.
 */
async function noKeysBelow(ctx: CheckContext, domain: string): Promise<boolean> {
  const r = await ctx.resolver.query(`_domainkey.${domain}`, 'TXT');
  return r.status === 'nxdomain' && r.cnames.length === 0;
}

interface SelectorResult {
  name: string;
  given: boolean;
  findings: Finding[];
  keys: DkimKey[];
  /** Why the lookup could not tell, when it could not. */
  failure?: string;
}

async function checkSelector(ctx: CheckContext, domain: string, selector: string, given: boolean): Promise<SelectorResult> {
  const name = `${selector}._domainkey.${domain}`;
  const r = await ctx.resolver.query(name, 'TXT');
  const base = { name, given, findings: [] as Finding[], keys: [] as DkimKey[] };
  if (isIndeterminate(r)) return { ...base, failure: describeFailure(r) };
  // A name can hit a wildcard TXT (e.g. an SPF record): only DKIM-looking text counts as a key.
  const all = txtTexts(r);
  const texts = all.filter(looksLikeDkimKey);
  if (!texts.length) {
    if (given && all.length) {
      base.findings.push(finding(F.syntax, { subject: name, detail: `The TXT record here is not a DKIM key: ${all.map((t) => `"${t}"`).join(', ')} (a wildcard record?).`, evidence: { name, records: all } }));
    } else if (given) {
      base.findings.push(finding(F.notFound, { subject: name, detail: describeFailure(r) }));
    }
    return base;
  }
  const evidence = { name, cnames: r.cnames, records: texts };
  const findings = base.findings;
  if (texts.length > 1) findings.push(finding(F.multiple, { subject: name, detail: `${texts.length} TXT records at ${name}.`, evidence }));
  const keys = texts.map(parseDkimKey);
  const via = r.cnames.length ? ` (via CNAME ${r.cnames.join(' → ')})` : '';
  for (const key of keys) findings.push(...judgeKey(key, name, via, { ...evidence, tags: key.tags }));
  return { ...base, keys };
}

function judgeKey(key: DkimKey, name: string, via: string, evidence: Record<string, unknown>): Finding[] {
  const out = key.issues.map((i) => finding(ISSUE_FINDING[i.kind], { subject: name, detail: i.message, evidence }));
  if (out.length) return out;
  if (key.revoked) return [finding(F.revoked, { subject: name, detail: `p= is empty at ${name}${via}.`, evidence })];
  const desc = key.keyType === 'rsa' ? `RSA ${key.bits ?? '?'} bits` : 'Ed25519';
  if (key.keyType === 'rsa' && key.bits !== undefined && key.bits < 1024) out.push(finding(F.tooWeak, { subject: name, detail: `${desc}.`, evidence }));
  else if (key.keyType === 'rsa' && key.bits !== undefined && key.bits < 2048) out.push(finding(F.short, { subject: name, detail: `${desc}.`, evidence }));
  if (key.testing) out.push(finding(F.testing, { subject: name, detail: `${desc}, t=${key.tags.t}.`, evidence }));
  if (key.hashes && !key.hashes.includes('sha256')) out.push(finding(F.sha1Only, { subject: name, detail: `h=${key.tags.h}.`, evidence }));
  if (out.length) return out;
  const notes = [key.strict ? 't=s (no subdomains in i=)' : '', key.hashes ? `h=${key.hashes.join(':')}` : ''].filter(Boolean);
  return [finding(F.found, { subject: name, detail: `${desc}${notes.length ? `, ${notes.join(', ')}` : ''}${via}.`, evidence })];
}
