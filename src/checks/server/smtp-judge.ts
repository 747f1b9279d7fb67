// Judges one SMTP session's facts into findings: how it failed (if it did), STARTTLS,
// AUTH before TLS, slow steps, software version. Pure: no I/O.
import type { Finding, FindingDef, Severity } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { PLAINTEXT_AUTH } from '../../parsers/smtp-ehlo.js';
import { detectSoftware } from '../../parsers/smtp-software.js';
import { vulnerabilitiesOf } from './vulnerable.js';
import type { SmtpFailure, SmtpProbeResult } from '../../probes/smtp/types.js';
import { SMTP as F } from './smtp-findings.js';

/** Steps judged for slowness: server replies, not TCP setup or TLS crypto. */
const TIMED = /^(greeting|ehlo|ehlo-tls|helo|starttls|mail|rcpt|rset)/;

/** The finding for a failed session, or undefined when it got at least through EHLO. */
export function failureFinding(r: SmtpProbeResult, subject: string): Finding | undefined {
  const f = r.failure;
  if (!f) return undefined;
  const evidence = { stage: f.stage, kind: f.kind, error: f.error, ...(f.code ? { reply: `${f.code} ${f.text ?? ''}`.trim() } : {}), ...(f.partial ? { received: f.partial } : {}), steps: r.steps };
  const def = failureDef(f);
  if (!def) return undefined;
  return finding(def, { subject, detail: explainFailure(f, r), evidence });
}

function failureDef(f: SmtpFailure): FindingDef | undefined {
  if (f.stage === 'connect') {
    if (f.kind === 'refused') return F.connectRefused;
    if (f.kind === 'timeout') return F.connectTimeout;
    if (f.kind === 'reset') return F.reset;
    return F.connectUnreachable;
  }
  if (f.stage === 'tls') return F.starttlsHandshake;
  switch (f.kind) {
    case 'reset': return F.reset;
    case 'closed': case 'error': return F.closed;
    case 'protocol': return F.protocolError;
    case 'timeout': return f.stage === 'greeting' ? F.greetingTimeout : F.commandTimeout;
    case 'rejected':
      if (f.stage === 'greeting') return F.greetingRefused;
      if (f.stage === 'ehlo' || f.stage === 'ehlo-tls') return F.heloRefused;
      return undefined; // MAIL/RCPT refusals are judged by the RCPT tests
    default: return F.closed;
  }
}

export function explainFailure(f: SmtpFailure, r: SmtpProbeResult): string {
  const where = `${r.address} port ${r.port}`;
  switch (f.kind) {
    case 'refused': return `${where} refused the TCP connection: the host is up but nothing listens there.`;
    case 'timeout':
      if (f.stage === 'connect') return `${where} did not answer the TCP connection (${f.error}).`;
      return `No complete reply at the ${f.stage} step: ${f.error}.${f.partial ? ` Received so far: "${f.partial}"` : ''}`;
    case 'unreachable': return `${where} is unreachable from here: ${f.error}.`;
    case 'reset': return `The connection was reset at the ${f.stage} step (${f.error}).`;
    case 'closed': return `The server closed the connection at the ${f.stage} step without a reply.`;
    case 'protocol': return `Not SMTP at the ${f.stage} step: ${f.error}.${f.partial ? ` First bytes: "${f.partial.slice(0, 80)}"` : ''}`;
    case 'rejected': return `The server answered ${f.code} ${f.text ?? ''} at the ${f.stage} step.`.trim();
    case 'tls': return `The TLS handshake failed: ${f.error}.`;
    default: return `${f.stage}: ${f.error}`;
  }
}

export interface SessionJudgeOptions {
  subject: string;
  slowMs: number;
}

/** Findings for an MX session that got through EHLO (ok and problems). */
export function judgeSession(r: SmtpProbeResult, o: SessionJudgeOptions): Finding[] {
  const out: Finding[] = [];
  const { subject } = o;
  const e = r.ehlo;
  if (!e && !r.ehloTls) return out;
  out.push(finding(F.reachable, {
      subject, detail: `220 greeting after ${r.greeting?.ms ?? '?'} ms, ${e?.command ?? 'EHLO'} ok; ${e?.caps?.raw.join(', ') || 'no extensions'}.`,
      evidence: { greeting: r.greeting?.lines, connectMs: r.connectMs, steps: r.steps, capabilities: e?.caps, capabilitiesTls: r.ehloTls?.caps },
  }));
  if (e?.ehloRefused) out.push(finding(F.ehloRefused, { subject, detail: `EHLO: ${e.ehloRefused.code} ${e.ehloRefused.text}; HELO accepted.` }));
  out.push(...starttlsFindings(r, subject));
  const plain = (e?.caps?.auth ?? []).filter((m) => PLAINTEXT_AUTH.has(m));
  if (plain.length) out.push(finding(F.authBeforeTls, { subject, detail: `Before TLS the server offers AUTH ${e!.caps!.auth.join(' ')}.`, evidence: { auth: e!.caps!.auth } }));
  out.push(...slowFindings(r, subject, o.slowMs));
  out.push(...softwareFindings(r, subject));
  return out;
}

