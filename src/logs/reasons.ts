// Deferral, bounce, reject and warning reasons grouped by reply code + enhanced code +
// normalised text (addresses, hosts and numbers stripped), with counts, time span, the
// top subjects (domains or clients) and one sample line: what detectors and the report need.
import { codes } from './postfix-fields.js';
import { Tally, own } from './tally.js';
import { Sketch, type SketchRow } from './sketch.js';

export interface ReasonGroup extends SketchRow {
  code: string;
  enhanced: string;
  reason: string;
  count: number;
  first: number;
  last: number;
  /** Recipient domains (deliveries) or client addresses (rejects), capped. */
  by: Tally;
  sample: string;
}

/** Groups kept per table (sketch.ts beyond), and subjects kept per group (the report shows 5). */
const MAX_GROUPS = 1000;
const MAX_SUBJECTS = 200;
const MAX_SAMPLE = 2000;
const MAX_TEXT = 120;

/** Strip what varies between occurrences of the same reason. */
export function normaliseReason(text: string): string {
  let t = text.length > 600 ? text.slice(0, 600) : text;
  t = t.replace(/^connect to \S+: /, 'connect to HOST: ').replace(/^(lost connection with|conversation with|host) \S+/, '$1 HOST');
  t = t.replace(/ \(in reply to ([A-Za-z ]+) command\)$/, ' (after $1)');
  t = t.replace(/\b[2-5]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3} )?/g, '');
  t = t.replace(/<[^<>]*>/g, '<>')
    .replace(/[\w.+=-]+@[\w.-]+/g, 'ADDR')
    .replace(/\[[0-9a-fA-F:.]+\](?::\d+)?/g, '[IP]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, 'IP')
    .replace(/\b[\w-]*\d[\w-]*(?:\.[\w-]+){2,}\b/g, 'HOST')
    .replace(/\b(?=[A-Za-z]*\d)[A-Za-z0-9_+/=-]{12,}\b/g, 'ID')
    .replace(/\d+(?:\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ').trim().replace(/^<>:? /, '');
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}

/**
 * "<x>: rest" → "<>: rest" when x holds no angle bracket: normaliseReason() replaces every
 * "<…>" by "<>" before any rule could match across it, so both normalise alike, and the
 * shorter one is a cache key that does not change with each rejected address.
 */
function withoutAddress(text: string): string {
  const gt = text.indexOf('>: ');
  if (gt < 0) return text;
  for (let i = 1; i < gt; i++) {
    const c = text.charCodeAt(i);
    if (c === 60 || c === 62) return text;
  }
  return `<>${text.slice(gt + 1)}`;
}

export class ReasonTable extends Sketch<ReasonGroup> {
  /** Every occurrence, exact (group counts may be over-counted once groups were dropped). */
  n = 0;

  constructor() {
    super(MAX_GROUPS, ['count']);
  }

  get groups(): Map<string, ReasonGroup> {
    return this.map;
  }

  protected blank(key: string): ReasonGroup {
    return { code: '', enhanced: '', reason: '', count: 0, first: Infinity, last: -Infinity, by: new Tally(MAX_SUBJECTS), sample: '', key };
  }

  /** `reply` is the server's text (with or without codes); code/enhanced override what it starts with. */
  add(reply: string, ts: number, subject: string, sampleLine: string, code = '', enhanced = ''): void {
    let text = reply;
    // "host mx.example[192.0.2.1] said: " (a regex per deferral was measurable on big logs).
    if (text.startsWith('host ')) { const said = text.indexOf(' said: '); if (said > 5 && text.indexOf(' ', 5) === said) text = text.slice(said + 7); }
    const [c, e, rest] = codes(text);
    if (c || e) text = rest;
    code ||= c;
    enhanced ||= e;
    const reason = this.normalised(text);
    // Consecutive lines often share the group: its key is built once.
    if (reason !== this.lastReason || code !== this.lastCode || enhanced !== this.lastEnhanced) {
      this.lastReason = reason; this.lastCode = own(code); this.lastEnhanced = own(enhanced);
      this.lastKey = `${code}|${enhanced}|${reason}`;
    }
    const key = this.lastKey;
    this.n++;
    let g = this.map.get(key);
    if (!g) {
      g = this.create(own(key));
      g.code = own(code); g.enhanced = own(enhanced); g.reason = own(reason); g.sample = own(sampleLine.slice(0, MAX_SAMPLE));
    }
    g.count++;
    if (ts < g.first) g.first = ts;
    if (ts > g.last) g.last = ts;
    if (subject) g.by.add(subject);
  }

  private lastReason = '\u0000';
  private lastCode = '';
  private lastEnhanced = '';
  private lastKey = '';

  // The same reply text recurs (one deferral per retry): its regex normalisation is cached.
  private readonly cache = new Map<string, string>();

  private normalised(text: string): string {
    // Postfix puts the address first ("<u1@example.com>: Relay access denied"): without it the
    // text repeats, so it is the cache key (else every reject would be a miss).
    const key = text.length <= 600 && text.charCodeAt(0) === 60 ? withoutAddress(text) : text;
    let r = this.cache.get(key);
    if (r === undefined) {
      r = own(normaliseReason(key));
      if (this.cache.size >= 5000) this.cache.clear();
      this.cache.set(own(key), r);
    }
    return r;
  }

  /** Adds a later part's groups after this table's own (split reads: merge.ts). */
  merge(o: ReasonTable): void {
    this.n += o.n;
    this.mergeFrom(o, (h, g) => {
      h.count += g.count;
      if (g.first < h.first) h.first = g.first;
      if (g.last > h.last) h.last = g.last;
      h.by.merge(g.by);
    });
  }

  /** Drops the lookup cache (before a part is sent to another thread). */
  dropCaches(): void {
    this.cache.clear();
  }

  get total(): number {
    return this.n;
  }
}
