// Time is injected so tests can freeze it (certificate and policy ages, deadlines).
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(at: number | string): Clock & { advance(ms: number): void } {
  let t = typeof at === 'string' ? Date.parse(at) : at;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
