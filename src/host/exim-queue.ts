// `exim -bp` output, streamed: per message a line "age size id <sender> [*** frozen ***]",
// then one line per recipient ("D" marks those already delivered), then a blank line
// (Exim's queue.c queue_list(); spec ch. "Exim utilities", -bp). Ids: the classic
// 1abcDE-000123-AB and Exim 4.97's longer 1rBvHW-00000000Zdo-3UkL.
import type { QueuedMessage } from './queue-model.js';

const HEAD = /^\s*(?:(\d+)([mhd])\s+)?(?:(\d+(?:\.\d+)?)([KMG]?)\s+)?([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})(?:\s+<([^>]*)>)?(?:\s+\(([^)]*)\))?(\s+\*\*\* frozen \*\*\*)?\s*$/;
const RCPT = /^\s+(?:(\+?D)\s+)?(\S+)\s*$/;
const SPOOL_ERROR = /^\s*\*\*\* spool (?:format|read) error/;
const UNIT: Record<string, number> = { '': 1, K: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 };
const AGE: Record<string, number> = { m: 60, h: 3600, d: 86400 };

export class EximQueueParser {
  private cur: QueuedMessage | undefined;
  garbage = 0;
  /** Messages whose spool files Exim could not read ("*** spool format error ***"). */
  spoolErrors = 0;
  readonly garbageSamples: string[] = [];

  constructor(private readonly emit: (m: QueuedMessage) => void) {}

  readonly line = (line: string): void => {
    if (!line.trim()) { this.flush(); return; }
    const h = HEAD.exec(line);
    if (h) {
      this.flush();
      this.cur = {
        queue: 'deferred', id: h[5]!, ageSeconds: h[1] ? Number(h[1]) * AGE[h[2]!]! : 0,
        size: h[3] ? Math.round(Number(h[3]) * UNIT[h[4] ?? '']!) : 0,
        sender: h[6] ?? '', recipients: [], frozen: !!h[8],
      };
      return;
    }
    if (this.cur && SPOOL_ERROR.test(line)) { this.spoolErrors++; return; }
    const r = this.cur ? RCPT.exec(line) : null;
    if (r) {
      // "+D" lines list generated addresses already delivered (-bpa): not original recipients.
      if (r[1] !== '+D') this.cur!.recipients.push(r[1] === 'D' ? { address: r[2]!, delivered: true } : { address: r[2]! });
      return;
    }
    this.garbage++;
    if (this.garbageSamples.length < 5) this.garbageSamples.push(line.slice(0, 200));
  };

  /** Call at the end of the output: the last message may lack its blank line. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.cur) this.emit(this.cur);
    this.cur = undefined;
  }
}
