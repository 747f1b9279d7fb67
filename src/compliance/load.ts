// Custom profiles in YAML (docs/report.md), validated with the config reader: every problem is
// one ConfigError with file, line and the fix. Matchers must name finding ids or families the
// catalogue knows, so a typo cannot silently turn a control into "not evaluated" forever. The
// caller passes what the catalogue knows (src/catalogue.ts knownFindingMatchers): the catalogue
// sits above every layer, this module below it.
import { LineCounter, isScalar, parseDocument } from 'yaml';
import { ConfigError, UsageError } from '../core/errors.js';
import { ConfigSource, MapReader } from '../config/reader.js';
import { readUpTo } from '../io/files.js';
import { BUILT_IN_PROFILES } from './baseline.js';
import type { Control, FailAt, Profile } from './profile.js';

const MAX_PROFILE_BYTES = 1024 * 1024;
const FAIL_AT: readonly FailAt[] = ['info', 'warning', 'critical'];
const CONTROL_KEYS = ['id', 'title', 'fail', 'pass', 'any-of', 'severity'];

/** A built-in profile by name, else a YAML file. */
export function resolveProfile(nameOrFile: string, known: Set<string>): Profile {
  const builtIn = BUILT_IN_PROFILES[nameOrFile];
  if (builtIn) return builtIn;
  let read: { data: Buffer; truncated: boolean };
  try {
    read = readUpTo(nameOrFile, MAX_PROFILE_BYTES);
  } catch (e) {
    throw new UsageError(`--profile ${nameOrFile}: not a built-in profile (${Object.keys(BUILT_IN_PROFILES).join(', ')}) and not a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (read.truncated) throw new ConfigError(`larger than ${MAX_PROFILE_BYTES} bytes: not a profile`, nameOrFile);
  return parseProfile(read.data.toString('utf8'), nameOrFile, known);
}

export function parseProfile(text: string, file: string, known: Set<string>): Profile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) throw new ConfigError(`not valid YAML: ${err.message.split(/ at line |\n/)[0]!.replace(/\.$/, '')}; fix the syntax`, file, lines.linePos(err.pos[0]).line);
  const src = new ConfigSource(file, lines);
  if (doc.contents === null) throw new ConfigError('the profile is empty; it needs "name:" and "controls:" (see docs/report.md)', file);
  const top = MapReader.of(src, doc.contents, '', 'a profile with "name:" and "controls:" (see docs/report.md)');
  top.onlyKeys(['name', 'description', 'controls']);
  const controls = top.list('controls').map((c) => readControl(src, c.node, c.path, known));
  if (!controls.length) throw src.error(top.lineNode('controls'), 'controls', 'a profile needs at least one control');
  const ids = new Set<string>();
  for (const c of controls) {
    if (ids.has(c.id)) throw new ConfigError(`controls: the id "${c.id}" is used twice; give each control its own id`, file);
    ids.add(c.id);
  }
  const profile: Profile = { name: top.str('name', true)!, controls };
  const description = top.str('description');
  if (description) profile.description = description;
  return profile;
}

function readControl(src: ConfigSource, node: unknown, path: string, known: Set<string>): Control {
  const m = MapReader.of(src, node, path, 'a control with "id:", "title:" and "fail:"/"pass:"/"any-of:"');
  m.onlyKeys(CONTROL_KEYS);
  const id = m.str('id', true)!;
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) throw src.error(m.value('id'), m.sub('id'), 'use lower-case letters, digits, dots and dashes');
  const control: Control = { id, title: m.str('title') ?? id, fail: {} };
  const fail = m.map('fail');
  for (const p of fail?.pairs ?? []) {
    const key = isScalar(p.key) ? String(p.key.value) : String(p.key);
    checkMatcher(src, p.key, fail!.sub(key), key, known);
    const at = fail!.oneOf(key, FAIL_AT);
    control.fail[key] = at!;
  }
  const pass = m.list('pass').map(({ node: n, path: p }) => {
    const v = isScalar(n) ? String(n.value) : '';
    checkMatcher(src, n, p, v, known);
    return v;
  });
  if (pass.length) control.pass = pass;
  const anyOf = m.list('any-of').map((a) => readControl(src, a.node, a.path, known));
  if (anyOf.length) control.anyOf = anyOf;
  const severity = m.oneOf('severity', ['warning', 'critical'] as const);
  if (severity) control.severity = severity;
  if (!Object.keys(control.fail).length && !pass.length && !anyOf.length) {
    throw src.error(node, path, 'a control needs "fail:" (finding id or family: severity that fails it), "pass:" or "any-of:"');
  }
  return control;
}

function checkMatcher(src: ConfigSource, node: unknown, path: string, m: string, known: Set<string>): void {
  if (!known.has(m.endsWith('.*') ? m.slice(0, -2) : m)) {
    throw src.error(node, path, `"${m}" is no finding id or family; \`mxdoctor findings\` lists them`);
  }
}

