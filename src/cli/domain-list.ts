// Reading a bulk domains file: one domain per line, # comments and blank lines skipped,
// streamed so a million-line file does not sit in memory.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from '../core/errors.js';

export interface DomainLine {
  line: number;
  text: string;
}

export async function* readDomainList(path: string): AsyncGenerator<DomainLine> {
  if (path !== '-') {
    try {
      await access(path);
    } catch {
      throw new UsageError(`--file ${path}: cannot read the file; give a text file with one domain per line (or - for stdin)`);
    }
  }
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let any = false;
  for await (const raw of rl) {
    n++;
    const text = raw.replace(/#.*$/, '').trim();
    if (!text) continue;
    any = true;
    yield { line: n, text };
  }
  if (!any) throw new UsageError(`--file ${path}: no domain names in it (blank lines and # comments are skipped)`);
}
