// `mxdoctor smtp <host[:port]>`: the SMTP dialogue with one server (25 by default, 587
// as submission, 465 with implicit TLS), printed as a report; --transcript shows the
// redacted session with timings. --intrusive --rcpt <address> adds the SMTP smuggling
// test, which sends one small message to that address on that host only.
import { smtpHostCheck } from '../../checks/server/smtp-host.js';
import { UsageError } from '../../core/errors.js';
import { normalizeDomain } from '../../core/domain-name.js';
import { parseHostTarget, runHostCommand } from '../host-target.js';
import type { HostCommandOptions } from '../host-target.js';

export interface SmtpCommandOptions extends HostCommandOptions {
  /** Domain whose postmaster@ is tested. */
  domain?: string;
  rcpt?: string;
}

export async function smtpCommand(inputs: string[], o: SmtpCommandOptions): Promise<number> {
  const targets = inputs.map((i) => parseHostTarget(i));
  if (o.intrusive) {
    if (!o.rcpt) throw new UsageError('--intrusive needs --rcpt <address>: a recipient on your own server that may receive one test message');
    if (targets.length !== 1) throw new UsageError('--intrusive tests exactly one host: name only the server you run');
    if (!/^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/.test(o.rcpt)) throw new UsageError(`--rcpt ${o.rcpt}: give a plain address, e.g. you@example.com`);
  } else if (o.rcpt) {
    throw new UsageError('--rcpt is only used with --intrusive (the SMTP smuggling test)');
  }
  const domain = o.domain ? normalizeDomain(o.domain) : undefined;
  const check = smtpHostCheck(domain ? { domain } : {});
  return runHostCommand(targets, check, { ...o, ...(o.intrusive ? { intrusive: true, intrusiveRcpt: o.rcpt } : {}) });
}
