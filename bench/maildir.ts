// (issue 14) `mxdoctor maildir verify --against` on a generated Maildir++ store of
// BENCH_MAILDIR_FILES (1,000,000) small messages and a damaged copy of it, against the shell way
// of checking a backup: `find | xargs sha256sum | sort` on both trees and a diff, in the same run.
// Both must find the same damage (files deleted from and corrupted in the copy).
// Standalone: node --import tsx bench/maildir.ts (splices its section into docs/performance.md).
import { mkdirSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type ProcResult } from './proc.js';

export const MAILDIR_HEADING = '## Mailbox backup check: `mxdoctor maildir verify`';
const FOLDERS = ['', '.Sent', '.Archive', '.Junk', '.Work', '.Work.Projects', '.Lists', '.Trash'];

export interface MaildirBenchRun { tool: string; wallMs: number; cpuS?: number; maxRssKb?: number; found: { missing: number; different: number }; load: [number, number] }
export interface MaildirBenchResult { files: number; bytes: number; genS: number; copyS: number; damage: { deleted: number; corrupted: number }; runs: MaildirBenchRun[]; workers: number; compiled: boolean }

function generate(root: string, n: number): { bytes: number; names: string[] } {
  const every = Math.max(1, Math.floor(n / 20));
  for (const f of FOLDERS) for (const s of ['cur', 'new', 'tmp']) mkdirSync(join(root, f, s), { recursive: true });
  let bytes = 0;
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    // INBOX gets 40%, the other folders share the rest; sizes 0.7–2 KB.
    const folder = i % 10 < 4 ? '' : FOLDERS[1 + (i % (FOLDERS.length - 1))]!;
    const body = `From: s${i}@example.test\r\nTo: u@example.test\r\nSubject: message ${i}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m${i}@example.test>\r\n\r\n${'Lorem ipsum dolor sit amet. '.repeat(20 + (i % 50))}\r\n`;
    const size = Buffer.byteLength(body);
    const name = join(folder, 'cur', `${1700000000 + i}.M${i}P1.bench,S=${size},W=${size}:2,S`);
    writeFileSync(join(root, name), body);
    bytes += size;
    if (i % every === 17 % every) names.push(name);
  }
  return { bytes, names };
}

