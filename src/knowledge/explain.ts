// `explain(text)`: what an SMTP reply, enhanced status code, provider rejection or mail
// log line means, whether the sender will retry, the likely causes and what to do.
// Pure: the same function explains CLI input, log findings and send failures.
import { extract, type Delivery } from './extract.js';
import { FIRST_DIGIT, SECOND_DIGIT, replyCodeEntry } from './reply-codes.js';
import { ENHANCED_CLASS, ENHANCED_SUBJECT, enhancedCodeEntry } from './enhanced-codes.js';
import { matchMessages, type MessageSource } from './messages.js';
import { notesFor } from './notes.js';

export type { Delivery } from './extract.js';

/** What happens to the message: RFC 5321 §4.2.1 first digit, or what the log says happened. */
export type Outcome = 'success' | 'intermediate' | 'temporary' | 'permanent' | 'unknown';

/** One recognised code. `known: false` means only the generic digit semantics apply. */
export interface CodeExplanation {
  code: string;
  known: boolean;
  title: string;
  meaning: string;
  /** Where the meaning comes from, e.g. "RFC 5321 §4.2.3". */
  source: string;
}

export interface MessageExplanation {
  /** Stable key such as "postfix.relay-access-denied". */
  key: string;
  software: MessageSource;
  title: string;
  meaning: string;
  source: string;
}

export interface Explanation {
  /** The input as analysed (trimmed, capped). */
  input: string;
  /** True when any part below was recognised; false means "not recognised". */
  recognised: boolean;
  replyCode?: CodeExplanation;
  enhancedCode?: CodeExplanation;
  /** The server's reply text, without code and continuation prefixes. */
  text?: string;
  /** The SMTP command the reply answered, when the log line says. */
  command?: string;
  /** What the logging MTA did (status=deferred, Exim "**"), when the input is a log line. */
  delivery?: Delivery;
  messages: MessageExplanation[];
  outcome: Outcome;
  /** Will the sending MTA retry? undefined when that cannot be told. */
  willRetry?: boolean;
  /** One or two sentences: what it is and what happens next. */
  summary: string;
  /** Likely causes, from the most specific knowledge: matched messages, else the enhanced code, else the reply code. */
  causes: string[];
  fixes: string[];
  /** Caveats: codes that disagree, soft_bounce, legacy 552. */
  notes: string[];
  /** Code-like tokens seen in the input (including invalid ones). */
  tokens: string[];
}

const MAX_ITEMS = 8;
const RETRY = 'RFC 5321 §4.5.4.1';

function replyPart(code: number): CodeExplanation {
  const e = replyCodeEntry(code);
  if (e) return { code: String(code), known: true, title: e.title, meaning: e.meaning, source: e.source };
  const s = String(code);
  return { code: s, known: false, title: `Reply code ${s} (not defined by the RFCs; generic meaning)`, meaning: `${FIRST_DIGIT[s[0]!]} Category: ${SECOND_DIGIT[s[1]!]}.`, source: 'RFC 5321 §4.2.1' };
}

function enhancedPart(code: string): CodeExplanation | undefined {
  const [c, subject] = code.split('.');
  if (!ENHANCED_CLASS[c!] || !ENHANCED_SUBJECT[subject!]) return undefined;
  const e = enhancedCodeEntry(code);
  const cls = ENHANCED_CLASS[c!]!;
  if (e) return { code, known: true, title: e.title, meaning: `${e.meaning} Class ${c}: ${cls}`, source: e.source };
  return { code, known: false, title: `${ENHANCED_SUBJECT[subject!]} (detail not in the registry)`, meaning: `Class ${c}: ${cls}`, source: 'RFC 3463 §2' };
}

function outcomeOf(delivery: Delivery | undefined, reply: number | undefined, enhanced: string | undefined, transientHint: boolean): Outcome {
  if (delivery) return delivery === 'delivered' ? 'success' : delivery === 'deferred' ? 'temporary' : 'permanent';
  const digit = reply !== undefined ? String(reply)[0] : enhanced?.[0];
  if (digit === '2') return 'success';
  if (digit === '3') return 'intermediate';
  if (digit === '4') return 'temporary';
  if (digit === '5') return 'permanent';
  return transientHint ? 'temporary' : 'unknown';
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  success: 'Success: the server accepted the request; nothing is retried.',
  intermediate: 'Intermediate: the server waits for the next step of the conversation.',
  temporary: `Temporary failure: the sending server keeps the message queued and retries (${RETRY}) until its queue lifetime runs out (Postfix maximal_queue_lifetime, 5 days by default), then bounces it.`,
  permanent: 'Permanent failure: the message is not retried; the sender gets a bounce (non-delivery report).',
  unknown: 'Whether it is temporary or permanent cannot be told from this input.',
};

