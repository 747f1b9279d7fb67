// "Problems first": patterns in the summary an admin must act on, as findings with a
// stable id, counts, time span, a sample line and the fix. Pure: computed from the
// report's groups (which carry count/first/last/sample), never from raw lines.
import { finding, type Finding, type FindingDef } from '../core/finding.js';
import type { Analysis } from './analyse.js';
import type { LogReport, ReasonOut } from './report.js';

const def = (id: string, severity: FindingDef['severity'], title: string, meaning: string, remediation?: string): FindingDef =>
  ({ id: `logs.${id}`, severity, title, meaning, remediation });

export const LOGS_FINDINGS = {
  fatal: def('fatal', 'critical', 'The mail system logged fatal errors or panics', 'A Postfix/Dovecot/Exim process logged "fatal:" or "panic:": that process stopped, and mail it handles is not moving until the cause is fixed.', 'Read the sample line: most fatal errors name a missing file, a bad parameter (postconf -n) or a permissions problem. Fix it, then `postfix check` and `postfix reload` (or restart Dovecot/Exim).'),
  diskFull: def('disk-full', 'critical', 'Disk or queue file system full', 'Writes failed with "No space left on device", or the server refused mail for "Insufficient system storage" (below queue_minfree).', 'Free space: `df -h /var/spool/postfix /var/mail /var/log`, remove old logs or mail, then `postqueue -f`. Monitor free space.'),
  mailboxFull: def('mailbox-full', 'warning', 'Mailboxes over quota', 'Deliveries failed because recipients\' mailboxes are full (Dovecot quota, X.2.2).', 'Tell the users to clean up; check with `doveadm quota get -u <user>`, recalculate with `doveadm quota recalc -u <user>`, raise the quota if appropriate.'),
  blocked: def('blacklist-block', 'critical', 'Remote servers refuse our mail: blocklisted', 'Remote servers deferred or bounced our mail naming a DNS blocklist or a reputation block on our sending IP.', 'Run `mxdoctor blacklist <your-ip>`, find and stop the source of spam (compromised account, form), then request delisting; check SPF/DKIM/DMARC with `mxdoctor check <domain>`.'),
  port25: def('port25-timeout', 'warning', 'Outbound SMTP connections time out', 'Connections to remote mail servers on port 25 timed out for several destinations: typically the provider blocks outbound port 25.', 'Test from the server: `nc -vz <mx-host> 25`. If every destination times out, ask the provider to open port 25 or relay through a smarthost on port 587 (relayhost).'),
  dns: def('dns-failure', 'warning', 'DNS lookups fail', 'Deliveries were deferred or bounced because the recipient domain\'s DNS lookup failed ("Host or domain name not found", "Name service error").', 'If many domains fail: fix the server\'s resolver (/etc/resolv.conf, and the copy in Postfix\'s chroot /var/spool/postfix/etc); if one domain: check it with `dig MX <domain>`.'),
  tls: def('tls-failure', 'warning', 'TLS handshakes fail', 'TLS negotiation failed (SSL_accept/SSL_connect errors, TLS library problems, certificate or TLS-required failures).', 'Check the certificate and key paths and permissions (`postconf -n | grep tls`), test with `mxdoctor tls <host>`; for outbound TLS-required failures check the destination with `mxdoctor check <domain>`.'),
  relayDenied: def('relay-denied', 'warning', 'Relay attempts denied', 'Many RCPT commands were refused with "Relay access denied": spammers probing for an open relay, or your own users sending without authenticating.', 'If the clients are yours: make them authenticate on port 587. If not: nothing is wrong (the relay is closed); block persistent sources with postscreen or fail2ban.'),
  bruteForce: def('auth-brute-force', 'warning', 'Password guessing from one address', 'One client address failed SMTP AUTH or IMAP/POP3 login many times: a brute-force attack, or one client with a wrong saved password.', 'Block the address (fail2ban postfix-sasl/dovecot jails, or a firewall rule); make sure users have strong passwords; check whether any login from it succeeded.'),
  dovecotAuth: def('dovecot-auth-failures', 'warning', 'IMAP/POP3 login failures', 'Dovecot logged failed logins across clients.', 'Check the users\' mail client settings; if the failures come from many unknown addresses, enable the dovecot fail2ban jail (note the 2.4 log format).'),
  pileUp: def('deferred-pile-up', 'warning', 'Deferred messages piling up', 'Many messages were deferred and not delivered by the end of the log: the queue is growing.', 'Look at the deferral reasons below; `postqueue -p | tail -1` shows the queue size; after fixing the cause, `postqueue -f`.'),
  truncated: def('input-damaged', 'warning', 'Part of the input could not be read', 'A compressed log was truncated or corrupt, or a read failed: the summary covers only what was read.', 'Check the file (`gzip -t`); logrotate may still have been writing it.'),
  unparsed: def('unparsed-lines', 'info', 'Some mail log lines were not understood', 'More than 1% of the mail system\'s lines matched no parser rule; they are counted and sampled (--unparsed), never fatal.', undefined),
  nothing: def('nothing-understood', 'unknown', 'No mail log lines to judge', 'The input is empty, is not a mail log (a binary, another program\'s log), or every line was outside --since/--until: nothing was recognised, so whether the mail system has problems is unknown.', 'Point mxdoctor logs at the mail log (/var/log/mail.log, /var/log/maillog, journalctl -u postfix -o json | mxdoctor logs -, Exim\'s mainlog), or widen --since/--until.'),
  ok: def('no-problems', 'ok', 'No problems recognised in the logs', 'None of the log detectors fired on the lines read.', undefined),
} satisfies Record<string, FindingDef>;

