// The mxdoctor config file: YAML, one top-level key per feature (`roundtrip:` now;
// `monitor:`, `alerts:`, `modules:` later), each validated by its section reader at load
// time. Every problem is one ConfigError naming the file, the line and the fix.
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { ConfigSource, MapReader } from './reader.js';
import { readRoundtripSection } from './roundtrip.js';
import type { RoundtripConfig } from './roundtrip.js';
import type { ConfigIo } from './secret.js';

export interface MxdoctorConfig {
  file: string;
  roundtrip?: RoundtripConfig;
}

/** Top-level sections: a new feature adds its key and reader here. */
const SECTIONS: { [K in Exclude<keyof MxdoctorConfig, 'file'>]-?: (m: MapReader, io: ConfigIo) => NonNullable<MxdoctorConfig[K]> } = {
  roundtrip: readRoundtripSection,
};

/** Top-level keys of `mxdoctor serve` (config/serve-schema.ts), allowed beside the sections above. */
const SERVE_SECTIONS = ['listen', 'store', 'schedule', 'sla', 'modules', 'targets', 'probe', 'alerts', 'channels', 'remediation'];

/** A config file is a few kilobytes; refuse anything that is clearly not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfig(file: string, io: ConfigIo): MxdoctorConfig {
  let text: string;
  try {
    text = io.readText(file);
  } catch (e) {
    throw new ConfigError(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the --config path`, file);
  }
  return parseConfig(text, file, io);
}

export function parseConfig(text: string, file: string, io: ConfigIo): MxdoctorConfig {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError(`larger than ${MAX_CONFIG_BYTES} bytes: not a config file`, file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    // yaml's own message quotes the offending line, which may hold a secret: keep only its first sentence.
    const what = err.message.split(/ at line |\n/)[0]!.replace(/\.$/, '');
    throw new ConfigError(`not valid YAML: ${what} (${err.code}); fix the syntax`, file, lines.linePos(err.pos[0]).line);
  }
  const src = new ConfigSource(file, lines);
  if (doc.contents === null) throw new ConfigError(`the file is empty; add a section such as "roundtrip:" (see docs/config.md)`, file);
  const top = MapReader.of(src, doc.contents, '', 'top-level sections such as "roundtrip:" (see docs/config.md)');
  // The same file may also hold serve's sections (validated by serve-load.ts).
  top.onlyKeys([...Object.keys(SECTIONS), ...SERVE_SECTIONS]);
  const config: MxdoctorConfig = { file };
  for (const [key, read] of Object.entries(SECTIONS)) {
    const section = top.map(key);
    if (section) (config as any)[key] = read(section, io);
  }
  return config;
}
