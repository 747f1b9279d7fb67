// What a round trip needs (one destination), the I/O it is given, and the facts it reports
// (`report.facts.roundtrip`, the issue-5 contract). Never holds a secret in the facts.
import type { Clock } from '../io/clock.js';
import type { NetClient } from '../io/net.js';
import type { Resolver } from '../io/resolver.js';
import type { ComposedMessage, ComposeOptions, SendSecurity, SubmitDeps, SubmitRequest, SubmitResult } from '../send/types.js';
import type { AuthResults } from './auth-results.js';
import type { FolderRole } from './folder-role.js';
import type { ChainHop } from './received-chain.js';
import type { SpamVerdict } from './spam-headers.js';
import type { OwnVerification } from './verify.js';
import type { ImapTarget, MailboxSession, OpenFailure } from './mailbox.js';

export interface RoundtripRequest {
  /** A name for the destination (config `name`, else the --to address). */
  name: string;
  send: {
    host: string;
    port: number;
    security: SendSecurity;
    from: string;
    to: string;
    auth?: { user: string; password: string };
    heloName?: string;
    subject?: string;
    /** Extra header fields (`--header`), e.g. to exercise the receiver's filters. */
    headers?: [string, string][];
    stepTimeoutMs?: number;
  };
  imap: {
    host: string;
    port: number;
    security: 'implicit' | 'starttls' | 'none';
    user: string;
    password: string;
    insecure?: boolean;
    timeoutMs?: number;
  };
  /** Seconds from the submission's final reply until we give up (default 120). */
  deadlineSeconds: number;
  /** First wait between two searches, in ms (default 1000); grows ×1.5 up to 15 s. */
  pollMs: number;
  /** Delivery slower than this many seconds is a warning (default 60). */
  slowSeconds: number;
  delete: boolean;
  /** Extra trust anchors (PEM), for the submission and the IMAP server. */
  ca?: string[];
}

export type ComposeFn = (o: ComposeOptions) => Promise<ComposedMessage>;
export type SubmitFn = (req: SubmitRequest, deps: SubmitDeps) => Promise<SubmitResult>;
export type OpenMailboxFn = (t: ImapTarget) => Promise<{ ok: true; session: MailboxSession } | OpenFailure>;

export interface RoundtripDeps {
  compose: ComposeFn;
  submit: SubmitFn;
  openMailbox?: OpenMailboxFn;
  net: NetClient;
  resolver: Resolver;
  clock: Clock;
  /** false: judge a loopback IMAP server like a remote one (tests of the credential rule; default true). */
  loopbackExempt?: boolean;
  /** Waits; tests pass one that advances a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  loopbackOnly?: boolean;
}

export interface DeliveryFacts {
  delivered: boolean;
  folder?: string;
  folderRole?: FolderRole;
  specialUse?: string;
  uid?: number;
  /** Seconds from the submission's final reply to delivery. */
  deliverySeconds?: number;
  /** What "delivery" was measured by: the server's INTERNALDATE, or when we first saw it. */
  deliveryBasis?: 'internaldate' | 'first-seen';
  internalDate?: string;
  firstSeenAt?: string;
  /** Searches made, and the folders searched on the last one. */
  polls: number;
  foldersSearched: string[];
}

export interface RoundtripFacts extends DeliveryFacts {
  token?: string;
  messageId?: string;
  send?: Record<string, unknown>;
  imap: { server: string; user: string; security: string; tls?: { protocol?: string; cipher?: string; authorized: boolean }; capabilities?: string[] };
  deadlineSeconds: number;
  received: ChainHop[];
  authenticationResults: AuthResults[];
  spam: SpamVerdict[];
  verification?: OwnVerification;
  deleted?: { ok: boolean; method: string };
}
