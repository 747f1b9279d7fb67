// What `report --from-store` shows about the monitor's history of each target, as plain data
// the renderers read (filled from the store by monitor/store-history.ts). Unknown time (no run,
// or a run that could not tell) is kept apart: it is neither up nor down.

export interface DayAvailability {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  upSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  /** up / (up + down); null when nothing was measured that day. */
  availability: number | null;
}

export interface PeriodFigures {
  upSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  availability: number | null;
  incidents: number;
  /** Mean time to recovery of the incidents that ended in the period. */
  mttrSeconds: number | null;
}

export interface HistoryIncident {
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  open: boolean;
  cause: { findingId: string | null; title: string | null } | null;
}

/** One value per UTC day from the store's daily rollup (min days left, max lists). */
export interface DayValue { day: string; value: number }

/** A finding that appeared and (perhaps) went away, from the store's finding changes. */
export interface FindingPeriod { findingId: string; subject: string; title: string; severity: string; from: string; to: string | null }

export interface TargetHistory {
  target: string;
  runs: number;
  firstRunAt: string | null;
  lastRun: { at: string; status: string } | null;
  period: PeriodFigures;
  days: DayAvailability[];
  incidents: HistoryIncident[];
  certificate: { daysLeft: DayValue[]; periods: FindingPeriod[] };
  blacklist: { lists: DayValue[]; periods: FindingPeriod[] };
  /** The latest run whose report body the store still holds (bodies are pruned by retention). */
  latestReportAt: string | null;
}

export interface StoreHistory {
  since: string;
  until: string;
  /** The store, without any password. */
  store: string;
  targets: TargetHistory[];
}

export function percent(a: number | null, digits = 3): string {
  return a === null ? 'n/a' : `${(a * 100).toFixed(digits)}%`;
}

/** 93784 → "1d 2h 3m"; under a minute in seconds. */
export function humanSeconds(s: number | null): string {
  if (s === null) return 'n/a';
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(' ') || '0m';
}

export const UNKNOWN_NOTE = 'Availability is up / (up + down): time with no run, or with runs that could not tell (unknown), is counted apart and is not down.';
