// A duration in the serve config ("500ms", "30s", "5m", "1h30m", "2d" → milliseconds), parsed
// by core/duration.ts like the flags. Its own module so that schema parts can share it.
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';

export const duration = z.string({ error: 'expected a duration such as 30s, 5m, 1h or 2d' }).transform((s, ctx) => {
  try {
    return parseDuration(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});
