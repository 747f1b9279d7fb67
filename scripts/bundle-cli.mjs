// `npm run build`, after tsc: bundle the compiled CLI (dist/src/cli/main.js) into dist/cli/
// with esbuild, one chunk per lazily loaded command. Node 20 resolves, reads and compiles
// each ES module file on its own: a plain `check` loaded ~160 files plus three CommonJS
// packages the ES loader must scan for their exports; bundled it reads a handful and its
// start-up costs about half the CPU (docs/performance.md, "Start-up").
//
// dist/src/ stays as tsc wrote it: the library entry (package.json "main"), and the worker
// threads (bulk audit, logs, maildir), which are started by file name. Code that finds a file
// beside itself (import.meta.url: workers, lab data, package.json) keeps finding it there:
// every output file lies directly in dist/cli/, so each module's import.meta.url is rewritten
// to the URL of its own compiled file under dist/src/.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Only small pure-JavaScript packages that every DNS check needs are bundled. The others are
// loaded from node_modules as usual: native code (better-sqlite3), packages that read their
// own data files (pdfkit's fonts) or that only some commands use.
const BUNDLED = new Set(['commander', 'tldts', 'tldts-core', 'dns-packet', '@leichtgewicht/ip-codec']);

/**
 * Bundles `<srcDir>/cli/main.<ext>` into outdir; `ext` is js for tsc's output (the build),
 * ts for the sources (test/cli-startup.test.ts bundles those, as esbuild compiles TypeScript).
 */
export async function bundleCli({ srcDir, outdir, ext = 'js', build }) {
  rmSync(outdir, { recursive: true, force: true }); // never a stale bundle beside fresh dist/src/
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => !BUNDLED.has(d));
  const under = srcDir.endsWith('/') ? srcDir : `${srcDir}/`;
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: new RegExp(`\\.${ext}$`) }, (args) => {
        if (!args.path.startsWith(under)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outdir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: ext };
      });
    },
  };
  await build({
    entryPoints: [join(srcDir, 'cli', `main.${ext}`)],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    external,
    // CommonJS code in the bundle (dns-packet) calls require() for Node's own modules.
    banner: { js: "import { createRequire as __mxdoctorRequire } from 'node:module'; const require = __mxdoctorRequire(import.meta.url);" },
    plugins: [ownUrl],
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = join(root, 'dist', 'cli');
  rmSync(outdir, { recursive: true, force: true });
  let build;
  try {
    ({ build } = await import('esbuild'));
  } catch (e) {
    // Not fatal: bin/mxdoctor.js runs dist/src/cli/main.js when there is no bundle (slower start).
    console.error(`mxdoctor build: no esbuild (${e.message.split('\n')[0]}): the CLI runs unbundled`);
    process.exit(0);
  }
  await bundleCli({ srcDir: join(root, 'dist', 'src'), outdir, build });
}
