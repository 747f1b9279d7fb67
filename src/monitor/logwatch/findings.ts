// Findings of the watch itself (the detectors' own are logs.*, src/logs/detectors.ts): a file
// that cannot be read, lines in another form than configured, a quiet window, lines that may
// have been missed while serve was stopped.
import type { FindingDef } from '../../core/finding.js';

const def = (id: string, severity: FindingDef['severity'], title: string, meaning: string, remediation?: string): FindingDef =>
  ({ id: `logwatch.${id}`, severity, title, meaning, remediation });

export const LOGWATCH_FINDINGS = {
  missing: def('file-missing', 'unknown', 'A watched log file does not exist', 'serve waits for the file and reads it from its start once it appears; until then the mail system\'s log is not judged.', 'Check the path in log_files (is the mail log /var/log/mail.log, /var/log/maillog or Exim\'s mainlog?) and that the syslog daemon writes it (rsyslog\'s mail.* rule; with journald only: `journalctl -u postfix -o json` into a file).'),
  unreadable: def('file-unreadable', 'unknown', 'A watched log file cannot be read', 'The file exists but opening or reading it failed (permissions, not a regular file): its lines are not judged.', 'Give the user serve runs as read access (on Debian: add it to the adm group, `usermod -aG adm mxdoctor`), or point log_files at a readable copy.'),
  format: def('format-mismatch', 'warning', 'Log lines are not in the configured format', 'log_format names one form, but lines in another form were read: the wrong file, or the syslog daemon\'s template changed.', 'Check which file log_files names and the syslog template (rsyslog\'s RSYSLOG_TraditionalFileFormat vs the ISO default), then set log_format to what the file holds, or to auto.'),
  missed: def('lines-missed', 'info', 'Some log lines may not have been read', 'While serve was stopped the file was rotated or replaced, so the lines written to the old file after the saved position could not be found; the counts from then on are complete again.', undefined),
  quiet: def('no-new-lines', 'ok', 'No new log lines in the window', 'The watched files got no lines during the window: nothing to judge, and nothing wrong was logged. A mail server that never logs may also be stopped: the SMTP checks of a host target tell.', undefined),
} satisfies Record<string, FindingDef>;
