// PDF report (pdfkit): summary table first, compliance tables, then each target's problems with
// detail, fix and evidence. Pure apart from the font bytes it is given: the caller finds a font
// covering CJK (io/fonts.ts); without one, text outside WinAnsi cannot be drawn and we refuse.
import PDFDocument from 'pdfkit';
import type { Report, ReportedFinding } from '../core/report.js';
import type { Severity } from '../core/finding.js';
import { complianceOf } from '../compliance/evaluate.js';
import { VERSION } from '../version.js';
import { STATUS_WORD, countBySeverity, countsLine, evidenceText, isProblem, ordered, overview } from './summary.js';
import { COLOR } from './svg-chart.js';
import type { StoreHistory } from './history-model.js';
import { historyPdf } from './history-pdf.js';

export interface PdfOptions {
  /** A font covering the report's text (CJK included); without it the built-in Helvetica. */
  font?: { data: Buffer; face?: string };
  now?: Date;
  /** Longest evidence printed per finding; the rest is in the JSON. */
  maxEvidenceChars?: number;
  /** report --from-store: the history part follows the summary. */
  history?: StoreHistory;
}

export class PdfFontError extends Error {}

/** Characters Helvetica (WinAnsiEncoding, PDF 32000 Annex D) can draw. */
const WIN_ANSI = /^[\u0000-\u00ff\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]*$/;

export function needsUnicodeFont(reports: Report[], history?: StoreHistory): boolean {
  return !WIN_ANSI.test(JSON.stringify(reports)) || (history !== undefined && !WIN_ANSI.test(JSON.stringify(history)));
}

export async function renderPdf(reports: Report[], o: PdfOptions = {}): Promise<Buffer> {
  if (!o.font && needsUnicodeFont(reports, o.history)) throw new PdfFontError('the report has text outside Latin-1 (e.g. Chinese) and no font covering it was found');
  const doc = new PDFDocument({ size: 'A4', margin: 48, bufferPages: true, info: { Title: 'mxdoctor report', Creator: `mxdoctor ${VERSION}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  if (o.font) doc.registerFont('body', o.font.data, o.font.face ?? undefined as unknown as string);
  const body = o.font ? 'body' : 'Helvetica';
  const bold = o.font ? 'body' : 'Helvetica-Bold';
  doc.font(body);
  const ov = overview(reports);
  doc.font(bold).fontSize(20).text('mxdoctor report');
  doc.font(body).fontSize(9).fillColor('#555')
    .text(`Generated ${(o.now ?? new Date()).toISOString()} by mxdoctor ${VERSION} · ${reports.length} target${reports.length === 1 ? '' : 's'} · overall ${STATUS_WORD[ov.status]} · ${countsLine(ov.findings)}`);
  doc.moveDown();
  heading(doc, bold, 'Summary');
  doc.font(body).fontSize(9).fillColor('#000');
  doc.table({
    columnStyles: ['*', 62, 46, 46, 48, 34, 34],
    rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#e8e8e8' } : {}),
    data: [
      ['target', 'status', 'critical', 'warning', 'unknown', 'info', 'ok'],
      ...reports.map((r) => {
        const n = countBySeverity(r.findings);
        return [r.target, STATUS_WORD[r.status], n.critical, n.warning, n.unknown, n.info, n.ok].map(String);
      }),
    ],
  });
  if (o.history) {
    historyPdf(doc, o.history, body, bold);
    doc.moveDown();
    heading(doc, bold, 'Current findings');
    doc.font(body).fontSize(9).fillColor('#555').text('From the latest run of each target whose report the store still holds.');
  }
  for (const r of reports) {
    const c = complianceOf(r);
    if (!c) continue;
    doc.moveDown();
    heading(doc, bold, `Compliance: ${r.target} — profile ${c.profile}`);
    doc.font(body).fontSize(9).fillColor('#000').text(`${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts['not-evaluated']} not evaluated`);
    doc.table({
      columnStyles: [150, 86, '*'],
      rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#e8e8e8' } : {}),
      data: [['control', 'result', 'evidence'], ...c.controls.map((ctl) => [
        ctl.title, ctl.status === 'not-evaluated' ? 'NOT EVALUATED' : ctl.status.toUpperCase(),
        [ctl.reason, ...ctl.evidence.slice(0, 6).map((e) => `${e.id} (${e.severity}${e.subject ? `, ${e.subject}` : ''})`), ctl.evidence.length > 6 ? `… ${ctl.evidence.length - 6} more` : ''].filter(Boolean).join('\n'),
      ])],
    });
  }
  for (const r of reports) {
    doc.moveDown();
    heading(doc, bold, `${r.target} — ${STATUS_WORD[r.status]}`);
    doc.font(body).fontSize(9).fillColor('#555').text(`${countsLine(countBySeverity(r.findings))} · ${r.checks.length} checks · started ${r.startedAt}`);
    const problems = ordered(r.findings).filter((f) => isProblem(f.severity));
    if (!problems.length) doc.fillColor('#000').text('No problems found.');
    for (const f of problems) findingBlock(doc, f, body, bold, o.maxEvidenceChars ?? 1500);
    const passed = r.findings.filter((f) => !isProblem(f.severity)).length;
    if (passed) doc.moveDown(0.3).font(body).fontSize(9).fillColor('#555').text(`${passed} passed or informational findings (listed in the JSON and HTML reports).`);
  }
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(body).fontSize(8).fillColor('#888').text(`mxdoctor report · page ${i + 1} of ${pages.count}`, 48, doc.page.height - 30, { align: 'center', width: doc.page.width - 96 });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function heading(doc: PDFKit.PDFDocument, font: string, text: string): void {
  doc.font(font).fontSize(14).fillColor('#000').text(text, doc.page.margins.left);
  doc.moveDown(0.3);
}

function findingBlock(doc: PDFKit.PDFDocument, f: ReportedFinding, body: string, bold: string, maxEvidence: number): void {
  const left = doc.page.margins.left;
  doc.moveDown(0.5);
  doc.font(bold).fontSize(10).fillColor(COLOR[f.severity as Severity]).text(`${f.severity.toUpperCase()}  `, left, undefined, { continued: true })
    .fillColor('#000').text(f.title);
  doc.font(body).fontSize(8).fillColor('#555').text(`${f.id}${f.subject ? ` · ${f.subject}` : ''} · ${f.area}`);
  doc.fillColor('#000').fontSize(9);
  if (f.detail) doc.text(f.detail);
  if (f.remediation) doc.font(bold).text('Fix: ', { continued: true }).font(body).text(f.remediation);
  const ev = evidenceText(f);
  if (ev) {
    const shown = ev.length > maxEvidence ? `${ev.slice(0, maxEvidence)}\n… (${ev.length - maxEvidence} more characters in the JSON report)` : ev;
    doc.fontSize(7.5).fillColor('#333').text(`Evidence: ${shown}`, { indent: 0 });
  }
}
