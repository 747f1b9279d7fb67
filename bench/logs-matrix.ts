// `npm run bench`, logs matrix (issue 15): `mxdoctor logs --json` and pflogsumm on the same
// files in the same run, over two generators, several seeds and sizes, each file's totals
// checked against its generator's known counts:
//   - the reference generator ../shared/bench/gen-postfix-log.mjs (beside the checkout, as CI
//     lays it out; BENCH_GEN_POSTFIX names another path) with its <file>.truth.json
//     (pflogsumm_expected); skipped with a note when it is absent;
//   - the project's own generator (test/helpers/postfix-log-gen.ts through bench/logs-gen.ts).
// Knobs: BENCH_LOGS_MATRIX ("shared:7:100,shared:1234:100,shared:7:1000,own:7:100" —
// generator:seed:MB entries), BENCH_LOGS_10G=1 adds shared:7:10000 (10 GB, ~30 min).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { run, type ProcResult } from './proc.js';
import { ensureLog } from './logs-gen.js';
import { pfNumber } from './logs.js';

const ROOT = process.cwd();
const OUT = join(ROOT, 'bench', 'out');

export interface MatrixRun { wallMs: number; cpuS?: number; maxRssKb?: number; load: [number, number]; code: number | null }
export interface MatrixTotal { name: string; expected: number; mxdoctor?: number; pflogsumm?: string; agree: boolean }
export interface MatrixRow {
  generator: 'shared' | 'own'; seed: string; mb: number; bytes: number; lines: number;
  /** Default run (two threads), one thread, pflogsumm. */
  mx?: MatrixRun; mx1?: MatrixRun; pf?: MatrixRun;
  totals: MatrixTotal[];
  notes: string[];
}
export interface MatrixResult { rows: MatrixRow[]; notes: string[]; generator?: string }

/** The reference generator: BENCH_GEN_POSTFIX, else shared/ beside the checkout (or beside its worktree folder). */
export function sharedGenerator(env = process.env): string | undefined {
  const cands = [env.BENCH_GEN_POSTFIX, resolve(ROOT, '..', 'shared', 'bench', 'gen-postfix-log.mjs'), resolve(ROOT, '..', '..', 'shared', 'bench', 'gen-postfix-log.mjs')];
  return cands.find((p): p is string => !!p && existsSync(p));
}

/** Its truth file's pflogsumm_expected keys → mxdoctor's JSON totals. */
const SHARED_KEYS: [string, string][] = [
  ['received', 'received'], ['delivered', 'delivered'], ['forwarded', 'forwarded'], ['deferred', 'deferred'], ['deferrals', 'deferrals'],
  ['bounced', 'bounced'], ['rejected', 'rejected'], ['reject_warnings', 'rejectWarnings'], ['held', 'held'], ['discarded', 'discarded'],
  ['bytes_received', 'bytesReceived'], ['bytes_delivered', 'bytesDelivered'], ['senders', 'senders'], ['sending_hosts_domains', 'sendingDomains'],
  ['recipients', 'recipients'], ['recipient_hosts_domains', 'recipientDomains'],
];
/** pflogsumm's label for a total (its grand-totals block). */
const PF_LABEL: Record<string, string> = {
  received: 'received', delivered: 'delivered', forwarded: 'forwarded', deferred: 'deferred', bounced: 'bounced', rejected: 'rejected',
  rejectWarnings: 'reject warnings', held: 'held', discarded: 'discarded', bytesReceived: 'bytes received', bytesDelivered: 'bytes delivered',
  senders: 'senders', sendingDomains: 'sending hosts/domains', recipients: 'recipients', recipientDomains: 'recipient hosts/domains',
};

function entries(env = process.env): { generator: 'shared' | 'own'; seed: string; mb: number }[] {
  const spec = env.BENCH_LOGS_MATRIX ?? 'shared:7:100,shared:1234:100,shared:7:1000,own:7:100';
  const out = spec.split(',').map((e) => e.trim().split(':')).filter((p) => p.length === 3 && (p[0] === 'shared' || p[0] === 'own') && Number(p[2]) > 0)
    .map(([g, seed, mb]) => ({ generator: g as 'shared' | 'own', seed: seed!, mb: Number(mb) }));
  if (env.BENCH_LOGS_10G === '1') out.push({ generator: 'shared', seed: '7', mb: 10_000 });
  return out;
}

