// One pass over every source: header → the parser for that program → the summariser
// (and the tracer). Lines nobody understands are counted and sampled; lines of other
// programs (kernel, cron, opendkim…) are counted as foreign, not as failures.
import { newHeader, parseHeader, type HeaderContext } from './header.js';
import { DayCache, yearContextOf } from './timestamp.js';
import { parsePostfix } from './postfix.js';
import { parseDovecot } from './dovecot.js';
import { parseExim } from './exim.js';
import { Summariser } from './summary.js';
import { Tally, own } from './tally.js';
import { Tracer } from './trace.js';
import { readSource, type ReadResult } from './line-reader.js';
import { followFile } from './follow.js';
import type { LogSource } from './sources.js';
import type { Header, LogEvent, TimeFormat } from './types.js';

export interface AnalyseOptions {
  since?: number;
  until?: number;
  trace?: string;
  /** Extra syslog names that are Postfix (pflogsumm --syslog-name). */
  syslogNames?: string[];
  unparsedSamples?: number;
  inFlightCap?: number;
  /** Year reference for stdin's year-less stamps (default: the current date). */
  stdinMtimeMs?: number;
  follow?: { signal: AbortSignal; intervalMs?: number; onRound?: () => void };
  onTrace?: ConstructorParameters<typeof Tracer>[1];
  /** Called after the summariser counted ev (capacity reads the totals' deltas). */
  onEvent?: (ev: LogEvent, h: Header) => void;
}

export interface SourceStats extends Partial<ReadResult> {
  rotations?: number;
  path: string;
  lines: number;
}

export interface Analysis {
  summary: Summariser;
  tracer?: Tracer;
  sources: SourceStats[];
  lines: number;
  parsed: number;
  unparsed: number;
  unparsedByProgram: Tally;
  unparsedSamples: string[];
  foreign: Tally;
  filtered: number;
  formats: Partial<Record<TimeFormat, number>>;
  warnings: string[];
}

export class Analyser {
  readonly a: Analysis;
  private readonly h = newHeader();
  private readonly ctx: HeaderContext = { days: new DayCache(), year: yearContextOf(Date.now()) };
  private readonly since: number;
  private readonly until: number;
  private readonly postfixNames: Set<string>;
  private readonly maxSamples: number;

  constructor(private readonly o: AnalyseOptions = {}) {
    this.a = {
      summary: new Summariser(o.inFlightCap), tracer: o.trace ? new Tracer(o.trace, o.onTrace) : undefined, sources: [],
      lines: 0, parsed: 0, unparsed: 0, unparsedByProgram: new Tally(200), unparsedSamples: [], foreign: new Tally(500),
      filtered: 0, formats: {}, warnings: [],
    };
    this.since = o.since ?? -Infinity;
    this.until = o.until ?? Infinity;
    this.postfixNames = new Set(o.syslogNames ?? []);
    this.maxSamples = o.unparsedSamples ?? 20;
  }

  /** Use this file's mtime as the year reference for the lines that follow. */
  setYearReference(mtimeMs: number): void {
    this.ctx.year = yearContextOf(mtimeMs);
    this.ctx.days = new DayCache();
  }

  readonly line = (line: string): void => {
    const a = this.a;
    a.lines++;
    const h = this.h;
    if (!parseHeader(line, h, this.ctx)) { this.unparsed(line, ''); return; }
    if (h.ts < this.since || h.ts > this.until) { a.filtered++; return; }
    a.formats[h.format] = (a.formats[h.format] ?? 0) + 1;
    const sn = h.syslogName;
    let ev: LogEvent | null;
    if (h.format === 'exim') ev = parseExim(h.msg);
    else if (h.format === 'dovecot' || sn === 'dovecot') ev = parseDovecot(h.msg);
    else if (sn.startsWith('postfix') || this.postfixNames.has(sn)) ev = parsePostfix(h.daemon, h.msg);
    else if (sn === 'exim' || sn === 'exim4') ev = parseExim(h.msg);
    else { a.foreign.add(h.program || '(none)'); return; }
    a.tracer?.add(ev, h, line);
    if (!ev) { this.unparsed(line, h.program); return; }
    a.parsed++;
    a.summary.add(ev, h, line);
    this.o.onEvent?.(ev, h);
  };

  private unparsed(line: string, program: string): void {
    this.a.unparsed++;
    this.a.unparsedByProgram.add(program || '(unknown prefix)');
    if (this.a.unparsedSamples.length < this.maxSamples) this.a.unparsedSamples.push(line.length > 500 ? `${line.slice(0, 500)}…` : own(line));
  }

  async read(sources: LogSource[]): Promise<Analysis> {
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      this.setYearReference(s.mtimeMs ?? this.o.stdinMtimeMs ?? Date.now());
      const before = this.a.lines;
      const follow = this.o.follow && i === sources.length - 1 && s.path !== '-';
      if (follow) {
        const r = await followFile(s.path, this.line, this.o.follow!);
        this.a.sources.push({ path: s.path, rotations: r.rotations, lines: this.a.lines - before });
      } else {
        const r = await readSource(s.path, this.line);
        this.a.sources.push({ ...r, path: s.path, lines: this.a.lines - before });
        if (r.warning) this.a.warnings.push(r.warning);
      }
    }
    const ev = this.a.summary.inFlight.evicted;
    if (ev) this.a.warnings.push(`${ev} messages were still in flight when the in-flight limit was reached; their later lines were counted without their arrival data`);
    return this.a;
  }
}

/** Analyse log text already in memory (tests, `explain`-style one-offs). */
export function analyseText(text: string, o: AnalyseOptions & { mtimeMs?: number } = {}): Analysis {
  const an = new Analyser(o);
  if (o.mtimeMs !== undefined) an.setYearReference(o.mtimeMs);
  for (const l of text.split('\n')) if (l.replace(/\r$/, '')) an.line(l.replace(/\r$/, ''));
  return an.a;
}
