// The log counters on /metrics: one prom-client Counter per LOG_COUNTERS name, with the
// target's name as an extra label (several log targets on one serve, e.g. two Postfix
// instances). The totals live in the watches (and the store); each scrape copies them.
import { Counter, type Registry } from 'prom-client';
import { LOG_COUNTERS, parseCounterKey, type CounterName } from './counters.js';
import type { LogWatch } from './watch.js';

export function registerLogMetrics(registry: Registry, watches: () => Iterable<LogWatch>): void {
  const byName = new Map<CounterName, Counter>();
  const fill = () => {
    for (const c of byName.values()) c.reset();
    for (const w of watches()) {
      for (const [key, value] of Object.entries(w.counters)) {
        const k = parseCounterKey(key);
        if (k && value > 0) byName.get(k.name)!.inc({ ...k.labels, target: w.target.name }, value);
      }
    }
  };
  let first = true;
  for (const [name, def] of Object.entries(LOG_COUNTERS) as [CounterName, (typeof LOG_COUNTERS)[CounterName]][]) {
    byName.set(name, new Counter({
      name, help: def.help, labelNames: ['target', ...def.labels], registers: [registry],
      // Once per scrape: the first counter's collect refreshes them all.
      collect: first ? fill : undefined,
    }));
    first = false;
  }
}
