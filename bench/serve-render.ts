// The "serve" section of docs/performance.md (issue 11), and the splice that lets
// BENCH_ONLY=serve refresh it alone in an existing report.
import type { ServeBenchResult, ServeSample } from './serve.js';
import { spliceSection } from './splice.js';

export const SERVE_HEADING = '## Monitoring daemon: `mxdoctor serve` with 1,000 targets, and `/probe` against blackbox_exporter (issue 11)';

const JITTER_S = 10;
const f1 = (v: number) => v.toFixed(1);
const range = (xs: ServeSample[]): [number, number] => (xs.length ? [Math.min(...xs.map((x) => x.rssMb)), Math.max(...xs.map((x) => x.rssMb))] : [NaN, NaN]);
const near = (xs: ServeSample[], s: number) => xs.reduce((a, b) => (Math.abs(b.s - s) < Math.abs(a.s - s) ? b : a));

export interface ServeFigures {
  runs: number; expectedRuns: number; designRuns: number; cpuMsPerCheck: number; steadyFrom: ServeSample; end: ServeSample;
  rssAt2: ServeSample; rssMax: number; rssEarly: [number, number]; rssLate: [number, number]; maxQueued: number; maxStale: number; keptUp: boolean;
}

export function serveFigures(r: ServeBenchResult): ServeFigures {
  const end = r.samples.at(-1)!;
  // The first round (every target once, within the jitter) is start-up; steady state is from the first minute on.
  const steadyFrom = near(r.samples, Math.min(60, end.s / 2));
  const runs = end.runs - steadyFrom.runs;
  const x: ServeFigures = {
    runs: end.runs, expectedRuns: r.targets * (Math.floor(end.s / r.intervalS) + 1),
    // src/monitor/scheduler.ts arms the next run interval + a new jitter (0-10 s) after the last one started: a mean period of interval + 5 s.
    designRuns: r.targets * (Math.floor(Math.max(0, end.s - JITTER_S / 2) / (r.intervalS + JITTER_S / 2)) + 1),
    cpuMsPerCheck: runs > 0 ? ((end.cpuS - steadyFrom.cpuS) * 1000) / runs : NaN, steadyFrom, end,
    rssAt2: near(r.samples, 120), rssMax: Math.max(...r.samples.map((x) => x.rssMb)),
    // RSS saws up and down with each round of checks (garbage collected after): compare ranges of two whole minutes.
    rssEarly: range(r.samples.filter((x) => x.s >= 120 && x.s < 180)), rssLate: range(r.samples.filter((x) => x.s >= end.s - 60)),
    // After the first round: at start-up every target is due at once (within the jitter), a backlog by design.
    maxQueued: Math.max(0, ...r.samples.filter((x) => x.s >= r.intervalS).map((x) => x.queued)), maxStale: Math.max(...r.samples.map((x) => x.stale)),
    keptUp: false,
  };
  x.keptUp = x.maxStale === 0 && x.runs >= 0.95 * x.designRuns;
  return x;
}