function span(groups: ReasonOut[]): { count: number; first: string; last: string; sample: string } {
  const count = groups.reduce((n, g) => n + g.count, 0);
  const first = groups.map((g) => g.first).sort()[0] ?? '';
  const last = groups.map((g) => g.last).sort().at(-1) ?? '';
  return { count, first, last, sample: groups[0]?.sample ?? '' };
}

function hit(d: FindingDef, groups: ReasonOut[], what: string, min = 1): Finding | undefined {
  const sel = groups.filter((g) => g.count > 0);
  const e = span(sel);
  if (e.count < min) return undefined;
  const reasons = sel.slice(0, 3).map((g) => `${g.count}× ${[g.code, g.enhanced].filter(Boolean).join(' ')} ${g.reason}`.trim());
  return finding(d, { detail: `${e.count} ${what} between ${e.first} and ${e.last}: ${reasons.join('; ')}`, evidence: { ...e, reasons } });
}

const has = (re: RegExp) => (g: ReasonOut) => re.test(g.reason) || re.test(g.sample) || (g.explanation?.keys.some((k) => re.test(k)) ?? false);

/** Why nothing could be judged (no line parsed), or undefined when some lines were understood. */
export function nothingUnderstood(a: Analysis): string | undefined {
  if (a.parsed > 0) return undefined;
  const n = a.lines.toLocaleString('en-US');
  if (a.lines === 0) return 'The input is empty: no lines were read.';
  if (a.filtered === a.lines) return `All ${n} lines are outside the --since/--until range.`;
  const foreign = [...a.foreign.map.keys()].slice(0, 5);
  if (a.unparsed === 0 && foreign.length) return `None of the ${n} lines comes from a mail program (seen: ${foreign.join(', ')}): this is not a mail log.`;
  return `None of the ${n} lines is a mail log line mxdoctor understands (Postfix, Exim, Dovecot, in syslog, ISO or journald JSON form): this is not a mail log, or not one of these.`;
}

