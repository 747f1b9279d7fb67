// The one rule for sending a password (send, roundtrip's SMTP and IMAP, imap/pop3 login
// tests): only over TLS whose certificate verified, or to a loopback address (the password
// never leaves the machine); anything else only with --insecure, and the output says so.
// RFC 8314 §3.3 (no cleartext credentials) and §4.3 (a client must verify the certificate):
// an unverified certificate hands the password to whoever sits in the middle.
import { isLoopback } from '../io/net.js';

export interface CredentialPath {
  /** The host name given (loopback by name counts: "localhost"). */
  host: string;
  /** The address actually connected to. */
  address?: string;
  /** The TLS session, when there is one. */
  tls?: { authorized: boolean; authorizationError?: string };
  /** The user's explicit override (--insecure). */
  insecure?: boolean;
  /** false: judge a loopback host like a remote one (tests of the rule; default true). */
  loopbackExempt?: boolean;
}

export type CredentialVerdict =
  | { ok: true; via: 'verified-tls' | 'loopback' | 'insecure'; note?: string }
  | { ok: false; kind: 'plaintext' | 'untrusted'; reason: string };

export function credentialVerdict(p: CredentialPath): CredentialVerdict {
  if (p.tls?.authorized) return { ok: true, via: 'verified-tls' };
  if (p.loopbackExempt !== false && (isLoopback(p.host) || (p.address !== undefined && isLoopback(p.address)))) return { ok: true, via: 'loopback' };
  const what = p.tls
    ? `the certificate did not verify (${p.tls.authorizationError ?? 'not trusted'})`
    : 'the connection is not encrypted';
  if (p.insecure) return { ok: true, via: 'insecure', note: `--insecure: the password was sent although ${what}` };
  return {
    ok: false, kind: p.tls ? 'untrusted' : 'plaintext',
    reason: `${what}: the password was not sent (--insecure sends it anyway${p.tls ? '; --ca <pem> trusts a private CA' : ''})`,
  };
}