export function renderServeSection(r: ServeBenchResult, meta: { date: string; loadAverage: number[]; loadEnd: number[]; nproc: number }): string {
  const x = serveFigures(r);
  const out: string[] = [SERVE_HEADING, ''];
  out.push(
    `Measured ${meta.date} on ${meta.nproc} CPUs (load average ${meta.loadAverage.map((v) => v.toFixed(2)).join(' / ')} at the start, ${meta.loadEnd.map((v) => v.toFixed(2)).join(' / ')} at the end${meta.loadAverage[0]! > meta.nproc * 0.5 ? '; other work was running at the start: CPU times hold better than wall times' : ''}), by \`npm run bench\` with BENCH_ONLY=serve (bench/serve.ts). `,
    `The in-process lab (DNS with ${r.targets.toLocaleString('en')} synthetic domains, mail servers; loopback only) runs in the bench process; \`mxdoctor serve\` (${r.compiled ? 'the compiled build, dist/' : 'src/ through tsx'}) is a child process with a config of ${r.targets.toLocaleString('en')} domain targets, interval ${r.intervalS} s, jitter 10 s, concurrency ${r.concurrency}, a SQLite store, `,
    `and a module of the DNS families (${r.families.join(', ')}; probe_servers: false) with the lab's resolver. Its CPU time (utime + stime, /proc/<pid>/stat) and RSS (VmRSS) were sampled every ~10 s for ${r.minutes} minutes, with a scrape of /metrics each time (its cost is included, as a Prometheus scraping every 10 s would be).`,
    '',
    `- **Checks completed**: ${x.runs.toLocaleString('en')} runs stored in ${f1(x.end.s)} s (a strict ${r.intervalS} s schedule would give ${x.expectedRuns.toLocaleString('en')}, one per target per started minute; the scheduler's own, each run ${r.intervalS} s plus a new 0–${JITTER_S} s jitter after the previous one started, a mean period of ${r.intervalS + JITTER_S / 2} s, gives about ${x.designRuns.toLocaleString('en')})${r.statuses ? `; statuses at the end: ${Object.entries(r.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.`,
    `- **CPU per check**: ${f1(x.cpuMsPerCheck)} ms (serve's CPU from ${x.steadyFrom.s.toFixed(0)} s to the end ÷ the runs stored meanwhile: ${f1(x.end.cpuS - x.steadyFrom.cpuS)} s for ${(x.end.runs - x.steadyFrom.runs).toLocaleString('en')} runs); ${f1((x.end.cpuS * 100) / x.end.s)}% of one CPU on average over the whole run, start-up included.`,
    `- **RSS**: ${x.rssAt2.rssMb.toFixed(0)} MB at ${x.rssAt2.s.toFixed(0)} s, ${x.end.rssMb.toFixed(0)} MB at the end (${x.end.rssMb >= x.rssAt2.rssMb ? '+' : ''}${(x.end.rssMb - x.rssAt2.rssMb).toFixed(0)} MB), peak sample ${x.rssMax.toFixed(0)} MB. It saws with each round of checks (every target is due within the same 10 s of jitter each minute, then garbage is collected): samples of minute 3 (120–180 s) ranged ${x.rssEarly.map((v) => v.toFixed(0)).join('–')} MB, of the last minute ${x.rssLate.map((v) => v.toFixed(0)).join('–')} MB.`,
    `- **Kept up with the schedule**: ${x.keptUp ? 'yes' : 'NO'}: ${x.runs.toLocaleString('en')} runs against about ${x.designRuns.toLocaleString('en')} by the scheduler's design, at most ${x.maxQueued} runs waiting for a slot at a sample after the first minute (the first round starts every target within the jitter), and ${x.maxStale} targets whose last run ended more than 100 s (interval + jitter + timeout) before a sample. Each round of all targets (they start within the same ${JITTER_S} s and drift together) is stored within a few samples (10–30 s here, the runs column), and serve idles for the rest of the minute.`,
    '',
    '| time s | runs stored | CPU s | RSS MB | waiting | stale |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const shown = r.samples.filter((s, i) => i === 0 || i === r.samples.length - 1 || Math.floor(s.s / 60) !== Math.floor(r.samples[i - 1]!.s / 60));
  for (const s of shown) out.push(`| ${s.s.toFixed(0)} | ${s.runs.toLocaleString('en')} | ${s.cpuS.toFixed(1)} | ${s.rssMb.toFixed(0)} | ${s.queued} | ${s.stale} |`);
  const p = r.probe;
  if (p) {
    out.push('', `### /probe against blackbox_exporter`, '');
    if (!p.blackbox) out.push(`mxdoctor /probe: median ${f1(p.mxdoctor.medianMs)} ms; blackbox_exporter skipped: ${p.skipped ?? 'no result'}.`);
    else {
      const m = p.mxdoctor, b = p.blackbox;
      out.push(
        `Right after the run above, in the same serve process (still checking its ${r.targets.toLocaleString('en')} targets), ${m.n} sequential \`/probe?target=${p.target}&module=smtp\` requests (a module of the smtp family only: greeting, EHLO, STARTTLS when offered (the lab's CA trusted), the banner name's DNS lookup, the MX judgements); `,
        `then blackbox_exporter ${p.blackboxVersion} (Debian's prometheus-blackbox-exporter, its own config on a loopback port) with a tcp module as its docs' smtp_starttls example without the TLS step (expect 220, EHLO, expect "250 ", QUIT, expect 221), ${b.n} sequential probes of the same lab SMTP server. `,
        'Latency is the HTTP request as a Prometheus would see it; CPU per probe is the exporter process\'s CPU time over the probes ÷ their number (serve\'s includes its scheduled checks meanwhile, so it is an upper bound). mxdoctor does more per probe (a TLS handshake, a DNS lookup, its findings): the ratio is the price of that, not of the same work.',
        '',
        '| | probes (success) | median ms | p90 ms | CPU ms/probe |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| mxdoctor serve /probe | ${m.n} (${m.ok}) | ${f1(m.medianMs)} | ${f1(m.p90Ms)} | ${f1(m.cpuMsPerProbe)} |`,
        `| blackbox_exporter ${p.blackboxVersion} | ${b.n} (${b.ok}) | ${f1(b.medianMs)} | ${f1(b.p90Ms)} | ${f1(b.cpuMsPerProbe)} |`,
        `| ratio mxdoctor ÷ blackbox_exporter | | ${(m.medianMs / b.medianMs).toFixed(2)}× | ${(m.p90Ms / b.p90Ms).toFixed(2)}× | ${b.cpuMsPerProbe > 0 ? `${(m.cpuMsPerProbe / b.cpuMsPerProbe).toFixed(2)}×` : '—'} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export const spliceServeSection = (existing: string, section: string) => spliceSection(existing, SERVE_HEADING, section);