function starttlsFindings(r: SmtpProbeResult, subject: string): Finding[] {
  const out: Finding[] = [];
  const s = r.starttls;
  if (s?.injected !== undefined) {
    out.push(finding(F.starttlsInjection, { subject, detail: `After "220" to STARTTLS the server sent: "${s.injected.slice(0, 120)}"`, evidence: { injected: s.injected } }));
  }
  if (!r.ehlo?.caps?.starttls) {
    if (r.ehlo) out.push(finding(F.starttlsMissing, { subject, detail: `EHLO lists: ${r.ehlo.caps?.raw.join(', ') || 'nothing'}.` }));
    return out;
  }
  if (!s?.reply) return out; // STARTTLS not attempted (probe run without it)
  if (s.reply.code !== 220) {
    out.push(finding(F.starttlsRefused, { subject, detail: `STARTTLS answered ${s.reply.code} ${s.reply.lines.join(' ')}.` }));
    return out;
  }
  if (s.handshake?.ok && r.ehloTls) {
    out.push(finding(F.starttlsOffered, {
      subject, detail: `${s.handshake.protocol ?? 'TLS'} ${s.handshake.cipher} in ${s.handshake.ms} ms.`,
      evidence: { protocol: s.handshake.protocol, cipher: s.handshake.cipher, handshakeMs: s.handshake.ms, capabilitiesTls: r.ehloTls.caps.raw },
    }));
  }
  return out;
}

export function slowSteps(r: SmtpProbeResult, slowMs: number): { step: string; ms: number }[] {
  return r.steps.filter((s) => TIMED.test(s.step) && s.ms > slowMs);
}

/** Slow steps as one finding; a postscreen-style delayed greeting as info instead. */
export function slowFindings(r: SmtpProbeResult, subject: string, slowMs: number, defs: { slow: FindingDef; delayed?: FindingDef } = { slow: F.slowReply, delayed: F.greetingDelayed }): Finding[] {
  let slow = slowSteps(r, slowMs);
  const out: Finding[] = [];
  const g = r.greeting;
  // postscreen: "220-" at once, the rest after its greet wait. Deliberate, so info.
  if (defs.delayed && g && g.lines.length > 1 && g.firstLineMs <= slowMs && g.ms > slowMs) {
    out.push(finding(defs.delayed, { subject, detail: `First "220-" line after ${g.firstLineMs} ms, the complete greeting after ${g.ms} ms.` }));
    slow = slow.filter((s) => s.step !== 'greeting');
  }
  if (!slow.length) return out;
  out.push(finding(defs.slow, {
    subject, detail: `${slow.map((s) => `${s.step} ${s.ms} ms`).join(', ')} (threshold ${slowMs} ms).`, evidence: { slow, threshold: slowMs, steps: r.steps },
  }));
  return out;
}

export function softwareFindings(r: SmtpProbeResult, subject: string): Finding[] {
  const sw = detectSoftware([r.greeting?.lines.join(' '), r.ehlo?.lines[0], r.ehloTls?.lines[0]]);
  if (!sw?.version) {
    return [finding(F.versionHidden, { subject, detail: sw ? `${sw.name}, version not shown ("${sw.from.slice(0, 80)}").` : 'The banner names no software or version.', evidence: sw ? { software: sw.name } : undefined })];
  }
  const vulns = vulnerabilitiesOf(sw.name, sw.version);
  if (!vulns.length) return [finding(F.software, { subject, detail: `${sw.name} ${sw.version}: no known vulnerable range matches.`, evidence: { software: sw.name, version: sw.version, from: sw.from } })];
  const severity: Severity = vulns.some((v) => v.severity === 'critical' && !v.condition) ? 'critical' : 'warning';
  return [finding(F.vulnerable, {
    subject, severity,
    detail: `${sw.name} ${sw.version}: ${vulns.map((v) => `${v.cve.join(', ')} (${v.title}${v.condition ? `; ${v.condition}` : ''})`).join('; ')}.`,
    evidence: { software: sw.name, version: sw.version, from: sw.from, vulnerabilities: vulns },
  })];
}
