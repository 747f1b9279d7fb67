// Typed reads from a parsed YAML mapping, each failure a ConfigError naming the file,
// the line, the key path and the fix. Unknown keys are errors (a typo must not silently
// fall back to a default); the nearest known key is suggested.
import { isMap, isScalar, isSeq } from 'yaml';
import type { LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { ConfigError } from '../core/errors.js';

export class ConfigSource {
  constructor(readonly file: string, private readonly lines: LineCounter) {}

  lineOf(node: unknown): number | undefined {
    const range = (node as Node | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : undefined;
  }

  error(node: unknown, path: string, problem: string): ConfigError {
    return new ConfigError(`${path ? `${path}: ` : ''}${problem}`, this.file, this.lineOf(node));
  }
}

export class MapReader {
  readonly pairs: Pair[];

  constructor(readonly src: ConfigSource, readonly node: YAMLMap, readonly path: string) {
    this.pairs = node.items as Pair[];
  }

  static of(src: ConfigSource, node: unknown, path: string, what = 'a mapping of key: value lines'): MapReader {
    if (!isMap(node)) throw src.error(node, path, `expected ${what}`);
    return new MapReader(src, node, path);
  }

  private key(p: Pair): string {
    return isScalar(p.key) ? String(p.key.value) : String(p.key);
  }

  private pair(key: string): Pair | undefined {
    return this.pairs.find((p) => this.key(p) === key);
  }

  sub(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** Line of a key (for errors about the whole mapping, the mapping's own line). */
  lineNode(key?: string): unknown {
    return key ? this.pair(key)?.key ?? this.node : this.node;
  }

  has(key: string): boolean {
    return !!this.pair(key);
  }

  /** Every key must be one of `allowed`; `forbidden` keys get their own message. */
  onlyKeys(allowed: readonly string[], forbidden: Record<string, string> = {}): void {
    for (const p of this.pairs) {
      const k = this.key(p);
      if (forbidden[k]) throw this.src.error(p.key, this.sub(k), forbidden[k]!);
      if (allowed.includes(k)) continue;
      const near = allowed.find((a) => distance(a, k) <= 2);
      throw this.src.error(p.key, this.sub(k), `unknown key${near ? `; did you mean "${near}"?` : ''} (allowed here: ${allowed.join(', ')})`);
    }
  }

  value(key: string): unknown {
    return this.pair(key)?.value;
  }

  str(key: string, required = false): string | undefined {
    const p = this.pair(key);
    if (!p) {
      if (required) throw this.src.error(this.node, this.path, `"${key}" is required`);
      return undefined;
    }
    if (!isScalar(p.value) || p.value.value === null || typeof p.value.value === 'object') throw this.src.error(p.value ?? p.key, this.sub(key), 'expected a text value');
    const s = String(p.value.value).trim();
    if (!s) throw this.src.error(p.value, this.sub(key), 'must not be empty');
    return s;
  }

  int(key: string, min: number, max: number, unit = ''): number | undefined {
    const p = this.pair(key);
    if (!p) return undefined;
    const v = isScalar(p.value) ? p.value.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw this.src.error(p.value ?? p.key, this.sub(key), `expected a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}`);
    }
    return v;
  }

  bool(key: string): boolean | undefined {
    const p = this.pair(key);
    if (!p) return undefined;
    const v = isScalar(p.value) ? p.value.value : undefined;
    if (typeof v !== 'boolean') throw this.src.error(p.value ?? p.key, this.sub(key), 'expected true or false');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const s = this.str(key);
    if (s === undefined) return undefined;
    if (!values.includes(s as T)) throw this.src.error(this.pair(key)!.value, this.sub(key), `expected one of ${values.join(', ')}`);
    return s as T;
  }

  /** A list; a single scalar is taken as a list of one. */
  list(key: string): { node: unknown; path: string }[] {
    const p = this.pair(key);
    if (!p) return [];
    if (isSeq(p.value)) return p.value.items.map((n, i) => ({ node: n, path: `${this.sub(key)}[${i}]` }));
    if (isScalar(p.value)) return [{ node: p.value, path: this.sub(key) }];
    throw this.src.error(p.value ?? p.key, this.sub(key), 'expected a list');
  }

  map(key: string): MapReader | undefined {
    const p = this.pair(key);
    return p ? MapReader.of(this.src, p.value, this.sub(key)) : undefined;
  }
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
