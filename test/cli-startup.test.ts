// Start-up (issue 15): `--version` and `--help` load no check code, and the bundled CLI
// (scripts/bundle-cli.mjs) behaves as the unbundled one: same report, workers still found.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', MXDOCTOR_LOOPBACK_ONLY: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('lazy loading from source', () => {
  let dir: string;
  let hook: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxd-startup-'));
    // A module loader hook that names every module loaded, on stderr.
    hook = join(dir, 'hook.mjs');
    writeFileSync(hook, `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent("export async function load(u, c, next) { if (u.startsWith('file:')) process.stderr.write('LOADED ' + u + '\\\\n'); return next(u, c); }"));\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const loaded = async (args: string[]) => {
    const r = await node(['--import', hook, '--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args]);
    return { ...r, files: r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7)) };
  };

  test('--version loads neither commander nor any check; --help no check', async () => {
    const v = await loaded(['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${VERSION}\n`);
    assert.deepEqual(v.files.filter((f) => /\/src\/(checks|probes|parsers)\/|node_modules\/commander\//.test(f)), []);
    for (const args of [['--help'], ['check', '--help']]) {
      const h = await loaded(args);
      assert.equal(h.code, 0);
      assert.match(h.stdout, /Usage: mxdoctor/);
      assert.deepEqual(h.files.filter((f) => /\/src\/(checks|probes|parsers|catalogue)/.test(f)), [], args.join(' '));
    }
    // bin/mxdoctor.js answers --version itself: no module loaded but the entry point.
    const b = await node(['--import', hook, join(ROOT, 'bin', 'mxdoctor.js'), '--version'], { NODE_TEST_CONTEXT: '' });
    assert.equal(b.stdout, `${VERSION}\n`);
    assert.deepEqual(b.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.replace(/^LOADED file:\/\/.*\/(bin\/)/, '$1')), ['bin/mxdoctor.js']);
    // The hook sees check modules when they are loaded (the assertions above can fail).
    const f = await loaded(['findings', '--json']);
    assert.equal(f.code, 0);
    assert.ok(f.files.some((x) => /\/src\/checks\//.test(x)));
  });
});

describe('the bundled CLI', () => {
  let lab: ZoneLab;
  let resolver: string;
  let out: string;
  before(async () => {
    lab = await zoneLab(`${soa('bundle.test')}\n@ MX 10 mx.bundle.test.\nmx A 127.0.0.30\n@ TXT "v=spf1 mx -all"\n${soa('other.test')}\n@ MX 10 mx.other.test.\nmx A 127.0.0.31\n`);
    resolver = `${lab.server.host}:${lab.server.port}`;
    // Inside the checkout, as dist/cli/ is: the packages left out of the bundle resolve from node_modules.
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    out = mkdtempSync(join(ROOT, 'test-artifacts', 'bundle-'));
    const { bundleCli } = await import(join(ROOT, 'scripts', 'bundle-cli.mjs'));
    const { build } = await import('esbuild');
    await bundleCli({ srcDir: join(ROOT, 'src'), outdir: join(out, 'cli'), ext: 'ts', build });
  });
  after(() => { lab.close(); rmSync(out, { recursive: true, force: true }); });
  const main = () => join(out, 'cli', 'main.js');

  test('prints the version and the same report as the sources', async () => {
    const v = await node([main(), '--version']);
    assert.equal(v.stdout, `${VERSION}\n`);
    const args = ['check', 'bundle.test', '--only', 'mx,spf', '--resolver', resolver, '--json'];
    const [b, s] = await Promise.all([node([main(), ...args]), node(['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args])]);
    assert.equal(b.code, s.code, b.stderr);
    const ids = (text: string) => JSON.parse(text).reports[0].findings.map((x: { id: string }) => x.id).sort();
    assert.deepEqual(ids(b.stdout), ids(s.stdout));
    assert.ok(ids(b.stdout).length > 0);
  });

  test('starts the bulk worker threads from their own files', async () => {
    const list = join(out, 'domains.txt');
    writeFileSync(list, 'bundle.test\nother.test\n');
    const r = await node([main(), 'check', '--file', list, '--workers', '2', '--no-servers', '--only', 'mx', '--resolver', resolver, '-q']);
    assert.ok(r.code !== null && r.code <= 2, r.stderr);
    const targets = r.stdout.trim().split('\n').map((l) => JSON.parse(l).target).sort();
    assert.deepEqual(targets, ['bundle.test', 'other.test']);
  });
});
