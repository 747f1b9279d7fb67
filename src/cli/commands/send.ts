// `mxdoctor send`: one test message through a submission server (swaks' job): compose it,
// submit it with our own SMTP client, print the steps with timings, the verdict with the
// queue id and the findings; --transcript shows the redacted session. Exit code from the report.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { systemClock } from '../../io/clock.js';
import { readUpTo } from '../../io/files.js';
import { renderJson } from '../../report/json.js';
import { sendTestMessage } from '../../services/send.js';
import { defaultPortFor, sendSecurityFor } from '../../roundtrip/defaults.js';
import { renderText } from '../../report/text.js';
import { composeMessage } from '../../send/compose.js';
import { MAX_MESSAGE_BYTES, checkEnvelope } from '../../send/limits.js';
import { renderSendSteps, renderSendTranscript } from '../../report/send-text.js';
import { QUIT_AFTER } from '../../send/types.js';
import type { QuitAfter, SendSecurity, SubmitRequest } from '../../send/types.js';
import { parseHostTarget } from '../host-target.js';
import { passwordFrom, SMTP_PASSWORD_ENV } from '../credentials.js';
import { parseResolvers, readCaFiles } from '../options.js';
import { useColor, write } from '../output.js';

export interface SendOptions {
  server?: string; from?: string; to?: string[]; tls?: string; authUser?: string; passwordFile?: string;
  subject?: string; header?: string[]; body?: string; bodyFile?: string; attach?: string[]; dataFile?: string;
  quitAfter?: string; ehlo?: string; ca?: string[]; stepTimeout?: number; resolver?: string[]; timeout?: number;
  allowPlaintextAuth?: boolean; insecure?: boolean; tlsVerify?: boolean; ignore?: string[]; deadline?: number;
  transcript?: boolean; json?: boolean; verbose?: boolean; color?: boolean;
}


export async function sendCommand(o: SendOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!o.server) throw new UsageError('send: give the submission server with --server <host[:port]>');
  if (!o.from) throw new UsageError('send: give the sender with --from <address>');
  if (!o.to?.length) throw new UsageError('send: give at least one recipient with --to <address>');
  // "localhost" is a single label, which parseHostTarget refuses for domains; here it is the usual test host.
  const local = /^localhost(?::(\d{1,5}))?$/i.exec(o.server.trim());
  const target = local ? { host: 'localhost', ...(local[1] ? { port: portOf(local[1], o.server) } : {}) } : parseHostTarget(o.server);
  const tls = securityFlag(o.tls);
  // Without a port, --tls implicit means 465 (RFC 8314 §3.3), else 587; without --tls, 465 means implicit.
  const port = target.port ?? defaultPortFor(tls, 'send');
  const security = tls ?? sendSecurityFor(port);
  checkEnvelope(o.from, o.to, o.ehlo);
  const quitAfter = o.quitAfter === undefined ? undefined : QUIT_AFTER.includes(o.quitAfter as QuitAfter) ? (o.quitAfter as QuitAfter)
    : usage(`--quit-after ${o.quitAfter}: expected one of ${QUIT_AFTER.join(', ')}`);
  const auth = credentials(o, env);
  const clock = systemClock;
  const started = new Date(clock.now());
  if (o.dataFile && (o.subject || o.header?.length || o.body || o.bodyFile || o.attach?.length)) {
    throw new UsageError('--data-file sends a whole message as is: leave out --subject, --header, --body, --body-file and --attach');
  }
  if (o.body !== undefined && o.bodyFile) throw new UsageError('give --body or --body-file, not both');
  const message = await composeMessage({
    from: o.from, to: o.to, subject: o.subject, headers: (o.header ?? []).map(parseHeader), date: started,
    ...(o.dataFile ? { raw: readCapped(o.dataFile, '--data-file') } : {}),
    text: o.bodyFile ? readCapped(o.bodyFile, '--body-file').toString('utf8') : o.body,
    attachments: (o.attach ?? []).map((f) => ({ filename: basename(f), content: readCapped(f, '--attach') })),
  });
  const req: SubmitRequest = {
    host: target.host, port, security, from: o.from, to: o.to, message: message.raw,
    ...(auth ? { auth } : {}), ...(o.ehlo ? { heloName: o.ehlo } : {}), ...(quitAfter ? { quitAfter } : {}),
    ca: (readCaFiles(o.ca) ?? []).map((pem) => Buffer.from(pem)), stepTimeoutMs: o.stepTimeout,
    insecure: !!(o.insecure || o.allowPlaintextAuth), tlsVerify: o.tlsVerify,
  };
  const { report, result: r } = await sendTestMessage(req, message, {
    servers: parseResolvers(o.resolver), dnsTimeoutMs: o.timeout, ignore: o.ignore, transcript: o.transcript || o.verbose,
    deadlineMs: o.deadline, clock,
  });
  if (o.json) write(renderJson([report]));
  else {
    const color = useColor(o);
    write(renderSendSteps(req, r, color));
    write(renderText([report], { color, verbose: o.verbose }));
    if (o.transcript || o.verbose) write(renderSendTranscript(r));
  }
  return report.exitCode;
}

function portOf(p: string, input: string): number {
  const n = Number(p);
  return n >= 1 && n <= 65535 ? n : usage(`${input}: port must be 1-65535`);
}

function usage(message: string): never {
  throw new UsageError(message);
}

function securityFlag(tls: string | undefined): SendSecurity | undefined {
  if (tls === undefined) return undefined;
  if (tls === 'starttls' || tls === 'implicit' || tls === 'none') return tls;
  return usage(`--tls ${tls}: expected starttls, implicit or none`);
}

/** The password only from the environment or a file: a flag value shows in `ps` and shell history. */
function credentials(o: SendOptions, env: NodeJS.ProcessEnv): { user: string; password: string } | undefined {
  if (!o.authUser) {
    if (o.passwordFile) usage('--password-file needs --auth-user <user>');
    return undefined;
  }
  return { user: o.authUser, password: passwordFrom(o.passwordFile, '--password-file', SMTP_PASSWORD_ENV, env, `--auth-user ${o.authUser}`) };
}

/** `--header "Name: value"` (send and roundtrip): one RFC 5322 field on one line. */
export function parseHeader(h: string): [string, string] {
  const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(h);
  if (!m || /[\r\n]/.test(h)) usage(`--header ${JSON.stringify(h)}: expected "Name: value" on one line`);
  return [m![1]!, m![2]!];
}

function readCapped(path: string, flag: string): Buffer {
  try {
    if (path !== '-' && !statSync(path).isFile()) usage(`${flag} ${path}: not a regular file`);
    const { data, truncated } = readUpTo(path === '-' ? 0 : path, MAX_MESSAGE_BYTES);
    if (truncated) usage(`${flag} ${path}: larger than ${MAX_MESSAGE_BYTES / 1048576} MB, the most a test send carries`);
    return data;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return usage(`${flag} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
