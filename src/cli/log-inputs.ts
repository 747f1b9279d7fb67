// Which logs `mxdoctor logs` / `capacity` read when told nothing. A pipe is read as before
// (`zcat mail.log.2.gz | mxdoctor logs`); with no file and a terminal on stdin nobody is
// going to type a mail log, so, like `check --local`, the system's mail log is read and
// named on stderr. `-` on a terminal still reads what is typed, and says so.
import { UsageError } from '../core/errors.js';
import type { HostFs } from '../io/host-fs.js';

export interface LogInputEnv {
  stdinIsTTY: boolean;
  fs: HostFs;
  note: (line: string) => void;
}

export async function logInputs(command: string, files: string[], env?: Partial<LogInputEnv>): Promise<string[]> {
  const e: LogInputEnv = {
    stdinIsTTY: env?.stdinIsTTY ?? !!process.stdin.isTTY,
    fs: env?.fs ?? (await import('../io/host-fs.js')).systemFs,
    note: env?.note ?? ((l) => process.stderr.write(`${l}\n`)),
  };
  if (!e.stdinIsTTY) return files;
  if (files.includes('-')) {
    e.note(`mxdoctor ${command}: reading the log from the terminal (stdin); end with Ctrl-D, or give a file`);
    return files;
  }
  if (files.length) return files;
  const { SYSTEM_LOGS, defaultLogs } = await import('../host/recent-logs.js');
  const found = defaultLogs(e.fs, []);
  if (!found.length) {
    throw new UsageError(`${command}: no log file given and none of ${SYSTEM_LOGS.join(', ')} is readable here: give one (mxdoctor ${command} /var/log/mail.log*) or pipe it (zcat mail.log.2.gz | mxdoctor ${command})`);
  }
  e.note(`mxdoctor ${command}: no file given: reading ${found.join(', ')} (the system's mail log; give files or pipe a log to read others)`);
  return found;
}
