// Why a handshake pinned to one TLS version failed: the server refused that version
// ("no"), our own OpenSSL would not do it or the network got in the way ("unknown").
// Error codes are Node's rendering of OpenSSL reasons (ERR_SSL_<REASON>).
import type { HandshakeFailure, Support } from './tls-probe.js';

/** The server said no: a protocol_version (70) or handshake_failure (40) alert, a lower/higher ServerHello, or a hang-up. */
const SERVER_REFUSED = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY', 'ERR_SSL_VERSION_TOO_LOW',
  'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'ERR_SSL_NO_SHARED_CIPHER', 'ECONNRESET', 'EPIPE',
]);

/** Our side refused before or after the ServerHello: the local OpenSSL policy, not the server. */
const LOCAL_REFUSAL = new Set([
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_CIPHERS_AVAILABLE', 'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED',
  'ERR_SSL_DH_KEY_TOO_SMALL', 'ERR_SSL_EE_KEY_TOO_SMALL', 'ERR_SSL_CA_MD_TOO_WEAK', 'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED',
]);

export function classifyVersionFailure(f: HandshakeFailure): { support: Support; reason: string } {
  if (f.kind === 'timeout') return { support: 'unknown', reason: f.error };
  if (f.code && LOCAL_REFUSAL.has(f.code)) return { support: 'unknown', reason: `this machine's OpenSSL would not complete it: ${f.error}` };
  if (f.code && SERVER_REFUSED.has(f.code)) return { support: 'no', reason: f.error };
  // Closed during the handshake without an alert: old servers answer an unwanted version so.
  if (f.kind === 'reset' || f.kind === 'closed' || /socket disconnected|socket hang up/i.test(f.error)) return { support: 'no', reason: f.error };
  if (/^server chose /.test(f.error)) return { support: 'no', reason: f.error };
  return { support: 'unknown', reason: f.error };
}
