// The static registry of domain checks: one entry per family, one file per family.
// Adding a family means adding it here; docs/findings.md is generated from this list.
import type { Check } from '../core/check.js';
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
];
