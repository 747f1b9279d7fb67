// `mxdoctor load`'s flags (many of them), declared here so that program.ts stays a list
// of commands; the ceilings in --help are the engine's own (src/load/types.ts CEILING);
// durations through the one parser (core/duration.ts).
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { CEILING } from '../load/types.js';
import { collect, durationOption, parseIntOption } from './options.js';

type Flags = Record<string, any>;

export function registerLoadCommand(program: Command, run: (code: number) => void): void {
  program.command('load')
    .description(`SMTP load test of a server you run: messages per second, per-phase latency percentiles, errors by reply code (explained), throttling, a verdict; always bounded (at most ${CEILING.messages.toLocaleString('en')} messages or ${CEILING.durationMs / 60_000} min); another machine than this one needs --confirm <host>`)
    .argument('<host[:port]>', 'the server (default port 25; 465 means implicit TLS, 587 STARTTLS)')
    .addOption(new Option('--messages <n>', `stop after n messages (per step with --ramp; at most ${CEILING.messages})`).argParser(parseIntOption('--messages', 1, CEILING.messages)))
    .addOption(new Option('--duration <duration>', `stop after this long, e.g. 30s, 2m (a bare number is seconds; per step with --ramp; at most ${CEILING.durationMs / 60_000} min)`).argParser(durationOption('--duration', { defaultUnit: 's', minMs: 1, maxMs: CEILING.durationMs })))
    .addOption(new Option('--concurrency <n>', `connections at once (default: 1; the highest step with --ramp, default: 50; at most ${CEILING.concurrency})`).argParser(parseIntOption('--concurrency', 1, CEILING.concurrency)))
    .option('--rate <n/s>', 'at most this many messages started per second, over all connections')
    .addOption(new Option('--size <bytes>', 'message size in bytes, headers included (default: 5120, at least 300)').argParser(parseIntOption('--size', 300, CEILING.sizeBytes)))
    .addOption(new Option('--rcpts <n>', 'recipients per message, taken in turn from --to (default: 1)').argParser(parseIntOption('--rcpts', 1, CEILING.rcpts)))
    .addOption(new Option('--reuse <k>', 'messages per connection before QUIT (default: 1: a new connection each)').argParser(parseIntOption('--reuse', 1, CEILING.messages)))
    .option('--tls <mode>', 'none, starttls or implicit (default: implicit on 465, starttls on 587, else none)')
    .option('--auth-user <user>', 'authenticate each session (password from MXDOCTOR_SMTP_PASSWORD or --password-file)')
    .option('--password-file <file>', 'file whose first line is the password (never give passwords on the command line)')
    .option('--from <address>', 'envelope sender (default: load@mxdoctor.invalid)')
    .option('--to <address>', 'recipient (repeatable); mail goes only to these (required unless the target is loopback: then load@mxdoctor.invalid)', collect)
    .option('--confirm <host>', 'repeat the target host: required for any server that is not this machine')
    .addOption(new Option('--threads <n>', 'worker threads sharing the connections, each with at least 5 (default: 1, all in this thread): for a CPU-bound run at high concurrency on a machine with cores to spare').argParser(parseIntOption('--threads', 1, 64)))
    .option('--ramp', 'step the concurrency 1, 2, 5, 10, 20, 50... up to --concurrency and report the knee')
    .option('--ehlo <name>', 'name to announce in EHLO (default: mxdoctor.invalid)')
    .addOption(new Option('--step-timeout <duration>', 'timeout of each step (connect, greeting, each reply, TLS), e.g. 30s (a bare number is ms)').argParser(durationOption('--step-timeout', { minMs: 100, maxMs: 600_000 })).default(30_000, '30s'))
    .addOption(new Option('--max-reply <duration>', 'average server reply above this is a warning, e.g. 500ms (a bare number is ms)').argParser(durationOption('--max-reply', { minMs: 1, maxMs: 600_000 })).default(500, '500ms'))
    .addOption(new Option('--max-errors <percent>', 'failed messages above this share are a warning').argParser(parsePercent).default(0.1))
    .addOption(new Option('--server-cores <n>', 'the server\'s CPU cores, for the 2 × cores rule of thumb (default: this machine\'s on loopback)').argParser(parseIntOption('--server-cores', 1, 4096)))
    .option('--resolver <ip[:port]>', 'DNS resolver for the server name (repeatable; default: /etc/resolv.conf)', collect)
    .addOption(new Option('--timeout <duration>', 'DNS timeout per attempt, e.g. 2s (a bare number is ms)').argParser(durationOption('--timeout', { minMs: 50, maxMs: 60_000 })).default(2000, '2s'))
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect)
    .option('-q, --quiet', 'no progress line on stderr')
    .option('--json', 'print the JSON report (schema mxdoctor.report/v1, facts.load)')
    .option('-v, --verbose', 'evidence of every finding')
    .option('--no-color', 'no colours even on a terminal')
    .action(async (target: string, flags: Flags) => {
      const { loadCommand } = await import('./commands/load.js');
      run(await loadCommand(target, flags));
    });
}

function parsePercent(v: string): number {
  const n = Number(v.replace(/%$/, ''));
  if (!(n >= 0 && n <= 100)) throw new UsageError(`--max-errors ${v}: expected a percentage from 0 to 100, e.g. 0.1`);
  return n;
}
