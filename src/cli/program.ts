// The command-line surface: flags are declared here, commands are imported lazily.
import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { collect, parseIntOption, parseIp, parsePorts, parseResolvers, readCaFiles } from './options.js';
import { WELL_KNOWN_PORTS } from '../core/check.js';
import type { CheckCommandOptions } from './commands/check.js';

type Flags = Record<string, any>;

function dnsOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the JSON report (schema mxdoctor.report/v1)')
    .option('--resolver <ip[:port]>', 'DNS resolver to use (repeatable; default: /etc/resolv.conf)', collect)
    .addOption(new Option('--timeout <ms>', 'DNS timeout per attempt').argParser(parseIntOption('--timeout', 50, 60_000)).default(2000))
    .addOption(new Option('--retries <n>', 'DNS retries per server').argParser(parseIntOption('--retries', 0, 10)).default(1))
    .option('--dkim-selector <name>', 'DKIM selector to check (repeatable)', collect)
    .option('--no-dkim-guess', 'do not try the built-in list of common DKIM selectors')
    .option('--ca <file>', 'extra CA certificate (PEM) to trust for HTTPS policy fetches (repeatable)', collect)
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect)
    .option('--only <families>', 'run only these check families (comma-separated)', collect)
    .addOption(new Option('--check-timeout <ms>', 'deadline for each check').argParser(parseIntOption('--check-timeout', 100, 600_000)).default(20_000))
    .addOption(new Option('--auth-port <port>', 'port of authoritative name servers (labs)').argParser(parseIntOption('--auth-port', 1, 65535)).hideHelp())
    .addOption(new Option('--https-port <port>', 'port for MTA-STS/BIMI HTTPS fetches (labs)').argParser(parseIntOption('--https-port', 1, 65535)).hideHelp())
    .option('-v, --verbose', 'show details and evidence of every finding')
    .option('--no-color', 'no colours even on a terminal');
}

/** Options of the server probes (check, and the smtp/imap/pop3/tls commands). */
function serverOptions(cmd: Command): Command {
  return cmd
    .option('--submission-host <host>', 'submission server to probe (repeatable; default: SRV records, else the MX hosts)', collect)
    .option('--imap-host <host>', 'IMAP/POP3 server to probe (repeatable; default: SRV records, else the MX hosts)', collect)
    .addOption(new Option('--step-timeout <ms>', 'timeout of each protocol step (connect, greeting, each command)').argParser(parseIntOption('--step-timeout', 100, 120_000)).default(10_000))
    .addOption(new Option('--slow <ms>', 'a server reply slower than this is a warning').argParser(parseIntOption('--slow', 1, 120_000)).default(500))
    .option('--ehlo <name>', 'name to announce in EHLO (default mxdoctor.invalid)')
    .addOption(new Option('--cert-warn-days <n>', 'warn when a certificate expires within n days').argParser(parseIntOption('--cert-warn-days', 0, 3650)).default(30))
    .addOption(new Option('--cert-crit-days <n>', 'critical when a certificate expires within n days').argParser(parseIntOption('--cert-crit-days', 0, 3650)).default(7))
    .option('--no-relay-test', 'skip the open-relay and RCPT tests (they never send DATA)')
    .addOption(new Option('--ports <list>', 'service ports, e.g. smtp=2525,imaps=1993 (labs)').argParser(parsePorts).hideHelp());
}

export function toCheckOptions(f: Flags): CheckCommandOptions {
  return {
    json: f.json, color: f.color, verbose: f.verbose, quiet: f.quiet,
    servers: parseResolvers(f.resolver), dnsTimeoutMs: f.timeout, dnsRetries: f.retries,
    dkimSelectors: f.dkimSelector ?? [], dkimGuess: f.dkimGuess,
    ca: readCaFiles(f.ca), ignore: f.ignore, only: f.only, checkTimeoutMs: f.checkTimeout,
    authPort: f.authPort, httpsPort: f.httpsPort,
    spfIp: f.ip, spfSender: f.sender, spfHelo: f.helo,
    file: f.file, concurrency: f.concurrency,
    probeServers: f.servers, submissionHosts: f.submissionHost, mailboxHosts: f.imapHost,
    stepTimeoutMs: f.stepTimeout, slowMs: f.slow, heloName: f.ehlo,
    certWarnDays: f.certWarnDays, certCritDays: f.certCritDays, relayTest: f.relayTest,
    ports: f.ports ? { ...WELL_KNOWN_PORTS, ...f.ports } : undefined,
  };
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('mxdoctor')
    .description('Is my mail server working, and if not, why?')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 warning, 2 critical, 3 unknown or usage error.\nDocs: docs/findings.md lists every finding id.')
    // Set before the subcommands are added: they inherit these settings.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`mxdoctor: ${str.replace(/^error: /, '')}`) });

  serverOptions(dnsOptions(program.command('check')
    .description('audit mail domains: MX, reverse DNS, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI, DNSSEC, DANE, name servers')
    .argument('[domains...]', 'domains to check')
    .option('--file <path>', 'read domains from a file (one per line, - for stdin); prints NDJSON')
    .addOption(new Option('--concurrency <n>', 'domains checked at once with --file').argParser(parseIntOption('--concurrency', 1, 1000)).default(20))
    .option('-q, --quiet', 'no progress on stderr')
    .option('--no-servers', 'DNS audit only: do not connect to the mail servers')))
    .action(async (domains: string[], flags: Flags) => {
      const { checkCommand } = await import('./commands/check.js');
      run(await checkCommand(domains, toCheckOptions(flags)));
    });

  dnsOptions(program.command('dns')
    .description('the DNS audit of one domain; with --ip, evaluate SPF for a client address')
    .argument('<domain>', 'the mail domain')
    .option('--ip <address>', 'evaluate SPF for mail from this IP address', parseIp)
    .option('--sender <address>', 'MAIL FROM for the SPF evaluation (default postmaster@<domain>)')
    .option('--helo <name>', 'HELO name for the SPF evaluation'))
    .action(async (domain: string, flags: Flags) => {
      const { checkCommand } = await import('./commands/check.js');
      run(await checkCommand([domain], { ...toCheckOptions(flags), probeServers: false }));
    });

  program.command('demo')
    .description('start an in-process lab of DNS servers with known defects and check its domains (no internet needed)')
    .option('--json', 'print the JSON report')
    .option('-v, --verbose', 'show details and evidence of every finding')
    .option('--no-color', 'no colours even on a terminal')
    .option('--domain <name>', 'check only this lab domain (repeatable)', collect)
    .option('--serve', 'keep the lab running and print how to query it, until Ctrl-C')
    .action(async (flags: Flags) => {
      const { demoCommand } = await import('./commands/demo.js');
      run(await demoCommand({ json: flags.json, color: flags.color, verbose: flags.verbose, domains: flags.domain, serve: flags.serve }));
    });

  program.command('findings')
    .description('list every finding id with its severity and meaning')
    .option('--json', 'print as JSON')
    .option('--markdown', 'print docs/findings.md')
    .action(async (flags: Flags) => {
      const { findingsCommand } = await import('./commands/findings.js');
      run(await findingsCommand(flags));
    });
  return program;
}
