// `npm run build` compiles TypeScript only; the lab's zone files, certificates and
// MTA-STS policies are data the demo reads at run time, so copy them beside the output.
import { cpSync, writeFileSync } from 'node:fs';

for (const dir of ['zones', 'certs', 'mta-sts']) {
  cpSync(new URL(`../src/lab/${dir}`, import.meta.url), new URL(`../dist/src/lab/${dir}`, import.meta.url), { recursive: true });
}

// The stamp bin/mxdoctor.js compares src/ against: written last, so a build that failed or was
// interrupted (tsc writes its files before it reports errors) is never taken for a fresh one.
writeFileSync(new URL('../dist/.built', import.meta.url), `${new Date().toISOString()}\n`);
