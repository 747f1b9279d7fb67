// `mxdoctor maildir verify <dir> [--against <backup>]`: the mailbox backup check. Exit code
// from the report: 0 sound (and the backup complete), 1 warnings, 2 lost, damaged or missing
// messages, 3 could not tell (dbox, not a Maildir).
import { isIgnored } from '../../core/runner.js';
import { verifyMaildir, type MaildirFacts } from '../../maildir/verify.js';
import { renderMaildirText } from '../../maildir/render-text.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { useColor, write, writeErr } from '../output.js';

export interface MaildirCommandOptions {
  against?: string;
  json?: boolean;
  workers?: number;
  maxNames?: number;
  ignore?: string[];
  quiet?: boolean;
  color?: boolean;
  verbose?: boolean;
}

export async function maildirCommand(dir: string, o: MaildirCommandOptions): Promise<number> {
  const progress = process.stderr.isTTY && !o.quiet && !o.json;
  let done = 0;
  let last = 0;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const report = await verifyMaildir({
      dir, against: o.against, workers: o.workers, maxNames: o.maxNames, signal: controller.signal,
      ignore: (id) => isIgnored(id, o.ignore),
      onProgress: progress ? (n) => {
        done += n;
        if (done - last >= 5000 || n === 0) { last = done; writeErr(`\r${done} messages hashed`); }
      } : undefined,
    });
    if (progress) writeErr(`\r${done} messages hashed\n`);
    if (o.json) write(renderJson([report]));
    else {
      const color = useColor(o);
      write(`${renderMaildirText(report.facts!.maildir as MaildirFacts, { color })}\n${renderText([report], { color, verbose: o.verbose })}`);
    }
    return report.exitCode;
  } finally {
    process.off('SIGINT', stop);
  }
}
