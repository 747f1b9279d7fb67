// Flag values → typed options, with one-line UsageErrors that name the fix.
import { readUpTo } from '../io/files.js';
import net from 'node:net';
import { UsageError } from '../core/errors.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import type { DurationUnit } from '../core/duration.js';
import { WELL_KNOWN_PORTS } from '../core/check.js';
import { parseServer } from '../io/resolver.js';
import type { ServerAddr } from '../io/resolver.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Repeatable flags whose values may hold commas (paths, headers): each value whole. */
export function collectEach(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseResolvers(specs: string[] | undefined): ServerAddr[] | undefined {
  if (!specs?.length) return undefined;
  return specs.map((s) => {
    const addr = parseServer(s);
    if (!addr || !net.isIP(addr.host)) {
      throw new UsageError(`--resolver ${s}: give an IP address with an optional port, e.g. 127.0.0.1:5353 or [::1]:53`);
    }
    return addr;
  });
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} ${value}: expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A CA bundle bigger than this is not a CA bundle (the whole Mozilla store is ~220 KB). */
const MAX_CA_BYTES = 1024 * 1024;

export function readCaFiles(files: string[] | undefined): string[] | undefined {
  if (!files?.length) return undefined;
  return files.map((f) => {
    let text: string;
    try {
      const { data, truncated } = readUpTo(f, MAX_CA_BYTES);
      if (truncated) throw new UsageError(`--ca ${f}: larger than 1 MB; give a PEM file with the CA certificates only`);
      text = data.toString('utf8');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--ca ${f}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${f}: not a PEM certificate file (no BEGIN CERTIFICATE line)`);
    return text;
  });
}

export function parseIp(value: string): string {
  if (!net.isIP(value)) throw new UsageError(`--ip ${value}: not an IPv4 or IPv6 address`);
  return value;
}

/** "smtp=2525,imaps=1993" → partial ServicePorts (lab use). */
export function parsePorts(value: string): Partial<Record<keyof typeof WELL_KNOWN_PORTS, number>> {
  const out: Partial<Record<keyof typeof WELL_KNOWN_PORTS, number>> = {};
  for (const part of value.split(',')) {
    const [name, port] = part.split('=').map((x) => x.trim());
    const n = Number(port);
    if (!name || !(name in WELL_KNOWN_PORTS) || !Number.isInteger(n) || n < 1 || n > 65535) {
      throw new UsageError(`--ports ${part}: expected service=port with a service among ${Object.keys(WELL_KNOWN_PORTS).join(', ')}`);
    }
    out[name as keyof typeof WELL_KNOWN_PORTS] = n;
  }
  return out;
}

/**
 * Commander parser for a duration flag: "500ms", "30s", "2m"; a bare number keeps the
 * flag's old unit (`defaultUnit`) so existing scripts mean what they meant. → milliseconds.
 */
export function durationOption(name: string, opts: { defaultUnit?: DurationUnit; minMs?: number; maxMs?: number } = {}) {
  return (value: string): number => {
    let ms: number;
    try {
      ms = parseDuration(value, opts.defaultUnit);
    } catch (e) {
      throw new UsageError(`${name} ${value}: ${(e as Error).message.replace(/^"[^"]*" is /, '')}`);
    }
    if (opts.minMs !== undefined && ms < opts.minMs) throw new UsageError(`${name} ${value}: at least ${formatDuration(opts.minMs)}`);
    if (opts.maxMs !== undefined && ms > opts.maxMs) throw new UsageError(`${name} ${value}: at most ${formatDuration(opts.maxMs)}`);
    return ms;
  };
}

/** `--deadline 90s` (also 500ms, 2m, 1h; a bare number is seconds). */
export const parseDeadline = durationOption('--deadline', { defaultUnit: 's', minMs: 100, maxMs: 86_400_000 });
