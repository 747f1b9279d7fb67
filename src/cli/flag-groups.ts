// Groups of flags, each declared once with one name, one unit and one way of writing its
// default, so every command lists exactly the flags it uses (issue 10: one vocabulary).
// Durations say their unit ("500ms", "2s", "2m"); a bare number keeps the flag's old unit.
import { Option } from 'commander';
import type { Command } from 'commander';
import { collect, durationOption, parseIntOption, parsePorts } from './options.js';

/** `--json`, `-v`, `--no-color` (also accepted before the command: main.ts). */
export function outputFlags(cmd: Command, o: { json?: string; verbose?: string | false; quiet?: string } = {}): Command {
  cmd.option('--json', o.json ?? 'print the JSON report (schema mxdoctor.report/v1)');
  if (o.verbose !== false) cmd.option('-v, --verbose', o.verbose ?? 'list every check, with details and evidence');
  if (o.quiet) cmd.option('-q, --quiet', o.quiet);
  return cmd.option('--no-color', 'no colours even on a terminal');
}

/** The resolver for names (`--resolver`, `--timeout`, `--retries`). */
export function resolverFlags(cmd: Command, what = 'DNS resolver to use', retries = true): Command {
  cmd.option('--resolver <ip[:port]>', `${what} (repeatable; default: /etc/resolv.conf)`, collect)
    .addOption(new Option('--timeout <duration>', 'DNS timeout per attempt, e.g. 2s (a bare number is ms)')
      .argParser(durationOption('--timeout', { minMs: 50, maxMs: 60_000 })).default(2000, '2s'));
  if (retries) cmd.addOption(new Option('--retries <n>', 'DNS retries per server').argParser(parseIntOption('--retries', 0, 10)).default(1));
  return cmd;
}

export function ignoreFlag(cmd: Command): Command {
  return cmd.option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect);
}

/** The per-check deadline: an overrun is an unknown finding. */
export function checkTimeoutFlag(cmd: Command, defaultMs: number, what = 'deadline of each check'): Command {
  return cmd.addOption(new Option('--check-timeout <duration>', `${what} (a bare number is ms)`)
    .argParser(durationOption('--check-timeout', { minMs: 100, maxMs: 600_000 })).default(defaultMs, `${defaultMs / 1000}s`));
}

export function caFlag(cmd: Command, what = 'extra CA certificate (PEM) to trust for server certificates and policy fetches (repeatable)'): Command {
  return cmd.option('--ca <file>', what, collect);
}

/** The DNS audit of a domain (check, dns, doctor). */
export function auditFlags(cmd: Command): Command {
  return cmd
    .option('--dkim-selector <name>', 'DKIM selector to check (repeatable)', collect)
    .option('--no-dkim-guess', 'do not try the built-in list of common DKIM selectors')
    .option('--only <families>', 'run only these check families (comma-separated; see `mxdoctor findings`)', collect)
    .addOption(new Option('--auth-port <port>', 'port of the authoritative name servers (labs: mxdoctor demo --serve)').argParser(parseIntOption('--auth-port', 1, 65535)))
    .addOption(new Option('--https-port <port>', 'port for MTA-STS/BIMI HTTPS fetches (labs: mxdoctor demo --serve)').argParser(parseIntOption('--https-port', 1, 65535)));
}

export interface ProbeUse {
  /** --submission-host / --imap-host: which servers of a domain to probe. */
  hosts?: boolean;
  slow?: boolean;
  ehlo?: boolean;
  cert?: boolean;
  relay?: boolean;
  ports?: boolean;
}

/** Talking to mail servers: only the flags the command's checks read. */
export function probeFlags(cmd: Command, use: ProbeUse): Command {
  if (use.hosts) {
    cmd.option('--submission-host <host>', 'submission server to probe (repeatable; default: SRV records, else the MX hosts)', collect)
      .option('--imap-host <host>', 'IMAP/POP3 server to probe (repeatable; default: SRV records, else the MX hosts)', collect);
  }
  cmd.addOption(new Option('--step-timeout <duration>', 'timeout of each protocol step: connect, greeting, each command (a bare number is ms)')
    .argParser(durationOption('--step-timeout', { minMs: 100, maxMs: 120_000 })).default(10_000, '10s'));
  if (use.slow) {
    cmd.addOption(new Option('--slow <duration>', 'a server reply slower than this is a warning (a bare number is ms)')
      .argParser(durationOption('--slow', { minMs: 1, maxMs: 120_000 })).default(500, '500ms'));
  }
  if (use.ehlo) cmd.option('--ehlo <name>', 'name to announce in EHLO/LHLO (default: mxdoctor.invalid)');
  if (use.cert) {
    cmd.addOption(new Option('--cert-warn-days <n>', 'warn when a certificate expires within n days').argParser(parseIntOption('--cert-warn-days', 0, 3650)).default(30))
      .addOption(new Option('--cert-crit-days <n>', 'critical when a certificate expires within n days').argParser(parseIntOption('--cert-crit-days', 0, 3650)).default(7));
  }
  if (use.relay) cmd.option('--no-relay-test', 'skip the open-relay and RCPT tests (they never send DATA)');
  if (use.ports) cmd.addOption(new Option('--ports <list>', 'service ports, e.g. smtp=2525,imaps=1993 (labs: mxdoctor demo --serve)').argParser(parsePorts));
  return cmd;
}
