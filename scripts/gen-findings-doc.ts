// Writes docs/findings.md from the registry (npm run docs:findings).
import { writeFileSync } from 'node:fs';
import { findingsMarkdown } from '../src/catalogue.js';

writeFileSync(new URL('../docs/findings.md', import.meta.url), findingsMarkdown());
console.log('docs/findings.md written');
