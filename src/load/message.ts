// The load test's message: a plain-text message of the asked size, built once; each copy
// differs only in its Message-ID (a real server may drop duplicates, RFC 5322 §3.6.4).
// Its body lines never start with "." so it needs no dot-stuffing (RFC 5321 §4.5.2).

const LINE = 'mxdoctor load test: this message is filler and can be discarded.';

export class LoadMessage {
  /** Headers after the Message-ID, the blank line, the body and the end-of-data "." (built once, written as is). */
  readonly rest: Buffer;
  private readonly idPrefix: string;
  private n = 0;

  constructor(readonly o: { from: string; to: string[]; sizeBytes: number; runId: string }) {
    this.idPrefix = `Message-ID: <load-${o.runId}-`;
    const head = [
      `From: <${o.from}>`, `To: ${o.to.slice(0, 3).map((t) => `<${t}>`).join(', ')}`,
      'Subject: mxdoctor load test', `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
      'MIME-Version: 1.0', 'Content-Type: text/plain; charset=us-ascii', 'X-Mxdoctor-Load: yes', '', '',
    ].join('\r\n');
    // The Message-ID line is about this long; the body fills up to the asked size.
    const idLine = `${this.idPrefix}0000000@mxdoctor.invalid>\r\n`.length;
    let left = Math.max(0, o.sizeBytes - idLine - head.length);
    const lines: string[] = [];
    while (left > 0) {
      const len = Math.min(LINE.length, Math.max(0, left - 2));
      lines.push(LINE.slice(0, len));
      left -= len + 2;
    }
    this.rest = Buffer.from(`${head}${lines.map((l) => `${l}\r\n`).join('')}.\r\n`, 'latin1');
  }

  /** The size announced with MAIL FROM SIZE= (RFC 1870 §4): the message without the final ".". */
  get size(): number {
    return this.rest.length - 3 + `${this.idPrefix}0000000@mxdoctor.invalid>\r\n`.length;
  }

  /** The next copy's Message-ID line: the only part that differs; `rest` follows it on the wire. */
  nextId(): string {
    return `${this.idPrefix}${String(this.n++).padStart(7, '0')}@mxdoctor.invalid>\r\n`;
  }

  /** The next copy's whole DATA payload (tests; the engine writes nextId() and rest without copying). */
  next(): Buffer {
    return Buffer.concat([Buffer.from(this.nextId(), 'latin1'), this.rest]);
  }
}
