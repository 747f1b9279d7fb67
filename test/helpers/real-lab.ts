// Shared by the real-server mail tests (test/real/send, roundtrip, queue, local): the lab's
// paths, the resolver the DNS lab started, a JSON-parsing CLI runner, finding assertions, and
// ground truth read straight from the servers (postqueue, doveadm), never through mxdoctor.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runCli } from './cli.js';

export const CA = new URL('../fixtures/certs/ca.pem', import.meta.url).pathname;
export const MAIL_RUN = new URL('../lab/run/mail/', import.meta.url).pathname;
export const DOVECOT_CONF = join(MAIL_RUN, 'dovecot', 'dovecot.conf');
export const postfixEtc = (instance: string) => join(MAIL_RUN, `postfix-${instance}`, 'etc');
export const maillog = (instance: string) => join(MAIL_RUN, `postfix-${instance}`, 'maillog');
/** The lab users (test/lab/start-mail.sh; TEST ONLY passwords). */
export const LAB = { user: 'lab@mail-lab.test', password: 'lab-password' };
export const JUNK = { user: 'junk@mail-lab.test', password: 'junk-password' };

const DNS_ENV = new URL('../lab/run/dns.env', import.meta.url).pathname;
const dnsEnv: Record<string, string> = {
  REAL_DNS_PORT: '53', REAL_DNS_RESOLVER: '127.0.1.4',
  ...(existsSync(DNS_ENV) ? Object.fromEntries(readFileSync(DNS_ENV, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=') as [string, string])) : {}),
};
export const RESOLVER = `${dnsEnv.REAL_DNS_RESOLVER}:${dnsEnv.REAL_DNS_PORT}`;

export interface Finding { id: string; severity: string; subject?: string; title?: string; detail?: string; evidence?: Record<string, unknown> }
export interface Report { target: string; kind?: string; status: string; exitCode: number; durationMs: number; findings: Finding[]; facts?: Record<string, any> }
export interface Run { code: number; stdout: string; stderr: string; ms: number; rep: Report }

/** Runs mxdoctor with --json and returns its one report (throws with the output when it printed no JSON). */
export async function mxJson(args: string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  const t0 = performance.now();
  const r = await runCli([...args, '--json'], { env: o.env, timeoutMs: o.timeoutMs ?? 90_000 });
  const ms = performance.now() - t0;
  let doc: { schema: string; reports: Report[] };
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new Error(`mxdoctor ${args.join(' ')} printed no valid JSON (exit ${r.code}):\n${r.stdout.slice(0, 800)}\n${r.stderr.slice(0, 800)}`);
  }
  assert.equal(doc.schema, 'mxdoctor.report/v1');
  assert.equal(doc.reports.length, 1, 'one report');
  return { ...r, ms, rep: doc.reports[0]! };
}

export const show = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.id} ${f.subject ?? ''} ${f.detail ?? f.title ?? ''}`).join('\n');
export const find = (rep: Report, id: string) => rep.findings.find((f) => f.id === id);
export function mustHave(rep: Report, id: string, severity?: string): Finding {
  const f = rep.findings.find((x) => x.id === id && (severity === undefined || x.severity === severity));
  assert.ok(f, `expected ${severity ?? ''} ${id}; got:\n${show(rep.findings)}`);
  return f;
}
export function mustNotHave(rep: Report, id: string): void {
  assert.ok(!rep.findings.some((f) => f.id === id), `unexpected ${id}:\n${show(rep.findings)}`);
}

/** The password must appear nowhere: not as is, nor inside an AUTH PLAIN/LOGIN base64 blob. */
export function assertNoSecret(r: { stdout: string; stderr: string }, user: string, password: string): void {
  const forms = [
    password,
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${user}\0${password}`).toString('base64'),
    Buffer.from(`${user}\0${user}\0${password}`).toString('base64'),
  ];
  for (const s of forms) {
    assert.ok(!r.stdout.includes(s), `stdout holds the password (${s === password ? 'plain' : 'base64'})`);
    assert.ok(!r.stderr.includes(s), `stderr holds the password (${s === password ? 'plain' : 'base64'})`);
  }
}

export function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

/** Fails the file's before() with how to start the lab when a server is missing. */
export async function requireMailLab(endpoints: string[]): Promise<void> {
  for (const ep of endpoints) {
    const [host, port] = ep.split(':');
    if (!(await tcpOpen(host!, Number(port)))) throw new Error(`nothing listens on ${ep}: run \`npm run test:real\` (or bash test/lab/start-dns.sh; sudo bash test/lab/start-mail.sh)`);
  }
  if (!(await tcpOpen(RESOLVER.split(':')[0]!, Number(RESOLVER.split(':')[1])))) {
    // Unbound answers on UDP too, but it always listens on TCP: a closed port means no DNS lab.
    throw new Error(`no resolver on ${RESOLVER}: run bash test/lab/start-dns.sh`);
  }
}

export interface QueueEntry { queue_name: string; queue_id: string; arrival_time: number; recipients: { address: string; delay_reason?: string }[] }
/** The instance's queue as Postfix itself lists it (postqueue -j, one JSON object a line). */
export function postqueue(instance: string): QueueEntry[] {
  const r = spawnSync('postqueue', ['-c', postfixEtc(instance), '-j'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, `postqueue -c ${postfixEtc(instance)} -j: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as QueueEntry);
}

/** Mailboxes of `user` holding a message with this X-Mxdoctor-Token, as Dovecot itself says. */
export function mailboxesWithToken(user: string, token: string): string[] {
  const r = spawnSync('doveadm', ['-c', DOVECOT_CONF, '-f', 'tab', 'fetch', '-u', user, 'mailbox', 'mailbox', '*', 'header', 'X-Mxdoctor-Token', token],
    { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, `doveadm fetch: ${r.stderr}`);
  return r.stdout.split('\n').slice(1).filter(Boolean);
}

/** Waits until `probe` returns something truthy (or the time is up, then returns the last value). */
export async function waitFor<T>(probe: () => T, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let v = probe();
  while (!v && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    v = probe();
  }
  return v;
}

/**
 * Every delivery attempt any lab instance logged (`status=`) stayed in the lab: mx1's went to
 * the lab Dovecot's LMTP socket, never's were deferred at [127.0.2.99]:2525, sink's went to the
 * lab smtp-sink at [127.0.2.51]:2526 (mxdoctor load); no other instance delivers at all. Returns the number of status lines checked.
 */
export function assertDeliveriesStayedInLab(): number {
  const lmtpRelay = `mx1.mail-lab.test[${join(MAIL_RUN, 'dovecot', 'lmtp')}]`;
  let n = 0;
  for (const d of readdirSync(MAIL_RUN).filter((x) => x.startsWith('postfix-'))) {
    const log = existsSync(join(MAIL_RUN, d, 'maillog')) ? readFileSync(join(MAIL_RUN, d, 'maillog'), 'utf8') : '';
    for (const line of log.split('\n').filter((l) => / status=/.test(l))) {
      const relay = line.match(/ relay=([^,]+),/)?.[1];
      const ok = (d === 'postfix-mx1' && relay === lmtpRelay && / status=sent /.test(line))
        || (d === 'postfix-never' && / status=deferred /.test(line) && (relay === 'none' || relay === '127.0.2.99[127.0.2.99]:2525'))
        || (d === 'postfix-sink' && relay === '127.0.2.51[127.0.2.51]:2526');
      assert.ok(ok, `${d} delivered outside the lab: ${line}`);
      n++;
    }
  }
  return n;
}
