// The detectors judge a sliding window of lines: two src/logs Analysers started half a window
// apart, each line fed to both; the older one (between half a window and a window of lines)
// is judged, and replaced when it is a window old. A finding therefore resolves at most one
// window after its cause stopped. The lifetime counters are counted once per line, from the
// older analyser's events and line totals.
import { Analyser, type Analysis } from '../../logs/analyse.js';
import type { Header, LogEvent } from '../../logs/types.js';

interface Slot { an: Analyser; startMs: number }

export interface LineTotals { parsed: number; unparsed: number; foreign: number; garbage: number }

export class LogWindow {
  private slots: Slot[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly onEvent: (ev: LogEvent, h: Header) => void,
    private readonly onLine: (result: keyof LineTotals) => void,
  ) {}

  /** Starts and retires analysers as time passes (call before feeding and before judging). */
  advance(nowMs: number): void {
    if (this.slots.length > 1 && this.slots[0]!.startMs <= nowMs - this.windowMs) this.slots.shift();
    const newest = this.slots.at(-1);
    if (!newest || newest.startMs <= nowMs - this.windowMs / 2) this.slots.push(this.make(nowMs));
  }

  private make(startMs: number): Slot {
    const slot: Slot = {
      startMs,
      an: new Analyser({ onEvent: (ev, h) => { if (this.slots[0] === slot) this.onEvent(ev, h); } }),
    };
    return slot;
  }

  readonly line = (line: string): void => {
    const counting = this.slots[0];
    if (!counting) return;
    const a = counting.an.a;
    const parsed = a.parsed;
    const unparsed = a.unparsed;
    const garbage = garbageCount(a);
    for (const s of this.slots) s.an.line(line);
    if (a.parsed > parsed) this.onLine('parsed');
    // A line without a syslog header is counted under "(unknown prefix)" (analyse.ts): garbage,
    // not a mail program's line that no rule knows.
    else if (a.unparsed > unparsed) this.onLine(garbageCount(a) > garbage ? 'garbage' : 'unparsed');
    else this.onLine('foreign');
  };

  /** The analysis judged now, with the time it starts from. */
  judged(): { analysis: Analysis; fromMs: number } | undefined {
    const s = this.slots[0];
    if (!s) return undefined;
    s.an.flushFormats();
    return { analysis: s.an.a, fromMs: s.startMs };
  }
}

function garbageCount(a: Analysis): number {
  return a.unparsedByProgram.map.get('(unknown prefix)')?.count ?? 0;
}
