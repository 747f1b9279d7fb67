// Saved results read back for `mxdoctor report`: the JSON document of `--json`
// ({schema, reports:[...]}), one Report, or bulk NDJSON (one Report per line). Pure: text in,
// reports out, or one ReportInputError naming the line and what is wrong.
import type { Severity } from '../core/finding.js';
import { SEVERITIES } from '../core/finding.js';
import type { Report, ReportedFinding } from '../core/report.js';
import { REPORT_SCHEMA } from '../core/report.js';

export class ReportInputError extends Error {}

const HINT = `give the output of \`mxdoctor check --json\` or of \`mxdoctor check --file\` (NDJSON)`;

export function parseReportInput(text: string): Report[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new ReportInputError(`the input is empty; ${HINT}`);
  const lines = trimmed.split('\n');
  // A document or a single report spans many lines (pretty JSON) or is one line; NDJSON is
  // several lines each parsing on its own.
  if (trimmed.startsWith('{') && lines.length > 1 && !lineIsJson(lines[0]!)) return fromValue(parseJson(trimmed, 1), 1);
  if (lines.length === 1 || trimmed.startsWith('[')) return fromValue(parseJson(trimmed, 1), 1);
  const out: Report[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line) out.push(...fromValue(parseJson(line, i + 1), i + 1));
  });
  return out;
}

function lineIsJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function parseJson(s: string, line: number): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new ReportInputError(`line ${line}: not JSON (${(e as Error).message.split('\n')[0]}); ${HINT}`);
  }
}

function fromValue(v: unknown, line: number): Report[] {
  if (Array.isArray(v)) return v.map((r, i) => toReport(r, `line ${line}, report ${i + 1}`));
  if (!isObject(v)) throw new ReportInputError(`line ${line}: expected a JSON object; ${HINT}`);
  if (v.schema !== REPORT_SCHEMA) throw new ReportInputError(`line ${line}: schema is ${JSON.stringify(v.schema ?? null)}, not "${REPORT_SCHEMA}"; ${HINT}`);
  if ('reports' in v) {
    if (!Array.isArray(v.reports)) throw new ReportInputError(`line ${line}: "reports" is not a list; ${HINT}`);
    return v.reports.map((r, i) => toReport(r, `line ${line}, report ${i + 1}`));
  }
  return [toReport(v, `line ${line}`)];
}

function toReport(v: unknown, where: string): Report {
  if (!isObject(v)) throw new ReportInputError(`${where}: a report must be a JSON object`);
  const need = (key: string, ok: boolean, what: string) => {
    if (!ok) throw new ReportInputError(`${where}: "${key}" must be ${what}; ${HINT}`);
  };
  need('target', typeof v.target === 'string' && v.target.length > 0, 'a non-empty string');
  need('kind', typeof v.kind === 'string', 'a string');
  need('status', isSeverity(v.status), `one of ${SEVERITIES.join(', ')}`);
  need('findings', Array.isArray(v.findings), 'a list');
  const findings = (v.findings as unknown[]).map((f, i) => toFinding(f, `${where}, finding ${i + 1}`));
  const exitCode = typeof v.exitCode === 'number' && [0, 1, 2, 3].includes(v.exitCode) ? v.exitCode : { ok: 0, info: 0, warning: 1, critical: 2, unknown: 3 }[v.status as Severity];
  return {
    ...(v as unknown as Report),
    schema: REPORT_SCHEMA,
    exitCode,
    startedAt: typeof v.startedAt === 'string' ? v.startedAt : '',
    durationMs: typeof v.durationMs === 'number' ? v.durationMs : 0,
    findings,
    checks: Array.isArray(v.checks) ? (v.checks as Report['checks']) : [],
    ignored: isObject(v.ignored) ? (v.ignored as Record<string, number>) : {},
  };
}

function toFinding(v: unknown, where: string): ReportedFinding {
  if (!isObject(v)) throw new ReportInputError(`${where}: a finding must be a JSON object`);
  if (typeof v.id !== 'string' || !v.id) throw new ReportInputError(`${where}: "id" must be a finding id such as spf.missing`);
  if (!isSeverity(v.severity)) throw new ReportInputError(`${where} (${v.id}): "severity" must be one of ${SEVERITIES.join(', ')}`);
  if (typeof v.title !== 'string') throw new ReportInputError(`${where} (${v.id}): "title" must be a string`);
  for (const k of ['detail', 'remediation', 'subject'] as const) {
    if (v[k] !== undefined && typeof v[k] !== 'string') throw new ReportInputError(`${where} (${v.id}): "${k}" must be a string`);
  }
  const family = v.id.split('.')[0]!;
  return { ...(v as unknown as ReportedFinding), area: (typeof v.area === 'string' ? v.area : family) as ReportedFinding['area'], check: typeof v.check === 'string' ? v.check : family };
}

function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
