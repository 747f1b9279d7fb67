// The "SMTP load test" section of docs/performance.md (issue 13), and the splice that lets
// BENCH_ONLY=load refresh it alone in an existing report.
import type { LoadBenchResult, LoadBenchRow } from './load.js';

export const LOAD_HEADING = '## SMTP load test: `mxdoctor load` against smtp-source (issue 13)';

const n = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toLocaleString('en'));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '—');

export function renderLoadSection(r: LoadBenchResult, meta: { date: string; loadAverage: number[]; nproc: number }): string {
  const out = [LOAD_HEADING, ''];
  if (r.skipped) return `${[...out, `Skipped: ${r.skipped}.`, ''].join('\n')}\n`;
  const busy = meta.loadAverage[0]! > meta.nproc * 0.5;
  out.push(
    `Measured ${meta.date}: ${r.messages.toLocaleString('en')} messages of ${r.sizeBytes} bytes to Postfix's \`smtp-sink\` on ${r.sink} (loopback), `,
    `first with Postfix's \`smtp-source\` (Debian package postfix), then with \`mxdoctor load\` at the same settings, one after the other in the same run. `,
    '"New" is a new connection per message (smtp-source without -d, mxdoctor --reuse 1); "reuse" keeps each connection for all its messages (smtp-source -d, mxdoctor --reuse N). ',
    'smtp-sink offers PIPELINING: mxdoctor sends MAIL/RCPT/DATA as one group; smtp-source sends one command at a time. ',
    `Both tools, and the sink, share the machine's ${meta.nproc} CPUs.${busy ? ` **The machine was shared and loaded** (load average ${meta.loadAverage.map((x) => x.toFixed(2)).join(' / ')} at the start): absolute rates are pessimistic and noisy; the ratios of the same run are the figure to read.` : ''}`,
    '',
    'mxdoctor\'s "run" rate is accepted messages ÷ the load run itself (facts.load.durationMs); "process" includes node + tsx start-up (about half a second), as smtp-source\'s figure includes its own (negligible). What smtp-source cannot give, mxdoctor records on every message: per-phase percentiles (end-of-data and connect shown).',
    '',
    '| connections | concurrency | smtp-source msg/s | mxdoctor msg/s (run) | ratio | mxdoctor msg/s (process) | ratio | mxdoctor eod p50 / p99 ms | connect p50 / p99 ms | CPU s: smtp-source / mxdoctor | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of r.rows) out.push(rowOf(row));
  const errs = r.rows.filter((x) => x.error);
  if (errs.length) out.push('', ...errs.map((x) => `- concurrency ${x.concurrency} ${x.reuse ? 'reuse' : 'new'}: ${x.error}`));
  const target = r.rows.filter((x) => x.sourceRate && x.mxRate);
  const met = target.filter((x) => x.mxRate! >= x.sourceRate!);
  out.push('', `Target: at least smtp-source's rate at equal settings: met in ${met.length} of ${target.length} settings (run rate).`);
  if (r.memory) {
    const m = r.memory;
    out.push('', `Memory flat in the message count: peak RSS of \`mxdoctor load\` (concurrency 10, reuse) ${n(m.smallKb ? m.smallKb / 1024 : undefined)} MB for ${m.small.toLocaleString('en')} messages, ${n(m.largeKb ? m.largeKb / 1024 : undefined)} MB for ${m.large.toLocaleString('en')} (${ratio(m.largeKb, m.smallKb)}); per-phase histograms are fixed arrays (src/load/histogram.ts).`);
  }
  return `${out.join('\n')}\n\n`;
}

function rowOf(x: LoadBenchRow): string {
  const pair = (p?: { p50: number; p99: number }) => (p && p.p50 !== undefined ? `${p.p50} / ${p.p99}` : '—');
  return `| ${x.reuse ? 'reuse' : 'new'} | ${x.concurrency} | ${n(x.sourceRate)} | ${n(x.mxRate)} | ${ratio(x.mxRate, x.sourceRate)} | ${n(x.mxProcessRate)} | ${ratio(x.mxProcessRate, x.sourceRate)} | ${pair(x.eod)} | ${pair(x.connect)} | ${x.sourceCpuS?.toFixed(2) ?? '—'} / ${x.mxCpuS?.toFixed(2) ?? '—'} | ${x.failed ?? '—'} |`;
}

/** Put `section` in place of the existing load section, else before the observations (or at the end). */
export function spliceLoadSection(existing: string, section: string): string {
  const start = existing.indexOf(`\n${LOAD_HEADING}`);
  if (start >= 0) {
    const next = existing.indexOf('\n## ', start + 1);
    return existing.slice(0, start + 1) + section + (next < 0 ? '' : existing.slice(next + 1));
  }
  const obs = existing.indexOf('\n## Observations');
  return obs < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, obs + 1)}${section}${existing.slice(obs + 1)}`;
}
