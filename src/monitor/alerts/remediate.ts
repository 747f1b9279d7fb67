// Opt-in remediation: when an alert rule fires, the remediations bound to it run their argv
// (no shell) — but only with `execute: true`; by default they are a dry run that records what
// would have run. A cooldown per remediation and target stops loops, and every decision
// (dry-run, run with its exit code and output, skipped for cooldown) goes to the audit log.
import type { Kysely } from 'kysely';
import type { RemediationConfig } from '../../config/serve-schema.js';
import { runCommand } from '../../io/exec.js';
import type { CommandRunner } from '../../io/exec.js';
import type { DB } from '../store/schema.js';

export interface RemediationEvent { rule: string; target: string; alertId: string; severity: string; summary: string }

export async function remediate(db: Kysely<DB>, list: RemediationConfig[], e: RemediationEvent, o: { now: number; exec?: CommandRunner; log: (l: string) => void }): Promise<void> {
  for (const r of list) {
    if (r.rule !== e.rule) continue;
    const base = { name: r.name, target: e.target, alert_id: e.alertId, at_ms: o.now, argv: JSON.stringify(r.argv) };
    const last = await db.selectFrom('remediations').select(['at_ms']).where('name', '=', r.name).where('target', '=', e.target)
      .where('mode', 'in', ['run', 'dry-run', 'failed']).orderBy('at_ms', 'desc').limit(1).executeTakeFirst();
    if (last && o.now - Number(last.at_ms) < r.cooldown) {
      await db.insertInto('remediations').values({ ...base, mode: 'cooldown', exit_code: null, output: `last at ${new Date(Number(last.at_ms)).toISOString()}` }).execute();
      o.log(`remediation ${r.name} for ${e.target}: in cooldown, not run`);
      continue;
    }
    if (!r.execute) {
      await db.insertInto('remediations').values({ ...base, mode: 'dry-run', exit_code: null, output: null }).execute();
      o.log(`remediation ${r.name} for ${e.target}: dry run, would run ${r.argv.join(' ')} (set execute: true to run it)`);
      continue;
    }
    const env = { MXDOCTOR_TARGET: e.target, MXDOCTOR_ALERT_RULE: e.rule, MXDOCTOR_ALERT_SEVERITY: e.severity, MXDOCTOR_ALERT_SUMMARY: e.summary };
    const res = await (o.exec ?? runCommand)(r.argv, { timeoutMs: r.timeout, env, maxBytes: 64 * 1024 });
    const failed = res.notFound || res.timedOut || res.error !== undefined;
    const output = `${res.stdout}${res.stderr}`.slice(0, 2000) || (res.notFound ? `${r.argv[0]}: no such program` : res.timedOut ? `killed after ${r.timeout} ms` : res.error ?? '');
    await db.insertInto('remediations').values({ ...base, mode: failed ? 'failed' : 'run', exit_code: res.code, output }).execute();
    o.log(`remediation ${r.name} for ${e.target}: ran ${r.argv.join(' ')}: ${failed ? `failed (${output.split('\n')[0]})` : `exit ${res.code}`}`);
  }
}

export async function listRemediations(db: Kysely<DB>, limit: number) {
  const rows = await db.selectFrom('remediations').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), name: r.name, target: r.target, alertId: r.alert_id, at: new Date(Number(r.at_ms)).toISOString(),
    mode: r.mode, argv: JSON.parse(r.argv) as string[], exitCode: r.exit_code, output: r.output,
  }));
}
