// Starts a throwaway PostgreSQL (Debian's postgresql package, installed by
// test/lab/install-postgres.sh) on a random loopback port in a temp directory; as root
// it runs as the postgres user, which PostgreSQL requires. Undefined when not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync, readdirSync } from 'node:fs';
import net from 'node:net';

function pgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const v = readdirSync(base).filter((d) => existsSync(`${base}/${d}/bin/pg_ctl`)).sort((a, b) => Number(b) - Number(a))[0];
  return v ? `${base}/${v}/bin` : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres { url: string; port: number; stop(): void }

export async function startPostgres(): Promise<TestPostgres | undefined> {
  const bin = pgBin();
  if (!bin) return undefined;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync('/tmp/mxdoctor-pg-');
  const as = (argv: string[]) => (root ? ['runuser', ['-u', 'postgres', '--', ...argv]] : [argv[0]!, argv.slice(1)]) as [string, string[]];
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (argv: string[]) => {
    const [cmd, args] = as(argv);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  };
  const data = `${dir}/data`;
  run([`${bin}/initdb`, '-D', data, '-A', 'trust', '-U', 'mxdoctor', '--no-sync']);
  const port = await freePort();
  run([`${bin}/pg_ctl`, '-D', data, '-w', '-t', '60', '-l', `${dir}/log`, '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`, 'start']);
  const stop = () => {
    try {
      run([`${bin}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://mxdoctor@127.0.0.1:${port}/postgres`, port, stop };
}
