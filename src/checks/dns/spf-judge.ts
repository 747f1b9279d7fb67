// Judging one SPF record and its include tree: facts (parsed record, walked tree) → findings.
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import type { SpfMechanism } from '../../parsers/spf.js';
import { parseSpf } from '../../parsers/spf.js';
import { SPF } from './spf-findings.js';
import type { SpfFetch } from './spf-fetch.js';
import { txtAnswerSize } from './spf-fetch.js';
import type { SpfTree, SpfTreeNode, TreeProblem } from './spf-tree.js';
import { treeEvidence, treeLines } from './spf-tree.js';
import { LOOKUP_LIMIT, VOID_LIMIT } from './spf-eval-state.js';

/** RFC 1035 §3.3.14 character-string limit and the classic UDP message size (RFC 7208 §3.4). */
const STRING_MAX = 255;
const UDP_MAX = 512;

export function recordFindings(f: SpfFetch & { status: 'found' }): Finding[] {
  const out: Finding[] = [];
  const rec = f.record;
  const errors = rec.issues.filter((i) => i.level === 'error');
  const warnings = rec.issues.filter((i) => i.level === 'warning');
  const list = (xs: typeof errors) => xs.map(({ position, message, marker }) => ({ position, message, marker }));
  if (errors.length) {
    out.push(finding(SPF.syntaxError, {
      detail: `Position ${errors[0]!.position}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}\n${pointAt(rec.text, errors[0]!.position)}`,
      evidence: { record: rec.text, errors: list(errors) },
    }));
  }
  if (warnings.length) {
    out.push(finding(SPF.syntaxWarning, { detail: `Position ${warnings[0]!.position}: ${warnings[0]!.message}\n${pointAt(rec.text, warnings[0]!.position)}`, evidence: { record: rec.text, warnings: list(warnings) } }));
  }
  const long = rec.stringLengths.map((n, k) => ({ string: k + 1, bytes: n })).filter((s) => s.bytes > STRING_MAX);
  if (long.length) {
    out.push(finding(SPF.stringTooLong, { detail: long.map((s) => `string ${s.string} is ${s.bytes} bytes`).join('; '), evidence: { strings: rec.stringLengths } }));
  }
  const answer = txtAnswerSize(f.response);
  const spfBytes = Buffer.byteLength(rec.text);
  if (answer > UDP_MAX) {
    out.push(finding(SPF.tooLarge, {
      detail: `The TXT answer for ${f.domain} is about ${answer} bytes (SPF record ${spfBytes} bytes, ${f.response.records.length} TXT records in all).`,
      evidence: { answerBytes: answer, spfBytes, txtRecords: f.response.records.length },
    }));
  }
  return out;
}

/**
 * The record (a window of it when long) and a caret line under the position. The caret
 * line is filled with "─" rather than spaces so re-wrapping text renderers keep it aligned;
 * the evidence keeps checkdmarc's space-filled marker.
 */
export function pointAt(text: string, position: number, width = 80): string {
  const from = text.length <= width ? 0 : Math.max(0, Math.min(position - width / 2, text.length - width));
  const head = from > 0 ? '…' : '';
  const tail = from + width < text.length ? '…' : '';
  const excerpt = `${head}${text.slice(from, from + width)}${tail}`;
  return `${excerpt}\n${'─'.repeat(position - from + head.length)}^`;
}

/** The "all" that ends evaluation of the domain: its own, or the one reached through redirect (§6.1). */
export function effectiveAll(root: SpfTreeNode): { all?: SpfMechanism; domain: string; unresolved?: boolean } {
  let node: SpfTreeNode | undefined = root;
  for (let hops = 0; node?.record !== undefined && hops < 12; hops++) {
    const rec = parseSpf(node.record);
    if (rec.all) return { all: rec.all, domain: node.domain };
    if (!rec.redirect) return { domain: node.domain };
    node = node.children.find((c) => c.via === 'redirect');
  }
  return { domain: root.domain, unresolved: true };
}