export function detect(a: Analysis, r: Omit<LogReport, 'findings'> & { findings?: Finding[] }): Finding[] {
  const none = nothingUnderstood(a);
  // Nothing understood is "could not tell" (exit 3), never "no problems" (exit 0).
  if (none) {
    const damaged = a.warnings.length ? [finding(LOGS_FINDINGS.truncated, { detail: a.warnings.join('; ') })] : [];
    return [finding(LOGS_FINDINGS.nothing, { detail: none, evidence: { lines: a.lines, unparsed: a.unparsed, filtered: a.filtered } }), ...damaged];
  }
  const out: (Finding | undefined)[] = [];
  const failures = [...r.deferrals, ...r.bounces];
  const problems = [...r.problems.warning, ...r.problems.error, ...r.problems.fatal, ...r.problems.panic];
  out.push(hit(LOGS_FINDINGS.fatal, [...r.problems.fatal, ...r.problems.panic], 'fatal errors or panics'));
  out.push(hit(LOGS_FINDINGS.diskFull, [...problems, ...failures, ...r.rejects].filter(has(/No space left on device|Insufficient system storage|system.disk-full|insufficient-storage/)), 'disk-full errors'));
  out.push(hit(LOGS_FINDINGS.mailboxFull, [...r.dovecot.quota, ...failures.filter((g) => /^\d\.2\.2$/.test(g.enhanced) || has(/over-quota|quota exceeded|mailbox (?:is )?full/i)(g))], 'over-quota failures'));
  out.push(hit(LOGS_FINDINGS.blocked, failures.filter(has(/^dnsbl\.|banned-ip|s3150|tenant-ip-blocked|blocked using|blacklist|blocklist|listed (?:at|in|on)|spamhaus|poor reputation|block list/i)), 'deliveries refused because of a blocklist'));
  const timeouts = [...r.connectFailures, ...r.deferrals].filter(has(/Connection timed out|conn\.timeout/));
  const dests = new Set(timeouts.flatMap((g) => g.top.map((t) => t.key)));
  if (dests.size >= 3) out.push(hit(LOGS_FINDINGS.port25, timeouts, `timed-out connections to ${dests.size}+ destinations`));
  out.push(hit(LOGS_FINDINGS.dns, failures.filter(has(/Host or domain name not found|Name service error|dns\.host-not-found|DNS lookup/)), 'DNS lookup failures'));
  out.push(hit(LOGS_FINDINGS.tls, [...problems.filter(has(/TLS library problem|SSL_accept error|SSL_connect error|TLS handshake|cannot load (?:certificate|key)|certificate verification failed/)), ...failures.filter(has(/TLS is required|tls-required/))], 'TLS failures'));
  out.push(hit(LOGS_FINDINGS.relayDenied, r.rejects.filter(has(/Relay access denied|relay not permitted/)), 'relay attempts refused', 10));
  const brute = r.authFailures.byClient.filter((c) => c.count >= 20 && c.ip !== '(unknown)');
  if (brute.length) {
    const b = brute[0]!;
    out.push(finding(LOGS_FINDINGS.bruteForce, { subject: b.ip, detail: `${brute.length} address(es) with ≥20 failed logins; worst ${b.ip}: ${b.count} failures (${b.services.join(', ')}, ${b.users} user names) between ${b.first} and ${b.last}`, evidence: { clients: brute.slice(0, 5) } }));
  }
  if (r.authFailures.imapPop3 >= 10 && !brute.some((c) => c.services.some((s) => s !== 'smtp'))) {
    out.push(finding(LOGS_FINDINGS.dovecotAuth, { detail: `${r.authFailures.imapPop3} failed IMAP/POP3 logins`, evidence: { count: r.authFailures.imapPop3 } }));
  }
  let stuck = 0;
  for (const m of a.summary.inFlight.values()) if (m.deferred) stuck++;
  if (stuck >= 20) out.push(finding(LOGS_FINDINGS.pileUp, { detail: `${stuck} messages deferred and still undelivered at the end of the log (${r.totals.deferrals} deferrals in all)`, evidence: { stuck, deferrals: r.totals.deferrals } }));
  if (a.warnings.some((w) => /truncated|read error/.test(w))) out.push(finding(LOGS_FINDINGS.truncated, { detail: a.warnings.join('; ') }));
  const mailLines = a.parsed + a.unparsed;
  if (a.unparsed > 0 && a.unparsed / Math.max(1, mailLines) > 0.01) out.push(finding(LOGS_FINDINGS.unparsed, { detail: `${a.unparsed} of ${mailLines} lines not understood; run with --unparsed to see samples` }));
  const found = out.filter((f): f is Finding => !!f);
  if (!found.some((f) => f.severity !== 'info' && f.severity !== 'ok')) found.push(finding(LOGS_FINDINGS.ok));
  return found;
}
