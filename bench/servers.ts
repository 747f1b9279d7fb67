// Measurement 3 (issue 3): a full `mxdoctor check` of a domain with two MX hosts on the
// real-server lab (Debian's Knot + Unbound on 127.0.1.x, Postfix + Dovecot on 127.0.2.x:
// test/lab/), target < 2 s, beside the tools a user would run instead on the same servers
// for the same facts: testssl.sh (TLS protocols, certificate) and swaks (SMTP dialogue,
// STARTTLS, open-relay probe), one after the other as a person runs them.
// The lab is installed (test/lab/install.sh, idempotent) and started with the project's
// scripts, and always stopped at the end (finally, and on SIGINT/SIGTERM/SIGHUP); parts
// that were already running (someone else's lab) are reused and left running. Without
// root the section is skipped with the reason: the bench never fails for it.
// Nothing leaves loopback: every target is 127.0.2.x, mxdoctor runs with
// MXDOCTOR_LOOPBACK_ONLY=1, and testssl.sh and swaks run in a private mount namespace
// whose /etc/nsswitch.conf says `hosts: files` and whose /etc/resolv.conf names
// 127.0.0.1 (testssl.sh resolves `invalid.` while probing its OpenSSL even with
// --nodns none; outside the namespace that query would go to the system resolver).
// testssl.sh runs without --phone-out (its default): no CRL or OCSP fetch.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { loadavg } from 'node:os';
import { DnsClient } from '../src/io/dns-client.js';
import { run, stopChildren, which } from './proc.js';
import type { ProcResult } from './proc.js';

export const SERVERS_TARGET = 2000; // ms, full check of a domain with two MX hosts (issue 3)
export const DOMAIN = 'mail-lab.test';
const ROOT = process.cwd();
const LAB = join(ROOT, 'test', 'lab');
export const CA_REL = 'test/fixtures/certs/ca.pem';
const CA = join(ROOT, CA_REL);
const BUILD = join(ROOT, 'bench', 'out', 'build');
const EHLO = 'bench.mxdoctor.test';
const MX = [
  { host: 'mx1.mail-lab.test', addr: '127.0.2.1' },
  { host: 'mx2.mail-lab.test', addr: '127.0.2.2' },
];
/** Every endpoint the lab must answer on for this measurement. */
const ENDPOINTS = ['127.0.2.1:25', '127.0.2.1:587', '127.0.2.1:465', '127.0.2.1:143', '127.0.2.1:993', '127.0.2.1:110', '127.0.2.1:995', '127.0.2.2:25'];

export interface CliRun {
  wallMs: number;
  cpuS?: number;
  durationMs: number;
  status: string;
  exitCode: number | null;
  dnsQueries?: number;
  /** report.checks[].durationMs by family. */
  families: Record<string, number>;
  /** Distinct host:port endpoints named by the findings. */
  endpoints: number;
  findings: number;
  /** Findings that are not ok/info. */
  problems: string[];
}

export interface AltRun {
  tool: 'testssl.sh' | 'swaks';
  /** mx = the two MX hosts on port 25; other = mx1's submission and mailbox ports. */
  group: 'mx' | 'other';
  target: string;
  facts: string;
  command: string;
  wallMs: number;
  cpuS?: number;
  exitCode: number | null;
  /** The facts were read from the output (the run did its job). */
  ok: boolean;
  note?: string;
}

export interface ServersResult {
  /** Why the section was not measured. */
  skipped?: string;
  notes: string[];
  lab: { installMs?: number; dnsStartMs?: number; mailStartMs?: number; stopMs?: number; reusedDns: boolean; reusedMail: boolean };
  resolver: string;
  args: string[];
  warmup?: CliRun;
  source: CliRun[];
  compiled: CliRun[];
  /** The compiled build: tsc time, and its `--version` (start-up) median. */
  build?: { wallMs: number; startupMs?: number };
  alternatives: AltRun[];
  testsslSet: string;
  versions: { testssl?: string; swaks?: string; openssl?: string };
  load: { before: number[]; after: number[] };
  totalMs: number;
}

export interface ServersOptions {
  repeats: number;
  dir: string;
  /** "mx": testssl.sh on port 25 of both MX only; "full" (default): also mx1's 587, 465, 993, 995; "all": also 143 and 110 (STARTTLS); "0": no alternatives. */
  testssl: string;
  /** Build the compiled CLI and time it too. */
  compiled: boolean;
}

