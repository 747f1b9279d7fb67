// Writes docs/findings.md from the registry (npm run docs:findings).
import { writeFileSync } from 'node:fs';
import { renderFindingsMarkdown } from '../src/core/catalogue.js';

writeFileSync(new URL('../docs/findings.md', import.meta.url), renderFindingsMarkdown());
console.log('docs/findings.md written');
