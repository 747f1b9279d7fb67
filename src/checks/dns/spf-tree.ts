// The static walk of an SPF record through include and redirect (RFC 7208 §4.6.4, §5.2,
// §6.1): every DNS-querying term counted once per appearance, the whole tree kept with
// the count at each node, and the problems found on the way. It resolves what can be
// resolved without a client address; terms with macros are counted but not followed.
import type { Resolver } from '../../io/resolver.js';
import type { SpfMechanism, SpfModifier, SpfRecord } from '../../parsers/spf.js';
import { fetchSpf } from './spf-fetch.js';
import type { SpfFetch } from './spf-fetch.js';
import { resolveTermTargets } from './spf-tree-terms.js';
import type { TreeProblem } from './spf-tree-terms.js';

export type { TreeProblem } from './spf-tree-terms.js';

export interface SpfTreeNode {
  domain: string;
  via: 'root' | 'include' | 'redirect';
  /** The term in the parent record that leads here. */
  term?: string;
  status: 'ok' | 'invalid' | 'none' | 'multiple' | 'lookup-failed' | 'loop' | 'not-followed';
  record?: string;
  /** DNS-querying terms evaluated in this record itself (include, a, mx, ptr, exists, redirect). */
  lookups: number;
  /** This record's lookups plus everything below it: what evaluating it costs. */
  totalLookups: number;
  /** Terms of this record whose lookup came back empty or NXDOMAIN. */
  voidLookups: number;
  totalVoidLookups: number;
  children: SpfTreeNode[];
}

export interface SpfTree {
  root: SpfTreeNode;
  lookups: number;
  voidLookups: number;
  problems: TreeProblem[];
  /** The terms whose lookup was void (NXDOMAIN or no records), §4.6.4. */
  voidTerms: { domain: string; term: string; target?: string }[];
  /** Records fetched; the walk stops following at MAX_NODES. */
  nodes: number;
  truncated: boolean;
}

/** Enough for any sane tree; a hostile one (includes fanning out) stops here. */
export const MAX_NODES = 60;

/** Mechanisms up to and including the first "all", and redirect only without "all" (§5.1, §6.1). */
export function evaluatedTerms(rec: SpfRecord): (SpfMechanism | SpfModifier)[] {
  const end = rec.all ? rec.mechanisms.indexOf(rec.all) + 1 : rec.mechanisms.length;
  const terms: (SpfMechanism | SpfModifier)[] = rec.mechanisms.slice(0, end);
  if (!rec.all && rec.redirect) terms.push(rec.redirect);
  return terms;
}

