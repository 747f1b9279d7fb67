// `npm run build` compiles TypeScript only; the lab's zone files, certificates and
// MTA-STS policies are data the demo reads at run time, so copy them beside the output.
import { cpSync } from 'node:fs';

for (const dir of ['zones', 'certs', 'mta-sts']) {
  cpSync(new URL(`../src/lab/${dir}`, import.meta.url), new URL(`../dist/src/lab/${dir}`, import.meta.url), { recursive: true });
}
