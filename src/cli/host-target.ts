// `mxdoctor imap|pop3|lmtp host[:port]`: parse the target, run the host checks through
// the same runner as `check`, print the report and, with --transcript, each session.
import net from 'node:net';
import type { Check, HostTarget } from '../core/check.js';
import { UsageError } from '../core/errors.js';
import { normalizeDomain } from '../core/domain-name.js';
import type { Report } from '../core/report.js';
import { Redactor } from '../core/redact.js';
import { probeHosts } from '../services/probe-host.js';
import { renderJson, worstExit } from '../report/json.js';
import { renderText } from '../report/text.js';
import { useColor, write } from './output.js';
import type { CheckCommandOptions } from './commands/check.js';

/** "host", "host:port", "[v6]:port", "192.0.2.1:993" or a bare IPv6 address. */
export function parseHostTarget(input: string, requirePort = false): HostTarget {
  const s = input.trim();
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? (net.isIPv6(s) ? [s, s, undefined] : /^([^:\s]+)(?::(\d+))?$/.exec(s));
  if (!m || !m[1]) throw new UsageError(`${input}: give a host name or address with an optional port, e.g. mail.example.com:993 or [2001:db8::1]:143`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError(`${input}: port must be 1-65535`);
  if (requirePort && port === undefined) throw new UsageError(`${input}: give the port too, e.g. ${m[1]}:24 (LMTP has no standard port)`);
  const host = net.isIP(m[1]) ? m[1].toLowerCase() : normalizeDomain(m[1]);
  return { kind: 'host', host, ...(port !== undefined ? { port } : {}), input };
}

export interface HostCommandOptions extends CheckCommandOptions {
  transcript?: boolean;
}

/** `redactor`: the secrets of this run (login credentials), removed from every report before it is shown. */
export async function runHostCommand(targets: HostTarget[], check: Check<HostTarget>, o: HostCommandOptions, redactor: Redactor = Redactor.none): Promise<number> {
  const reports = redactor.redactDeep(await probeHosts(targets, [check], o));
  write(o.json ? renderJson(reports) : renderText(reports, { color: useColor(o), verbose: o.verbose }));
  if (o.transcript && !o.json) write(renderTranscripts(reports));
  return worstExit(reports);
}

/** The session transcripts the summary findings carry (credentials were never recorded). */
export function renderTranscripts(reports: Report[]): string {
  const out: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const lines = f.evidence?.transcript;
      if (!Array.isArray(lines)) continue;
      out.push(`Transcript ${f.subject ?? r.target}:`, ...lines.map((l) => `  ${String(l)}`), '');
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