/** A shared-generator log in bench/out, reused when it and its truth file are there. */
function sharedLog(gen: string, seed: string, mb: number): { path: string; truth: Record<string, any> } {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `shared-${mb}mb-seed${seed}.log`);
  const truthPath = `${path}.truth.json`;
  const ok = () => existsSync(path) && existsSync(truthPath) && statSync(path).size === JSON.parse(readFileSync(truthPath, 'utf8')).file?.bytes;
  if (!ok()) {
    process.stderr.write(`bench: logs matrix: generating ${mb} MB (seed ${seed}) with ${gen}...\n`);
    const r = spawnSync('node', [gen, '--out', path, '--mb', String(mb), '--days', '10', '--seed', seed], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`generator failed: ${r.stderr.slice(0, 200)}`);
  }
  return { path, truth: JSON.parse(readFileSync(truthPath, 'utf8')) };
}

function m(r: ProcResult, load0: number): MatrixRun {
  return { wallMs: r.wallMs, cpuS: r.cpuS, maxRssKb: r.maxRssKb, load: [load0, loadavg()[0]!], code: r.code };
}

async function mxdoctor(path: string, threads?: string): Promise<{ run: MatrixRun; totals?: Record<string, number> }> {
  const load0 = loadavg()[0]!;
  const env = { NODE_TEST_CONTEXT: '', MXDOCTOR_FROM_SOURCE: '', MXDOCTOR_LOGS_THREADS: threads ?? '' };
  const r = await run('node', [join(ROOT, 'bin', 'mxdoctor.js'), 'logs', path, '--json'], { measure: true, timeoutMs: 3_600_000, env });
  let totals: Record<string, number> | undefined;
  try { totals = JSON.parse(r.stdout).reports[0].facts.logs.totals; } catch { /* no JSON: shown as missing totals */ }
  return { run: m(r, load0), totals };
}

export async function benchLogsMatrix(o: { pflogsumm?: string; pflogsummArgs: string[] }): Promise<MatrixResult> {
  const gen = sharedGenerator();
  const res: MatrixResult = { rows: [], notes: [], generator: gen };
  if (!gen) res.notes.push('The reference generator (../shared/bench/gen-postfix-log.mjs, or BENCH_GEN_POSTFIX) is not beside this checkout: its rows were skipped.');
  for (const e of entries()) {
    if (e.generator === 'shared' && !gen) continue;
    let path: string;
    let expected: [string, number][];
    let lines: number;
    try {
      if (e.generator === 'shared') {
        const l = sharedLog(gen!, e.seed, e.mb);
        path = l.path;
        lines = l.truth.file.lines;
        const pe = l.truth.pflogsumm_expected as Record<string, number>;
        expected = SHARED_KEYS.filter(([k]) => pe[k] !== undefined).map(([k, ours]) => [ours, pe[k]!]);
      } else {
        const l = ensureLog(OUT, e.mb, Number(e.seed) || 42);
        path = l.path;
        lines = l.counts.lines;
        const c = l.counts;
        expected = [['received', c.received], ['delivered', c.delivered], ['deferred', c.deferred], ['deferrals', c.deferrals], ['bounced', c.bounced], ['rejected', c.rejected], ['bytesReceived', c.bytesReceived], ['bytesDelivered', c.bytesDelivered]];
      }
    } catch (err) {
      res.notes.push(`${e.generator} seed ${e.seed}, ${e.mb} MB: not generated (${(err as Error).message})`);
      continue;
    }
    const row: MatrixRow = { ...e, bytes: statSync(path).size, lines, totals: [], notes: [] };
    process.stderr.write(`bench: logs matrix: ${e.generator} seed ${e.seed} ${e.mb} MB: mxdoctor (two threads, then one)...\n`);
    const d = await mxdoctor(path);
    const one = await mxdoctor(path, '1');
    row.mx = d.run; row.mx1 = one.run;
    if (JSON.stringify(d.totals) !== JSON.stringify(one.totals)) row.notes.push('one and two threads gave different totals');
    let pfText = '';
    if (o.pflogsumm) {
      process.stderr.write(`bench: logs matrix: ${e.generator} seed ${e.seed} ${e.mb} MB: pflogsumm...\n`);
      const load0 = loadavg()[0]!;
      const r = await run(o.pflogsumm, [...o.pflogsummArgs, path], { measure: true, timeoutMs: 7_200_000 });
      row.pf = m(r, load0);
      pfText = r.stdout;
    }
    for (const [name, want] of expected) {
      const ours = d.totals?.[name];
      const pf = name === 'deferrals'
        ? (() => { const x = /\((\d+)\s+deferrals\)/.exec(pfText); return x ? { shown: x[1]!, matches: (n: number) => n === Number(x[1]) } : undefined; })()
        : PF_LABEL[name] ? pfNumber(pfText, PF_LABEL[name]!.replace('/', '\\/')) : undefined;
      row.totals.push({ name, expected: want, mxdoctor: ours, pflogsumm: pf?.shown, agree: ours === want && (!pfText || !pf || pf.matches(ours)) });
    }
    res.rows.push(row);
  }
  return res;
}
