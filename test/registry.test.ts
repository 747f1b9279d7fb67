// The registry is the contract: ids are unique, namespaced, documented, and
// docs/findings.md is exactly what the registry says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { allFindingDefs, findingsMarkdown } from '../src/catalogue.js';
import { SEVERITIES } from '../src/core/finding.js';
import { AREAS } from '../src/core/check.js';
import { DOMAIN_CHECKS } from '../src/checks/index.js';

test('finding ids are unique, namespaced by family, and fully documented', () => {
  const seen = new Set<string>();
  for (const fam of allFindingDefs()) {
    for (const d of fam.defs) {
      assert.ok(!seen.has(d.id), `duplicate id ${d.id}`);
      seen.add(d.id);
      assert.ok(d.id.startsWith(`${fam.family}.`), `${d.id} is not in family ${fam.family}`);
      assert.match(d.id, /^[a-z0-9-]+\.[a-z0-9-]+$/, `${d.id} is not <family>.<rule> kebab-case`);
      assert.ok(SEVERITIES.includes(d.severity), `${d.id} severity`);
      assert.ok(d.title.length > 5 && d.meaning.length > 20, `${d.id} needs a title and a meaning`);
      if (d.severity !== 'ok' && d.severity !== 'info') assert.ok(d.remediation, `${d.id} needs a remediation`);
    }
  }
});

test('every check has a known area and a unique family', () => {
  const families = DOMAIN_CHECKS.map((c) => c.family);
  assert.equal(new Set(families).size, families.length);
  for (const c of DOMAIN_CHECKS) assert.ok(AREAS.includes(c.area), `${c.family}: unknown area ${c.area}`);
});

test('docs/findings.md is up to date (regenerate with `npm run docs:findings`)', () => {
  const onDisk = readFileSync(new URL('../docs/findings.md', import.meta.url), 'utf8');
  assert.equal(onDisk, findingsMarkdown());
});

test('every finding id is exercised by some test (by its full id or its rule name)', () => {
  const dir = new URL('./', import.meta.url);
  const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  const untested = allFindingDefs().flatMap((fam) => fam.defs.map((d) => d.id))
    .filter((id) => !tests.includes(id) && !tests.includes(`'${id.slice(id.indexOf('.') + 1)}'`));
  assert.deepEqual(untested, []);
});
