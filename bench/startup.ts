// Start-up (issue 15): whole `mxdoctor` processes as a user runs them from a built checkout
// (bin/mxdoctor.js → dist/cli/, the bundle of scripts/bundle-cli.mjs), beside `node -e 0`
// (Node's own start-up, the floor) measured in the same rounds. Each round runs every command
// once, in turn, so a load spike costs them all alike; min and median of BENCH_STARTUP_REPEATS
// (20) rounds, wall time and CPU (user + system, from GNU time when installed).
// The full check is of mail-lab.test on the real-server lab (test/lab/, as in section 3) when
// it answers; BENCH_STARTUP_BEFORE=<another built checkout> times its bin/mxdoctor.js too
// (e.g. `git worktree add /tmp/old main && (cd /tmp/old && npm ci)`): before and after in one run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { run } from './proc.js';
import { spliceSection } from './splice.js';

export const STARTUP_HEADING = '## Start-up: whole processes';
const ROOT = process.cwd();
const LAB_DOMAIN = 'mail-lab.test';
const CA = join(ROOT, 'test', 'fixtures', 'certs', 'ca.pem');

export interface StartupRow { label: string; command: string; wallMs: number[]; cpuMs: number[]; failed: number }
export interface StartupResult { rows: StartupRow[]; repeats: number; load: number[][]; notes: string[] }

/** The real-server lab's resolver when test/lab/start-dns.sh has run (its dns.env). */
function labResolver(): string | undefined {
  const f = join(ROOT, 'test', 'lab', 'run', 'dns.env');
  if (!existsSync(f)) return undefined;
  const env = Object.fromEntries(readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => l.split('=') as [string, string]));
  return `${env.REAL_DNS_RESOLVER ?? '127.0.1.4'}:${env.REAL_DNS_PORT ?? '53'}`;
}

export async function benchStartup(o: { repeats: number; before?: string }): Promise<StartupResult> {
  const notes: string[] = [];
  const load = [loadavg()];
  // Compiled as a user runs it: never the tsx path the rest of the bench forces.
  const env = { MXDOCTOR_FROM_SOURCE: '', MXDOCTOR_LOOPBACK_ONLY: '1' };
  const bins: [string, string][] = [['', join(ROOT, 'bin', 'mxdoctor.js')]];
  if (o.before) bins.push([' (before)', join(o.before, 'bin', 'mxdoctor.js')]);
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) notes.push('No dist/cli/ bundle (run `npm run build`): the commands ran dist/src/ or, without dist/, src/ through tsx.');
  const resolver = labResolver();
  const probe = resolver ? await run('node', [bins[0]![1], 'check', LAB_DOMAIN, '--json', '--resolver', resolver, '--ca', CA, '--slow', '2000'], { env, timeoutMs: 60_000 }) : undefined;
  const labUp = !!probe && /"reports"/.test(probe.stdout);
  if (!labUp) notes.push(`The real-server lab did not answer (${resolver ? `${resolver}: ${probe?.stderr.trim().split('\n')[0] ?? 'no report'}` : 'test/lab/run/dns.env absent'}): the full check was not timed. Start it with test/lab/start-dns.sh and start-mail.sh (root).`);
  const cmds: { label: string; args: string[]; shown: string }[] = [{ label: 'node alone', args: ['-e', '0'], shown: 'node -e 0' }];
  for (const [tag, bin] of bins) {
    cmds.push({ label: `mxdoctor --version${tag}`, args: [bin, '--version'], shown: 'mxdoctor --version' });
    cmds.push({ label: `mxdoctor --help${tag}`, args: [bin, '--help'], shown: 'mxdoctor --help' });
    if (labUp) cmds.push({ label: `mxdoctor check ${LAB_DOMAIN}${tag}`, args: [bin, 'check', LAB_DOMAIN, '--json', '--resolver', resolver!, '--ca', CA, '--slow', '2000'], shown: `mxdoctor check ${LAB_DOMAIN} --json --resolver ${resolver} --ca test/fixtures/certs/ca.pem --slow 2000` });
  }
  const rows: StartupRow[] = cmds.map((c) => ({ label: c.label, command: c.shown, wallMs: [], cpuMs: [], failed: 0 }));
  process.stderr.write(`bench: start-up, ${cmds.length} commands × ${o.repeats} rounds...\n`);
  for (let i = 0; i < o.repeats; i++) {
    for (const [k, c] of cmds.entries()) {
      const r = await run('node', c.args, { env, measure: true, timeoutMs: 120_000 });
      // A check exits 0-2 by its findings; anything else (3: unknown or usage) is not a run to time.
      if (r.code === null || r.code > 2) { rows[k]!.failed++; continue; }
      rows[k]!.wallMs.push(r.wallMs);
      if (r.cpuS !== undefined) rows[k]!.cpuMs.push(r.cpuS * 1000);
    }
  }
  load.push(loadavg());
  return { rows, repeats: o.repeats, load, notes };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const minOf = (xs: number[]) => (xs.length ? sorted(xs)[0]! : NaN);
