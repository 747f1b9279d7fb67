// The `local:` part of a serve module: how a `local: true` target checks the machine serve
// runs on (the same options as `mxdoctor check --local`): which Postfix instances or Exim,
// the mail stores and certificate files to watch, and the queue and disk thresholds.
import { z } from 'zod';
import { duration } from './serve-duration.js';
import { configRelative } from './secret.js';

const path = z.string().min(1, { error: 'must not be empty' });
const percent = z.int({ error: 'expected a whole percentage (1-100)' }).min(1).max(100);

export const localModuleSchema = z.strictObject({
  /** Postfix config directories (postqueue -c); none: the default instance and the running ones. */
  postfix_config: z.array(path).min(1).optional(),
  exim: z.boolean().default(false),
  dovecot_config: path.optional(),
  mail_store: z.array(path).optional(),
  cert_files: z.array(path).optional(),
  queue_warn: z.int().min(0).optional(),
  queue_crit: z.int().min(1).optional(),
  /** A message older than this in the queue is a warning (default 24h, as check --local). */
  queue_max_age: duration.optional(),
  disk_warn: percent.optional(),
  disk_crit: percent.optional(),
  /**
   * Read the last 24 h of the mail log at every run (as check --local does). Off by default:
   * serve's live log watch (log_files:) follows the logs without re-reading them.
   */
  recent_logs: z.boolean().default(false),
}).refine((l) => !(l.exim && l.postfix_config), { error: 'give either exim: true or postfix_config:, not both (one MTA per target)', path: ['exim'] })
  .refine((l) => l.queue_warn === undefined || l.queue_crit === undefined || l.queue_crit > l.queue_warn, { error: 'queue_crit must be above queue_warn', path: ['queue_crit'] })
  .refine((l) => l.disk_warn === undefined || l.disk_crit === undefined || l.disk_crit > l.disk_warn, { error: 'disk_crit must be above disk_warn', path: ['disk_crit'] });

export type LocalModuleConfig = z.output<typeof localModuleSchema>;

/** Paths in the config are relative to the config file, as every other path there. */
export function localPaths(l: LocalModuleConfig, file: string): LocalModuleConfig {
  const rel = (p: string) => configRelative(file, p);
  return {
    ...l,
    ...(l.postfix_config ? { postfix_config: l.postfix_config.map(rel) } : {}),
    ...(l.dovecot_config ? { dovecot_config: rel(l.dovecot_config) } : {}),
    ...(l.mail_store ? { mail_store: l.mail_store.map(rel) } : {}),
    ...(l.cert_files ? { cert_files: l.cert_files.map(rel) } : {}),
  };
}
