// The delivered copy, read: its Received chain, the receiving server's Authentication-
// Results, the spam filters' headers and our own DKIM/SPF/DMARC verification.
import type { Finding } from '../core/finding.js';
import type { Resolver } from '../io/resolver.js';
import { receiverResults } from './auth-results.js';
import type { AuthResults } from './auth-results.js';
import { headerValues, parseHeaders } from './headers.js';
import { chainFindings, receiverFindings, spamFindings, verificationFindings } from './header-findings.js';
import { edgeHop, receivedChain } from './received-chain.js';
import type { ChainHop } from './received-chain.js';
import { parseSpamHeaders } from './spam-headers.js';
import type { SpamVerdict } from './spam-headers.js';
import { verifyCopy } from './verify.js';
import type { OwnVerification } from './verify.js';

export interface CopyAnalysis {
  received: ChainHop[];
  authenticationResults: AuthResults[];
  spam: SpamVerdict[];
  verification: OwnVerification;
  findings: Finding[];
}

export async function analyseCopy(raw: Buffer, o: { from: string; imapHost: string; resolver: Resolver; timeoutMs: number }): Promise<CopyAnalysis> {
  const fields = parseHeaders(raw);
  const received = receivedChain(headerValues(fields, 'received'));
  // The receiving side: every host from the edge hop on (its MX, filters, the mailbox
  // server), and the IMAP host we read the copy from.
  const edge = edgeHop(received);
  const receiving = received.filter((h) => !edge || h.hop >= edge.hop).map((h) => h.by).filter((b): b is string => !!b);
  const authenticationResults = receiverResults(headerValues(fields, 'authentication-results'), [...receiving, o.imapHost]);
  const spam = parseSpamHeaders(fields);
  const returnPath = headerValues(fields, 'return-path')[0]?.replace(/[<>\s]/g, '');
  const verification = await verifyCopy({ raw, chain: received, sender: returnPath || o.from, resolver: o.resolver, timeoutMs: o.timeoutMs });
  return {
    received, authenticationResults, spam, verification,
    findings: [...chainFindings(received), ...receiverFindings(authenticationResults), ...verificationFindings(verification), ...spamFindings(spam)],
  };
}
