// The history part of the PDF report (report --from-store): the period table, then per
// target the days, incidents, certificate and blacklist timelines as tables.
import type { FindingPeriod, StoreHistory, TargetHistory } from './history-model.js';
import { UNKNOWN_NOTE, humanSeconds, percent } from './history-model.js';

type Doc = PDFKit.PDFDocument;
const HEAD = (i: number) => (i === 0 ? { backgroundColor: '#e8e8e8' } : {});

export function historyPdf(doc: Doc, h: StoreHistory, body: string, bold: string): void {
  doc.moveDown();
  title(doc, bold, 14, `History ${h.since.slice(0, 10)} to ${h.until}`);
  doc.font(body).fontSize(9).fillColor('#555').text(`From the monitor's store ${h.store}. ${UNKNOWN_NOTE}`);
  doc.fillColor('#000');
  doc.table({
    columnStyles: ['*', 58, 50, 50, 56, 46, 50, 34],
    rowStyles: HEAD,
    data: [['target', 'availability', 'up', 'down', 'unknown (not counted)', 'incidents', 'MTTR', 'runs'],
      ...h.targets.map((t) => [t.target, percent(t.period.availability), humanSeconds(t.period.upSeconds), humanSeconds(t.period.downSeconds), humanSeconds(t.period.unknownSeconds), String(t.period.incidents), humanSeconds(t.period.mttrSeconds), String(t.runs)])],
  });
  for (const t of h.targets) targetPdf(doc, t, body, bold);
}

function targetPdf(doc: Doc, t: TargetHistory, body: string, bold: string): void {
  doc.moveDown();
  title(doc, bold, 12, `${t.target}: history`);
  doc.font(body).fontSize(9).fillColor('#000');
  if (!t.runs && !t.days.some((d) => d.upSeconds + d.downSeconds + d.unknownSeconds)) {
    doc.text(`No data in this period: no run of this target is stored in it${t.firstRunAt ? ` (the first stored run is at ${t.firstRunAt})` : ''}.`);
    return;
  }
  const cert = new Map(t.certificate.daysLeft.map((d) => [d.day, d.value]));
  const lists = new Map(t.blacklist.lists.map((d) => [d.day, d.value]));
  doc.table({
    columnStyles: [70, 70, '*', '*', '*', 70, 50],
    rowStyles: HEAD,
    data: [['day (UTC)', 'availability', 'up', 'down', 'unknown', 'cert days left', 'lists'],
      ...t.days.map((d) => [d.day, d.availability === null ? 'not measured' : percent(d.availability), humanSeconds(d.upSeconds), humanSeconds(d.downSeconds), humanSeconds(d.unknownSeconds), String(cert.get(d.day) ?? ''), String(lists.get(d.day) ?? '')])],
  });
  doc.moveDown(0.5);
  title(doc, bold, 10, 'Incidents');
  doc.font(body).fontSize(9);
  if (!t.incidents.length) doc.text('No incident in this period.');
  else {
    doc.table({
      columnStyles: [120, 120, 60, '*'],
      rowStyles: HEAD,
      data: [['started', 'ended', 'duration', 'cause'], ...t.incidents.map((i) => [i.startedAt, i.endedAt ?? 'open', humanSeconds(i.durationSeconds), i.cause ? `${i.cause.findingId ?? ''} ${i.cause.title ?? ''}` : ''])],
    });
    doc.text(`MTTR (incidents that ended in the period): ${humanSeconds(t.period.mttrSeconds)}`);
  }
  periodsPdf(doc, 'Certificate problems', t.certificate.periods, 'No certificate problem in this period.', body, bold);
  periodsPdf(doc, 'Blacklist listings', t.blacklist.periods, 'Not listed in this period.', body, bold);
}

function periodsPdf(doc: Doc, heading: string, ps: FindingPeriod[], none: string, body: string, bold: string): void {
  doc.moveDown(0.5);
  title(doc, bold, 10, heading);
  doc.font(body).fontSize(9);
  if (!ps.length) {
    doc.text(none);
    return;
  }
  doc.table({
    columnStyles: [120, 120, '*', 110],
    rowStyles: HEAD,
    data: [['from', 'to', 'finding', 'subject'], ...ps.map((p) => [p.from, p.to ?? 'still', `${p.severity} ${p.findingId} ${p.title}`, p.subject])],
  });
}

function title(doc: Doc, font: string, size: number, text: string): void {
  doc.font(font).fontSize(size).fillColor('#000').text(text, doc.page.margins.left);
  doc.moveDown(0.3);
}