// For codes known only by their digits (RFC 5321 §4.2.1): the reply text is the clue.
const GENERIC = {
  temporary: { cause: 'A temporary condition on the receiving side; servers put the reason in the reply text.', fix: 'Let the sending server retry; if it still fails after a day, read the reply text and contact the receiving postmaster.' },
  permanent: { cause: 'The receiving server refused for a reason given in the reply text.', fix: 'Read the reply text and fix the reason before resending: resending unchanged fails again.' },
};

function uniq(lists: string[][]): string[] {
  return [...new Set(lists.flat())].slice(0, MAX_ITEMS);
}

/** Explain a reply code, enhanced code, reply text or whole mail log line. Never throws. */
export function explain(input: string): Explanation {
  const x = extract(input);
  const replyCode = x.replyCode !== undefined ? replyPart(x.replyCode) : undefined;
  const enhancedCode = x.enhancedCode ? enhancedPart(x.enhancedCode) : undefined;
  const patterns = matchMessages(`${x.input}\n${x.text}`);
  const tooMany = patterns.some((p) => p.key === 'postfix.too-many-recipients');
  let outcome = outcomeOf(x.delivery, x.replyCode, enhancedCode ? x.enhancedCode : undefined, patterns.some((p) => p.transient));
  if (tooMany && x.replyCode === 552 && !x.delivery) outcome = 'temporary';
  const recognised = !!(replyCode || enhancedCode || patterns.length || x.delivery);
  // X.y.0 details say only "other"; the reply code then says more (RFC 3463 §3.1).
  const eEntry = enhancedCode?.known && !x.enhancedCode!.endsWith('.0') ? enhancedCodeEntry(x.enhancedCode!) : undefined;
  const rEntry = x.replyCode !== undefined ? replyCodeEntry(x.replyCode) : undefined;
  // The most specific knowledge wins: a recognised text already picked one of the
  // alternatives a code lists; the reply code's generic causes only fill a gap.
  const specific = (pick: (e: { causes: string[]; fixes: string[] }) => string[]) => {
    if (patterns.length) return uniq(patterns.map(pick));
    if (eEntry) return uniq([pick(eEntry)]);
    return uniq([rEntry ? pick(rEntry) : enhancedCode?.known ? pick(enhancedCodeEntry(x.enhancedCode!)!) : []]);
  };
  const causes = specific((e) => e.causes);
  const fixes = specific((e) => e.fixes);
  if (!causes.length && (outcome === 'temporary' || outcome === 'permanent')) {
    causes.push(GENERIC[outcome].cause);
    fixes.push(GENERIC[outcome].fix);
  }
  const head = patterns[0]?.title ?? eEntry?.title ?? replyCode?.title ?? enhancedCode?.title;
  const codes = [x.replyCode, enhancedCode ? x.enhancedCode : undefined].filter((c) => c !== undefined).join(' ');
  const summary = recognised
    ? `${codes ? `${codes}: ` : ''}${head ?? `message ${x.delivery}`}. ${OUTCOME_TEXT[outcome]}`
    : `Not recognised: no SMTP reply code, enhanced status code or known message found${x.tokens.length ? ` (codes seen: ${x.tokens.join(', ')})` : ''}.`;
  return {
    input: x.input, recognised, replyCode, enhancedCode,
    text: x.replyCode !== undefined ? x.text : undefined, command: x.command, delivery: x.delivery,
    messages: patterns.map((p) => ({ key: p.key, software: p.software, title: p.title, meaning: p.meaning, source: p.source })),
    outcome, willRetry: outcome === 'unknown' ? undefined : outcome === 'temporary',
    summary, causes, fixes, notes: notesFor(x, outcome, tooMany), tokens: x.tokens,
  };
}
