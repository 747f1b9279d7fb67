// One pass over every source: header → the parser for that program → the summariser
// (and the tracer). Lines nobody understands are counted and sampled; lines of other
// programs (kernel, cron, opendkim…) are counted as foreign, not as failures.
import { newHeader, readHeader, type HeaderContext } from './header.js';
import { DayCache, yearContextOf } from './timestamp.js';
import { parsePostfixAt } from './postfix.js';
import { parseDovecot } from './dovecot.js';
import { parseExim } from './exim.js';
import { Summariser } from './summary.js';
import { MAX_AGE_S } from './lifecycle.js';
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
  /**
   * One part of a split read (parallel.ts): "later" parts may see messages that started in an
   * earlier part (boundary.ts); either way the caller merges the parts and warns (merge.ts).
   */
  part?: 'first' | 'later';
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
  private readonly lite: boolean;
  private lastName = '\u0000';
  private fmt: TimeFormat = 'rfc3164';
  private fmtN = 0;

  /** Adds the lines counted since the last flush to a.formats. */
  flushFormats(): void {
    if (this.fmtN) this.a.formats[this.fmt] = (this.a.formats[this.fmt] ?? 0) + this.fmtN;
    this.fmtN = 0;
  }
  private lastIsPostfix = false;

  constructor(private readonly o: AnalyseOptions = {}) {
    this.a = {
      summary: new Summariser(o.inFlightCap, o.part === 'later'), tracer: o.trace ? new Tracer(o.trace, o.onTrace) : undefined, sources: [],
      lines: 0, parsed: 0, unparsed: 0, unparsedByProgram: new Tally(200), unparsedSamples: [], foreign: new Tally(500),
      filtered: 0, formats: {}, warnings: [],
    };
    this.since = o.since ?? -Infinity;
    this.until = o.until ?? Infinity;
    this.postfixNames = new Set(o.syslogNames ?? []);
    this.maxSamples = o.unparsedSamples ?? 20;
    // Only the summariser reads the events: the parser may skip fields it never reads.
    this.lite = !o.trace && !o.onEvent && !o.onTrace;
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
    if (!readHeader(line, h, this.ctx)) { this.unparsed(line, ''); return; }
    if (h.ts < this.since || h.ts > this.until) { a.filtered++; return; }
    // Counted per run of one format (a keyed store per line was measurable); flushed by read().
    if (h.format !== this.fmt) { this.flushFormats(); this.fmt = h.format; }
    this.fmtN++;
    const sn = h.syslogName;
    // The syslog name repeats line after line: classify it once per change.
    if (sn !== this.lastName) { this.lastName = sn; this.lastIsPostfix = sn.startsWith('postfix') || this.postfixNames.has(sn); }
    let ev: LogEvent | null;
    if (h.format === 'exim') ev = parseExim(h.msg);
    else if (h.format === 'dovecot' || sn === 'dovecot') ev = parseDovecot(h.msg);
    else if (this.lastIsPostfix) ev = parsePostfixAt(h.daemon, h.text, h.msgAt, this.lite);
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
        const r = await readSource(s.path, this.line, undefined, s.start, s.end);
        this.a.sources.push({ ...r, path: s.path, lines: this.a.lines - before });
        if (r.warning) this.a.warnings.push(r.warning);
      }
    }
    this.flushFormats();
    if (!this.o.part) evictionWarning(this.a);
    return this.a;
  }

  /** The analysis, ready to cross to another thread: lookup caches dropped. */
  transferable(): Analysis {
    const s = this.a.summary;
    for (const t of [s.deferrals, s.bounces, s.rejects, s.rejectWarnings, s.connectFailures, s.quota, ...Object.values(s.problems)]) t.dropCaches();
    return this.a;
  }
}

/** The warning for messages dropped by the in-flight cap (once, after the last part). */
export function evictionWarning(a: Analysis): void {
  if (a.summary.wentBack) a.warnings.push('timestamps go backwards in places (a line more than a minute before an earlier one: files in the wrong order, or several hosts merged); each message\'s lines are joined whatever their order, so the totals hold, but per-day and per-hour figures follow the stamps as written');
  const f = a.summary.inFlight;
  if (f.evicted) a.warnings.push(`${f.evicted} messages were still in flight when the in-flight limit was reached; their later lines were counted without their arrival data`);
  if (f.expired) a.warnings.push(`${f.expired} queued messages had no log line for ${MAX_AGE_S / 86400} days and were dropped from the in-flight table (their removal is not in the log); any later line of theirs was counted without their arrival data`);
}

/** Analyse log text already in memory (tests, `explain`-style one-offs). */
export function analyseText(text: string, o: AnalyseOptions & { mtimeMs?: number } = {}): Analysis {
  const an = new Analyser(o);
  if (o.mtimeMs !== undefined) an.setYearReference(o.mtimeMs);
  for (const l of text.split('\n')) if (l.replace(/\r$/, '')) an.line(l.replace(/\r$/, ''));
  an.flushFormats();
  return an.a;
}