/** The result of a section that could not be measured. */
export const skippedServers = (testsslSet: string, skipped: string, notes: string[] = []): ServersResult => ({
  skipped, notes, lab: { reusedDns: false, reusedMail: false }, resolver: '', args: [], source: [], compiled: [], alternatives: [],
  testsslSet, versions: {}, load: { before: loadavg(), after: loadavg() }, totalMs: 0,
});
const empty = (o: ServersOptions, skipped: string, notes: string[] = []) => skippedServers(o.testssl, skipped, notes);

export async function benchServers(o: ServersOptions): Promise<ServersResult> {
  const t0 = performance.now();
  const root = process.getuid?.() === 0;
  if (!root) return empty(o, 'not running as root: the mail lab (test/lab/start-mail.sh) binds ports 25, 110, 143… Run `sudo npm run bench` to include it.');
  if (!which('bash')) return empty(o, 'bash is missing: the lab scripts need it.');
  const notes: string[] = [];
  const lab: ServersResult['lab'] = { reusedDns: false, reusedMail: false };
  const stops: { name: string; script: string }[] = [];
  const stopAll = () => {
    const t = performance.now();
    for (const s of stops.splice(0).reverse()) {
      process.stderr.write(`bench: stopping the ${s.name} lab...\n`);
      const fd = openSync(join(o.dir, `stop-${s.name}.log`), 'a');
      spawnSync('bash', [join(LAB, s.script)], { cwd: ROOT, stdio: ['ignore', fd, fd], timeout: 60_000 });
      closeSync(fd);
    }
    return performance.now() - t;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`bench: ${sig}: stopping the real-server lab before exiting\n`);
    stopChildren();
    stopAll();
    rmSync(BUILD, { recursive: true, force: true });
    rmSync(o.dir, { recursive: true, force: true });
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[sig]!);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  let building: ReturnType<typeof buildCompiled> | undefined;
  try {
    // 1. The servers.
    process.stderr.write('bench: real-server lab: install (test/lab/install.sh, idempotent)...\n');
    const inst = await script('install.sh', o.dir, 900_000);
    lab.installMs = inst.wallMs;
    if (inst.code !== 0) return { ...empty(o, `test/lab/install.sh failed (exit ${inst.code}): ${tail(inst.log)}`, notes), lab };
    // DNS lab, mail lab and the compiled build are independent: started together.
    const env = dnsEnv();
    let resolver = `${env.REAL_DNS_RESOLVER ?? '127.0.1.4'}:${env.REAL_DNS_PORT ?? '53'}`;
    const [dnsAlready, down] = await Promise.all([dnsUp(resolver), closedEndpoints()]);
    if (o.compiled) {
      process.stderr.write('bench: compiling mxdoctor (tsconfig.build.json) into bench/out/build...\n');
      building = buildCompiled();
    }
    let dnsStart: Promise<Awaited<ReturnType<typeof script>>> | undefined;
    let mailStart: Promise<Awaited<ReturnType<typeof script>>> | undefined;
    if (dnsAlready) {
      lab.reusedDns = true;
      notes.push(`The DNS lab was already running (${resolver} answered ${DOMAIN} MX): reused as it was and left running.`);
    } else {
      process.stderr.write('bench: starting the DNS lab (test/lab/start-dns.sh)...\n');
      stops.push({ name: 'DNS', script: 'stop-dns.sh' });
      dnsStart = script('start-dns.sh', o.dir, 180_000);
    }
    if (down.length === 0) {
      lab.reusedMail = true;
      notes.push('The mail lab was already running (every endpoint answered): reused as it was and left running.');
    } else {
      if (down.length < ENDPOINTS.length) notes.push(`Part of the mail lab was running (${ENDPOINTS.length - down.length} of ${ENDPOINTS.length} endpoints): start-mail.sh restarted all of it.`);
      process.stderr.write('bench: starting the mail lab (test/lab/start-mail.sh)...\n');
      stops.push({ name: 'mail', script: 'stop-mail.sh' });
      mailStart = script('start-mail.sh', o.dir, 180_000);
    }
    const [d, m] = await Promise.all([dnsStart, mailStart]);
    if (d) {
      lab.dnsStartMs = d.wallMs;
      if (d.code !== 0) return { ...empty(o, `test/lab/start-dns.sh failed (exit ${d.code}): ${tail(d.log)}`, notes), lab };
      const e = dnsEnv();
      resolver = `${e.REAL_DNS_RESOLVER ?? '127.0.1.4'}:${e.REAL_DNS_PORT ?? '53'}`;
      if (!(await dnsUp(resolver))) return { ...empty(o, `the DNS lab started but ${resolver} does not answer ${DOMAIN} MX`, notes), lab };
    }
    if (m) {
      lab.mailStartMs = m.wallMs;
      if (m.code !== 0) return { ...empty(o, `test/lab/start-mail.sh failed (exit ${m.code}): ${tail(m.log)}`, notes), lab };
      const still = await closedEndpoints();
      if (still.length) return { ...empty(o, `the mail lab started but nothing listens on ${still.join(', ')}`, notes), lab };
    }

    // 2. mxdoctor: from source (bin/mxdoctor.js through tsx, as in a checkout) and compiled.
    const args = ['check', DOMAIN, '--json', '--resolver', resolver, '--ca', CA, '--slow', '2000'];
    let compiledMain: string | undefined;
    let build: ServersResult['build'];
    if (building) {
      const b = await building;
      if ('error' in b) notes.push(`The compiled CLI was not measured: ${b.error}`);
      else {
        compiledMain = b.main;
        const ver = [];
        for (let i = 0; i < 3; i++) ver.push(await run('node', [b.main, '--version']));
        build = { wallMs: b.wallMs, startupMs: median(ver.map((v) => v.wallMs)) };
      }
    }
    const load0 = loadavg();
    process.stderr.write(`bench: mxdoctor check ${DOMAIN} on the real-server lab (${o.repeats} runs each, from source${compiledMain ? ' and compiled' : ''})...\n`);
    const cli = (main: string) => cliRun(main, args);
    const warmup = await cli(join(ROOT, 'bin', 'mxdoctor.js'));
    const source: CliRun[] = [];
    const compiled: CliRun[] = [];
    for (let i = 0; i < o.repeats; i++) {
      const s = await cli(join(ROOT, 'bin', 'mxdoctor.js'));
      if (s) source.push(s);
      if (compiledMain) {
        const c = await cli(compiledMain);
        if (c) compiled.push(c);
      }
    }
    if (!warmup) notes.push('The warm-up run printed no report.');
    if (source.length < o.repeats || (compiledMain && compiled.length < o.repeats)) notes.push(`Some mxdoctor runs printed no valid report: ${source.length} of ${o.repeats} from source, ${compiled.length} compiled.`);

    // 3. The alternatives, same servers, same run.
    const versions: ServersResult['versions'] = {};
    const alternatives: AltRun[] = [];
    if (o.testssl !== '0') {
      const tools = ensureTools();
      notes.push(...tools.notes);
      const iso = isolation(o.dir);
      if (!iso.ok) notes.push(`testssl.sh and swaks were not run: ${iso.why} (they must not resolve names outside loopback).`);
      else {
        versions.testssl = tools.testssl ? debVersion('testssl.sh') : undefined;
        versions.swaks = tools.swaks ? spawnSync(tools.swaks, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() : undefined;
        versions.openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim() || undefined;
        process.stderr.write('bench: the same facts with swaks and testssl.sh, one after the other...\n');
        for (const step of plan(o.testssl, tools)) alternatives.push(await altRun(step, iso.wrap));
      }
    }
    return { notes, lab, resolver, args: args.map((a) => (a === CA ? CA_REL : a)), warmup, source, compiled, build, alternatives, testsslSet: o.testssl, versions, load: { before: load0, after: loadavg() }, totalMs: performance.now() - t0 };
  } finally {
    const stopMs = stopAll();
    if (stopMs > 1) lab.stopMs = stopMs;
    for (const s of signals) process.off(s, onSignal);
    await building?.catch(() => undefined); // a build still running would write into BUILD after it is removed
    rmSync(BUILD, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const tail = (log: string) => log.trim().split('\n').slice(-3).join(' / ').slice(0, 400);

/** A lab script, output to a log file; resolves on exit (daemons it starts may keep inherited descriptors open). */
function script(name: string, dir: string, timeoutMs: number): Promise<{ code: number | null; wallMs: number; log: string }> {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('bash', [join(LAB, name)], { cwd: ROOT, stdio: ['ignore', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const done = (code: number | null) => {
      clearTimeout(timer);
      closeSync(fd);
      resolve({ code, wallMs: performance.now() - t0, log: readFileSync(logFile, 'utf8') });
    };
    child.once('exit', (code) => done(code));
    child.once('error', () => done(-1));
  });
}

function dnsEnv(): Record<string, string> {
  const f = join(LAB, 'run', 'dns.env');
  if (!existsSync(f)) return {};
  return Object.fromEntries(readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => l.split('=') as [string, string]));
}

async function dnsUp(resolver: string): Promise<boolean> {
  const [host, port] = resolver.split(':');
  const c = new DnsClient({ servers: [{ host: host!, port: Number(port) }], timeoutMs: 700, retries: 0 });
  try {
    const r = await c.query(DOMAIN, 'MX');
    return r.status === 'answer' && r.records.length === 2;
  } catch {
    return false;
  } finally {
    c.close();
  }
}

function tcpOpen(ep: string): Promise<boolean> {
  const [host, port] = ep.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port), timeout: 700 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

async function closedEndpoints(): Promise<string[]> {
  const open = await Promise.all(ENDPOINTS.map(tcpOpen));
  return ENDPOINTS.filter((_, i) => !open[i]);
}

/** `npm run build` into bench/out/build (not dist/, which is not the bench's), lab data and package.json beside it. */
async function buildCompiled(): Promise<{ main: string; wallMs: number } | { error: string }> {
  rmSync(BUILD, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await run('node', [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD, '--declaration', 'false'], { timeoutMs: 300_000 });
  const main = join(BUILD, 'src', 'cli', 'main.js');
  if (r.code !== 0 || !existsSync(main)) return { error: `tsc -p tsconfig.build.json failed (exit ${r.code}): ${tail(r.stdout + r.stderr)}` };
  for (const d of ['zones', 'certs', 'mta-sts']) {
    const from = join(ROOT, 'src', 'lab', d);
    if (existsSync(from)) cpSync(from, join(BUILD, 'src', 'lab', d), { recursive: true });
  }
  // src/version.ts reads ../package.json from dist/src/: the same layout here.
  cpSync(join(ROOT, 'package.json'), join(BUILD, 'package.json'));
  return { main, wallMs: r.wallMs };
}

async function cliRun(main: string, args: string[]): Promise<CliRun | undefined> {
  const r = await run('node', [main, ...args], { measure: true, timeoutMs: 60_000, env: { MXDOCTOR_LOOPBACK_ONLY: '1' } });
  let rep: { durationMs: number; status: string; exitCode: number; dnsQueries?: number; checks: { check: string; durationMs: number }[]; findings: { id: string; severity: string; subject?: string }[] };
  try {
    rep = JSON.parse(r.stdout).reports[0];
  } catch {
    process.stderr.write(`bench: mxdoctor printed no JSON report (exit ${r.code}): ${r.stderr.slice(0, 300)}\n`);
    return undefined;
  }
  const endpoints = new Set(rep.findings.map((f) => /([a-z0-9.-]+:\d+) \(/i.exec(f.subject ?? '')?.[1]).filter(Boolean));
  return {
    wallMs: r.wallMs, cpuS: r.cpuS, durationMs: rep.durationMs, status: rep.status, exitCode: r.code, dnsQueries: rep.dnsQueries,
    families: Object.fromEntries(rep.checks.map((c) => [c.check, c.durationMs])), endpoints: endpoints.size, findings: rep.findings.length,
    problems: rep.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info').map((f) => `${f.id} (${f.severity}${f.subject ? `, ${f.subject}` : ''})`),
  };
}

interface Tools { testssl?: string; swaks?: string; notes: string[] }

/** testssl.sh and swaks (with Net::SSLeay for its TLS), installed with apt-get when missing. */
function ensureTools(): Tools {
  const notes: string[] = [];
  const find = () => ({ testssl: which('testssl.sh') ?? which('testssl'), swaks: which('swaks') });
  const swaksTls = (p: string) => {
    const r = spawnSync(p, ['--support'], { encoding: 'utf8' });
    return /=== TLS supported/.test(`${r.stdout}${r.stderr}`);
  };
  let t = find();
  const missing = [...(t.testssl ? [] : ['testssl.sh']), ...(t.swaks ? [] : ['swaks']), ...(t.swaks && swaksTls(t.swaks) ? [] : ['libnet-ssleay-perl'])];
  if (missing.length) {
    if (!which('apt-get')) return { ...t, notes: [`${missing.join(', ')} missing and apt-get is not available.`] };
    process.stderr.write(`bench: installing ${missing.join(' ')} with apt-get...\n`);
    const install = () => spawnSync('apt-get', ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=600', '--no-install-recommends', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      if (!install()) notes.push(`\`apt-get install ${missing.join(' ')}\` failed.`);
    }
    t = find();
    if (t.testssl && t.swaks) notes.push(`Installed by the bench: ${missing.join(', ')} (apt-get).`);
  }
  if (!t.testssl) notes.push('testssl.sh is not available: its runs are left out.');
  if (!t.swaks) notes.push('swaks is not available: its runs are left out.');
  else if (!swaksTls(t.swaks)) notes.push('swaks has no TLS support (Net::SSLeay missing): its STARTTLS runs will fail.');
  return { ...t, notes };
}

function debVersion(pkg: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? `${pkg} ${r.stdout.trim()} (Debian)` : undefined;
}

/**
 * A private mount namespace with `hosts: files` in nsswitch.conf and 127.0.0.1 as the only
 * name server: the wrapped program cannot resolve a name outside loopback. Checked once.
 */
function isolation(dir: string): { ok: true; wrap: (cmd: string[]) => string[] } | { ok: false; why: string } {
  if (!which('unshare') || !which('mount')) return { ok: false, why: 'unshare(1) or mount(8) is missing' };
  const resolv = join(dir, 'resolv.conf');
  const nss = join(dir, 'nsswitch.conf');
  writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  writeFileSync(nss, 'hosts: files\nnetworks: files\n');
  const wrap = (cmd: string[]) => ['unshare', '--mount', '--propagation', 'private', 'sh', '-c',
    'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"', 'sh', resolv, nss, ...cmd];
  const probe = wrap(['sh', '-c', 'cat /etc/resolv.conf; grep "^hosts:" /etc/nsswitch.conf']);
  const r = spawnSync(probe[0]!, probe.slice(1), { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.includes('nameserver 127.0.0.1') || !/hosts:\s+files\s*$/m.test(r.stdout)) {
    return { ok: false, why: `a private mount namespace could not be set up (${(r.stderr || r.error?.message || '').trim().slice(0, 200)})` };
  }
  return { ok: true, wrap };
}

interface Step {
  tool: AltRun['tool'];
  group: AltRun['group'];
  target: string;
  facts: string;
  cmd: string[];
  check: (r: ProcResult) => boolean;
}

/** What a person runs to learn what `mxdoctor check` reports about the servers, in that order. */
function plan(set: string, t: Tools): Step[] {
  const steps: Step[] = [];
  const sw = (addr: string, port: number, host: string, extra: string[]) => [t.swaks!, '--server', addr, '--port', String(port), '--helo', EHLO, ...extra,
    ...(extra.includes('--tls') || extra.includes('--tls-on-connect') ? ['--tls-verify', '--tls-ca-path', CA, '--tls-sni', host] : [])];
  const tls = (r: ProcResult) => /=== TLS started/.test(r.stdout);
  const ts = (addr: string, host: string, port: number, starttls?: string) => [t.testssl!, '--quiet', '--color', '0', '--warnings', 'off', '--nodns', 'none',
    '--ip', addr, '--add-ca', CA, ...(starttls ? ['-t', starttls] : []), '-p', '-S', `${host}:${port}`];
  const tsOk = (r: ProcResult) => /TLS 1\.3\s+offered/.test(r.stdout) && /Chain of trust\s+Ok/.test(r.stdout) && /Trust \(hostname\)\s+Ok/.test(r.stdout);
  const tsFacts = 'SSLv2…TLS 1.3 offered, server defaults, certificate (chain with the test CA, name, validity, key)';
  for (const m of MX) {
    if (t.swaks) {
      steps.push({ tool: 'swaks', group: 'mx', target: `${m.host}:25`, facts: 'connect, greeting, EHLO, STARTTLS, chain verified, open-relay probe (RCPT to an outside domain, quit before DATA)',
        cmd: sw(m.addr, 25, m.host, ['--from', 'relay-test@example.org', '--to', 'relay-test@example.net', '--quit-after', 'RCPT', '--tls']),
        check: (r) => r.code === 24 && tls(r) && /<~\*\s+5\d\d/.test(r.stdout) }); // 24: RCPT refused = not an open relay
      steps.push({ tool: 'swaks', group: 'mx', target: `${m.host}:25`, facts: `RCPT postmaster@${DOMAIN} accepted (over STARTTLS, quit before DATA)`,
        cmd: sw(m.addr, 25, m.host, ['--from', 'relay-test@example.org', '--to', `postmaster@${DOMAIN}`, '--quit-after', 'RCPT', '--tls']),
        check: (r) => r.code === 0 && tls(r) });
    }
    if (t.testssl) steps.push({ tool: 'testssl.sh', group: 'mx', target: `${m.host}:25`, facts: `STARTTLS: ${tsFacts}`, cmd: ts(m.addr, m.host, 25, 'smtp'), check: tsOk });
  }
  if (set === 'mx') return steps;
  const mx1 = MX[0]!;
  if (t.swaks) {
    steps.push({ tool: 'swaks', group: 'other', target: `${mx1.host}:587`, facts: 'greeting, EHLO before TLS (STARTTLS offered, AUTH not offered)',
      cmd: sw(mx1.addr, 587, mx1.host, ['--from', `bench@${EHLO}`, '--quit-after', 'EHLO']), check: (r) => r.code === 0 && /250[ -]STARTTLS/.test(r.stdout) && !/<-\s+250[ -]AUTH/.test(r.stdout) });
    steps.push({ tool: 'swaks', group: 'other', target: `${mx1.host}:587`, facts: 'STARTTLS, chain verified, AUTH offered after TLS',
      cmd: sw(mx1.addr, 587, mx1.host, ['--from', `bench@${EHLO}`, '--quit-after', 'EHLO', '--tls']), check: (r) => r.code === 0 && tls(r) && /<~\s+250[ -]AUTH/.test(r.stdout) });
    steps.push({ tool: 'swaks', group: 'other', target: `${mx1.host}:465`, facts: 'implicit TLS, chain verified, EHLO, AUTH',
      cmd: sw(mx1.addr, 465, mx1.host, ['--from', `bench@${EHLO}`, '--quit-after', 'EHLO', '--tls-on-connect']), check: (r) => r.code === 0 && tls(r) });
  }
  if (t.testssl) {
    steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:587`, facts: `STARTTLS: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 587, 'smtp'), check: tsOk });
    steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:465`, facts: `implicit TLS: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 465), check: tsOk });
    steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:993`, facts: `IMAPS: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 993), check: tsOk });
    steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:995`, facts: `POP3S: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 995), check: tsOk });
    if (set === 'all') {
      steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:143`, facts: `IMAP STARTTLS: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 143, 'imap'), check: tsOk });
      steps.push({ tool: 'testssl.sh', group: 'other', target: `${mx1.host}:110`, facts: `POP3 STLS: ${tsFacts}`, cmd: ts(mx1.addr, mx1.host, 110, 'pop3'), check: tsOk });
    }
  }
  return steps;
}

async function altRun(s: Step, wrap: (cmd: string[]) => string[]): Promise<AltRun> {
  const w = wrap(s.cmd);
  const r = await run(w[0]!, w.slice(1), { measure: true, timeoutMs: s.tool === 'swaks' ? 60_000 : 180_000 });
  const ok = s.check(r);
  const shown = [basename(s.cmd[0]!), ...s.cmd.slice(1).map((a) => (a === CA ? CA_REL : /\s/.test(a) ? `'${a}'` : a))].join(' ');
  return {
    tool: s.tool, group: s.group, target: s.target, facts: s.facts, command: shown, wallMs: r.wallMs, cpuS: r.cpuS, exitCode: r.code, ok,
    note: r.killed ? 'stopped at the time limit' : ok ? undefined : `facts not found in the output (exit ${r.code}): ${tail(r.stdout + r.stderr)}`,
  };
}
