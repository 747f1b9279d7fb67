// Which mail server the in-process lab runs on which address: every MX address of every
// demo domain gets one, so the demo's server probes find a server, not a closed port.
// The zone files choose the profile with "@lab mail ADDRESS PROFILE"; undeclared addresses
// run a healthy SMTP-only MX ("mx"). Pure: data in, plan out.
import type { ServicePorts } from '../core/check.js';
import type { ZoneRecord } from './zone-file.js';
import type { SmtpBehaviour } from './smtp-server.js';

export type MailService = keyof ServicePorts;

export interface MailProfile {
  /** One line for the demo intro. */
  description: string;
  services: MailService[];
  /** Base name of the certificate in src/lab/certs/ (mail = every demo MX name, valid to 2124). */
  cert: 'mail' | 'mail-expired';
  smtp: SmtpBehaviour;
}

const OK_SMTP: SmtpBehaviour = { starttls: true, authBeforeTls: false, openRelay: false, greetingDelayMs: 0 };

export const MAIL_PROFILES = {
  full: { description: 'healthy: SMTP, submission (STARTTLS, implicit TLS), IMAP and POP3 (STARTTLS, implicit TLS)', services: ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s'], cert: 'mail', smtp: OK_SMTP },
  mx: { description: 'healthy SMTP', services: ['smtp'], cert: 'mail', smtp: OK_SMTP },
  'open-relay': { description: 'SMTP open relay (accepts RCPT for any domain, refuses DATA)', services: ['smtp'], cert: 'mail', smtp: { ...OK_SMTP, openRelay: true } },
  'expired-cert': { description: 'SMTP with an expired certificate', services: ['smtp'], cert: 'mail-expired', smtp: OK_SMTP },
  'auth-before-tls': { description: 'SMTP + submission offering AUTH before STARTTLS', services: ['smtp', 'submission'], cert: 'mail', smtp: { ...OK_SMTP, authBeforeTls: true } },
  'no-starttls': { description: 'SMTP without STARTTLS', services: ['smtp'], cert: 'mail', smtp: { ...OK_SMTP, starttls: false } },
  // Above the checks' 500 ms slow-reply threshold, short enough to keep the demo quick.
  'slow-greeting': { description: 'SMTP greeting after 1800 ms', services: ['smtp'], cert: 'mail', smtp: { ...OK_SMTP, greetingDelayMs: 1800 } },
} satisfies Record<string, MailProfile>;
export type MailProfileName = keyof typeof MAIL_PROFILES;

export interface MailHostPlan {
  address: string;
  /** The MX host name the address belongs to: greeting name, certificate name. */
  host: string;
  profile: MailProfileName;
  /** Domains whose MX is this host: the server accepts their recipients. */
  domains: string[];
}

export function isMailProfile(s: string): s is MailProfileName {
  return Object.hasOwn(MAIL_PROFILES, s);
}

/** One plan per MX address of the demo domains; ::1 only when `ipv6`. */
export function planMailServers(records: ZoneRecord[], demoDomains: string[], profiles: Record<string, string>, ipv6: boolean): MailHostPlan[] {
  const plans = new Map<string, MailHostPlan>();
  const mxHosts = new Map<string, string[]>();
  for (const r of records) {
    if (r.type !== 'MX') continue;
    const host = (r.data as { exchange: string }).exchange;
    if (host) mxHosts.set(host, [...(mxHosts.get(host) ?? []), r.name]);
  }
  for (const domain of demoDomains) {
    for (const r of records.filter((x) => x.type === 'MX' && x.name === domain)) {
      const host = (r.data as { exchange: string }).exchange;
      const addresses = records.filter((x) => x.name === host && (x.type === 'A' || x.type === 'AAAA')).map((x) => String(x.data));
      for (const address of addresses) {
        if (address.includes(':') && (!ipv6 || address !== '::1')) continue;
        if (!address.includes(':') && !/^127\./.test(address)) continue; // loopback only
        if (plans.has(address)) continue;
        const declared = profiles[address];
        const profile = declared && isMailProfile(declared) ? declared : 'mx';
        plans.set(address, { address, host, profile, domains: [...new Set(mxHosts.get(host) ?? [])] });
      }
    }
  }
  return [...plans.values()];
}

/**
 * The lab's SMTP servers listen on a random port, not 25, and TLSA records live at
 * _<port>._tcp.<host> (RFC 6698 §3): copy every _25._tcp record to the lab's port so
 * the tlsa family compares the records the zones publish with the certificates served.
 */
export function tlsaForPort(records: ZoneRecord[], port: number): ZoneRecord[] {
  if (port === 25) return [];
  return records.filter((r) => r.type === 'TLSA' && r.name.startsWith('_25._tcp.')).map((r) => ({ ...r, name: `_${port}._tcp.${r.name.slice('_25._tcp.'.length)}` }));
}
