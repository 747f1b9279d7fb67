// The command-line surface: flags are declared here, commands are imported lazily.
import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { collect, collectEach, durationOption, parseDeadline, parseIntOption, parseIp, parseResolvers, readCaFiles } from './options.js';
import { auditFlags, caFlag, checkTimeoutFlag, ignoreFlag, outputFlags, probeFlags, resolverFlags } from './flag-groups.js';
import type { ProbeUse } from './flag-groups.js';
import { WELL_KNOWN_PORTS } from '../core/check.js';
import { UsageError } from '../core/errors.js';
import type { CheckCommandOptions } from './commands/check.js';
import { registerMailCommands } from './mail-commands.js';
import { registerLoadCommand } from './load-flags.js';
import { registerReportCommands } from './report-commands.js';

type Flags = Record<string, any>;

/**
 * The one overall deadline of a command (issue 16: every run ends on time): when it passes all
 * work is cancelled, its connections closed, and the report says what was not done.
 */
export function deadlineOption(cmd: Command, defaultText: string, note = ''): Command {
  const ms = parseDeadline(defaultText);
  return cmd.addOption(new Option('--deadline <duration>', `overall deadline of the command: cancel everything still running, close its connections and report what was not done (e.g. 90s, 2m)${note}`)
    .argParser(parseDeadline).default(ms, defaultText));
}

/** logs and capacity: no deadline unless given (a big log takes as long as it takes to read). */
function logDeadline(note: string): Option {
  return new Option('--deadline <duration>', `overall deadline (default: none): stop reading stdin and report what was read, with run.deadline (e.g. 30s, 10m)${note}`).argParser(parseDeadline);
}

/** check, dns and doctor: the DNS audit of a domain. */
function domainAudit(cmd: Command): Command {
  return outputFlags(checkTimeoutFlag(ignoreFlag(auditFlags(caFlag(resolverFlags(cmd)))), 20_000, 'deadline of each DNS check; checks that connect to servers get 3 times as long'));
}

/** smtp, imap, pop3, tls, lmtp: one server named on the command line. */
function hostProbe(cmd: Command, use: ProbeUse): Command {
  return outputFlags(checkTimeoutFlag(ignoreFlag(probeFlags(caFlag(resolverFlags(cmd, 'DNS resolver for the host names')), use)), 60_000));
}

/** Queue options shared by `queue` and `check --local`. */
function queueOptions(cmd: Command, local = false): Command {
  const w = local ? '--local: ' : '';
  return cmd
    .option('--postfix-config <dir>', `${w}Postfix configuration directory, passed as -c to postqueue/postconf (repeatable: one per instance)`, collectEach)
    .option('--exim', `${w}read the Exim queue (default: Postfix when postconf exists, else Exim)`)
    .addOption(new Option('--warn <n>', `${w}messages in the queue for a warning (default: 1000)`).argParser(parseIntOption('--warn', 1, 100_000_000)))
    .addOption(new Option('--crit <n>', `${w}messages in the queue for critical (default: 5000, or 5 × --warn)`).argParser(parseIntOption('--crit', 2, 100_000_000)))
    // Hours: what the queue thresholds count in (a bare number keeps meaning hours).
    .addOption(new Option('--max-age <duration>', `${w}oldest deferred message age for a warning, e.g. 24h, 2d (a bare number is hours; default: 24h)`)
      .argParser((v: string) => durationOption('--max-age', { defaultUnit: 'h', minMs: 60_000, maxMs: 10_000 * 3_600_000 })(v) / 3_600_000));
}

