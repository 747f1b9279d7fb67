// domain-spec checks (RFC 7208 §7.1 domain-end, §4.3/§4.8 host names): a literal target
// must be a usable host name; with macros only the literal end can be judged before expansion.
import type { MacroString } from './spf-macro.js';

export interface DomainSpecProblem {
  /** Offset in the macro-string's source text. */
  offset: number;
  message: string;
}

/** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

export function checkDomainSpec(ms: MacroString): DomainSpecProblem | undefined {
  const last = ms.parts[ms.parts.length - 1];
  if (!last || last.kind === 'macro') return undefined; // domain-end = macro-expand
  if (ms.hasMacros) {
    const from = ms.text.lastIndexOf('}') + 1;
    const end = ms.text.slice(from).replace(/\.$/, '');
    const dot = end.lastIndexOf('.');
    if (dot < 0 || !TOPLABEL.test(end.slice(dot + 1))) {
      return { offset: from, message: `"${ms.text}" must end with a macro or with "." and a top-level label such as ".com" (RFC 7208 §7.1)` };
    }
    return undefined;
  }
  return literalDomainProblem(ms.text);
}

/**
 * A character outside host-name syntax (letters, digits, "-", "_") in a literal target.
 * Not an error: RFC 7208 §7.1 allows any visible character but "%" and receivers evaluate
 * such a name (a:foo:bar/baz.example.com), but it is usually a typo and no host has it.
 */
export function hostNameWarning(name: string): DomainSpecProblem | undefined {
  const bad = /[^a-z0-9_.-]/i.exec(name);
  return bad ? { offset: bad.index, message: `${JSON.stringify(bad[0])} is not a host-name character ("${name}"): receivers look the name up as written (RFC 7208 §7.1), but no host is named so; a typo?` } : undefined;
}

/** Problems of a domain name written without macros, with the offset of the culprit. */
export function literalDomainProblem(name: string): DomainSpecProblem | undefined {
  if (/^\d+(\.\d+){3}\.?$/.test(name)) return { offset: 0, message: `"${name}" is an IP address, not a domain: use ip4:${name.replace(/\.$/, '')} (RFC 7208 §5.6)` };
  const bare = name.replace(/\.$/, '');
  if (bare.length > 253) return { offset: 253, message: `the domain is ${bare.length} characters long; the limit is 253 (RFC 1035 §2.3.4)` };
  const labels = bare.split('.');
  if (labels.length < 2) return { offset: 0, message: `"${name}" is a single label: give a full domain such as example.com (RFC 7208 §7.1 domain-end)` };
  let at = 0;
  for (const l of labels) {
    if (!l) return { offset: at, message: `"${name}" has an empty label (two dots in a row or a leading dot)` };
    if (l.length > 63) return { offset: at, message: `label "${l.slice(0, 20)}…" is ${l.length} characters long; the limit is 63 (RFC 1035 §2.3.4)` };
    at += l.length + 1;
  }
  const top = labels[labels.length - 1]!;
  if (!TOPLABEL.test(top)) return { offset: bare.length - top.length, message: `"${top}" is not a valid top-level label (RFC 7208 §7.1 domain-end)` };
  return undefined;
}