export function allFindings(tree: SpfTree): Finding[] {
  const eff = effectiveAll(tree.root);
  if (eff.unresolved) return []; // the redirect problem has its own finding
  const via = eff.domain === tree.root.domain ? '' : ` (reached through redirect to ${eff.domain})`;
  if (!eff.all) return [finding(SPF.allMissing, { detail: `The policy of ${eff.domain} ends without "all" or "redirect=".` })];
  const q = eff.all.qualifier;
  const detail = `The policy ends with "${eff.all.text}"${via}.`;
  if (q === '+') return [finding(SPF.allPass, { detail, subject: eff.domain })];
  if (q === '?') return [finding(SPF.allNeutral, { detail })];
  return [finding(SPF.allOk, { detail })];
}

export function treeFindings(tree: SpfTree): Finding[] {
  const out: Finding[] = [];
  const evidence = { lookups: tree.lookups, limit: LOOKUP_LIMIT, voidLookups: tree.voidLookups, tree: treeEvidence(tree.root), lines: treeLines(tree.root) };
  const lower = tree.truncated || tree.problems.some((p) => p.kind === 'lookup-failed' && p.via) ? 'at least ' : '';
  const counted = `${lower}${tree.lookups}/${LOOKUP_LIMIT} DNS lookups and ${tree.voidLookups}/${VOID_LIMIT} void lookups, counted through ${tree.nodes} record${tree.nodes === 1 ? '' : 's'}`;
  if (tree.lookups > LOOKUP_LIMIT) out.push(finding(SPF.tooManyLookups, { detail: `${counted}.\n${evidence.lines.join('\n')}`, evidence }));
  else out.push(finding(SPF.lookupCount, { detail: `${counted}.`, evidence }));
  if (tree.voidLookups > VOID_LIMIT) {
    out.push(finding(SPF.tooManyVoid, {
      detail: `${tree.voidLookups}/${VOID_LIMIT} void lookups: ${tree.voidTerms.map((v) => `"${v.term}" in ${v.domain}`).join(', ')}.`,
      evidence: { voidLookups: tree.voidLookups, limit: VOID_LIMIT, terms: tree.voidTerms },
    }));
  }
  const macros = tree.problems.filter((p) => p.kind === 'macro');
  if (macros.length) out.push(finding(SPF.macros, { detail: macros.map((m) => `"${m.term}" in ${m.domain}`).join(', '), evidence: { terms: macros.map(({ domain, term }) => ({ domain, term })) } }));
  for (const p of tree.problems) {
    const f = problemFinding(p);
    if (f) out.push(f);
  }
  out.push(...duplicateIncludes(tree.root));
  return out;
}

function problemFinding(p: TreeProblem): Finding | undefined {
  const evidence: Record<string, unknown> = { record: p.domain, term: p.term };
  if (p.target) evidence.target = p.target;
  if (p.records) evidence.records = p.records;
  if (p.marker) evidence.marker = p.marker;
  if (p.status) evidence.status = p.status;
  if (p.server) evidence.server = p.server;
  const subject = p.target ?? p.domain;
  const byKind = {
    loop: SPF.loop, 'target-missing': SPF.includeMissing, 'nested-invalid': SPF.nestedInvalid, 'include-pass-all': SPF.allPass,
    'mx-too-many': SPF.mxTooMany, 'no-address': SPF.noAddress, 'lookup-failed': SPF.lookupFailed, ptr: SPF.ptr, macro: undefined,
  } as const;
  const def = byKind[p.kind];
  if (!def) return undefined;
  return finding(def, { subject, detail: `"${p.term}" in ${p.domain}: ${p.detail}`, evidence });
}

/** An include target reached more than once anywhere in the tree (checkdmarc warns too). */
function duplicateIncludes(root: SpfTreeNode): Finding[] {
  const seen = new Map<string, string[]>();
  const walk = (n: SpfTreeNode, parent?: string) => {
    if (n.via === 'include' && n.status !== 'loop' && parent) seen.set(n.domain, [...(seen.get(n.domain) ?? []), parent]);
    for (const c of n.children) walk(c, n.domain);
  };
  walk(root);
  return [...seen].filter(([, from]) => from.length > 1).map(([domain, from]) =>
    finding(SPF.duplicateInclude, { subject: domain, detail: `${domain} is included ${from.length} times (from ${from.join(', ')}).`, evidence: { include: domain, includedFrom: from } }));
}