export async function benchMaildir(o: { files: number; repeats: number; compiled: boolean; workDir?: string }): Promise<MaildirBenchResult> {
  const dir = mkdtempSync(join(o.workDir ?? tmpdir(), 'mxdoctor-maildir-bench-'));
  try {
    const src = join(dir, 'Maildir');
    const copy = join(dir, 'backup');
    let t = performance.now();
    const { bytes, names } = generate(src, o.files);
    const genS = (performance.now() - t) / 1000;
    t = performance.now();
    const cp = await run('cp', ['-a', src, copy]);
    if (cp.code !== 0) throw new Error(`cp -a failed: ${cp.stderr}`);
    const copyS = (performance.now() - t) / 1000;
    // Damage the copy: every other sampled file deleted, the rest corrupted (same size).
    const deleted = names.filter((_, i) => i % 2 === 0);
    const corrupted = names.filter((_, i) => i % 2 === 1);
    for (const n of deleted) unlinkSync(join(copy, n));
    for (const n of corrupted) {
      const b = readFileSync(join(copy, n));
      b[b.length - 5] = 0x21;
      writeFileSync(join(copy, n), b);
    }
    const env: Record<string, string> = o.compiled ? {} : { MXDOCTOR_FROM_SOURCE: '1' };
    const mxd = async (): Promise<MaildirBenchRun> => {
      const before = loadavg()[0]!;
      const r = await run('node', [join(process.cwd(), 'bin', 'mxdoctor.js'), 'maildir', 'verify', src, '--against', copy, '--json', '--quiet', '--max-names', '0'], { measure: true, env });
      const doc = JSON.parse(r.stdout);
      const b = doc.reports[0].facts.maildir.backup;
      return { tool: `mxdoctor maildir verify --against (${o.compiled ? 'dist/' : 'source, tsx'}, ${availableParallelism() > 1 ? `${Math.min(availableParallelism(), 4)} hashing threads` : '1 thread'})`, ...measured(r), found: { missing: b.totals.missing, different: b.totals.different }, load: [before, loadavg()[0]!] };
    };
    const shell = async (): Promise<MaildirBenchRun> => {
      const before = loadavg()[0]!;
      const list = (d: string, out: string) => `(cd ${d} && find . -type f \\( -path '*/cur/*' -o -path '*/new/*' \\) -print0 | xargs -0 sha256sum | sort -k2 > ${out})`;
      const script = `${list(src, join(dir, 'a.sum'))} && ${list(copy, join(dir, 'b.sum'))} && { diff ${join(dir, 'a.sum')} ${join(dir, 'b.sum')} > ${join(dir, 'diff.txt')}; true; }`;
      const r = await run('bash', ['-c', script], { measure: true });
      const diff = readFileSync(join(dir, 'diff.txt'), 'utf8').split('\n');
      const gone = new Set(diff.filter((l) => l.startsWith('< ')).map((l) => l.slice(68)));
      const now = new Set(diff.filter((l) => l.startsWith('> ')).map((l) => l.slice(68)));
      return { tool: 'find \\| xargs sha256sum \\| sort, both trees, then diff', ...measured(r), found: { missing: [...gone].filter((x) => !now.has(x)).length, different: [...gone].filter((x) => now.has(x)).length }, load: [before, loadavg()[0]!] };
    };
    const runs: MaildirBenchRun[] = [];
    // Alternate, the shell first: both read the same trees, warm in the page cache after the copy.
    for (let i = 0; i < o.repeats; i++) runs.push(await shell(), await mxd());
    const result = { files: o.files, bytes, genS, copyS, damage: { deleted: deleted.length, corrupted: corrupted.length }, runs, workers: Math.min(availableParallelism(), 4), compiled: o.compiled };
    // Removing two million files takes minutes on a busy disk: the figures are out first.
    process.stderr.write(`bench maildir: ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await run('rm', ['-rf', dir]);
  }
}

function measured(r: ProcResult): { wallMs: number; cpuS?: number; maxRssKb?: number } {
  if (r.code !== 0 && r.code !== 2) throw new Error(`exit ${r.code}: ${r.stderr.slice(0, 400)}`);
  const out: { wallMs: number; cpuS?: number; maxRssKb?: number } = { wallMs: r.wallMs };
  if (r.cpuS !== undefined) out.cpuS = r.cpuS;
  if (r.maxRssKb !== undefined) out.maxRssKb = r.maxRssKb;
  return out;
}

export function renderMaildirSection(r: MaildirBenchResult, note: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const messagesRead = 2 * r.files - r.damage.deleted;
  const lines = [
    MAILDIR_HEADING, '',
    `Input: a generated Maildir++ store (bench/maildir.ts) of ${n(r.files)} messages in ${FOLDERS.length} folders (${(r.bytes / 1e6).toFixed(0)} MB, 0.7–2 KB each; generated in ${r.genS.toFixed(0)} s) and a copy made with \`cp -a\` (${r.copyS.toFixed(0)} s), in which ${r.damage.deleted} messages were deleted and ${r.damage.corrupted} corrupted. Each tool reads both trees (${n(messagesRead)} files) from the page cache and must find exactly that damage. ${note}`,
    '',
    '| Tool | Wall time | Files/s | CPU | Peak RSS | Found missing / different | Load avg before → after |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const x of r.runs) {
    lines.push(`| ${x.tool} | ${(x.wallMs / 1000).toFixed(1)} s | ${n(Math.round(messagesRead / (x.wallMs / 1000)))} | ${x.cpuS === undefined ? '?' : `${x.cpuS.toFixed(1)} s`} | ${x.maxRssKb === undefined ? '?' : `${Math.round(x.maxRssKb / 1024)} MB`} | ${x.found.missing} / ${x.found.different} | ${x.load[0].toFixed(1)} → ${x.load[1].toFixed(1)} |`);
  }
  // Runs alternate (shell, mxdoctor, shell, ...): each pair ran under about the same load.
  const shellRuns = r.runs.filter((x) => x.tool.startsWith('find'));
  const mxdRuns = r.runs.filter((x) => x.tool.startsWith('mxdoctor'));
  const ratios = mxdRuns.map((m, i) => shellRuns[i]!.wallMs / m.wallMs);
  const total = shellRuns.reduce((a, x) => a + x.wallMs, 0) / mxdRuns.reduce((a, x) => a + x.wallMs, 0);
  const cpu = (xs: MaildirBenchRun[]) => xs.reduce((a, x) => a + (x.cpuS ?? NaN), 0);
  const right = r.runs.every((x) => x.found.missing === r.damage.deleted && x.found.different === r.damage.corrupted);
  lines.push('', `mxdoctor's speed against the shell pipeline, pair by pair: ${ratios.map((x) => `**${x.toFixed(2)}×**`).join(', ')}; over all runs **${total.toFixed(2)}×** (target ≥ 1×: ${total >= 1 ? 'met over all runs' : '**not met**'}${total >= 1 && ratios.some((x) => x < 1) ? ', not in every pair' : ''}). CPU time ${cpu(mxdRuns).toFixed(1)} s against ${cpu(shellRuns).toFixed(1)} s in all. Both found the ${r.damage.deleted} deleted and ${r.damage.corrupted} corrupted messages: ${right ? 'yes' : '**NO**'}.`,
    'Peak RSS of the pipeline is GNU time\'s maximum over its processes (the largest one, usually sort); mxdoctor\'s is one process with its hashing threads. mxdoctor also parses every header, checks sizes against the S= in the name and counts flags and duplicate Message-IDs, which the pipeline does not.', '');
  return lines.join('\n');
}

/** Replace (or add, before Observations) the maildir section of an existing performance.md. */
export function spliceMaildirSection(existing: string, section: string): string {
  const start = existing.indexOf(`\n${MAILDIR_HEADING}`);
  if (start >= 0) {
    const next = existing.indexOf('\n## ', start + 1);
    return existing.slice(0, start + 1) + section + (next < 0 ? '' : existing.slice(next + 1));
  }
  const obs = existing.indexOf('\n## Observations');
  return obs < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, obs + 1)}${section}\n${existing.slice(obs + 1)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = Number(process.env.BENCH_MAILDIR_FILES ?? 1_000_000);
  const res = await benchMaildir({ files, repeats: Number(process.env.BENCH_MAILDIR_REPEATS ?? 2), compiled: process.env.BENCH_COMPILED !== '0' && existsSync('dist/.built'), workDir: process.env.BENCH_MAILDIR_DIR });
  const note = process.env.BENCH_MAILDIR_NOTE ?? `The machine (${availableParallelism()} CPUs) was shared with other work during the run: the load average column says how busy it was, and CPU time varies less than wall time.`;
  const out = process.env.BENCH_OUT ?? join(process.cwd(), 'docs', 'performance.md');
  const section = renderMaildirSection(res, note);
  if (out === '-') process.stdout.write(section);
  else writeFileSync(out, spliceMaildirSection(existsSync(out) ? readFileSync(out, 'utf8') : '# Performance\n', section));
  process.stdout.write(`${section.split('\n').filter((l) => l.startsWith('mxdoctor\'s speed')).join('')}\n`);
}
