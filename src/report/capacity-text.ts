// `mxdoctor capacity` as text: the measured volume first, then the trend (or why there is
// none), the projection, the sizing rule of thumb term by term, and the trend-based estimate.
import { createColors } from './colors.js';
import type { CapacityReport } from '../logs/capacity.js';
import { bytes, n, table } from './logs-text.js';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;

export function renderCapacityText(r: Omit<CapacityReport, 'schema'>, o: { color: boolean; lines: number; maxDays?: number }): string {
  const c = createColors(o.color);
  const out: string[] = [];
  const p = (...l: string[]) => out.push(...l);
  const h = (t: string) => p('', c.bold(t));
  p(`${c.bold('Mail capacity')}  ${n(o.lines)} lines, ${r.span.first} → ${r.span.last}: ${r.span.calendarDays} day(s), ${r.span.fullDays} complete`);
  if (r.span.partialDays.length) p(c.dim(`  partial days (the log starts or ends inside them) ${r.span.partialOnly ? 'are all there is: averages use them' : 'are left out of averages and trend'}: ${r.span.partialDays.join(', ')}`));

  h('Daily volume (average per complete day)');
  const d = r.daily;
  p(...table(['', 'messages', 'bytes'], [
    ['received', d.received, bytes(d.bytesReceived)],
    ['delivered', d.delivered, bytes(d.bytesDelivered)],
    ['into local mailboxes', '', bytes(d.bytesLocal)],
  ]), `  average message size ${bytes(d.averageMessageSize)}`);
  const shown = r.days.slice(-(o.maxDays ?? 31));
  if (shown.length > 1) {
    p('', ...table(['day', 'received', 'delivered', 'bytes in', 'bytes local', 'coverage'], shown.map((x) => [x.date, x.received, x.delivered, bytes(x.bytesReceived), bytes(x.bytesLocal), x.full ? 'complete' : 'partial'])));
    if (shown.length < r.days.length) p(c.dim(`  (last ${shown.length} of ${r.days.length} days; --json has all)`));
  }

  h('Peak hour');
  p(r.peakHour.hour ? `  ${r.peakHour.hour}: ${n(r.peakHour.received)} messages received (${r.peakHour.messagesPerSecond}/s on average within the hour), ${n(r.peakHour.delivered)} delivered` : '  no messages');

  h('Growth trend');
  const t = r.trend;
  if (!t.meaningful) p(c.yellow(`  not meaningful: ${t.note}`));
  else {
    p(`  ${t.note}`);
    const row = (label: string, x: typeof t.received, fmt: (v: number) => string) => (x ? [label, `${fmt(x.perDay)}/day`, pct(x.growthPercentPerDay), x.r2.toFixed(2)] : [label, '-', '-', '-']);
    p(...table(['', 'change', 'growth/day', 'r²'], [
      row('messages received', t.received, (v) => v.toFixed(1)), row('deliveries', t.delivered, (v) => v.toFixed(1)),
      row('bytes received', t.bytesReceived, (v) => bytes(Math.abs(v)) + (v < 0 ? ' less' : '')), row('bytes into mailboxes', t.bytesLocal, (v) => bytes(Math.abs(v)) + (v < 0 ? ' less' : '')),
    ]));
    if ((t.received?.r2 ?? 1) < 0.3) p(c.dim('  r² below 0.3: the days scatter widely around the line; read the projection as a rough guide'));
  }

  const pr = r.projection;
  h(`Projection: ${pr.months} month(s) ahead (${pr.date}, ${pr.basis === 'trend' ? 'from the trend' : 'flat: no meaningful trend'})`);
  p(`  ${n(pr.receivedPerDay)} messages received/day (now ${n(d.received)}), ${n(pr.deliveredPerDay)} deliveries/day, ${bytes(pr.bytesReceivedPerDay)} received/day`);

  const a = r.ruleOfThumb;
  h(`Sizing rule of thumb: ${a.formula}`);
  p(c.dim(`  ${a.source}`),
    `  daily volume            ${n(a.dailyVolume.value)} messages/day = ${a.dailyVolume.from}`,
    `  × 1.5                   ${n(a.timesFactor)} messages/day`,
    `  attachment bytes        ${bytes(a.attachmentBytes.value)}/day = ${bytes(a.attachmentBytes.averageSize)} × ${n(a.attachmentBytes.sentPerDay)} deliveries/day: ${a.attachmentBytes.from}`,
    `  + 30% margin            plan for ${n(a.messagesPerDay)} messages/day and ${bytes(a.bytesPerDay)}/day`,
    c.dim('  (the rule adds a message count to a byte count; the two terms are kept apart here, each with the margin)'));

  const e = r.estimate;
  h('Trend-based estimate');
  if (!e.localDeliveries) p('  no deliveries into local mailboxes (local, virtual, LMTP, Dovecot) in these logs: mailbox storage cannot be estimated from them');
  else {
    p(`  mailbox storage: ${bytes(e.storagePerMonthNow)}/month now, ${bytes(e.storagePerMonthAtHorizon)}/month in ${pr.months} month(s); ${bytes(e.storageOverHorizon)} more over the next ${pr.months} month(s)`,
      c.dim(`    from bytes delivered into local mailboxes (${n(e.localDeliveries)} deliveries); assumes users delete nothing`));
  }
  p(`  peak rate: ${n(e.peakHourNow)} messages/hour now → about ${n(e.peakHourAtHorizon)}/hour in ${pr.months} month(s) if the peak grows with the daily volume`,
    `  queue/transit: ${bytes(e.queueBytesPerDayAtHorizon)} received per day at the horizon`);
  return `${out.join('\n')}\n`;
}
