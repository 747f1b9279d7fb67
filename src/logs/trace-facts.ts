// A traced message as data (facts.trace of a `logs --trace` report): each line with its time,
// program and text, and under a non-2xx reply what it means and what to do (the knowledge
// base), so the JSON and the text renderer read the same thing.
import type { FindingDef } from '../core/finding.js';
import { explain } from '../knowledge/explain.js';
import { isoOf } from './timestamp.js';
import type { TracedMessage } from './trace.js';

export interface TraceLineFacts {
  time: string;
  program: string;
  event: TracedMessage['lines'][number]['event'];
  text: string;
  /** A reply or status that is not a success (shown highlighted). */
  problem: boolean;
  explanation?: { summary: string; willRetry?: boolean; fixes: string[] };
}

export type TracedMessageFacts = Omit<TracedMessage, 'lines'> & { lines: TraceLineFacts[] };

export interface TraceFacts {
  query: string;
  kind: 'qid' | 'message-id' | 'address';
  /** More messages matched than are kept (the tracer's cap). */
  truncated: boolean;
  /** Lines read. */
  lines: number;
  messages: TracedMessageFacts[];
  /** Problems reading the input (a truncated .gz, a read error). */
  warnings: string[];
}

export function tracedMessageFacts(m: TracedMessage): TracedMessageFacts {
  return {
    ...m,
    lines: m.lines.map((l) => {
      const e = l.problem ? explain(l.line) : undefined;
      return {
        time: isoOf(l.ts), program: l.program, event: l.event, text: l.text, problem: !!l.problem,
        explanation: e?.recognised ? { summary: e.summary, willRetry: e.willRetry, fixes: e.fixes.slice(0, 3) } : undefined,
      };
    }),
  };
}

/** `logs --trace` as findings: found (ok) or not (a warning, exit 1, as before the report model). */
export const TRACE_FINDINGS = {
  found: {
    id: 'trace.found', severity: 'ok', title: 'Messages found in the logs',
    meaning: 'The queue id, Message-ID or address given to `mxdoctor logs --trace` matched messages; their lines are in the report.',
  },
  noMatch: {
    id: 'trace.no-match', severity: 'warning', title: 'No message matches the trace',
    meaning: 'No line of the logs read names the queue id, Message-ID or address given to --trace.',
    remediation: 'Check the spelling (a queue id is case-sensitive; a Message-ID goes in <angle brackets>), read older rotated logs (mail.log.1, *.gz) or widen --since/--until.',
  },
} as const satisfies Record<string, FindingDef>;