export function toCheckOptions(f: Flags): CheckCommandOptions {
  return {
    json: f.json, color: f.color, verbose: f.verbose, quiet: f.quiet,
    servers: parseResolvers(f.resolver), dnsTimeoutMs: f.timeout, dnsRetries: f.retries,
    dkimSelectors: f.dkimSelector ?? [], dkimGuess: f.dkimGuess,
    ca: readCaFiles(f.ca), ignore: f.ignore, only: f.only, checkTimeoutMs: f.checkTimeout,
    authPort: f.authPort, httpsPort: f.httpsPort,
    spfIp: f.ip, spfSender: f.sender, spfHelo: f.helo,
    file: f.file, concurrency: f.concurrency, workers: f.workers, queue: f.queue, module: f.module,
    probeServers: f.servers, submissionHosts: f.submissionHost, mailboxHosts: f.imapHost,
    stepTimeoutMs: f.stepTimeout, slowMs: f.slow, heloName: f.ehlo,
    certWarnDays: f.certWarnDays, certCritDays: f.certCritDays, relayTest: f.relayTest,
    ports: f.ports ? { ...WELL_KNOWN_PORTS, ...f.ports } : undefined,
    dnsblZones: f.dnsbl, deadlineMs: f.deadline, profile: f.profile,
  };
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('mxdoctor')
    .description('Is my mail server working, and if not, why?')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nGlobal options, before or after the command (each command lists those it uses):\n  --json, -v/--verbose, -q/--quiet, --no-color, --resolver <ip[:port]>\nWith --json, a usage error is a JSON document on stdout too (schema mxdoctor.error/v1).\nDurations say their unit: 500ms, 30s, 2m, 1h (a bare number keeps the flag\'s old unit).\n\nExit codes: 0 ok, 1 warning, 2 critical, 3 unknown or usage error.\nDocs: docs/findings.md lists every finding id.')
    // Set before the subcommands are added: they inherit these settings.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`mxdoctor: ${str.replace(/^error: /, '')}`) });

  deadlineOption(queueOptions(probeFlags(domainAudit(program.command('check')
    .description('audit mail domains: MX, reverse DNS, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, BIMI, DNSSEC, DANE, name servers')
    .argument('[domains...]', 'domains to check')
    .option('--file <path>', 'read domains from a file (one per line, - for stdin); prints NDJSON')
    .option('--queue <postgres-url>', 'with --file: enqueue the audit into a serve fleet\'s job queue (postgres://user@host:port/db; password from PGPASSWORD or ~/.pgpass) and print the reports as the fleet finishes them')
    .option('--module <name>', 'with --queue: the fleet\'s module to audit with (default: default)')
    .addOption(new Option('--concurrency <n>', 'domains checked at once with --file').argParser(parseIntOption('--concurrency', 1, 1000)).default(20))
    .addOption(new Option('--workers <n>', 'worker threads for a --file DNS audit of 500+ domains with --no-servers (default: one per CPU, at most 4)').argParser(parseIntOption('--workers', 1, 64)))
    .option('-q, --quiet', 'no progress on stderr (--file)')
    .option('--no-servers', 'DNS audit only: do not connect to the mail servers')
    .option('--dnsbl <zone>', 'DNS blacklist zone to use instead of the built-in lists (repeatable)', collect)
    .option('--profile <name|file>', 'judge the result against a compliance profile (baseline, or a YAML file; docs/report.md): a pass/fail table, and the exit code follows the profile')
    .option('--local', 'check this machine instead of a domain: queue, disk space, mail daemons, certificate files, recent log problems')
    .option('--dovecot-config <file>', '--local: dovecot.conf to read (doveconf -c)')
    .option('--log <file>', '--local: mail log to read (repeatable; default Postfix maillog_file or /var/log/mail.log)', collectEach)
    .option('--since <when>', '--local: log lines at or after, as for logs (default: 24h ago)')
    .option('--mail-store <dir>', '--local: mail store directory to check for space (repeatable; default: doveconf mail_location)', collectEach)
    .option('--cert-file <file>', '--local: another certificate file to check for expiry (repeatable)', collectEach)
    .addOption(new Option('--disk-warn <percent>', '--local: disk or inode use for a warning').argParser(parseIntOption('--disk-warn', 1, 99)).default(85))
    .addOption(new Option('--disk-crit <percent>', '--local: disk or inode use for critical').argParser(parseIntOption('--disk-crit', 2, 100)).default(95))), { hosts: true, slow: true, ehlo: true, cert: true, relay: true, ports: true }), true), '2m', '; none with --file unless given')
    .action(async (domains: string[], flags: Flags, cmd: Command) => {
      if (flags.file && cmd.getOptionValueSource('deadline') === 'default') delete flags.deadline;
      if (flags.local) {
        if (domains.length || flags.file) throw new UsageError('check --local checks this machine and takes no domain: run `mxdoctor check <domain>` separately');
        const { localCommand } = await import('./commands/local.js');
        run(await localCommand({ ...flags, postfixConfig: flags.postfixConfig, mailStore: flags.mailStore, certFile: flags.certFile, deadlineMs: flags.deadline }));
        return;
      }
      const { checkCommand } = await import('./commands/check.js');
      run(await checkCommand(domains, toCheckOptions(flags)));
    });

  deadlineOption(outputFlags(checkTimeoutFlag(ignoreFlag(resolverFlags(program.command('blacklist')
    .description('look IP addresses, hosts or domains up on DNS blacklists (a name: its mail servers on IP lists, the name on domain lists)')
    .argument('<targets...>', 'IPv4/IPv6 addresses, host names or domains')
    .option('--dnsbl <zone>', 'DNS blacklist zone to use instead of the built-in lists (repeatable)', collect))), 20_000)), '1m')
    .action(async (targets: string[], flags: Flags) => {
      const { blacklistCommand } = await import('./commands/blacklist.js');
      run(await blacklistCommand(targets, toCheckOptions(flags)));
    });

  deadlineOption(hostProbe(program.command('smtp')
    .description('probe SMTP servers: greeting, EHLO capabilities, STARTTLS, AUTH, relay and postmaster tests (never DATA), timings; 587 as submission, 465 with implicit TLS')
    .argument('<hosts...>', 'host[:port] (default port 25)')
    .option('--domain <domain>', 'also test that postmaster@<domain> is accepted')
    .option('--transcript', 'print each session transcript with timings (credentials are never recorded)')
    .option('--intrusive', 'also run the SMTP smuggling test: sends ONE message to --rcpt on this host (your own server only)')
    .option('--rcpt <address>', 'recipient for --intrusive (an address on your server)'), { slow: true, ehlo: true, relay: true }), '90s')
    .action(async (hosts: string[], flags: Flags) => {
      const { smtpCommand } = await import('./commands/smtp.js');
      run(await smtpCommand(hosts, { ...toCheckOptions(flags), transcript: flags.transcript, domain: flags.domain, intrusive: flags.intrusive, rcpt: flags.rcpt }));
    });

  for (const proto of ['imap', 'pop3'] as const) {
    const [name, plain, tls, cmd] = proto === 'imap' ? ['IMAP', 143, 993, 'STARTTLS'] : ['POP3', 110, 995, 'STLS'];
    deadlineOption(hostProbe(program.command(proto)
      .description(`probe ${name} servers: greeting, capabilities, ${cmd} (${plain}) or implicit TLS (${tls}), plaintext login, SASL mechanisms; login test with credentials from MXDOCTOR_${proto.toUpperCase()}_USER/_PASSWORD or --credentials`)
      .argument('<hosts...>', `host[:port] (default port ${plain}; ${tls} means implicit TLS)`)
      .option('--credentials <file>', 'file with one line "user:password" for the login test (never give passwords on the command line)')
      .addOption(new Option('--tls <mode>', `implicit or starttls (default: implicit on ${tls}, else starttls)`).choices(['implicit', 'starttls']))
      .option('--insecure', 'log in even without TLS or over TLS whose certificate does not verify, to a host that is not loopback (reported)')
      .option('--transcript', 'print each session transcript (credentials are never recorded)'), {}), '90s')
      .action(async (hosts: string[], flags: Flags) => {
        const o = { ...toCheckOptions(flags), credentials: flags.credentials, tls: flags.tls as 'implicit' | 'starttls' | undefined, insecure: flags.insecure, transcript: flags.transcript };
        const { imapCommand } = await import('./commands/imap.js');
        const { pop3Command } = await import('./commands/pop3.js');
        run(await (proto === 'imap' ? imapCommand : pop3Command)(hosts, o));
      });
  }

  deadlineOption(hostProbe(program.command('tls')
    .description('TLS of one server: versions 1.0-1.3, cipher, forward secrecy, certificate chain, expiry, name, trust, DANE match; port 25 with SMTP STARTTLS by default')
    .argument('<hosts...>', 'host[:port] (default port 25)')
    .addOption(new Option('--tls <mode>', 'starttls or implicit (default: implicit on 465/993/995, else starttls)').choices(['starttls', 'implicit']))
    .addOption(new Option('--protocol <name>', 'protocol that negotiates STARTTLS (default: imap on 143, pop3 on 110, else smtp)').choices(['smtp', 'imap', 'pop3']))
    .addOption(new Option('--starttls <proto>', 'old spelling: smtp, imap, pop3 or none').hideHelp()), { ehlo: true, cert: true }), '90s')
    .action(async (hosts: string[], flags: Flags) => {
      const { tlsCommand } = await import('./commands/tls.js');
      run(await tlsCommand(hosts, { ...toCheckOptions(flags), starttls: flags.starttls, tls: flags.tls, protocol: flags.protocol }));
    });

  deadlineOption(hostProbe(program.command('lmtp')
    .description('probe an LMTP delivery agent (RFC 2033): greeting and LHLO')
    .argument('<hosts...>', 'host:port (LMTP has no standard port)')
    .option('--transcript', 'print each session transcript'), { ehlo: true }), '90s')
    .action(async (hosts: string[], flags: Flags) => {
      const { lmtpCommand } = await import('./commands/lmtp.js');
      run(await lmtpCommand(hosts, { ...toCheckOptions(flags), transcript: flags.transcript }));
    });

  deadlineOption(domainAudit(program.command('dns')
    .description('the DNS audit of one domain; with --ip, evaluate SPF for a client address')
    .argument('<domain>', 'the mail domain')
    .option('--ip <address>', 'evaluate SPF for mail from this IP address', parseIp)
    .option('--sender <address>', 'MAIL FROM for the SPF evaluation (default: postmaster@<domain>)')
    .option('--helo <name>', 'HELO name for the SPF evaluation')
    .option('--dnsbl <zone>', 'DNS blacklist zone to use instead of the built-in lists (repeatable)', collect)), '1m')
    .action(async (domain: string, flags: Flags) => {
      const { checkCommand } = await import('./commands/check.js');
      run(await checkCommand([domain], { ...toCheckOptions(flags), probeServers: false }));
    });

  deadlineOption(outputFlags(program.command('demo')
    .description('start an in-process lab of DNS, HTTPS and mail servers with planted defects and check its domains (no internet needed): a summary table, the details on request')
    .option('--domain <name>', 'the full report of this lab domain (repeatable)', collect)
    .option('--serve', 'print how to query the lab first, then keep it running until Ctrl-C (mxdoctor check --resolver … --auth-port … --https-port … --ports … --ca …)'), { json: 'print the JSON report of every domain checked', verbose: 'the full report of every domain after the table' }), '5m', '; the lab of --serve stays up')
    .action(async (flags: Flags) => {
      const { demoCommand } = await import('./commands/demo.js');
      run(await demoCommand({ json: flags.json, color: flags.color, verbose: flags.verbose, domains: flags.domain, serve: flags.serve, deadlineMs: flags.deadline }));
    });

  program.command('serve')
    .description('keep checking the targets of a config file (or the built-in lab) and serve the results: JSON API, /metrics, /probe, alerts, history (docs/monitor.md)')
    .option('--config <file>', 'the serve config (YAML; docs/monitor.md); without it: the built-in lab')
    .option('--listen <host:port>', 'address of the HTTP API; any other than loopback needs a token in the config (default: 127.0.0.1:9723)')
    .option('--store <file>', 'SQLite store file (default: store.path of the config; the lab keeps it in memory)')
    .option('--target <name>', 'only this target of the config or the lab (repeatable)', collect)
    .option('--once', 'run every target once, print the reports and exit with the worst status (for cron)')
    .option('--json', '--once: print the JSON reports')
    .option('-v, --verbose', '--once: show every finding, not only the problems')
    .option('--no-color', 'no colours even on a terminal')
    .action(async (flags: Flags) => {
      const { serveCommand } = await import('./commands/serve.js');
      run(await serveCommand({ config: flags.config, listen: flags.listen, store: flags.store, target: flags.target, once: flags.once, json: flags.json, verbose: flags.verbose, color: flags.color }));
    });

  program.command('config')
    .description('work with the config file')
    .command('check')
    .description('validate a serve config: every problem with its file, line and fix (exit 3), or a summary (exit 0)')
    .argument('<file>', 'the config file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: Flags) => {
      const { configCheckCommand } = await import('./commands/config.js');
      run(configCheckCommand(file, { json: flags.json }));
    });

  program.command('history')
    .description('what serve stored about a target: status changes, incidents, availability, problem findings that came and went')
    .argument('<target>', 'the target name (as in the config: the domain, or its name:)')
    .option('--config <file>', 'the serve config whose store to read')
    .option('--store <file>', 'the SQLite store file to read instead')
    .option('--since <when>', 'how far back: a duration (24h, 7d) or an ISO time (default: 7d)')
    .option('--json', 'print as JSON')
    .action(async (target: string, flags: Flags) => {
      const { historyCommand } = await import('./commands/history.js');
      run(await historyCommand(target, { config: flags.config, store: flags.store, since: flags.since, json: flags.json }));
    });

  program.command('findings')
    .description('list every finding id with its severity and meaning')
    .option('--json', 'print as JSON')
    .option('--markdown', 'print docs/findings.md')
    .action(async (flags: Flags) => {
      const { findingsCommand } = await import('./commands/findings.js');
      run(await findingsCommand(flags));
    });

  deadlineOption(queueOptions(program.command('queue')
    .description('the mail queue of this machine (Postfix postqueue -j, Exim exim -bp): messages per queue, oldest, qshape-like age histogram, top deferred destinations and reasons; thresholds as findings')
    .option('--json', 'print the JSON report (schema mxdoctor.report/v1, facts.queue)')
    .addOption(new Option('--top <n>', 'destinations and reasons listed').argParser(parseIntOption('--top', 1, 1000)).default(10))
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect)
    .option('-v, --verbose', 'show details and evidence of every finding')
    .option('--no-color', 'no colours even on a terminal')), '2m')
    .action(async (flags: Flags) => {
      const { queueCommand } = await import('./commands/queue.js');
      run(await queueCommand({ ...flags, deadlineMs: flags.deadline }));
    });

  program.command('logs')
    .description('summarise Postfix/Dovecot/Exim logs (pflogsumm-class, problems first) or --trace one message; files, globs, rotated sets, .gz, - for stdin')
    .argument('[files...]', 'log files or globs, - for stdin (default: stdin when piped, else the system mail log); rotated sets are read oldest first')
    .option('--json', 'print the report as JSON (mxdoctor.report/v1; the summary or the traced messages in facts.logs / facts.trace)')
    .addOption(new Option('--top <n>', 'entries per list').argParser(parseIntOption('--top', 1, 100_000)).default(10))
    .option('--since <when>', 'only lines at or after: 2025-04-09, 2025-04-09T08:00, or 24h/30m/7d ago')
    .option('--until <when>', 'only lines at or before (same forms)')
    .option('--trace <id>', 'everything that happened to the messages with this queue id, <message-id> or address')
    .option('-f, --follow', 'keep reading the last file as it grows (survives rotation); Ctrl-C prints the summary')
    .addOption(logDeadline('; with --follow: how long to follow, then the summary'))
    .option('--unparsed', 'show sample lines that were not understood')
    .option('--syslog-name <name>', 'another syslog_name that is Postfix (repeatable; postfix* is always recognised)', collect)
    .addOption(new Option('--year <yyyy>', 'year of year-less timestamps read from stdin (files use their mtime)').argParser(parseIntOption('--year', 1970, 9999)))
    .option('-v, --verbose', 'show a sample line under each reason')
    .option('--no-color', 'no colours even on a terminal')
    .action(async (files: string[], flags: Flags) => {
      const { logsCommand } = await import('./commands/logs.js');
      run(await logsCommand(files, flags));
    });

  program.command('capacity')
    .description('mail volume from logs: daily messages and bytes, peak hour, growth trend, projection N months ahead, and a common sizing rule of thumb beside a trend-based estimate')
    .argument('[files...]', 'log files or globs, - for stdin (default: stdin when piped, else the system mail log); the same inputs as `mxdoctor logs`')
    .option('--json', 'print the report as JSON (mxdoctor.report/v1; the figures in facts.capacity)')
    .addOption(new Option('--months <n>', 'projection horizon in months').argParser(parseIntOption('--months', 1, 120)).default(12))
    .addOption(logDeadline(''))
    .option('--since <when>', 'only lines at or after (as for logs)')
    .option('--until <when>', 'only lines at or before (as for logs)')
    .option('--syslog-name <name>', 'another syslog_name that is Postfix (repeatable)', collect)
    .addOption(new Option('--year <yyyy>', 'year of year-less timestamps read from stdin').argParser(parseIntOption('--year', 1970, 9999)))
    .option('--no-color', 'no colours even on a terminal')
    .action(async (files: string[], flags: Flags) => {
      const { capacityCommand } = await import('./commands/capacity.js');
      run(await capacityCommand(files, flags));
    });

  registerMailCommands(program, run);
  registerLoadCommand(program, run);
  registerReportCommands(program, run);

  deadlineOption(probeFlags(domainAudit(program.command('doctor')
    .description('diagnose a symptom: run the checks that matter for it and rank the likely causes, each with its evidence and fix')
    .argument('<symptom>', 'cannot-receive | cannot-send | slow | client-cannot-connect | spam-folder')
    .argument('<domain>', 'the mail domain')
    .option('--ip <address>', 'the address your mail leaves from (cannot-send, spam-folder, slow): SPF verdict and blocklists for it', parseIp)
    .option('--log <file>', 'a mail log to read too (repeatable; rotated sets, .gz, - for stdin): its problems feed the causes', collectEach)
    .option('--no-servers', 'DNS only: do not connect to the mail servers')
    .option('--dnsbl <zone>', 'DNS blacklist zone to use instead of the built-in lists (repeatable)', collect)), { hosts: true, slow: true, ehlo: true, cert: true, relay: true, ports: true })
    .addHelpText('after', '\nSymptoms:\n  cannot-receive         mail sent to the domain does not arrive\n  cannot-send            mail from the domain bounces or is rejected\n  slow                   mail takes long to arrive or to leave\n  client-cannot-connect  mail apps cannot connect to send or read mail\n  spam-folder            mail from the domain lands in spam\n\nLikelihood (high/medium/low) is a rank, not a probability: see docs/doctor.md.\nExit code: the worst finding of the checks run for the symptom.'), '2m')
    .action(async (symptom: string, domain: string, flags: Flags) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      run(await doctorCommand(symptom, domain, { ...toCheckOptions(flags), logs: flags.log, sendingIp: flags.ip }));
    });

  program.command('explain')
    .description('explain an SMTP reply code, enhanced status code, rejection text or mail log line (- reads stdin)')
    .argument('<text...>', 'e.g. 452, 5.7.1, "452 4.2.2 Mailbox full" or a whole log line')
    .option('--json', 'print as JSON')
    .action(async (text: string[], flags: Flags) => {
      const { explainCommand } = await import('./commands/explain.js');
      run(await explainCommand(text, flags));
    });
  return program;
}
