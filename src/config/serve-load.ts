// Loads `mxdoctor serve`'s config: YAML → the zod schema → cross references and secrets.
// Every problem found is reported (not just the first), each a ConfigError with the file,
// the line of the offending key and the fix; secrets are resolved here and never echoed.
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { ConfigIo } from './secret.js';
import { MAX_CONFIG_BYTES, parseConfig } from './load.js';
import type { RoundtripConfig } from './roundtrip.js';
import { distance } from './reader.js';
import { serveSchema } from './serve-schema.js';
import type { ServeFile } from './serve-schema.js';
import { resolveServeConfig } from './serve-resolve.js';
import type { ServeConfig } from './serve-resolve.js';

export type { ServeConfig } from './serve-resolve.js';

/** Reports a problem at a key path of the document; collects instead of throwing. */
export class Problems {
  readonly list: ConfigError[] = [];
  constructor(readonly file: string, private readonly doc: Document, private readonly lines: LineCounter) {}

  lineAt(path: readonly PropertyKey[]): number | undefined {
    // The deepest node that exists: a missing key is reported at its parent mapping.
    for (let n = path.length; n >= 0; n--) {
      const parent = n > 0 ? this.doc.getIn(path.slice(0, n - 1) as unknown[], true) : undefined;
      const key = path[n - 1];
      if (n > 0 && isMap(parent)) {
        const pair = (parent.items as Pair[]).find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(key));
        if (pair) return this.line(pair.key as Node);
        continue;
      }
      const node = this.doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
      if (node?.range) return this.line(node);
    }
    return undefined;
  }

  private line(node: Node): number | undefined {
    return node?.range ? this.lines.linePos(node.range[0]).line : undefined;
  }

  add(path: readonly PropertyKey[], message: string): void {
    const where = formatPath(path);
    this.list.push(new ConfigError(`${where ? `${where}: ` : ''}${message}`, this.file, this.lineAt(path)));
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export interface ServeValidation {
  config?: ServeConfig;
  errors: ConfigError[];
}

export function validateServeConfig(text: string, file: string, io: ConfigIo): ServeValidation {
  if (text.length > MAX_CONFIG_BYTES) return { errors: [new ConfigError(`larger than ${MAX_CONFIG_BYTES} bytes: not a config file`, file)] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    // yaml's message quotes the offending line, which may hold a secret: keep its first sentence.
    return { errors: doc.errors.map((e) => new ConfigError(`not valid YAML: ${e.message.split(/ at line |\n/)[0]!.replace(/\.$/, '')} (${e.code}); fix the syntax`, file, lines.linePos(e.pos[0]).line)) };
  }
  if (doc.contents === null) return { errors: [new ConfigError('the file is empty; add "targets:" with at least one "- domain: example.com" (see docs/monitor.md)', file)] };
  const problems = new Problems(file, doc, lines);
  const parsed = serveSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) describeIssue(issue, problems);
    return { errors: problems.list };
  }
  // The roundtrip: section is read as `mxdoctor roundtrip --config` reads it (its first problem, with its line).
  let roundtrip: RoundtripConfig | undefined;
  if ((parsed.data as ServeFile).roundtrip !== undefined) {
    try {
      roundtrip = parseConfig(text, file, io).roundtrip;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.list.push(e);
    }
  }
  const config = resolveServeConfig(parsed.data as ServeFile, file, io, problems, roundtrip);
  return problems.list.length ? { errors: problems.list } : { config, errors: [] };
}

export function loadServeConfig(file: string, io: ConfigIo): ServeConfig {
  let text: string;
  try {
    text = io.readText(file);
  } catch (e) {
    throw new ConfigError(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the --config path`, file);
  }
  const v = validateServeConfig(text, file, io);
  if (!v.config) {
    const [first, ...rest] = v.errors;
    throw rest.length ? new ConfigError(`${first!.message}\n${rest.map((e) => `mxdoctor: ${e.message}`).join('\n')}`) : first!;
  }
  return v.config;
}

/** One zod issue → one message with the fix; unknown keys get "did you mean". */
function describeIssue(issue: z.core.$ZodIssue, problems: Problems): void {
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const allowed = allowedKeys(issue.path);
      const near = allowed.find((a) => distance(a, key) <= 2);
      problems.add([...issue.path, key], `unknown key${near ? `; did you mean "${near}"?` : ''}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`);
    }
    return;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    problems.add(issue.path, `is required (${issue.message.replace(/^Invalid input: /, '')})`);
    return;
  }
  problems.add(issue.path, issue.message.replace(/^Invalid input: /, ''));
}

/** The keys the schema allows at a path (for "did you mean"). */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let s: any = serveSchema;
  for (const p of path) {
    s = unwrap(s);
    if (typeof p === 'number') s = s?.def?.element;
    else if (s?.def?.type === 'record') s = s.def.valueType;
    else s = s?.shape?.[p];
  }
  s = unwrap(s);
  if (s?.def?.type === 'union') return [...new Set(s.def.options.flatMap((o: any) => Object.keys(unwrap(o)?.shape ?? {})))] as string[];
  return Object.keys(s?.shape ?? {});
}

function unwrap(s: any): any {
  while (s?.def && ['optional', 'default', 'prefault', 'pipe', 'nullable'].includes(s.def.type)) s = s.def.innerType ?? s.def.in;
  return s;
}

