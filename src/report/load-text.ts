// The human part of `mxdoctor load` above the findings: the settings, the per-phase
// percentiles, messages per second, the ramp's steps and the error groups. Pure: facts in,
// text out; the server's reply samples go through the one terminal escape (core/terminal-text).
import { escapeLine } from '../core/terminal-text.js';
import type { LoadFacts } from '../load/facts.js';
import { PHASES } from '../load/types.js';
import { createColors } from './colors.js';

const num = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : String(Math.round(v)));
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

export function renderLoad(f: LoadFacts, color: boolean): string {
  const c = createColors(color);
  const s = f.settings;
  const bound = s.messages !== undefined ? `${s.messages} messages` : `${(s.durationMs ?? 0) / 1000} s`;
  const lines = [
    `${c.bold(`Load test of ${f.target}:${f.port}`)} ${c.dim(`(${f.tls === 'none' ? 'no TLS' : f.tls === 'implicit' ? 'implicit TLS' : 'STARTTLS'}${f.pipelining ? ', PIPELINING' : ''})`)}`,
    `  ${bound}${s.ramp ? ' per step, concurrency ramp up to' : ' at concurrency'} ${s.concurrency}, ${s.sizeBytes} bytes, ${s.rcpts} recipient${s.rcpts > 1 ? 's' : ''} each, ${s.reuse === 1 ? 'a new connection per message' : `up to ${s.reuse} messages per connection`}${s.ratePerSecond ? `, at most ${s.ratePerSecond}/s` : ''}${s.auth ? ', with AUTH' : ''}`,
    '',
    `  ${c.bold(String(f.accepted))} accepted, ${f.failed ? c.red(String(f.failed)) : '0'} failed in ${(f.durationMs / 1000).toFixed(1)} s: ${c.bold(`${num(f.ratePerSecond)} messages/s`)}, ${f.connections} connections, average reply ${num(f.averageReplyMs)} ms`,
    '',
    c.dim(`  ${'phase'.padEnd(9)} ${'count'.padStart(8)} ${'mean'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  (ms)`),
  ];
  for (const p of PHASES) {
    const h = f.phases[p];
    if (!h) continue;
    lines.push(`  ${p.padEnd(9)} ${String(h.count).padStart(8)} ${[h.mean, h.p50, h.p90, h.p99, h.max].map((v) => num(v).padStart(8)).join(' ')}`);
  }
  if (f.steps) {
    lines.push('', c.dim(`  ${'concurrency'.padEnd(12)} ${'msg/s'.padStart(9)} ${'avg reply'.padStart(10)} ${'failed'.padStart(8)} ${'4xx'.padStart(8)} ${'greeting p50'.padStart(13)}`));
    for (const st of f.steps) {
      lines.push(`  ${String(st.concurrency).padEnd(12)} ${num(st.ratePerSecond).padStart(9)} ${`${num(st.averageReplyMs)} ms`.padStart(10)} ${pct(st.errorRate).padStart(8)} ${pct(st.tempFailRate).padStart(8)} ${`${num(st.phases.greeting?.p50 ?? 0)} ms`.padStart(13)}`);
    }
  }
  const secs = f.perSecond.accepted;
  if (secs.length > 3) {
    const full = secs.slice(0, -1); // the last second is partial
    lines.push('', `  messages/s over time: min ${Math.min(...full)}, max ${Math.max(...full)} ${c.dim(`(${sparkline(secs)})`)}`);
  }
  if (f.errors.length) {
    lines.push('', c.bold('  Errors'));
    for (const e of f.errors.slice(0, 10)) {
      lines.push(`  ${String(e.count).padStart(8)} × ${e.step} ${e.code ?? e.kind ?? ''}${e.enhanced ? ` ${e.enhanced}` : ''}: ${clip(escapeLine(e.sample), 100)}`);
      lines.push(c.dim(`             ${clip(e.meaning, 140)}`));
    }
  }
  lines.push('', '');
  return lines.join('\n');
}

/** One character per second (at most 60 shown, averaged), heights from the run's max. */
function sparkline(values: number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const per = Math.ceil(values.length / 60);
  const cols: number[] = [];
  for (let i = 0; i < values.length; i += per) {
    const part = values.slice(i, i + per);
    cols.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  const max = Math.max(1, ...cols);
  return cols.map((v) => bars[Math.min(7, Math.floor((v / max) * 7.999))]).join('');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
