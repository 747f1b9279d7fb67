// `mxdoctor capacity`: daily volume, peak hour, a least-squares growth trend and a
// projection N months ahead, with a common sizing rule of thumb shown term by term
// beside a trend-based estimate. Pure: counts in (CapacityCounter), one JSON-ready object out.
import { fitTrend, projectTrend, accumulateTrend, type Trend } from './capacity-trend.js';
import type { CapacityCounter, DayVolume } from './capacity-count.js';
import { dayOf } from './timestamp.js';

/** Below this many complete days a trend is noise (one weekend moves it), and we say so. */
export const MIN_TREND_DAYS = 7;
/** A day counts as complete when the log covers at least this share of it. */
const FULL_DAY = 0.9;
const DAYS_PER_MONTH = 365.25 / 12;
export const RULE_OF_THUMB = { factor: 1.5, margin: 0.3 } as const;

const KEYS = ['received', 'delivered', 'bytesReceived', 'bytesDelivered', 'bytesLocal'] as const;
type Key = typeof KEYS[number];

export interface CapacityInput {
  counter: CapacityCounter;
  /** First and last timestamp of any understood line (wall-clock seconds). */
  first: number;
  last: number;
  months: number;
}

const round = (n: number, d = 0) => { const f = 10 ** d; return Math.round(n * f) / f; };

function trendOut(t: Trend | undefined) {
  return t && { perDay: round(t.slopePerDay, 2), growthPercentPerDay: round(t.growthPercentPerDay, 3), r2: round(t.r2, 3) };
}

export function buildCapacity(i: CapacityInput) {
  const { counter, first, last, months } = i;
  const horizonDays = Math.round(months * DAYS_PER_MONTH);
  const dayNos = [...counter.days.keys()].sort((a, b) => a - b);
  const coverage = (d: number) => (Math.min(last, (d + 1) * 86400) - Math.max(first, d * 86400)) / 86400;
  const days = dayNos.map((d) => ({ day: d, date: dayOf(d * 86400), full: coverage(d) >= FULL_DAY, ...counter.days.get(d)! }));
  let base = days.filter((d) => d.full);
  // A log shorter than a day has no complete day: use what there is, and say so.
  const partialOnly = base.length === 0 && days.length > 0;
  if (partialOnly) base = days;
  const mean = (k: Key) => (base.length ? base.reduce((n, d) => n + d[k], 0) / base.length : 0);
  const daily = Object.fromEntries(KEYS.map((k) => [k, round(mean(k))])) as Record<Key, number>;
  const totalReceived = days.reduce((n, d) => n + d.received, 0);
  const totalBytes = days.reduce((n, d) => n + d.bytesReceived, 0);
  const avgSize = totalReceived ? totalBytes / totalReceived : 0;

  const meaningful = base.length >= MIN_TREND_DAYS && !partialOnly;
  const trends = Object.fromEntries(KEYS.map((k) => [k, fitTrend(base.map((d) => d.day), base.map((d) => d[k]))])) as Record<Key, Trend | undefined>;
  // Without a meaningful trend the projection is flat: today's average carried forward.
  const ahead = (k: Key) => (meaningful && trends[k] ? projectTrend(trends[k]!, horizonDays) : mean(k));
  const overHorizon = (k: Key) => (meaningful && trends[k] ? accumulateTrend(trends[k]!, horizonDays) : mean(k) * horizonDays);

  let peak = { hour: '', received: 0, delivered: 0 };
  for (const [h, [r, d]] of counter.hours) {
    if (r > peak.received || (r === peak.received && d > peak.delivered)) peak = { hour: `${dayOf(h * 3600)} ${String(h % 24).padStart(2, '0')}:00`, received: r, delivered: d };
  }
  const growth = daily.received ? ahead('received') / mean('received') : 1;

  const volume = daily.received + daily.delivered;
  const withFactor = volume * RULE_OF_THUMB.factor;
  const attachmentBytes = avgSize * daily.delivered;
  const lastDay = dayNos.length ? dayNos[dayNos.length - 1]! : 0;
  return {
    schema: 'mxdoctor.capacity/v1' as const,
    span: {
      first: first === Infinity ? '' : dayOf(first), last: last === -Infinity ? '' : dayOf(last),
      calendarDays: days.length, fullDays: days.filter((d) => d.full).length,
      partialDays: days.filter((d) => !d.full).map((d) => d.date), partialOnly,
    },
    days: days.map(({ day: _d, ...rest }: DayVolume & { day: number; date: string; full: boolean }) => rest),
    daily: { ...daily, averageMessageSize: round(avgSize) },
    peakHour: { ...peak, messagesPerSecond: round(peak.received / 3600, 3) },
    trend: {
      meaningful, days: base.length,
      note: meaningful
        ? `least-squares line over ${base.length} complete days`
        : `only ${base.length} complete day(s): a trend needs at least ${MIN_TREND_DAYS}; the projection below carries the current average forward unchanged`,
      received: trendOut(trends.received), delivered: trendOut(trends.delivered),
      bytesReceived: trendOut(trends.bytesReceived), bytesLocal: trendOut(trends.bytesLocal),
    },
    projection: {
      months, horizonDays, date: dayOf((lastDay + horizonDays) * 86400), basis: meaningful ? 'trend' as const : 'flat' as const,
      receivedPerDay: round(ahead('received')), deliveredPerDay: round(ahead('delivered')),
      bytesReceivedPerDay: round(ahead('bytesReceived')), bytesLocalPerDay: round(ahead('bytesLocal')),
    },
    ruleOfThumb: {
      source: 'a common sizing rule of thumb, not a standard',
      formula: 'daily volume × 1.5 + attachment bytes + 30% margin',
      dailyVolume: { value: volume, from: 'average per complete day of messages received (smtpd client=, pickup) + deliveries (status=sent)' },
      timesFactor: round(withFactor),
      attachmentBytes: { value: round(attachmentBytes), averageSize: round(avgSize), sentPerDay: daily.delivered, from: 'average message size (size= of received messages; logs do not separate attachments, so the whole message stands in for them) × deliveries per day' },
      margin: RULE_OF_THUMB.margin,
      // The rule adds a message count to a byte count: the two terms are kept apart, each with the margin.
      messagesPerDay: round(withFactor * (1 + RULE_OF_THUMB.margin)),
      bytesPerDay: round(attachmentBytes * (1 + RULE_OF_THUMB.margin)),
    },
    estimate: {
      storagePerMonthNow: round(mean('bytesLocal') * DAYS_PER_MONTH),
      storagePerMonthAtHorizon: round(ahead('bytesLocal') * DAYS_PER_MONTH),
      storageOverHorizon: round(overHorizon('bytesLocal')),
      localDeliveries: days.reduce((n, d) => n + d.localDelivered, 0),
      peakHourNow: peak.received,
      peakHourAtHorizon: round(peak.received * growth),
      queueBytesPerDayAtHorizon: round(ahead('bytesReceived')),
    },
  };
}

export type CapacityReport = ReturnType<typeof buildCapacity>;
