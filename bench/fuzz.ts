// `npm run bench` (BENCH_ONLY=fuzz): a million fuzzed parser inputs (bench/fuzz-parsers.ts),
// exceptions counted; the section "Parser fuzzing" of docs/performance.md.
import { fuzzParsers } from './fuzz-parsers.js';
import type { FuzzResult } from './fuzz-parsers.js';
import { spliceSection } from './splice.js';

export const FUZZ_HEADING = '## Parser fuzzing';

export function benchFuzz(o: { inputs: number; seeds: number[] }): { runs: (FuzzResult & { seed: number })[] } {
  const per = Math.ceil(o.inputs / o.seeds.length);
  return { runs: o.seeds.map((seed) => ({ seed, ...fuzzParsers(per, seed) })) };
}

export function renderFuzzSection(b: ReturnType<typeof benchFuzz>, meta: { date: string; loadAverage: number[]; nproc: number }): string {
  const inputs = b.runs.reduce((n, r) => n + r.inputs, 0);
  const failures = b.runs.reduce((n, r) => n + r.failures.length, 0);
  const ms = b.runs.reduce((n, r) => n + r.ms, 0);
  const parsers: Record<string, number> = {};
  for (const r of b.runs) for (const [k, v] of Object.entries(r.perParser)) parsers[k] = (parsers[k] ?? 0) + v;
  const lines = [
    FUZZ_HEADING, '',
    `Measured ${meta.date} on a shared, loaded ${meta.nproc}-core machine (load average ${meta.loadAverage.map((x) => x.toFixed(1)).join(' ')}).`, '',
    `${inputs.toLocaleString('en-US')} seeded mutations of real inputs (seeds ${b.runs.map((r) => r.seed).join(', ')}), ${Math.round(ms / 1000)} s: **${failures} exceptions**.`, '',
    'Every input is a real example mutated 1-4 times (hostile characters, deletions, repeats, splices, odd numbers, truncation); a parser must return, never throw. `npm test` runs 20,000 of them (test/fuzz.test.ts).',
    '', '| parser | inputs |', '|---|---:|',
    ...Object.entries(parsers).map(([k, v]) => `| ${k} | ${v.toLocaleString('en-US')} |`),
  ];
  for (const r of b.runs) for (const f of r.failures.slice(0, 5)) lines.push('', `- seed ${r.seed}, ${f.parser}: \`${JSON.stringify(f.input).slice(0, 120)}\` → ${f.error.slice(0, 200)}`);
  return `${lines.join('\n')}\n`;
}

/** Replace the section in an existing report, or add it before "## Observations" (else at the end). */
export const spliceFuzzSection = (existing: string, section: string): string => spliceSection(existing, FUZZ_HEADING, section);
