// The shapes of a test send (the issue-5 contract shared with the round-trip helper):
// what to compose, what to submit, and the facts one submission gathered.
import type { Finding } from '../core/finding.js';
import type { Clock } from '../io/clock.js';
import type { NetClient } from '../io/net.js';
import type { TranscriptLine } from '../probes/transcript.js';

export interface ComposeOptions {
  from: string;
  to: string[];
  subject?: string;
  /** Extra headers, in order (`--header "Name: value"`). */
  headers?: [string, string][];
  text?: string;
  attachments?: { filename: string; content: Buffer }[];
  /** A whole message (--data-file): sent as is, plus the token header when absent. */
  raw?: Buffer;
  /** 32 hex digits; random when absent. */
  token?: string;
  date?: Date;
}

export interface ComposedMessage {
  raw: Buffer;
  /** `<mxd-<token>@<domain>>`, or the raw message's own Message-ID ('' when it has none). */
  messageId: string;
  token: string;
}

export type SendSecurity = 'starttls' | 'implicit' | 'none';
export type QuitAfter = 'connect' | 'greeting' | 'ehlo' | 'tls' | 'auth' | 'mail' | 'rcpt';
export const QUIT_AFTER: readonly QuitAfter[] = ['connect', 'greeting', 'ehlo', 'tls', 'auth', 'mail', 'rcpt'];

export interface SubmitRequest {
  host: string;
  port: number;
  security: SendSecurity;
  from: string;
  to: string[];
  message: Buffer;
  auth?: { user: string; password: string };
  heloName?: string;
  /** SNI and the name the certificate is checked against (default: host). */
  servername?: string;
  /** Extra trust anchors (PEM) beside the system store. */
  ca?: Buffer[];
  /** Per step: connect, greeting, each command, the TLS handshake, the final reply (default 30 s). */
  stepTimeoutMs?: number;
  quitAfter?: QuitAfter;
  /** Send credentials over an unencrypted or unverified connection to a host that is not loopback (--insecure). */
  insecure?: boolean;
  /** The older name of `insecure` (--allow-plaintext-auth). */
  allowPlaintextAuth?: boolean;
  /** Stop before AUTH and MAIL when the certificate is not trusted (default: go on, with a warning). */
  tlsVerify?: boolean;
}

export interface SubmitDeps {
  net: NetClient;
  clock?: Clock;
  /** Addresses of a host name (A, AAAA); throws when the lookup could not be made; [] when there are none. */
  resolve?: (host: string) => Promise<string[]>;
}

export interface StepRecord {
  /** connect, greeting, ehlo, helo, starttls, tls, ehlo-after-tls, auth, mail, rcpt, data, body, quit */
  step: string;
  ms: number;
  /** First line of the server's reply, with its code. */
  reply?: string;
  /** The recipient of a `rcpt` step. */
  address?: string;
}

export type FailureKind =
  | 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'error' | 'lookup' | 'no-address'
  | 'tls' | 'tls-not-offered' | 'untrusted'
  | 'auth' | 'auth-not-offered' | 'plaintext-auth' | 'untrusted-auth'
  | 'rejected' | 'too-large' | 'no-recipients' | 'protocol';

export interface SendFailure {
  step: string;
  kind: FailureKind;
  /** The server's whole reply (lines joined by a space), when it answered. */
  reply?: string;
  error?: string;
}

export interface FinalReply {
  code: number;
  enhanced?: string;
  text: string;
}

export interface SubmitResult {
  accepted: boolean;
  queueId?: string;
  finalReply?: FinalReply;
  steps: StepRecord[];
  tls?: { protocol?: string; cipher?: string; authorized: boolean; authorizationError?: string };
  acceptedRecipients: string[];
  rejectedRecipients: { address: string; reply: string }[];
  failure?: SendFailure;
  /** The address actually connected to. */
  address?: string;
  /** Extension lines of both EHLO replies (before TLS, and again inside it: RFC 3207 §4.2). */
  ehlo?: { before?: string[]; afterTls?: string[] };
  /** Size of the message as sent, in octets (RFC 1870 §3: CRLFs counted, stuffing dots not). */
  size: number;
  /** The step --quit-after stopped at, when it did. */
  quitAfter?: QuitAfter;
  /** Credentials went over an unencrypted connection (loopback, or --insecure). */
  plaintextAuth?: boolean;
  /** Credentials went over a connection the rule refuses, because of --insecure. */
  insecureAuth?: boolean;
  startedAt: string;
  totalMs: number;
  transcript: TranscriptLine[];
  findings: Finding[];
}
