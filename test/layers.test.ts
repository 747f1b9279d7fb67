// The import check (issue 9): arrows only go down. Each top-level folder of src/ has a layer;
// a module may import its own folder and lower layers only. The layering is documented in
// docs/architecture.md ("Layers"); change both together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

/** Lowest first. Root files: version.ts is a leaf, context.ts builds the I/O context, index.ts is a shell. */
export const LAYERS: Record<string, number> = {
  'io': 0, 'version.ts': 0,
  // The colour markers and the terminal sink: every renderer, wherever it lives, paints through it.
  'core': 1, 'data': 1, 'report/colors.ts': 1,
  'parsers': 2, 'knowledge': 2,
  'probes': 3,
  'checks': 4, 'logs': 4, 'send': 4, 'lab': 4, 'context.ts': 4,
  'host': 5, 'roundtrip': 5, 'load': 5,
  'doctor': 6, 'config': 6, 'compliance': 6,
  'report': 7, 'maildir': 7,
  'services': 8,
  // Shells: each calls services; none imports another shell's modules (checked below for cli/).
  'cli': 9, 'monitor': 9, 'dashboard': 9, 'index.ts': 9, 'catalogue.ts': 9,
};

function unitOf(file: string): string {
  const rel = relative(SRC, file).replace(/\.js$/, '.ts');
  if (rel in LAYERS) return rel; // a file with a layer of its own
  return rel.includes('/') ? rel.split('/')[0]! : rel;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(normalize(join(dirname(file), m[1]!)));
  return out;
}

/** Why an import from unit `from` to unit `to` breaks the layering, or undefined. */
function violation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  if (to === 'cli') return 'only cli/ imports cli/';
  if (LAYERS[to]! > LAYERS[from]!) return `${from} ${LAYERS[from]} < ${to} ${LAYERS[to]}`;
  return undefined;
}

test('no module imports a layer above its own; nothing below cli/ imports cli/', () => {
  const upward: string[] = [];
  for (const file of sources(SRC)) {
    const from = unitOf(file);
    assert.ok(from in LAYERS, `${relative(SRC, file)}: its folder has no layer: add it to LAYERS and docs/architecture.md`);
    for (const target of importsOf(file)) {
      const to = unitOf(target);
      if (to === from) continue;
      assert.ok(to in LAYERS, `${relative(SRC, file)} imports ${relative(SRC, target)}, outside the known layers`);
      const why = violation(from, to);
      if (why) upward.push(`${relative(SRC, file)} → ${relative(SRC, target)} (${why})`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the check catches an upward import', () => {
  assert.ok(violation('core', 'checks'), 'core importing checks (catalogue.ts once did)');
  assert.ok(violation('data', 'parsers'), 'data importing a parser (vulnerable-versions.ts once did)');
  assert.ok(violation('monitor', 'cli'), 'a shell importing the CLI');
  assert.ok(violation('services', 'cli'));
  assert.equal(violation('cli', 'services'), undefined);
  assert.equal(violation('services', 'checks'), undefined);
});
