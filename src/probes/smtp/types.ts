// Facts one SMTP session gathered: no judgement here (the checks judge).
import type { NetFailureKind } from '../../io/net.js';
import type { SmtpCapabilities } from '../../parsers/smtp-ehlo.js';
import type { Transcript } from '../transcript.js';

/** Where a session stopped, and why. */
export type SmtpStage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'tls' | 'ehlo-tls' | 'mail' | 'rcpt' | 'data';

/**
 * refused/timeout/unreachable/reset/closed/tls/error: the network or TLS layer;
 * rejected: the server answered with a 4xx/5xx where it had to say yes;
 * protocol: the bytes were not SMTP (non-SMTP banner, garbage, a line or reply over the caps).
 */
export type SmtpFailureKind = NetFailureKind | 'rejected' | 'protocol';

export interface SmtpFailure {
  stage: SmtpStage;
  kind: SmtpFailureKind;
  error: string;
  /** The reply, for `rejected`. */
  code?: number;
  text?: string;
  /** Start of what the server sent, for `protocol`. */
  partial?: string;
}

export interface SmtpReply {
  code: number;
  lines: string[];
  /** Milliseconds from sending the command (or connecting) to the last line. */
  ms: number;
  /** Milliseconds to the first line (a postscreen "220-" arrives at once, the rest later). */
  firstLineMs: number;
}

export interface StepTiming {
  step: string;
  ms: number;
}

export type RcptKind = 'postmaster' | 'relay';

export interface RcptResult {
  kind: RcptKind;
  address: string;
  code: number;
  text: string;
  ms: number;
}

export interface SmtpProbeResult {
  host: string;
  address: string;
  port: number;
  implicitTls: boolean;
  connectMs?: number;
  greeting?: SmtpReply;
  /** The EHLO (or HELO fallback) reply before TLS. */
  ehlo?: SmtpReply & { command: 'EHLO' | 'HELO'; caps?: SmtpCapabilities; ehloRefused?: { code: number; text: string } };
  starttls?: {
    /** The STARTTLS command's reply (absent with implicit TLS). */
    reply?: SmtpReply;
    /** Bytes the server sent after its 220 and before the handshake (RFC 3207 §4.2: must be none). */
    injected?: string;
    handshake?: { ok: true; protocol: string | null; cipher: string; ms: number; authorized: boolean; authorizationError?: string } | { ok: false; error: string; ms: number };
  };
  /** EHLO after TLS (STARTTLS or implicit). */
  ehloTls?: SmtpReply & { caps: SmtpCapabilities };
  rcpt?: { mailFrom: { code: number; text: string; ms: number }; results: RcptResult[] };
  failure?: SmtpFailure;
  steps: StepTiming[];
  transcript: Transcript;
  totalMs: number;
}

export interface SmtpProbeParams {
  /** Name for SNI and the transcript. */
  host: string;
  /** Address to connect to (the host name itself when not resolved beforehand). */
  address: string;
  port: number;
  /** TLS from the first byte (465). */
  implicitTls: boolean;
  heloName: string;
  /** Per-step timeout: CONNECT, GREETING, COMMAND and STARTTLS each get this much. */
  timeoutMs: number;
  /** Negotiate STARTTLS when offered (default true). */
  startTls?: boolean;
  /** RCPT tests, run after TLS when it worked; always followed by RSET, never DATA. */
  rcpt?: { kind: RcptKind; address: string }[];
}

export type { SmtpCapabilities };
