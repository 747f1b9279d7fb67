// `mxdoctor roundtrip`: send a message with a unique token, find it over IMAP in the
// recipient's mailbox, say where it landed, how fast, by which path and how it
// authenticated. One destination from flags, or several from `--config file.yaml`.
import { readUpTo } from '../../io/files.js';
import { UsageError } from '../../core/errors.js';
import { loadConfig } from '../../config/load.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { renderRoundtripSummary, renderRoundtripTable } from '../../report/roundtrip-text.js';
import { DEFAULTS } from '../../roundtrip/defaults.js';
import { roundtrips } from '../../services/roundtrip.js';
import { parseResolvers, readCaFiles } from '../options.js';
import { useColor, write } from '../output.js';
import { requestFromFlags } from './roundtrip-flags.js';
import type { RoundtripFlags } from './roundtrip-flags.js';

export interface RoundtripCommandOptions extends RoundtripFlags {
  config?: string;
  concurrency?: number;
  resolver?: string[];
  timeout?: number;
  ignore?: string[];
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

/** Flags that describe one destination: with --config the file does. */
const DESTINATION_FLAGS = ['server', 'from', 'to', 'imapServer', 'imapUser', 'authUser', 'passwordFile', 'imapPasswordFile', 'tls', 'imapTls', 'subject', 'header', 'ehlo'] as const;

export async function roundtripCommand(o: RoundtripCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let requests;
  let concurrency = o.concurrency ?? DEFAULTS.concurrency;
  if (o.config) {
    const clash = DESTINATION_FLAGS.find((k) => o[k] !== undefined);
    if (clash) throw new UsageError(`--config describes the destinations: leave out --${clash.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} (or drop --config)`);
    const config = loadConfig(o.config, { readText: (p) => readUpTo(p, 2 * 1024 * 1024).data.toString('utf8'), env });
    if (!config.roundtrip) throw new UsageError(`${o.config}: no "roundtrip:" section (see docs/config.md)`);
    requests = config.roundtrip.destinations;
    concurrency = o.concurrency ?? config.roundtrip.concurrency;
    const extraCa = readCaFiles(o.ca) ?? [];
    // Flags given beside --config tune this run: they win over the file's values.
    requests = requests.map((r) => ({
      ...r,
      ...(extraCa.length ? { ca: [...(r.ca ?? []), ...extraCa] } : {}),
      ...(o.deadline !== undefined ? { deadlineSeconds: o.deadline } : {}), ...(o.poll !== undefined ? { pollMs: o.poll } : {}),
      ...(o.slow !== undefined ? { slowSeconds: o.slow } : {}), ...(o.delete ? { delete: true } : {}),
      send: { ...r.send, ...(o.stepTimeout ? { stepTimeoutMs: o.stepTimeout } : {}) },
      imap: { ...r.imap, ...(o.insecure ? { insecure: true } : {}), ...(o.imapTimeout ? { timeoutMs: o.imapTimeout } : {}) },
    }));
  } else {
    requests = [requestFromFlags(o, env)];
  }
  const reports = await roundtrips(requests, { servers: parseResolvers(o.resolver), dnsTimeoutMs: o.timeout, concurrency, ignore: o.ignore });
  if (o.json) write(renderJson(reports));
  else {
    const color = useColor(o);
    if (reports.length > 1) write(renderRoundtripTable(reports));
    else write(renderRoundtripSummary(reports[0]!, color));
    write(renderText(reports, { color, verbose: o.verbose }));
  }
  return worstExit(reports);
}
