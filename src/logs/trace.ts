// `--trace <queue-id|message-id|address>`: every line of the matching messages, in order,
// across daemons. Lines are buffered per queue id only while the message is in flight and
// dropped at removal unless it matched; bounce notices and "queued as" hand-offs (content
// filters, relays) pull the follow-up message into the trace.
import { isQueueId } from './postfix.js';
import { eximIdLength } from './exim.js';
import type { Header, LogEvent } from './types.js';

export interface TraceLine {
  ts: number;
  program: string;
  text: string;
  /** The raw line, for explain(). */
  line: string;
  event: LogEvent['k'] | 'unparsed';
  /** deferred/bounced/rejected lines and other non-2xx replies: worth explaining. */
  problem: boolean;
}

export interface TracedMessage {
  qid: string;
  messageId: string;
  from: string;
  to: string[];
  lines: TraceLine[];
  /** Queue ids this one led to in this log (bounce notice, content-filter re-injection). */
  next: string[];
  /** Queue ids the next server gave it ("250 Ok: queued as X" from a remote relay): not ours. */
  remote: { relay: string; qid: string }[];
}

const MAX_LINES = 500;
const MAX_MESSAGES = 1000;
const MAX_PENDING = 200_000;

export class Tracer {
  private readonly pending = new Map<string, TracedMessage & { matched: boolean }>();
  readonly done: TracedMessage[] = [];
  readonly kind: 'qid' | 'message-id' | 'address';
  private readonly q: string;
  truncated = false;

  constructor(query: string, private readonly onMatch?: (m: TracedMessage) => void) {
    const s = query.trim();
    if (/^<.*>$/.test(s)) { this.kind = 'message-id'; this.q = s.slice(1, -1).toLowerCase(); }
    else if (s.includes('@')) { this.kind = 'address'; this.q = s.toLowerCase(); }
    else { this.kind = 'qid'; this.q = s; }
  }

  static looksLikeId(s: string): boolean {
    return isQueueId(s) || eximIdLength(`${s} `) > 0;
  }

  private msg(qid: string): TracedMessage & { matched: boolean } {
    let m = this.pending.get(qid);
    if (!m) {
      if (this.pending.size >= MAX_PENDING) { const k = this.pending.keys().next().value!; this.finish(k); }
      m = { qid, messageId: '', from: '', to: [], lines: [], next: [], remote: [], matched: this.kind === 'qid' && qid === this.q };
      this.pending.set(qid, m);
    }
    return m;
  }

  private matchAddr(a: string): boolean {
    return this.kind === 'address' && a.toLowerCase() === this.q;
  }

  add(ev: LogEvent | null, h: Header, line: string): void {
    // A NOQUEUE reject has no queue id: "NOQUEUE" looks like one (7 capitals) but every
    // reject of every client shares it, so it must never group lines.
    const qid = ev && 'qid' in ev ? ev.qid : qidOf(h.msg);
    const problem = !!ev && ((ev.k === 'delivery' && ev.status !== 'sent' && ev.status !== 'forwarded') || ev.k === 'reject' || ev.k === 'said' || ev.k === 'conn-fail');
    const tl: TraceLine = { ts: h.ts, program: h.program || h.format, text: h.msg, line, event: ev ? ev.k : 'unparsed', problem };
    if (!qid) {
      // NOQUEUE rejects have no queue id: each matching one is its own entry.
      if (ev?.k === 'reject' && (this.matchAddr(ev.from) || this.matchAddr(ev.to))) {
        this.emit({ qid: 'NOQUEUE', messageId: '', from: ev.from, to: ev.to ? [ev.to] : [], lines: [tl], next: [], remote: [] });
      }
      return;
    }
    const m = this.msg(qid);
    if (m.lines.length < MAX_LINES) m.lines.push(tl);
    if (!ev) return;
    switch (ev.k) {
      case 'msgid': case 'arrival':
        m.messageId = ev.messageId;
        if (this.kind !== 'qid' && ev.messageId.replace(/^<|>$/g, '').toLowerCase() === this.q) m.matched = true;
        if (ev.k === 'arrival') { m.from = ev.from; if (this.matchAddr(ev.from)) m.matched = true; }
        break;
      case 'queued': case 'pickup': {
        const from = ev.k === 'queued' ? ev.from : ev.sender;
        if (from) m.from = from;
        if (this.matchAddr(from)) m.matched = true;
        break;
      }
      case 'delivery': {
        if (!m.to.includes(ev.to) && m.to.length < 100) m.to.push(ev.to);
        if (this.matchAddr(ev.to) || this.matchAddr(ev.origTo)) m.matched = true;
        const handoff = /queued as ([0-9A-Za-z]{5,20})\b/.exec(ev.reply)?.[1];
        if (handoff && m.matched) {
          // Ours only when it shows up in this log: a content filter on this host re-injects the
          // message (its lines come before the "queued as"), a loopback relay; else the next server's id.
          if (this.pending.has(handoff) || isLocalRelay(ev.relay)) this.link(m, handoff);
          else if (m.remote.length < 100) m.remote.push({ relay: ev.relay, qid: handoff });
        }
        break;
      }
      case 'notice': if (m.matched) this.link(m, ev.bounceQid); break;
      case 'reject': if (this.matchAddr(ev.from) || this.matchAddr(ev.to)) m.matched = true; break;
      case 'removed': this.finish(qid); break;
      default: break;
    }
  }

  private link(m: TracedMessage, qid: string): void {
    if (!m.next.includes(qid)) m.next.push(qid);
    this.msg(qid).matched = true;
  }

  private finish(qid: string): void {
    const m = this.pending.get(qid);
    this.pending.delete(qid);
    // A hand-off to another server's queue id leaves an empty record: nothing to show.
    if (m?.matched && m.lines.length) { const { matched: _, ...rest } = m; this.emit(rest); }
  }

  private emit(m: TracedMessage): void {
    if (this.done.length >= MAX_MESSAGES) { this.truncated = true; return; }
    this.done.push(m);
    this.onMatch?.(m);
  }

  /** Messages still in flight at the end of the input that matched. */
  end(): TracedMessage[] {
    for (const qid of [...this.pending.keys()]) this.finish(qid);
    return this.done.sort((a, b) => (a.lines[0]?.ts ?? 0) - (b.lines[0]?.ts ?? 0));
  }
}

/** relay=127.0.0.1[127.0.0.1]:10025, relay=localhost[::1]:10025, relay=local, relay=private/...: this host. */
function isLocalRelay(relay: string): boolean {
  return /(^|\[)(127\.\d+\.\d+\.\d+|::1)\]?/.test(relay) || /^(local|private\/|localhost\b)/.test(relay);
}

function qidOf(msg: string): string {
  const c = msg.indexOf(': ');
  if (c > 0 && msg.slice(0, c) !== 'NOQUEUE' && isQueueId(msg.slice(0, c))) return msg.slice(0, c);
  const n = eximIdLength(msg);
  return n ? msg.slice(0, n) : '';
}
