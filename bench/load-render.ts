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
    'mxdoctor\'s "run" rate is accepted messages ÷ the load run itself (facts.load.durationMs); "process" includes node start-up (compiled build: about a quarter of a second), as smtp-source\'s figure includes its own (negligible). What smtp-source cannot give, mxdoctor records on every message: per-phase percentiles (end-of-data and connect shown). ',
    `CPU per message is the process's user + system CPU time ÷ the messages (mxdoctor's includes its start-up). Load is the 1-minute load average when the setting started. ${r.rows[0] && r.rows[0].rounds > 1 ? `Each setting was measured ${r.rows[0].rounds} times per tool, the tool going first alternating; the median run of each is shown.` : 'One run per tool and setting.'}`,
    '',
    '| connections | concurrency | load | smtp-source msg/s | mxdoctor msg/s (run) | ratio | mxdoctor msg/s (process) | ratio | mxdoctor eod p50 / p99 ms | connect p50 / p99 ms | CPU µs/msg: smtp-source / mxdoctor | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of r.rows) out.push(rowOf(row, r.messages));
  const errs = r.rows.filter((x) => x.error);
  if (errs.length) out.push('', ...errs.map((x) => `- concurrency ${x.concurrency} ${x.reuse ? 'reuse' : 'new'}: ${x.error}`));
  const target = r.rows.filter((x) => x.sourceRate && x.mxRate);
  const met = target.filter((x) => x.mxRate! >= x.sourceRate!);
  out.push('', `Target: at least smtp-source's rate at equal settings: met in ${met.length} of ${target.length} settings (run rate).`);
  if (r.memory) {
    const m = r.memory;
    out.push('', `Memory flat in the message count: peak RSS of \`mxdoctor load\` (concurrency 10, reuse) ${n(m.smallKb ? m.smallKb / 1024 : undefined)} MB for ${m.small.toLocaleString('en')} messages, ${n(m.largeKb ? m.largeKb / 1024 : undefined)} MB for ${m.large.toLocaleString('en')} (${ratio(m.largeKb, m.smallKb)}). What a run holds does not grow with the messages (fixed-size histograms, a bounded per-second series, nothing kept per message: test/load-memory.test.ts measures the live heap after a GC); the RSS difference is V8 growing its heap with the allocation rate, not data kept.`);
  }
  return `${out.join('\n')}\n\n`;
}

function rowOf(x: LoadBenchRow, messages: number): string {
  const pair = (p?: { p50: number; p99: number }) => (p && p.p50 !== undefined ? `${p.p50} / ${p.p99}` : '—');
  const perMsg = (cpuS: number | undefined, msgs: number | undefined) => (cpuS !== undefined && msgs ? String(Math.round((cpuS * 1e6) / msgs)) : '—');
  return `| ${x.reuse ? 'reuse' : 'new'} | ${x.concurrency} | ${x.loadAverage?.toFixed(1) ?? '—'} | ${n(x.sourceRate)} | ${n(x.mxRate)} | ${ratio(x.mxRate, x.sourceRate)} | ${n(x.mxProcessRate)} | ${ratio(x.mxProcessRate, x.sourceRate)} | ${pair(x.eod)} | ${pair(x.connect)} | ${perMsg(x.sourceCpuS, messages)} / ${perMsg(x.mxCpuS, messages)} | ${x.failed ?? '—'} |`;
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