export async function walkSpfTree(resolver: Resolver, root: SpfFetch & { status: 'found' }): Promise<SpfTree> {
  const problems: TreeProblem[] = [];
  const voidTerms: SpfTree['voidTerms'] = [];
  const state = { nodes: 0, truncated: false };

  const visit = async (f: SpfFetch & { status: 'found' }, via: SpfTreeNode['via'], term: string | undefined, path: string[]): Promise<SpfTreeNode> => {
    state.nodes++;
    const node = emptyNode(f.domain, via, term, f.record.valid ? 'ok' : 'invalid');
    node.record = f.record.text;
    const here = [...path, f.domain];
    const results = await Promise.all(evaluatedTerms(f.record).map(async (t) => {
      const r = await resolveTermTargets(resolver, f.domain, t);
      problems.push(...r.problems);
      node.lookups += r.lookups;
      if (r.void) { node.voidLookups++; voidTerms.push({ domain: f.domain, term: t.text }); }
      if (!r.follow) return undefined;
      const { target, via: childVia } = r.follow;
      if (here.includes(target)) {
        problems.push({ kind: 'loop', domain: f.domain, term: t.text, target, detail: `${[...here, target].join(' → ')}` });
        return emptyNode(target, childVia, t.text, 'loop');
      }
      if (state.nodes >= MAX_NODES) {
        state.truncated = true;
        return emptyNode(target, childVia, t.text, 'not-followed');
      }
      return followTarget(target, childVia, t, f.domain, here);
    }));
    node.children = results.filter((c): c is SpfTreeNode => !!c);
    node.totalLookups = node.lookups + node.children.reduce((n, c) => n + c.totalLookups, 0);
    node.totalVoidLookups = node.voidLookups + node.children.reduce((n, c) => n + c.totalVoidLookups, 0);
    return node;
  };

  const followTarget = async (target: string, via: 'include' | 'redirect', t: SpfMechanism | SpfModifier, parent: string, path: string[]): Promise<SpfTreeNode> => {
    const f = await fetchSpf(resolver, target);
    const base = { domain: parent, term: t.text, target, via };
    if (f.status === 'error') {
      problems.push({ kind: 'lookup-failed', ...base, status: f.response.status, server: f.response.server, detail: `TXT ${target}: ${f.response.status}` });
      return emptyNode(target, via, t.text, 'lookup-failed');
    }
    if (f.status === 'none') {
      const empty = f.response.status === 'nxdomain' || f.response.status === 'nodata';
      problems.push({ kind: 'target-missing', ...base, detail: empty ? `${target}: ${f.response.status === 'nxdomain' ? 'NXDOMAIN' : 'no TXT records'}` : `${target} has TXT records but none starts with v=spf1` });
      const n = emptyNode(target, via, t.text, 'none');
      // The include/redirect term itself made the lookup; an empty answer makes it void (§4.6.4).
      if (empty) { n.voidLookups = 1; n.totalVoidLookups = 1; voidTerms.push({ domain: parent, term: t.text, target }); }
      return n;
    }
    if (f.status === 'multiple') {
      problems.push({ kind: 'nested-invalid', ...base, detail: `${target} publishes ${f.records.length} SPF records`, records: f.records });
      return emptyNode(target, via, t.text, 'multiple');
    }
    if (!f.record.valid) {
      const first = f.record.issues.find((i) => i.level === 'error')!;
      problems.push({ kind: 'nested-invalid', ...base, detail: `${target}: ${first.message}`, records: [f.record.text], marker: first.marker });
    }
    // include of a record ending in +all passes every address (§5.2: include matches on "pass").
    if (via === 'include' && (t as SpfMechanism).qualifier === '+' && f.record.all?.qualifier === '+') {
      problems.push({ kind: 'include-pass-all', ...base, detail: `${target} ends with "${f.record.all.text}"` });
    }
    return visit(f, via, t.text, path);
  };

  const root0 = await visit(root, 'root', undefined, []);
  return { root: root0, lookups: root0.totalLookups, voidLookups: root0.totalVoidLookups, problems, voidTerms, nodes: state.nodes, truncated: state.truncated };
}

function emptyNode(domain: string, via: SpfTreeNode['via'], term: string | undefined, status: SpfTreeNode['status']): SpfTreeNode {
  const n: SpfTreeNode = { domain, via, status, lookups: 0, totalLookups: 0, voidLookups: 0, totalVoidLookups: 0, children: [] };
  if (term !== undefined) n.term = term;
  return n;
}

/** The tree as compact evidence: one line per node with its counts, children nested. */
export function treeEvidence(n: SpfTreeNode): Record<string, unknown> {
  const e: Record<string, unknown> = { domain: n.domain, via: n.via };
  if (n.term) e.term = n.term;
  if (n.status !== 'ok') e.status = n.status;
  if (n.record !== undefined) e.record = n.record;
  e.lookups = n.lookups;
  e.totalLookups = n.totalLookups;
  if (n.totalVoidLookups) e.voidLookups = n.totalVoidLookups;
  if (n.children.length) e.children = n.children.map(treeEvidence);
  return e;
}

/** The tree as text lines, "└ include:_spf.x.com → _spf.x.com: 4 lookups (2 here)" nested by depth. */
export function treeLines(n: SpfTreeNode, depth = 0): string[] {
  const label = n.term ? `${n.term} → ${n.domain}` : n.domain;
  const status = n.status === 'ok' ? '' : ` [${n.status}]`;
  // Box-drawing marks rather than leading spaces: text renderers re-wrap and drop indentation.
  const indent = depth ? `${'│ '.repeat(depth - 1)}└ ` : '';
  const line = `${indent}${label}: ${n.totalLookups} lookup${n.totalLookups === 1 ? '' : 's'} (${n.lookups} here)${status}`;
  return [line, ...n.children.flatMap((c) => treeLines(c, depth + 1))];
}
