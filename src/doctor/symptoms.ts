// The symptoms `mxdoctor doctor` diagnoses: for each, the check families that can explain
// it, the server roles whose findings matter, and where to look next when nothing is found.
import type { Role } from '../checks/server/endpoints.js';

export const SYMPTOMS = ['cannot-receive', 'cannot-send', 'slow', 'client-cannot-connect', 'spam-folder'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export interface SymptomDef {
  title: string;
  /** Check families run for this symptom (src/checks/index.ts). */
  families: string[];
  /** Findings about server endpoints count only for these roles (port 25 = mx). */
  roles: Role[];
  /** Commands to try when the checks explain nothing (or as the next step). */
  nextSteps: string[];
}

export const SYMPTOM_DEFS: Record<Symptom, SymptomDef> = {
  'cannot-receive': {
    title: 'mail sent to this domain does not arrive',
    families: ['mx', 'ns', 'dnssec', 'smtp', 'tls', 'cert', 'dane', 'tlsa', 'mta-sts'],
    roles: ['mx'],
    nextSteps: [
      'Read the bounce the sender got: `mxdoctor explain "<the bounce text>"`.',
      'Follow one test message through the server: `mxdoctor logs --trace <address> /var/log/mail.log`.',
      'On the server: full disk or queue (`mxdoctor check --local`), mailbox quota (`mxdoctor logs`).',
      'End to end: `mxdoctor roundtrip` from an outside account to a mailbox of this domain.',
    ],
  },
  'cannot-send': {
    title: 'mail sent from this domain bounces or is rejected',
    families: ['mx', 'spf', 'dkim', 'dmarc', 'ptr', 'dnsbl', 'ns', 'dnssec', 'smtp'],
    roles: ['mx'],
    nextSteps: [
      'Read the bounce or the reject reply: `mxdoctor explain "<the text>"`.',
      'Give the address your mail really leaves from: `--ip <sending-ip>` (SPF verdict and blacklists for it).',
      'Add your mail log: `--log /var/log/mail.log` (blocklist refusals, port 25 timeouts, DNS failures).',
      'Look at the queue: `mxdoctor queue`.',
    ],
  },
  slow: {
    title: 'mail takes long to arrive or to leave',
    families: ['mx', 'ns', 'ptr', 'dnsbl', 'smtp', 'submission', 'tls'],
    roles: ['mx', 'submission'],
    nextSteps: [
      'Per-destination delays and deferral reasons: `mxdoctor logs /var/log/mail.log` (or `--log` here).',
      'Deferred messages waiting: `mxdoctor queue`.',
      'Measure one delivery end to end: `mxdoctor roundtrip` (per-hop delays from the Received chain).',
    ],
  },
  'client-cannot-connect': {
    title: 'mail apps cannot connect to send or read mail',
    families: ['submission', 'imap', 'pop3', 'tls', 'cert'],
    roles: ['submission', 'mailbox'],
    nextSteps: [
      'Name the servers your users configure: `--submission-host <host>` and `--imap-host <host>`.',
      'Test a login: `mxdoctor imap <host> --credentials <file>`; a send: `mxdoctor send --server <host>:587 ...`.',
      'Failed logins and TLS errors in the Dovecot/Postfix log: `mxdoctor logs` (or `--log` here).',
    ],
  },
  'spam-folder': {
    title: 'mail from this domain lands in the recipients\' spam folder',
    families: ['mx', 'spf', 'dkim', 'dmarc', 'ptr', 'dnsbl', 'ns', 'dnssec', 'smtp'],
    roles: ['mx'],
    nextSteps: [
      'Send to a mailbox you own: `mxdoctor roundtrip` shows the receiver\'s Authentication-Results and spam score headers.',
      'Give your real sending address (`--ip <sending-ip>`) and DKIM selector (`--dkim-selector <s>`): neither can be guessed.',
      'Content, volume and recipients\' complaints also decide the folder; no DNS check sees them.',
    ],
  },
};

export function isSymptom(s: string): s is Symptom {
  return (SYMPTOMS as readonly string[]).includes(s);
}
