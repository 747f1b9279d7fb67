// Reads the mail queue through the injected runner: Postfix `postqueue [-c dir] -j` per
// instance, or Exim `exim -bpc` + `exim -bp`, streamed line by line into one QueueTally.
// Failures become `unknown` findings, never an "empty queue".
import { finding, type Finding } from '../core/finding.js';
import type { Clock } from '../io/clock.js';
import type { CommandRunner } from '../io/exec.js';
import { commandFailure } from './command-failure.js';
import { EximQueueParser } from './exim-queue.js';
import { parsePostqueueLine } from './postqueue.js';
import { QueueTally } from './queue-model.js';
import { queueFacts, type QueueFacts, type QueueInstance } from './queue-facts.js';
import { QUEUE_FINDINGS as Q } from './queue-findings.js';
import type { Locator } from './locate.js';

export interface QueueDeps {
  run: CommandRunner;
  locate: Locator;
  clock: Clock;
}

export interface QueueRequest {
  mta: 'postfix' | 'exim';
  /** Postfix config directories (`-c`); [undefined] is the default instance. */
  postfixConfigs?: (string | undefined)[];
  timeoutMs?: number;
  /** Output cap of one listing (default 512 MiB: ~1M messages). */
  maxBytes?: number;
  /** Corrupt queue files counted by the caller (Postfix's corrupt/ directory). */
  corrupt?: number;
  top?: number;
}

export interface QueueRead {
  facts: QueueFacts;
  /** Problems reading the queue: not-available, read-failed, truncated, unparsed lines. */
  findings: Finding[];
}

const DEFAULT_MAX = 512 * 1024 * 1024;

export async function readQueue(req: QueueRequest, deps: QueueDeps): Promise<QueueRead> {
  const tally = new QueueTally();
  const findings: Finding[] = [];
  const instances: QueueInstance[] = [];
  const timeoutMs = req.timeoutMs ?? 120_000;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX;
  const now = () => deps.clock.now() / 1000;
  let unparsed = 0;
  let truncated = false;
  let countOverride: number | undefined;
  const samples: string[] = [];
  const bad = (line: string) => { unparsed++; if (samples.length < 3) samples.push(line.slice(0, 200)); };

  const fail = (subject: string, argv: string[], r: Parameters<typeof commandFailure>[0]): string | undefined => {
    const f = commandFailure(r, argv, timeoutMs);
    if (!f) return undefined;
    findings.push(finding(f.kind === 'not-found' ? Q.notAvailable : Q.readFailed, { subject, detail: f.text, evidence: { command: argv.join(' '), code: r.code, stderr: r.stderr.slice(0, 500), kind: f.kind } }));
    return f.text;
  };
  const cut = (subject: string, argv: string[]) => {
    truncated = true;
    findings.push(finding(Q.truncated, { subject, detail: `the output of \`${argv.join(' ')}\` exceeded ${Math.round(maxBytes / 1048576)} MiB and was cut: counts are lower bounds` }));
  };

  if (req.mta === 'postfix') {
    const postqueue = deps.locate('postqueue') ?? 'postqueue';
    for (const dir of req.postfixConfigs?.length ? req.postfixConfigs : [undefined]) {
      const argv = [postqueue, ...(dir ? ['-c', dir] : []), '-j'];
      const subject = dir ?? 'default';
      const before = tally.messages;
      const t0 = now();
      const r = await deps.run(argv, {
        timeoutMs, maxBytes,
        onLine: (l) => { if (!l.trim()) return; const m = parsePostqueueLine(l, t0); if (m) tally.add(m); else bad(l); },
      });
      const error = fail(subject, argv, r);
      if (r.truncated) cut(subject, argv);
      instances.push({ instance: subject, command: argv.join(' '), ok: !error, messages: tally.messages - before, ...(error ? { error } : {}) });
    }
  } else {
    const exim = deps.locate('exim4') ?? deps.locate('exim') ?? 'exim';
    const countArgv = [exim, '-bpc'];
    const c = await deps.run(countArgv, { timeoutMs, maxBytes: 4096 });
    let error = fail('exim', countArgv, c);
    if (!error) {
      const n = Number(c.stdout.trim());
      if (Number.isInteger(n) && n >= 0) countOverride = n;
      const argv = [exim, '-bp'];
      const parser = new EximQueueParser((m) => tally.add(m));
      const r = await deps.run(argv, { timeoutMs, maxBytes, onLine: parser.line });
      parser.end();
      error = fail('exim', argv, r);
      if (r.truncated) cut('exim', argv);
      unparsed += parser.garbage;
      samples.push(...parser.garbageSamples.slice(0, 3));
      if (parser.spoolErrors) req = { ...req, corrupt: (req.corrupt ?? 0) + parser.spoolErrors };
    }
    instances.push({ instance: 'exim', command: `${exim} -bp`, ok: !error, messages: tally.messages, ...(error ? { error } : {}) });
  }
  if (unparsed) findings.push(finding(Q.garbage, { detail: `${unparsed} line(s) skipped, e.g. ${JSON.stringify(samples[0] ?? '')}`, evidence: { count: unparsed, samples } }));
  const facts = queueFacts(req.mta, tally, { instances, truncated, unparsed, corrupt: req.corrupt, countOverride, top: req.top });
  return { facts, findings };
}

/** Which MTA's queue to read: the one asked for, else Postfix when postconf exists, else Exim. */
export function detectMta(locate: Locator, forced?: 'postfix' | 'exim'): 'postfix' | 'exim' | undefined {
  if (forced) return forced;
  if (locate('postconf') || locate('postqueue')) return 'postfix';
  if (locate('exim4') || locate('exim')) return 'exim';
  return undefined;
}

export function notAvailable(): Finding {
  return finding(Q.notAvailable, { detail: 'neither Postfix (postconf/postqueue) nor Exim (exim4/exim) was found in PATH, /usr/sbin or /usr/local/sbin' });
}
