// Least-squares trend over daily figures, for `mxdoctor capacity`: y = a + b·x with x the
// day number. Linear on purpose: with a few weeks of logs an exponential fit overstates
// growth, and a straight line is what an admin can check by hand.

export interface Trend {
  /** Change per day, in the series' unit (messages or bytes). */
  slopePerDay: number;
  /** slopePerDay as a share of the mean day, in percent. */
  growthPercentPerDay: number;
  /** Coefficient of determination (0-1): how well a straight line describes the days. */
  r2: number;
  mean: number;
  /** The fitted value on the last day (the baseline projections start from). */
  lastFitted: number;
}

/** Fit y over x (day numbers); undefined with fewer than 2 points or a single distinct x. */
export function fitTrend(xs: number[], ys: number[]): Trend | undefined {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return undefined;
  let sx = 0; let sy = 0;
  for (let i = 0; i < n; i++) { sx += xs[i]!; sy += ys[i]!; }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0; let sxy = 0; let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  if (sxx === 0) return undefined;
  const b = sxy / sxx;
  const a = my - b * mx;
  const lastX = Math.max(...xs);
  return {
    slopePerDay: b,
    growthPercentPerDay: my === 0 ? 0 : (100 * b) / my,
    // A flat series is perfectly described by a flat line.
    r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
    mean: my,
    lastFitted: a + b * lastX,
  };
}

/** The fitted value `days` after the last day, never below zero. */
export function projectTrend(t: Trend, days: number): number {
  return Math.max(0, t.lastFitted + t.slopePerDay * days);
}

/** Sum of the fitted daily values over the next `days` days (the area under the line). */
export function accumulateTrend(t: Trend, days: number): number {
  if (days <= 0) return 0;
  // Trapezoid between day 1 and day `days`; exact for a line unless it crosses zero.
  return ((projectTrend(t, 1) + projectTrend(t, days)) / 2) * days;
}
