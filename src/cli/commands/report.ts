// `mxdoctor report`: renders saved results (check --json, bulk NDJSON), or the monitor's history
// with the latest stored results (--from-store), as html, pdf, md, junit,
// nagios, csv, json or text; --profile judges them against a compliance profile. The exit code
// is the worst of the reports, or the profile's verdict when one is given (as for check).
import { UsageError } from '../../core/errors.js';
import type { Report } from '../../core/report.js';
import { readUpTo } from '../../io/files.js';
import { CJK_FONT_HINT, findCjkFont, readFontFile } from '../../io/fonts.js';
import { writeOutputFile } from '../../io/output-file.js';
import { ReportInputError, parseReportInput } from '../../parsers/report-document.js';
import { complianceExit, complianceOf, withCompliance } from '../../compliance/evaluate.js';
import { resolveProfile } from '../../compliance/load.js';
import { knownFindingMatchers } from '../../catalogue.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { renderComplianceText } from '../../report/compliance-text.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderHtml } from '../../report/html.js';
import { renderJunit } from '../../report/junit.js';
import { renderNagios } from '../../report/nagios.js';
import { renderCsv, type CsvRows } from '../../report/csv.js';
import { PdfFontError, needsUnicodeFont, renderPdf } from '../../report/pdf.js';
import type { StoreHistory } from '../../report/history-model.js';
import { renderHistoryCsv } from '../../report/history-csv.js';
import { historyText } from '../../report/history-markdown.js';
import { useColor, write, writeDocument } from '../output.js';
import { reportFromStore } from './report-store.js';

export const REPORT_FORMATS = ['html', 'pdf', 'md', 'junit', 'nagios', 'csv', 'json', 'text'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Bulk NDJSON of a big audit is large, but not unbounded: a pipe of /dev/zero must not exhaust memory. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export interface ReportCommandOptions {
  format?: string;
  output?: string;
  profile?: string;
  rows?: string;
  font?: string;
  title?: string;
  color?: boolean;
  fromStore?: boolean;
  store?: string;
  config?: string;
  since?: string;
  target?: string[];
}

export async function reportCommand(input: string | undefined, o: ReportCommandOptions): Promise<number> {
  if (o.fromStore && input) throw new UsageError('report --from-store reads the monitor\'s store: give no input file as well');
  if (!o.fromStore && (o.store || o.since || o.target)) throw new UsageError('report: --store, --since and --target go with --from-store');
  if (!input && !o.fromStore) throw new UsageError('report: give a saved result file (mxdoctor check --json > r.json), bulk NDJSON (check --file), or - for stdin');
  const format = (o.format ?? (o.output ? formatFromName(o.output) : 'text')) as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format ${o.format}: expected one of ${REPORT_FORMATS.join(', ')}`);
  const rowKinds = o.fromStore ? ['availability', 'incidents', 'targets', 'findings'] : ['targets', 'findings'];
  if (o.rows && !rowKinds.includes(o.rows)) throw new UsageError(`--rows ${o.rows}: expected ${rowKinds.join(', ')}`);
  let history: StoreHistory | undefined;
  let reports: Report[];
  if (o.fromStore) ({ reports, history } = await reportFromStore(o));
  else reports = readReports(input!);
  if (o.profile) reports = withCompliance(reports, resolveProfile(o.profile, knownFindingMatchers()));
  const exit = exitCodeOf(reports);
  const out = await render(reports, format, o, history);
  if (o.output) writeOutputFile(o.output, out.data);
  else {
    if (Buffer.isBuffer(out.data) && process.stdout.isTTY) throw new UsageError('report --format pdf: will not print a PDF to a terminal; add -o report.pdf or redirect it');
    if (format === 'text' || format === 'json') write(out.data as string);
    else writeDocument(out.data);
  }
  return out.exitCode ?? exit;
}

function readReports(input: string): Report[] {
  const name = input === '-' ? 'stdin' : input;
  let read: { data: Buffer; truncated: boolean };
  try {
    read = readUpTo(input === '-' ? 0 : input, MAX_INPUT_BYTES);
  } catch (e) {
    throw new UsageError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a file written by mxdoctor check --json`);
  }
  if (read.truncated) throw new UsageError(`${name}: larger than ${MAX_INPUT_BYTES >> 20} MB; split the NDJSON into smaller files`);
  try {
    return parseReportInput(read.data.toString('utf8'));
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(`${name}: ${e.message}`);
    throw e;
  }
}

export function exitCodeOf(reports: Report[]): number {
  return reports.some((r) => complianceOf(r)) ? complianceExit(reports) : worstExit(reports);
}

async function render(reports: Report[], format: ReportFormat, o: ReportCommandOptions, history?: StoreHistory): Promise<{ data: string | Buffer; exitCode?: number }> {
  switch (format) {
    case 'html': return { data: renderHtml(reports, { title: o.title ?? (history ? `mxdoctor history report: ${history.targets.length === 1 ? history.targets[0]!.target : `${history.targets.length} targets`}` : undefined), history }) };
    case 'md': return { data: renderMarkdown(reports, { history }) };
    case 'junit': return { data: renderJunit(reports) };
    case 'csv': {
      const rows = o.rows ?? (history ? 'availability' : 'targets');
      if (history && (rows === 'availability' || rows === 'incidents')) return { data: renderHistoryCsv(history, rows) };
      return { data: renderCsv(reports, rows as CsvRows) };
    }
    case 'json': return { data: history ? `${JSON.stringify({ ...JSON.parse(renderJson(reports)), history })}\n` : renderJson(reports) };
    case 'nagios': {
      const n = renderNagios(reports);
      return { data: n.text, exitCode: n.exitCode };
    }
    case 'text': {
      const color = useColor(o);
      return { data: `${history ? historyText(history) : ''}${renderText(reports, { color })}${renderComplianceText(reports, { color })}` };
    }
    case 'pdf': {
      let font;
      try {
        font = o.font ? readFontFile(o.font) : needsUnicodeFont(reports, history) ? findCjkFont() : undefined;
      } catch (e) {
        throw new UsageError(`--font: ${(e as Error).message}`);
      }
      try {
        return { data: await renderPdf(reports, { font, history }) };
      } catch (e) {
        if (e instanceof PdfFontError) throw new UsageError(`report --format pdf: ${e.message}; ${CJK_FONT_HINT}`);
        throw e;
      }
    }
  }
}

function formatFromName(file: string): string {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  return ({ htm: 'html', html: 'html', pdf: 'pdf', md: 'md', markdown: 'md', xml: 'junit', csv: 'csv', json: 'json', txt: 'text' } as Record<string, string>)[ext ?? ''] ?? 'text';
}
