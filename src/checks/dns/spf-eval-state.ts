// The state one SPF evaluation carries through its recursion: the counters that enforce
// RFC 7208 §4.6.4, the path walked, and the macro values of §7.2.
import type { Resolver } from '../../io/resolver.js';
import type { IpAddress } from '../../parsers/spf-ip.js';
import { dottedIp, formatIp } from '../../parsers/spf-ip.js';
import type { MacroValues } from '../../parsers/spf-macro.js';
import { DNS_TERMS } from '../../parsers/spf.js';

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface SpfEvalStep {
  /** 0 for the evaluated domain, +1 per include or redirect. */
  depth: number;
  domain: string;
  /** Set when entering a record. */
  record?: string;
  /** The term evaluated. */
  term?: string;
  outcome: 'record' | 'match' | 'no-match' | 'error' | 'redirect' | 'default';
  detail?: string;
}

export interface HostResult {
  result: SpfResult;
  /** A mechanism matched (as opposed to default neutral or an error). */
  matched?: boolean;
  chain: { domain: string; term: string }[];
  reason: string;
  explanation?: string;
}

export const LOOKUP_LIMIT = 10;
export const VOID_LIMIT = 2;

export class EvalState {
  lookups = 0;
  voids = 0;
  readonly path: SpfEvalStep[] = [];
  readonly ipText: string;
  private readonly validated = new Map<string, Promise<string>>();

  constructor(
    readonly resolver: Resolver,
    readonly ip: IpAddress,
    readonly sender: string,
    readonly helo: string | undefined,
    readonly receiver: string | undefined,
    readonly now: number | undefined,
  ) {
    this.ipText = formatIp(ip);
  }

  step(s: SpfEvalStep): void {
    this.path.push(s);
  }

  /** Count a term against the limit of 10; the reason for permerror when over it. */
  countTerm(name: string): string | undefined {
    if (!DNS_TERMS.has(name)) return undefined;
    this.lookups++;
    if (this.lookups > LOOKUP_LIMIT) return `the evaluation needs more than ${LOOKUP_LIMIT} DNS lookups (include, a, mx, ptr, exists, redirect), §4.6.4`;
    return undefined;
  }

  addVoid(): void {
    this.voids++;
  }

  /** Macro values for the current domain (§7.2); p only when the string uses it (it costs PTR lookups). */
  values(domain: string, validatedName?: string): MacroValues {
    const at = this.sender.lastIndexOf('@');
    const v: MacroValues = {
      s: this.sender, l: this.sender.slice(0, at), o: this.sender.slice(at + 1), d: domain,
      i: dottedIp(this.ip), v: this.ip.version === 4 ? 'in-addr' : 'ip6', h: this.helo ?? 'unknown',
      c: this.ipText, r: this.receiver ?? 'unknown',
    };
    if (this.now !== undefined) v.t = String(Math.floor(this.now / 1000));
    if (validatedName !== undefined) v.p = validatedName;
    return v;
  }

  /** Memoised validated domain name of the client (§7.3 p macro, §5.5 procedure). */
  validatedName(domain: string, compute: () => Promise<string>): Promise<string> {
    let p = this.validated.get(domain);
    if (!p) this.validated.set(domain, (p = compute()));
    return p;
  }
}
