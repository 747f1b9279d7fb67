// `check --file --queue`: the shell of a bulk audit run by a serve fleet (monitor/bulk-queue.ts):
// the file's domains (a line that is not a domain gets its report here), NDJSON as the reports
// come back, and the worst exit code; a batch that does not come back whole is exit 3 with why.
import type { DomainTarget } from '../core/check.js';
import type { Report } from '../core/report.js';
import { normalizeDomain } from '../core/domain-name.js';
import { worstExitCode } from '../core/finding.js';
import { renderNdjsonLine } from '../report/json.js';
import { BulkIncomplete, bulkViaQueue } from '../monitor/bulk-queue.js';
import { readDomainList } from './domain-list.js';
import { write, writeErr } from './output.js';

export async function queuedBulk(file: string, first: DomainTarget[], o: { queue: string; module?: string; deadlineMs?: number; quiet?: boolean }, invalid: (text: string, detail: string) => Report): Promise<number> {
  async function* items(): AsyncGenerator<DomainTarget | Report> {
    yield* first;
    for await (const { line, text } of readDomainList(file)) {
      try {
        yield { kind: 'domain', domain: normalizeDomain(text), input: text };
      } catch (e) {
        yield invalid(text, `${file}:${line}: ${(e as Error).message}`);
      }
    }
  }
  let worst = 0;
  try {
    for await (const r of bulkViaQueue(items(), {
      url: o.queue, module: o.module ?? 'default', ...(o.deadlineMs !== undefined ? { deadlineMs: o.deadlineMs } : {}),
      log: (l) => { if (!o.quiet) writeErr(`mxdoctor: ${l}\n`); },
    })) {
      worst = worstExitCode([worst, r.exitCode]);
      write(renderNdjsonLine(r));
    }
  } catch (e) {
    // The database refused or is not there: one line naming it, not a stack trace.
    const why = e instanceof BulkIncomplete ? e.message : `cannot use the queue at ${o.queue}: ${(e as Error).message}`;
    writeErr(`mxdoctor: check --queue: ${why}\n`);
    return 3;
  }
  return worst;
}
