// The commands that read saved results or files rather than probing: `mxdoctor report`
// (render results, compliance profiles) and `mxdoctor maildir verify` (mailbox backup check).
import type { Command } from 'commander';
import { Option } from 'commander';
import { collect, parseIntOption } from './options.js';

type Flags = Record<string, any>;

export function registerReportCommands(program: Command, run: (code: number) => void): void {
  program.command('report')
    .description('render saved results (check --json, or bulk NDJSON from check --file) as html, pdf, md, junit, nagios, csv, json or text; --profile adds a compliance pass/fail table')
    .argument('[input]', 'result file: the JSON of --json, NDJSON, or - for stdin')
    .option('--format <format>', 'html | pdf | md | junit | nagios | csv | json | text (default: from the -o file name, else text)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--profile <name|file>', 'judge the results against a compliance profile: baseline, or a YAML file (docs/report.md); the exit code follows the profile')
    .option('--rows <rows>', 'csv: one row per target (default) or per finding: targets | findings; --from-store also availability (per target and day, its default) | incidents')
    .option('--font <file>', 'pdf: font covering the report\'s text (.ttf/.otf, or file.ttc#PostScriptName); default: an installed CJK font')
    .option('--title <text>', 'html: the page title')
    .option('--from-store', 'report on the monitor\'s history instead of a file: availability per day, incidents and MTTR, certificate and blacklist timelines, then the latest findings (docs/report.md)')
    .option('--store <file|url>', '--from-store: the store serve writes (SQLite file, or postgres:// URL; password from PGPASSWORD)')
    .option('--config <file>', '--from-store: read the store location from this serve config')
    .option('--since <when>', '--from-store: start of the period, a duration back from now (7d, 30d) or an ISO time; whole UTC days (default: 30d)')
    .option('--target <name>', '--from-store: only this target, as serve names it (repeatable)', collect)
    .option('--no-color', 'no colours even on a terminal (text format)')
    .addHelpText('after', '\nExit code: the worst of the reports (0 ok, 1 warning, 2 critical, 3 unknown); with --profile, the profile\'s verdict.\nExamples:\n  mxdoctor check example.com --json > r.json && mxdoctor report r.json -o r.html\n  mxdoctor check --file domains.txt > all.ndjson; mxdoctor report all.ndjson --format csv\n  mxdoctor report r.json --format nagios --profile baseline\n  mxdoctor report --from-store --config mxdoctor.yaml --since 30d -o month.pdf')
    .action(async (input: string | undefined, flags: Flags) => {
      const { reportCommand } = await import('./commands/report.js');
      run(await reportCommand(input, flags));
    });

  program.command('maildir')
    .description('mailbox store checks: `maildir verify <dir> [--against <backup>]`')
    .command('verify')
    .description('read, hash and parse every message of a Maildir/Maildir++ store per folder (empty, truncated, unparsable files, missing headers, duplicate Message-IDs, flags); with --against, compare with a backup (another Maildir or a .tar/.tar.gz): missing, extra and different messages; the exit code says whether the backup is complete')
    .argument('<dir>', 'the Maildir root (holding cur/, new/, tmp/ and the .Folder directories)')
    .option('--against <backup>', 'a copy of the Maildir, or a tar/tar.gz archive of it')
    .option('--json', 'print the JSON report (schema mxdoctor.report/v1, facts.maildir)')
    .addOption(new Option('--workers <n>', 'hashing threads (default: one per CPU, at most 4; 0: none)').argParser(parseIntOption('--workers', 0, 64)))
    .addOption(new Option('--max-names <n>', 'file names listed per problem and folder (counts are always complete)').argParser(parseIntOption('--max-names', 0, 1_000_000)).default(50))
    .option('--ignore <id>', 'drop this finding id, or family.* (repeatable)', collect)
    .option('-q, --quiet', 'no progress on stderr')
    .option('-v, --verbose', 'show details and evidence of every finding')
    .option('--no-color', 'no colours even on a terminal')
    .action(async (dir: string, flags: Flags) => {
      const { maildirCommand } = await import('./commands/maildir.js');
      run(await maildirCommand(dir, flags));
    });
}
