// One round trip: open the recipient's mailbox (nothing is sent if that fails), send a
// message carrying a unique token, search every folder for it until the deadline, read
// the delivered copy, optionally delete it; one Report (kind 'roundtrip').
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { OperationPart, Report } from '../core/report.js';
import { operationReport } from '../core/report.js';
import { Redactor } from '../core/redact.js';
import { sendFacts } from '../send/facts.js';
import type { SubmitRequest, SubmitResult } from '../send/types.js';
import { analyseCopy } from './analyse.js';
import type { CopyAnalysis } from './analyse.js';
import { deleteFinding, deliveryFindings, sendFailed } from './delivery-findings.js';
import { folderRole } from './folder-role.js';
import { imapServerName, openImap } from './imap-open.js';
import { pollForToken } from './poll.js';
import type { PollResult } from './poll.js';
import { hostResolver } from './resolve-host.js';
import type { DeliveryFacts, RoundtripDeps, RoundtripFacts, RoundtripRequest } from './types.js';

/** INTERNALDATE has whole seconds and another machine's clock: trust it only this close to ours. */
const SKEW_MS = 5_000;

export async function runRoundtrip(req: RoundtripRequest, deps: RoundtripDeps, ignore?: (id: string) => boolean): Promise<Report> {
  const { clock } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const startedAt = clock.now();
  const facts: RoundtripFacts = {
    delivered: false, polls: 0, foldersSearched: [], deadlineSeconds: req.deadlineSeconds, received: [], authenticationResults: [], spam: [],
    imap: { server: imapServerName(req), user: req.imap.user, security: req.imap.security },
  };
  const parts: OperationPart[] = [];
  const rt: Finding[] = [];
  // Both passwords, in every form: the report (findings, evidence, facts) holds none of them.
  const redactor = Redactor.of(
    { value: req.imap.password, user: req.imap.user },
    ...(req.send.auth ? [{ value: req.send.auth.password, user: req.send.auth.user }] : []),
  );
  const done = () => {
    parts.push({ check: 'roundtrip', area: 'Round trip', findings: rt, durationMs: clock.now() - startedAt });
    return redactor.redactDeep(operationReport({ target: req.name, kind: 'roundtrip', startedAt: new Date(startedAt), durationMs: clock.now() - startedAt, parts, facts: { roundtrip: facts }, ignore }));
  };

  const opened = await openImap(req, deps);
  rt.push(...opened.findings);
  if (!opened.ok) return done();
  let session = opened.session;
  facts.imap.capabilities = session.capabilities.slice(0, 60);
  if (session.tls) facts.imap.tls = session.tls;
  try {
    // compose's default subject and body name the token and say the message can be deleted.
    const message = await deps.compose({
      from: req.send.from, to: [req.send.to], date: new Date(clock.now()), ...(req.send.subject ? { subject: req.send.subject } : {}),
      ...(req.send.headers?.length ? { headers: req.send.headers } : {}),
    });
    facts.token = message.token;
    facts.messageId = message.messageId;
    const s = req.send;
    const submitReq: SubmitRequest = {
      host: s.host, port: s.port, security: s.security, from: s.from, to: [s.to], message: message.raw, ...(s.auth ? { auth: s.auth } : {}),
      ...(s.heloName ? { heloName: s.heloName } : {}), ...(s.stepTimeoutMs ? { stepTimeoutMs: s.stepTimeoutMs } : {}),
      ...(req.ca?.length ? { ca: req.ca.map((c) => Buffer.from(c)) } : {}),
      // One override for both passwords: --insecure (the SMTP one follows the same rule).
      ...(req.imap.insecure ? { insecure: true } : {}),
    };
    const sent = await safely(() => deps.submit(submitReq, { net: deps.net, clock, resolve: hostResolver(deps.resolver) }), startedAt);
    const sentAt = clock.now();
    facts.send = sendFacts(submitReq, sent, message);
    parts.push({ check: 'send', area: 'Send', findings: sent.findings, durationMs: sent.totalMs });
    if (!sent.accepted) {
      rt.push(sendFailed(sent, `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`));
      return done();
    }
    const polled = await pollForToken(session, message.token, {
      clock, sleep, deadlineAt: sentAt + req.deadlineSeconds * 1000, pollMs: req.pollMs,
      roundTimeoutMs: (req.imap.timeoutMs ?? 15_000) * 4,
      reconnect: async () => {
        const again = await openImap(req, deps);
        if (!again.ok) throw new Error(again.findings[0]?.detail ?? 'reconnect failed');
        return again.session;
      },
    });
    session = polled.session;
    Object.assign(facts, delivery(polled, sentAt));
    rt.push(...deliveryFindings(facts, { deadlineSeconds: req.deadlineSeconds, slowSeconds: req.slowSeconds, queueId: sent.queueId, to: req.send.to, error: polled.error }));
    if (!polled.found) return done();
    const copy: CopyAnalysis = await analyseCopy(polled.found.raw, { from: req.send.from, imapHost: req.imap.host, resolver: deps.resolver, timeoutMs: 20_000 });
    Object.assign(facts, { received: copy.received, authenticationResults: copy.authenticationResults, spam: copy.spam, verification: copy.verification });
    rt.push(...copy.findings);
    if (req.delete) {
      const r = await session.remove(polled.found).catch((e: Error) => ({ ok: false, method: 'EXPUNGE' as const, error: e.message }));
      facts.deleted = { ok: r.ok, method: r.method };
      rt.push(deleteFinding(r, polled.found.folder.path));
    }
    return done();
  } finally {
    await session.close();
  }
}

function delivery(p: PollResult, sentAt: number): DeliveryFacts {
  const d: DeliveryFacts = { delivered: !!p.found, polls: p.polls, foldersSearched: p.foldersSearched };
  if (!p.found || p.firstSeenAt === undefined) return d;
  const f = p.found.folder;
  Object.assign(d, { folder: f.path, folderRole: folderRole(f.path, f.specialUse, f.delimiter), uid: p.found.uid, firstSeenAt: new Date(p.firstSeenAt).toISOString() });
  if (f.specialUse) d.specialUse = f.specialUse;
  const internal = p.found.internalDate ? Date.parse(p.found.internalDate) : NaN;
  d.internalDate = p.found.internalDate;
  // The server's own arrival time is the better measure, unless its clock disagrees with ours.
  if (!Number.isNaN(internal) && internal >= sentAt - SKEW_MS && internal <= p.firstSeenAt + SKEW_MS) {
    d.deliverySeconds = Math.max(0, Math.round((internal - sentAt) / 100) / 10);
    d.deliveryBasis = 'internaldate';
  } else {
    d.deliverySeconds = Math.max(0, Math.round((p.firstSeenAt - sentAt) / 100) / 10);
    d.deliveryBasis = 'first-seen';
  }
  return d;
}

/** submitMessage reports failures as values; anything it throws is still a failed send, not a crash. */
async function safely(submit: () => Promise<SubmitResult>, startedAt: number): Promise<SubmitResult> {
  try {
    return await submit();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return {
      accepted: false, steps: [], acceptedRecipients: [], rejectedRecipients: [], size: 0, transcript: [], findings: [],
      failure: { step: 'submit', kind: 'error', error: (e as Error).message }, startedAt: new Date(startedAt).toISOString(), totalMs: 0,
    };
  }
}
