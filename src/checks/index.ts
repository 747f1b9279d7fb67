// The static registry of domain checks: one entry per family, one file per family.
// Adding a family means adding it here; docs/findings.md is generated from this list.
import type { Check, HostTarget } from '../core/check.js';
import { mxCheck } from './dns/mx.js';
import { spfCheck } from './dns/spf.js';
import { ptrCheck } from './dns/ptr.js';
import { dnssecCheck } from './dns/dnssec.js';
import { daneCheck } from './dns/dane.js';
import { nsCheck } from './dns/ns.js';
import { mtaStsCheck } from './dns/mta-sts.js';
import { dkimCheck } from './dns/dkim.js';
import { dmarcCheck } from './dns/dmarc.js';
import { tlsrptCheck } from './dns/tlsrpt.js';
import { bimiCheck } from './dns/bimi.js';
import { smtpCheck } from './server/smtp.js';
import { submissionCheck } from './server/submission.js';
import { tlsCheck } from './server/tls.js';
import { certCheck } from './server/cert.js';
import { tlsaCheck } from './server/tlsa.js';
import { dnsblCheck } from './reputation/dnsbl.js';
import { imapCheck } from './server/imap.js';
import { pop3Check } from './server/pop3.js';
import { lmtpHostCheck } from './server/lmtp.js';

export const DOMAIN_CHECKS: readonly Check[] = [
  mxCheck,
  spfCheck,
  ptrCheck,
  dnssecCheck,
  daneCheck,
  nsCheck,
  mtaStsCheck,
  dkimCheck,
  dmarcCheck,
  tlsrptCheck,
  bimiCheck,
  smtpCheck,
  submissionCheck,
  tlsCheck,
  certCheck,
  tlsaCheck,
  dnsblCheck,
  imapCheck,
  pop3Check,
];

/** Families that only run on a host named on the command line (no domain discovery): their ids are still catalogued. */
export const HOST_ONLY_CHECKS: readonly Check<HostTarget>[] = [
  lmtpHostCheck,
];
