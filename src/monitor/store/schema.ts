// The store's tables as kysely types. Times are Unix milliseconds (bigint on PostgreSQL,
// read back as numbers); reports are JSON text. Findings are kept as state changes.
import type { Generated } from 'kysely';

export interface RunsTable {
  id: Generated<number>;
  target: string;
  started_ms: number;
  duration_ms: number;
  status: string;
  exit_code: number;
  trigger: string;
  /** JSON: findings per severity. */
  counts: string;
  /** JSON: the full Report; null once older than the reports retention. */
  report: string | null;
  /** The shared queue's job id in fleet mode (unique). */
  job_id: string | null;
}

export interface CurrentFindingsTable {
  target: string;
  key: string;
  finding_id: string;
  subject: string;
  severity: string;
  title: string;
  since_ms: number;
}

export interface ChangesTable {
  id: Generated<number>;
  target: string;
  run_id: number;
  at_ms: number;
  kind: string;
  finding_id: string | null;
  subject: string | null;
  from_state: string | null;
  to_state: string | null;
  title: string | null;
}

export interface TargetStateTable {
  target: string;
  status: string;
  since_ms: number;
  last_run_id: number | null;
  last_run_ms: number | null;
  failures: number;
}

export interface IncidentsTable {
  id: Generated<number>;
  target: string;
  started_ms: number;
  ended_ms: number | null;
  start_run_id: number;
  end_run_id: number | null;
  cause_id: string | null;
  cause_title: string | null;
}

export interface SeriesTable {
  target: string;
  metric: string;
  step: string;
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface AvailabilityTable {
  target: string;
  /** Start of the UTC day, Unix seconds. */
  day: number;
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
}

export interface SilencesTable {
  id: Generated<number>;
  target: string;
  rule: string | null;
  starts_ms: number;
  ends_ms: number;
  comment: string;
  created_by: string;
}

export interface AlertsTable {
  id: string;
  rule: string;
  target: string;
  state: string;
  severity: string;
  summary: string;
  starts_ms: number;
  ends_ms: number | null;
  last_notified_ms: number | null;
}

export interface DeliveriesTable {
  id: Generated<number>;
  alert_id: string;
  channel: string;
  event: string;
  at_ms: number;
  ok: number;
  attempts: number;
  error: string | null;
}

export interface RemediationsTable {
  id: Generated<number>;
  name: string;
  target: string;
  alert_id: string;
  at_ms: number;
  /** dry-run (not enabled), run, cooldown (skipped), failed (could not start or timed out). */
  mode: string;
  argv: string;
  exit_code: number | null;
  output: string | null;
}

export interface DB {
  remediations: RemediationsTable;
  runs: RunsTable;
  current_findings: CurrentFindingsTable;
  changes: ChangesTable;
  target_state: TargetStateTable;
  incidents: IncidentsTable;
  series: SeriesTable;
  availability: AvailabilityTable;
  silences: SilencesTable;
  alerts: AlertsTable;
  deliveries: DeliveriesTable;
  log_positions: LogPositionsTable;
  log_counters: LogCountersTable;
  bulk_results: BulkResultsTable;
}

export interface BulkResultsTable {
  id: Generated<number>;
  batch: string;
  seq: number;
  report: string;
  created_ms: number;
}

export interface LogPositionsTable {
  target: string;
  path: string;
  dev: number;
  ino: number;
  offset: number;
  head_len: number;
  head_hash: string;
  updated_ms: number;
}

export interface LogCountersTable {
  target: string;
  /** JSON: counter key → value (logwatch/counters.ts). */
  counters: string;
  updated_ms: number;
}
