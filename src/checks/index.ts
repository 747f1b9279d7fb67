// The static registry of domain checks: one entry per family, one file per family.
// Adding a family means adding it here; docs/findings.md is generated from this list.
import type { Check } from '../core/check.js';
import { mxCheck } from './dns/mx.js';

export const DOMAIN_CHECKS: readonly Check[] = [
  mxCheck,
];
