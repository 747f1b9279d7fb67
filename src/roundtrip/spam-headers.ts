// Spam verdicts the receiving side wrote into the copy: SpamAssassin's X-Spam-Status /
// X-Spam-Score / X-Spam-Flag and Rspamd's X-Rspamd-Score / X-Spamd-Result / X-Spam.
// Pure, never throws; only numbers that parse are reported.
import type { HeaderField } from './headers.js';
import { headerValues } from './headers.js';

export interface SpamVerdict {
  /** Which filter wrote it. */
  filter: 'spamassassin' | 'rspamd';
  score?: number;
  /** The filter's threshold (SpamAssassin required=, Rspamd's reject/add-header score). */
  threshold?: number;
  /** The filter itself called it spam (X-Spam-Flag: YES, X-Spam-Status: Yes, X-Spam: Yes). */
  isSpam?: boolean;
  /** Rule or symbol names that fired (capped). */
  rules: string[];
}

const MAX_RULES = 40;

export function parseSpamHeaders(fields: HeaderField[]): SpamVerdict[] {
  const out: SpamVerdict[] = [];
  const sa = spamAssassin(fields);
  if (sa) out.push(sa);
  const rs = rspamd(fields);
  if (rs) out.push(rs);
  return out;
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** "Yes, score=7.2 required=5.0 tests=BAYES_99,HTML_MESSAGE autolearn=no version=3.4.6". */
function spamAssassin(fields: HeaderField[]): SpamVerdict | undefined {
  const status = headerValues(fields, 'x-spam-status')[0];
  const scoreHeader = headerValues(fields, 'x-spam-score')[0];
  const flag = headerValues(fields, 'x-spam-flag')[0];
  if (status === undefined && scoreHeader === undefined && flag === undefined) return undefined;
  const v: SpamVerdict = { filter: 'spamassassin', rules: [] };
  if (status !== undefined) {
    const yn = /^\s*(yes|no)\b/i.exec(status);
    if (yn) v.isSpam = yn[1]!.toLowerCase() === 'yes';
    const score = num(/\b(?:score|hits)=(-?[\d.]+)/i.exec(status)?.[1]);
    if (score !== undefined) v.score = score;
    const req = num(/\brequired=(-?[\d.]+)/i.exec(status)?.[1]);
    if (req !== undefined) v.threshold = req;
    // The list is folded over lines ("A,B,\n\tC"), so it runs up to the next key=.
    const tests = /\btests=(.*?)(?=\s+[a-z_]+=|$)/i.exec(status)?.[1];
    if (tests && tests.toLowerCase() !== 'none') v.rules = tests.split(/[\s,]+/).filter(Boolean).slice(0, MAX_RULES);
  }
  // X-Spam-Score is a bare number in SpamAssassin setups (Amavis writes "7.2" too).
  if (v.score === undefined) {
    const s = num(scoreHeader?.trim());
    if (s !== undefined) v.score = s;
  }
  if (flag !== undefined && v.isSpam === undefined) v.isSpam = /^\s*yes/i.test(flag);
  return v;
}

/** "default: False [3.40 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:...]; DKIM_SIGNED(0.00)[...]". */
function rspamd(fields: HeaderField[]): SpamVerdict | undefined {
  const result = headerValues(fields, 'x-spamd-result')[0];
  const score = headerValues(fields, 'x-rspamd-score')[0];
  const xspam = headerValues(fields, 'x-spam')[0];
  if (result === undefined && score === undefined && xspam === undefined) return undefined;
  const v: SpamVerdict = { filter: 'rspamd', rules: [] };
  if (result !== undefined) {
    const m = /^\s*\S+:\s*(true|false)\s*\[\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)\s*\]/i.exec(result);
    if (m) {
      v.isSpam = m[1]!.toLowerCase() === 'true';
      const s = num(m[2]);
      if (s !== undefined) v.score = s;
      const t = num(m[3]);
      if (t !== undefined) v.threshold = t;
    }
    v.rules = [...result.matchAll(/([A-Z][A-Z0-9_]+)\((-?[\d.]+)\)/g)].map((x) => x[1]!).slice(0, MAX_RULES);
  }
  if (v.score === undefined) {
    const s = num(score?.trim());
    if (s !== undefined) v.score = s;
  }
  if (v.isSpam === undefined && xspam !== undefined) v.isSpam = /^\s*yes/i.test(xspam);
  return v;
}
