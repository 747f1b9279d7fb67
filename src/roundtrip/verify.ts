// Our own DKIM, SPF and DMARC verdicts on the delivered copy (mailauth), beside what the
// receiving server wrote. SPF judges the client of the receiving edge's hop (RFC 7208
// §2.4); when that hop cannot be found the verdict is "unknown", never "fail".
import { authenticate } from 'mailauth';
import type { AuthenticateResult } from 'mailauth';
import type { Resolver } from '../io/resolver.js';
import { mailauthResolver } from './mailauth-resolver.js';
import type { ChainHop } from './received-chain.js';
import { edgeHop } from './received-chain.js';
import { rejectAfter } from '../io/deadline.js';

export type VerdictResult =
  | 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'policy' | 'temperror' | 'permerror' | 'unknown' | 'not-applicable';

export interface MethodVerdict {
  result: VerdictResult;
  detail?: string;
  /** The domain judged: DKIM d=, the MAIL FROM domain, the From domain. */
  domain?: string;
  /** DMARC: the policy published (none, quarantine, reject). */
  policy?: string;
}

export interface OwnVerification {
  dkim: MethodVerdict;
  spf: MethodVerdict;
  dmarc: MethodVerdict;
  /** The SPF inputs, and which hop they came from. */
  clientIp?: string;
  helo?: string;
  sender?: string;
  hop?: number;
}

export interface VerifyInput {
  raw: Buffer;
  chain: ChainHop[];
  /** MAIL FROM: the copy's Return-Path, else the address we sent from. */
  sender: string;
  resolver: Resolver;
  timeoutMs: number;
}

export async function verifyCopy(i: VerifyInput): Promise<OwnVerification> {
  const edge = edgeHop(i.chain);
  const out: OwnVerification = { dkim: { result: 'unknown' }, spf: { result: 'unknown' }, dmarc: { result: 'unknown' }, sender: i.sender };
  let spfWhy: VerdictResult | undefined;
  if (!edge) {
    spfWhy = 'unknown';
    out.spf = { result: 'unknown', detail: 'the client address of the receiving server\'s edge hop could not be found in the Received chain' };
  } else if (edge.authenticated) {
    spfWhy = 'not-applicable';
    out.spf = { result: 'not-applicable', detail: `hop ${edge.hop} is an authenticated submission to the receiving server itself (${edge.with ?? 'AUTH'}): SPF is not checked for it` };
  } else {
    out.clientIp = edge.fromIp;
    out.hop = edge.hop;
    if (edge.helo) out.helo = edge.helo;
  }
  let res: AuthenticateResult;
  try {
    res = await rejectAfter(authenticate(i.raw, {
      ip: out.clientIp, helo: out.helo, sender: i.sender, mta: 'mxdoctor.invalid',
      resolver: mailauthResolver(i.resolver) as any, disableArc: true, disableBimi: true,
    }), i.timeoutMs, 'no result');
  } catch (e) {
    const detail = `verification could not finish: ${(e as Error).message}`;
    return { ...out, dkim: { result: 'unknown', detail }, spf: spfWhy ? out.spf : { result: 'unknown', detail }, dmarc: { result: 'unknown', detail } };
  }
  out.dkim = dkimVerdict(res);
  if (!spfWhy && res.spf) {
    out.spf = { result: res.spf.status.result as VerdictResult, domain: res.spf.domain };
    if (res.spf.status.comment) out.spf.detail = res.spf.status.comment;
  }
  out.dmarc = dmarcVerdict(res, spfWhy);
  return out;
}

function dkimVerdict(res: AuthenticateResult): MethodVerdict {
  const results = res.dkim?.results ?? [];
  const pass = results.filter((r) => r.status.result === 'pass');
  if (pass.length) return { result: 'pass', domain: pass.map((r) => r.signingDomain).join(', '), detail: pass.map((r) => `d=${r.signingDomain} s=${r.selector ?? '?'}${r.status.aligned ? ' (aligned with From)' : ''}`).join('; ') };
  const first = results.find((r) => r.status.result !== 'none');
  if (!first) return { result: 'none', detail: 'the message carries no DKIM-Signature' };
  const v: MethodVerdict = { result: first.status.result as VerdictResult, domain: first.signingDomain };
  v.detail = `d=${first.signingDomain} s=${first.selector ?? '?'}${first.status.comment ? `: ${first.status.comment}` : ''}`;
  return v;
}

function dmarcVerdict(res: AuthenticateResult, spfWhy: VerdictResult | undefined): MethodVerdict {
  const d = res.dmarc;
  if (!d) return { result: 'unknown', detail: 'no From domain to evaluate' };
  const v: MethodVerdict = { result: d.status.result as VerdictResult, domain: d.domain };
  if (d.policy || d.p) v.policy = d.policy || d.p;
  if (d.status.comment) v.detail = d.status.comment;
  // Without an SPF verdict only an aligned DKIM pass decides DMARC (RFC 7489 §4.2).
  if (spfWhy && v.result !== 'pass' && v.result !== 'none') {
    v.result = spfWhy;
    v.detail = `not decided: DKIM does not pass aligned and SPF ${spfWhy === 'unknown' ? 'could not be evaluated' : 'does not apply'}`;
  }
  return v;
}

