// Deferral, bounce, reject and warning reasons grouped by reply code + enhanced code +
// normalised text (addresses, hosts and numbers stripped), with counts, time span, the
// top subjects (domains or clients) and one sample line: what detectors and the report need.
import { codes } from './postfix-fields.js';
import { Tally, own } from './tally.js';

export interface ReasonGroup {
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

const MAX_GROUPS = 5000;
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

export class ReasonTable {
  readonly groups = new Map<string, ReasonGroup>();
  overflow = 0;

  /** `reply` is the server's text (with or without codes); code/enhanced override what it starts with. */
  add(reply: string, ts: number, subject: string, sampleLine: string, code = '', enhanced = ''): void {
    let text = reply.replace(/^host \S+ said: /, '');
    const [c, e, rest] = codes(text);
    if (c || e) text = rest;
    code ||= c;
    enhanced ||= e;
    const reason = this.normalised(text);
    const key = `${code}|${enhanced}|${reason}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) { this.overflow++; return; }
      g = { code: own(code), enhanced: own(enhanced), reason: own(reason), count: 0, first: ts, last: ts, by: new Tally(200), sample: own(sampleLine.slice(0, 2000)) };
      this.groups.set(own(key), g);
    }
    g.count++;
    if (ts < g.first) g.first = ts;
    if (ts > g.last) g.last = ts;
    if (subject) g.by.add(subject);
  }

  // The same reply text recurs (one deferral per retry): its regex normalisation is cached.
  private readonly cache = new Map<string, string>();

  private normalised(text: string): string {
    let r = this.cache.get(text);
    if (r === undefined) {
      r = own(normaliseReason(text));
      if (this.cache.size >= 5000) this.cache.clear();
      this.cache.set(own(text), r);
    }
    return r;
  }

  get total(): number {
    let n = this.overflow;
    for (const g of this.groups.values()) n += g.count;
    return n;
  }
}