export const medianOf = (xs: number[]) => (xs.length ? sorted(xs)[Math.floor(xs.length / 2)]! : NaN);
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');

/** Targets of issue 15: `--version` under 100 ms, a full check process under 600 ms. */
export function renderStartupSection(r: StartupResult, date: string, nproc: number): string {
  const p: string[] = [STARTUP_HEADING, ''];
  p.push(`Measured ${date} with \`BENCH_ONLY=startup npm run bench\` (bench/startup.ts): ${r.repeats} rounds, each running every command below once in turn; min and median. Compiled as a user runs it: \`node bin/mxdoctor.js\` on a built checkout, which runs the bundle dist/cli/main.js (scripts/bundle-cli.mjs). The machine (${nproc} CPUs) was shared with other work: load average ${r.load.map((l) => l.map((x) => x.toFixed(1)).join(', ')).join(' at the start, ')} at the end. Wall time under load is mostly waiting for a CPU: the min is the closest to an idle machine, and CPU time (user + system) varies least.`, '');
  p.push('| Command | wall min | wall median | CPU min | CPU median | target |', '|---|---|---|---|---|---|');
  for (const row of r.rows) {
    const target = /--version$/.test(row.label) ? '< 100 ms' : /^mxdoctor check/.test(row.label) && !/before/.test(row.label) ? '< 600 ms' : '';
    p.push(`| ${row.label}${row.failed ? ` (${row.failed} failed)` : ''} | ${ms(minOf(row.wallMs))} | ${ms(medianOf(row.wallMs))} | ${ms(minOf(row.cpuMs))} | ${ms(medianOf(row.cpuMs))} | ${target} |`);
  }
  p.push('', ...r.rows.filter((x) => x.label.startsWith('mxdoctor check') && !x.label.includes('before')).map((x) => `Full check command: \`${x.command}\` (every family, the server probes included, as in section 3).`));
  const row = (label: string) => r.rows.find((x) => x.label === label);
  const verdict = (label: string, target: number) => {
    const x = row(label);
    const m = x ? minOf(x.wallMs) : NaN;
    return Number.isFinite(m) ? `${label} ${ms(m)} at best (target < ${target} ms): ${m < target ? 'met' : 'not met'}` : `${label}: not measured`;
  };
  const check = r.rows.find((x) => x.label.startsWith('mxdoctor check') && !x.label.includes('before'));
  p.push('', `Verdicts on the wall-time minimum (the closest to an idle machine in this run): ${verdict('mxdoctor --version', 100)}; ${check ? verdict(check.label, 600) : 'full check not measured'}.`);
  const pairs = r.rows.filter((x) => x.label.endsWith(' (before)')).map((b) => [row(b.label.replace(' (before)', '')), b] as const).filter(([a]) => a);
  if (pairs.length) p.push('', `Against the build before, median CPU: ${pairs.map(([a, b]) => `${a!.label} ${ms(medianOf(b.cpuMs))} → ${ms(medianOf(a!.cpuMs))}`).join('; ')}.`);
  if (r.notes.length) p.push('', ...r.notes);
  return `${p.join('\n')}\n`;
}

export const spliceStartupSection = (existing: string, section: string): string => spliceSection(existing, STARTUP_HEADING, section);
