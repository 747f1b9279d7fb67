// Defaults shared by the command line and the config file, so both mean the same thing.
import type { SendSecurity } from '../send/types.js';

export const DEFAULTS = {
  deadlineSeconds: 120,
  pollMs: 1000,
  slowSeconds: 60,
  concurrency: 4,
  sendPort: 587,
  imapPort: 993,
} as const;

/** RFC 8314 §3.3: 465 is implicit TLS; anything else starts in clear and upgrades. */
export function sendSecurityFor(port: number): SendSecurity {
  return port === 465 ? 'implicit' : 'starttls';
}

/** 993 is implicit TLS (RFC 8314 §3.3); 143 and other ports use STARTTLS (RFC 9051 §6.2.1). */
export function imapSecurityFor(port: number): 'implicit' | 'starttls' {
  return port === 993 ? 'implicit' : 'starttls';
}

export function defaultPortFor(security: string | undefined, kind: 'send' | 'imap'): number {
  if (kind === 'send') return security === 'implicit' ? 465 : DEFAULTS.sendPort;
  return security === 'starttls' || security === 'none' ? 143 : DEFAULTS.imapPort;
}
