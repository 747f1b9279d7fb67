// `mxdoctor load <host[:port]>`: an SMTP load test (C10). Always bounded (--messages or
// --duration, under hard ceilings); a target that is not this machine needs --confirm
// repeating it; mail goes only to the --to addresses (on loopback a default that no
// server can deliver). Progress on stderr only on a terminal; Ctrl-C stops it cleanly.
import { UsageError } from '../../core/errors.js';
import { isLoopback } from '../../io/net.js';
import { CEILING } from '../../load/types.js';
import type { LoadSecurity, Progress } from '../../load/types.js';
import { renderJson } from '../../report/json.js';
import { renderLoad } from '../../report/load-text.js';
import { renderText } from '../../report/text.js';
import { checkEnvelope } from '../../send/limits.js';
import { loadTest } from '../../services/load.js';
import type { LoadRequest } from '../../services/load.js';
import { parseHostTarget } from '../host-target.js';
import { passwordFrom, SMTP_PASSWORD_ENV } from '../credentials.js';
import { parseResolvers } from '../options.js';
import { useColor, write, writeErr } from '../output.js';

export interface LoadOptions {
  messages?: number; duration?: number; concurrency?: number; rate?: string; size?: number; rcpts?: number; reuse?: number;
  tls?: string; authUser?: string; passwordFile?: string; from?: string; to?: string[]; confirm?: string; ramp?: boolean;
  ehlo?: string; stepTimeout?: number; maxReply?: number; maxErrors?: number; serverCores?: number; threads?: number;
  resolver?: string[]; timeout?: number; ignore?: string[]; json?: boolean; verbose?: boolean; color?: boolean; quiet?: boolean;
}

/** The only default recipient, on loopback targets: RFC 2606 .invalid, deliverable nowhere. */
export const LOOPBACK_DEFAULT_RCPT = 'load@mxdoctor.invalid';
const DEFAULT_FROM = 'load@mxdoctor.invalid';

export async function loadCommand(targetArg: string, o: LoadOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (o.messages === undefined && o.duration === undefined) {
    usage(`load: give a bound: --messages N (at most ${CEILING.messages.toLocaleString('en')}) or --duration S (at most ${CEILING.durationMs / 60_000} min); a load test never runs unbounded`);
  }
  const local = /^localhost(?::(\d{1,5}))?$/i.exec(targetArg.trim());
  const target = local ? { host: 'localhost', ...(local[1] ? { port: Number(local[1]) } : {}) } : parseHostTarget(targetArg);
  const loopback = isLoopback(target.host);
  if (!loopback && o.confirm?.toLowerCase() !== target.host.toLowerCase()) {
    usage(`load: ${target.host} is not this machine, and a load test is load on someone's server: run it only against a server you run or may test, and say so by repeating its name: --confirm ${target.host}`);
  }
  const to = o.to?.length ? o.to : loopback ? [LOOPBACK_DEFAULT_RCPT] : usage('load: name the recipients with --to <address> (repeatable): mxdoctor load sends only to addresses you name (the default recipient load@mxdoctor.invalid is used only on loopback)');
  const from = o.from ?? DEFAULT_FROM;
  checkEnvelope(from, to, o.ehlo);
  const security = securityOf(o.tls, target.port);
  const port = target.port ?? (security === 'implicit' ? 465 : 25);
  const auth = o.authUser ? { user: o.authUser, password: passwordFrom(o.passwordFile, '--password-file', SMTP_PASSWORD_ENV, env, `--auth-user ${o.authUser}`) } : undefined;
  if (!o.authUser && o.passwordFile) usage('--password-file needs --auth-user <user>');
  // RFC 4954 §4: PLAIN/LOGIN carry the password itself; only loopback may see it in clear.
  if (auth && security === 'none' && !loopback) usage('load: --auth-user without TLS would send the password in clear to another machine: use --tls starttls or implicit');
  const durationMs = o.duration;
  const req: LoadRequest = {
    host: target.host, port, security,
    ...(o.messages !== undefined ? { messages: o.messages } : {}), ...(durationMs !== undefined ? { durationMs } : {}),
    concurrency: o.concurrency ?? (o.ramp ? 50 : 1), ...(o.rate !== undefined ? { ratePerSecond: parseRate(o.rate) } : {}),
    sizeBytes: o.size ?? 5 * 1024, rcpts: o.rcpts ?? 1, reuse: o.reuse ?? 1, from, to,
    heloName: o.ehlo ?? 'mxdoctor.invalid', ...(auth ? { auth } : {}), stepTimeoutMs: o.stepTimeout ?? 30_000,
    ...(o.threads !== undefined ? { threads: o.threads } : {}), ramp: !!o.ramp, thresholds: { averageReplyMs: o.maxReply ?? 500, errorRate: (o.maxErrors ?? 0.1) / 100 },
  };
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const progress = !o.json && !o.quiet && process.stderr.isTTY ? progressLine : undefined;
  try {
    const { report, facts } = await loadTest(req, {
      servers: parseResolvers(o.resolver), dnsTimeoutMs: o.timeout, signal: ac.signal,
      ...(progress ? { onProgress: progress } : {}), ...(o.serverCores !== undefined ? { serverCores: o.serverCores } : {}), ...(o.ignore ? { ignore: o.ignore } : {}),
    });
    if (progress) writeErr('\r\x1b[K');
    if (o.json) write(renderJson([report]));
    else {
      const color = useColor(o);
      write(renderLoad(facts, color));
      write(renderText([report], { color, verbose: o.verbose }));
    }
    return report.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function progressLine(p: Progress): void {
  const eta = p.etaMs !== undefined ? `, ETA ${Math.ceil(p.etaMs / 1000)} s` : '';
  writeErr(`\r\x1b[K  ${p.done} done, ${p.failed} failed, ${Math.round(p.rate)}/s at concurrency ${p.concurrency}, ${(p.elapsedMs / 1000).toFixed(0)} s elapsed${eta}`);
}

function securityOf(tls: string | undefined, port: number | undefined): LoadSecurity {
  if (tls === undefined) return port === 465 ? 'implicit' : port === 587 ? 'starttls' : 'none';
  if (tls === 'starttls' || tls === 'implicit' || tls === 'none') return tls;
  return usage(`--tls ${tls}: expected starttls, implicit or none`);
}

/** "200", "200/s" → messages per second. */
function parseRate(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(v.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n <= CEILING.ratePerSecond)) usage(`--rate ${v}: expected messages per second, e.g. 200 or 200/s (at most ${CEILING.ratePerSecond})`);
  return n;
}

function usage(message: string): never {
  throw new UsageError(message);
}
