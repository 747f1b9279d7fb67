// The commands that send mail (mxdoctor send, mxdoctor roundtrip): many flags of their own,
// declared here so that program.ts stays a readable list of commands.
import type { Command } from 'commander';
import { Option } from 'commander';
import { collect, collectEach, durationOption, parseDeadline, parseIntOption } from './options.js';
import { outputFlags, resolverFlags } from './flag-groups.js';

type Flags = Record<string, any>;

export function registerMailCommands(program: Command, run: (code: number) => void): void {
  const send = program.command('send')
    .description('send one test message through a submission server (like swaks): STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, per-step timings, the final reply and queue id, failures explained; password from MXDOCTOR_SMTP_PASSWORD or --password-file')
    .option('--server <host[:port]>', 'submission server (default port 587; 465 means implicit TLS)')
    .option('--from <address>', 'envelope sender and From header')
    .option('--to <address>', 'recipient (repeatable, at most 100); mail goes only to these', collect)
    .addOption(new Option('--tls <mode>', 'starttls, implicit or none (default: implicit on 465, else starttls)').choices(['starttls', 'implicit', 'none']))
    .option('--auth-user <user>', 'authenticate as this user (password from MXDOCTOR_SMTP_PASSWORD or --password-file)')
    .option('--password-file <file>', 'file whose first line is the password (never give passwords on the command line)')
    .option('--insecure', 'send the password even without TLS or over TLS whose certificate does not verify, to a host that is not loopback (reported)')
    .addOption(new Option('--allow-plaintext-auth', 'the older name of --insecure').hideHelp())
    .option('--tls-verify', 'stop before MAIL when the certificate is not trusted, even without a login (a password is never sent over it)')
    .option('--subject <text>', 'Subject header')
    .option('--header <"Name: value">', 'extra header (repeatable)', collectEach)
    .option('--body <text>', 'text body')
    .option('--body-file <file>', 'text body from a file')
    .option('--attach <file>', 'attach a file (repeatable)', collectEach)
    .option('--data-file <file>', 'send this whole RFC 5322 message as is (- for stdin); the token header is added when absent')
    .option('--quit-after <step>', 'stop with QUIT after connect, greeting, ehlo, tls, auth, mail or rcpt: nothing is sent')
    .option('--ehlo <name>', 'name to announce in EHLO (default: mxdoctor.invalid)')
    .option('--ca <file>', 'extra CA certificate (PEM) to trust (repeatable)', collectEach)
    .addOption(new Option('--step-timeout <duration>', 'timeout of each step: connect, greeting, each command, the final reply (a bare number is ms)').argParser(durationOption('--step-timeout', { minMs: 100, maxMs: 600_000 })).default(30_000, '30s'));
  resolverFlags(send, 'DNS resolver for the server name', false)
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect)
    .option('--transcript', 'print the session transcript with timings (credentials redacted)')
    .addOption(new Option('--deadline <duration>', 'overall deadline of the send: stop, close the connection and report the step that was cut (e.g. 90s, 2m)').argParser(parseDeadline).default(120_000, '2m'));
  outputFlags(send, { json: 'print the JSON report (schema mxdoctor.report/v1, facts.send)', verbose: 'evidence of every finding, and the transcript' })
    .action(async (flags: Flags) => {
      const { sendCommand } = await import('./commands/send.js');
      run(await sendCommand(flags));
    });

  const roundtrip = program.command('roundtrip')
    .description('send a message with a unique token and find it over IMAP in the recipient\'s mailbox (every folder): delivered or not, inbox or spam, delivery time, the Received path with TLS per hop, Authentication-Results, spam scores, our own DKIM/SPF/DMARC verdicts; several destinations with --config')
    .option('--config <file.yaml>', 'several destinations from the "roundtrip:" section of a config file (docs/config.md); a results table')
    .option('--server <host[:port]>', 'submission server (default port 587; 465 means implicit TLS)')
    .option('--from <address>', 'envelope sender and From header')
    .option('--to <address>', 'recipient whose mailbox is searched')
    .addOption(new Option('--tls <mode>', 'submission: starttls, implicit or none (default: implicit on 465, else starttls)').choices(['starttls', 'implicit', 'none']))
    .option('--auth-user <user>', 'submission login (password from MXDOCTOR_SMTP_PASSWORD or --password-file)')
    .option('--password-file <file>', 'file whose first line is the submission password')
    .option('--imap-server <host[:port]>', 'the recipient\'s IMAP server (default port 993; 143 means STARTTLS)')
    .addOption(new Option('--imap-tls <mode>', 'implicit, starttls or none (default: implicit on 993, else starttls)').choices(['implicit', 'starttls', 'none']))
    .option('--imap-user <user>', 'mailbox login (default: the --to address; password from MXDOCTOR_IMAP_PASSWORD or --imap-password-file)')
    .option('--imap-password-file <file>', 'file whose first line is the mailbox password')
    // Seconds inside (RoundtripRequest); a bare number keeps meaning seconds. No commander
    // default: a flag given overrides the --config file, a default must not.
    .addOption(new Option('--deadline <duration>', 'give up when the message has not arrived after this long, e.g. 2m (a bare number is seconds; default: 2m)').argParser(seconds('--deadline', 1_000, 86_400_000)))
    .addOption(new Option('--poll <duration>', 'first wait between two mailbox searches, growing x1.5 up to 15s (a bare number is ms; default: 1s)').argParser(durationOption('--poll', { minMs: 50, maxMs: 600_000 })))
    .addOption(new Option('--slow <duration>', 'delivery slower than this is a warning (a bare number is seconds; default: 60s)').argParser(seconds('--slow', 1_000, 86_400_000)))
    .option('--delete', 'delete the test message afterwards (\\Deleted + UID EXPUNGE)')
    .option('--ca <file>', 'extra CA certificate (PEM) to trust for the submission and IMAP servers (repeatable)', collectEach)
    .option('--insecure', 'send the passwords (SMTP and IMAP) even without TLS or over TLS whose certificate does not verify, to a host that is not loopback (reported)')
    .option('--ehlo <name>', 'name to announce in EHLO (default: mxdoctor.invalid)')
    .option('--subject <text>', 'Subject of the test message')
    .option('--header <"Name: value">', 'extra header of the test message (repeatable), e.g. to exercise a spam filter rule', collectEach)
    .addOption(new Option('--step-timeout <duration>', 'submission: timeout of each SMTP step (a bare number is ms; default: 30s)').argParser(durationOption('--step-timeout', { minMs: 100, maxMs: 600_000 })))
    .addOption(new Option('--imap-step-timeout <duration>', 'IMAP: connect, greeting and command timeout (a bare number is ms; default: 15s)').argParser(durationOption('--imap-step-timeout', { minMs: 100, maxMs: 120_000 })))
    .addOption(new Option('--imap-timeout <ms>', 'old spelling of --imap-step-timeout').argParser(durationOption('--imap-timeout', { minMs: 100, maxMs: 120_000 })).hideHelp())
    .addOption(new Option('--concurrency <n>', 'destinations at once with --config (default: 4)').argParser(parseIntOption('--concurrency', 1, 64)));
  resolverFlags(roundtrip, 'DNS resolver for host names and the DKIM/SPF/DMARC verification', false)
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect);
  outputFlags(roundtrip, { json: 'print the JSON report (schema mxdoctor.report/v1, one report per destination, facts.roundtrip)', verbose: 'evidence of every finding' })
    .action(async (flags: Flags) => {
      if (flags.imapStepTimeout !== undefined) flags.imapTimeout = flags.imapStepTimeout;
      const { roundtripCommand } = await import('./commands/roundtrip.js');
      run(await roundtripCommand(flags));
    });
}

/** A duration flag that the round trip keeps in seconds; a bare number is seconds, as before. */
function seconds(name: string, minMs: number, maxMs: number) {
  const parse = durationOption(name, { defaultUnit: 's', minMs, maxMs });
  return (v: string): number => parse(v) / 1000;
}
