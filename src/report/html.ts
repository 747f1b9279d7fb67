// Self-contained HTML report: inline CSS and SVG charts, no script, no external resource (a
// Content-Security-Policy forbids any), every text from a target or server escaped.
import type { Report, ReportedFinding } from '../core/report.js';
import type { ComplianceFacts } from '../compliance/profile.js';
import { complianceOf } from '../compliance/evaluate.js';
import { VERSION } from '../version.js';
import { STATUS_WORD, countBySeverity, countsLine, evidenceText, isProblem, ordered, overview } from './summary.js';
import { COLOR, barChart, stackedBars } from './svg-chart.js';
import { anchorId as anchor, xmlEscape as esc } from './xml.js';
import type { StoreHistory } from './history-model.js';
import { historyHtml } from './history-html.js';

const MAX_BARS = 40;

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right}.charts{display:flex;flex-wrap:wrap;gap:2em}
.sev{display:inline-block;min-width:5.5em;padding:0 .4em;border-radius:3px;color:#fff;font-weight:600;text-align:center;font-size:.85em}
${Object.entries(COLOR).map(([s, c]) => `.s-${s}{background:${c}}`).join('')}
.pass{background:#2e7d32}.fail{background:#c62828}.not-evaluated{background:#6a1b9a}
.finding{border-left:4px solid #ccc;padding:.2em .8em;margin:.8em 0}.finding h3{margin:.2em 0;font-size:1.05em}
.meta{color:#666;font-size:.9em}pre{background:#f7f7f7;padding:.6em;overflow:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
svg text{font-size:12px;fill:#333}svg text.v{font-weight:600}figure{margin:0}figcaption{text-align:center;color:#555;font-size:.9em}`;

/** With `history` (report --from-store): the history part follows the summary; the findings are the latest run's. */
export function renderHtml(reports: Report[], o: { now?: Date; title?: string; history?: StoreHistory } = {}): string {
  const ov = overview(reports);
  const title = o.title ?? `mxdoctor report: ${reports.length === 1 ? reports[0]!.target : `${reports.length} targets`}`;
  const worst = [...reports].sort((a, b) => badness(b) - badness(a)).slice(0, MAX_BARS);
  const parts: string[] = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">Generated ${esc((o.now ?? new Date()).toISOString())} by mxdoctor ${esc(VERSION)} · overall <span class="sev s-${ov.status}">${STATUS_WORD[ov.status]}</span> · ${esc(countsLine(ov.findings))}</p>`,
    '<h2>Summary</h2>',
    `<div class="charts"><figure>${barChart('Targets by status', ov.byStatus)}<figcaption>Targets by status</figcaption></figure><figure>${barChart('Findings by severity', ov.findings)}<figcaption>Findings by severity</figcaption></figure></div>`,
    reports.length > 1 ? `<h3>Findings per target${reports.length > MAX_BARS ? ` (the ${MAX_BARS} with most problems)` : ''}</h3>${stackedBars('Findings per target', worst.map((r) => ({ label: r.target, n: countBySeverity(r.findings) })))}` : '',
    '<table><thead><tr><th>target</th><th>kind</th><th>status</th><th>critical</th><th>warning</th><th>unknown</th><th>info</th><th>ok</th><th>top problem</th></tr></thead><tbody>',
    ...reports.map((r) => {
      const n = countBySeverity(r.findings);
      const top = ordered(r.findings).find((f) => isProblem(f.severity));
      return `<tr><td><a href="#t-${anchor(r.target)}">${esc(r.target)}</a></td><td>${esc(r.kind)}</td><td><span class="sev s-${r.status}">${STATUS_WORD[r.status]}</span></td>${[n.critical, n.warning, n.unknown, n.info, n.ok].map((x) => `<td class="n">${x}</td>`).join('')}<td>${top ? esc(top.title) : ''}</td></tr>`;
    }),
    '</tbody></table>',
    o.history ? historyHtml(o.history) : '',
    o.history ? `<h2>Current findings</h2><p class="meta">From the latest run of each target whose report the store still holds.</p>` : '',
  ];
  for (const r of reports) {
    const c = complianceOf(r);
    if (c) parts.push(complianceTable(r.target, c));
  }
  for (const r of reports) {
    parts.push(`<h2 id="t-${anchor(r.target)}">${esc(r.target)} <span class="sev s-${r.status}">${STATUS_WORD[r.status]}</span></h2>`,
      `<p class="meta">${esc(countsLine(countBySeverity(r.findings)))} · ${r.checks.length} checks · started ${esc(r.startedAt)} · ${(r.durationMs / 1000).toFixed(2)} s</p>`);
    const fs = ordered(r.findings);
    const problems = fs.filter((f) => isProblem(f.severity));
    parts.push(problems.length ? problems.map(findingHtml).join('\n') : '<p>No problems found.</p>');
    const rest = fs.filter((f) => !isProblem(f.severity));
    if (rest.length) {
      parts.push(`<details><summary>${rest.length} passed or informational findings</summary><table><thead><tr><th>severity</th><th>id</th><th>title</th><th>subject</th></tr></thead><tbody>`,
        ...rest.map((f) => `<tr><td><span class="sev s-${f.severity}">${f.severity}</span></td><td><code>${esc(f.id)}</code></td><td>${esc(f.title)}</td><td>${esc(f.subject ?? '')}</td></tr>`),
        '</tbody></table></details>');
    }
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style></head>
<body>
${parts.filter(Boolean).join('\n')}
</body></html>
`;
}

function complianceTable(target: string, c: ComplianceFacts): string {
  const rows = c.controls.map((ctl) => {
    const ev = ctl.evidence.slice(0, 8).map((e) => `<code>${esc(e.id)}</code> <span class="meta">${esc(e.severity)}${e.subject ? ` · ${esc(e.subject)}` : ''}</span>`).join('<br>');
    const more = ctl.evidence.length > 8 ? `<br><span class="meta">… ${ctl.evidence.length - 8} more</span>` : '';
    return `<tr><td>${esc(ctl.title)}<br><span class="meta">${esc(ctl.id)}</span></td><td><span class="sev ${ctl.status}">${ctl.status.toUpperCase()}</span></td><td>${esc(ctl.reason)}${ev ? `<br>${ev}${more}` : ''}</td></tr>`;
  });
  return `<h2>Compliance: ${esc(target)} — profile ${esc(c.profile)}</h2><p>${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts['not-evaluated']} not evaluated</p>`
    + `<table><thead><tr><th>control</th><th>result</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function findingHtml(f: ReportedFinding): string {
  const ev = evidenceText(f);
  return `<div class="finding" style="border-color:${COLOR[f.severity]}"><h3><span class="sev s-${f.severity}">${f.severity.toUpperCase()}</span> ${esc(f.title)}</h3>`
    + `<div class="meta"><code>${esc(f.id)}</code>${f.subject ? ` · ${esc(f.subject)}` : ''} · ${esc(f.area)}</div>`
    + (f.detail ? `<p>${esc(f.detail).replace(/\n/g, '<br>')}</p>` : '')
    + (f.remediation ? `<p><strong>Fix:</strong> ${esc(f.remediation)}</p>` : '')
    + (ev ? `<details><summary>Evidence</summary><pre>${esc(ev)}</pre></details>` : '')
    + (f.refs?.length ? `<p class="meta">References: ${esc(f.refs.join('; '))}</p>` : '')
    + '</div>';
}

function badness(r: Report): number {
  const n = countBySeverity(r.findings);
  return n.critical * 1e6 + n.unknown * 1e3 + n.warning;
}
