// Reading a bulk domains file: one domain per line, # comments and blank lines skipped,
// streamed through io/files.ts (line length capped) so a million-line file does not sit in memory.
import { UsageError } from '../core/errors.js';
import { readable, streamLines } from '../io/files.js';

export interface DomainLine {
  line: number;
  text: string;
}

/** Longer than any domain name (253) with a comment: a longer line is cut and shows as invalid. */
const MAX_LINE = 4096;

export async function* readDomainList(path: string): AsyncGenerator<DomainLine> {
  if (path !== '-' && !(await readable(path))) {
    throw new UsageError(`--file ${path}: cannot read the file; give a text file with one domain per line (or - for stdin)`);
  }
  let n = 0;
  let any = false;
  for await (const raw of streamLines(path, MAX_LINE)) {
    n++;
    const text = raw.replace(/#.*$/, '').trim();
    if (!text) continue;
    any = true;
    yield { line: n, text };
  }
  if (!any) throw new UsageError(`--file ${path}: no domain names in it (blank lines and # comments are skipped)`);
}
