/**
 * A self-contained, offline HTML report: plotly.js (the `plotly.js-dist-min` bundle) inlined once,
 * then each section's heading, text, figure and table. Each figure also carries a text rendering in
 * <noscript>, so the report stays readable where scripts are blocked. Written atomically.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write';
import { checkOwnOutput, readHead } from '../util/own-output';
import type { PlotlyFigure } from './figure';
import { figureToText, formatTable, type Cell } from './text-table';

export interface ReportSection {
  heading: string;
  /** Plain text; blank lines separate paragraphs. */
  text?: string;
  /** Preformatted text (JSON, logs), shown as is in a <pre> block. */
  code?: string;
  figure?: PlotlyFigure;
  /** Rows of a table (the first row's keys are the columns). */
  table?: Record<string, Cell>[];
}

export interface Report {
  title: string;
  sections: ReportSection[];
}

export interface HtmlReportOptions {
  /** Path of plotly.min.js to inline. Default: the installed plotly.js-dist-min bundle. */
  plotlyPath?: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON safe inside <script>: no "</script>", no "<!--". */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function cellHtml(v: Cell): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '<td class="missing">-</td>';
  if (typeof v === 'number') return `<td class="num">${Number.isInteger(v) ? v : +v.toPrecision(4)}</td>`;
  return `<td>${escapeHtml(String(v))}</td>`;
}

/** The report as one HTML string (plotly inlined once, only if some section has a figure). */
export function renderHtmlReport(report: Report, options: HtmlReportOptions = {}): string {
  const fn = 'renderHtmlReport';
  if (!report || typeof report.title !== 'string')
    throw new Error(`${fn}: report.title must be a string; got ${typeof report?.title}`);
  if (!Array.isArray(report.sections))
    throw new Error(`${fn}: report.sections must be an array; got ${typeof report.sections}`);
  const needsPlotly = report.sections.some((s) => s.figure);
  let plotly = '';
  if (needsPlotly) {
    const path = options.plotlyPath ?? require.resolve('plotly.js-dist-min/plotly.min.js');
    plotly = readFileSync(path, 'utf8');
    if (/<\/script/i.test(plotly)) throw new Error(`${fn}: ${path} contains "</script" and cannot be inlined`);
  }
  const body: string[] = [];
  report.sections.forEach((section, k) => {
    if (typeof section.heading !== 'string')
      throw new Error(`${fn}: sections[${k}].heading must be a string; got ${typeof section.heading}`);
    body.push(`<section>\n<h2>${escapeHtml(section.heading)}</h2>`);
    if (section.text) {
      for (const para of section.text.split(/\n\s*\n/)) body.push(`<p>${escapeHtml(para.trim())}</p>`);
    }
    if (section.code) body.push(`<pre>${escapeHtml(section.code)}</pre>`);
    if (section.figure) {
      const id = `figure-${k}`;
      body.push(`<div id="${id}" class="figure"></div>`);
      body.push(`<noscript><pre>${escapeHtml(figureToText(section.figure))}</pre></noscript>`);
      body.push(
        `<script>Plotly.newPlot(${JSON.stringify(id)}, ${scriptJson(section.figure.data)}, ${scriptJson(section.figure.layout)}, {responsive: true, displaylogo: false});</script>`,
      );
    }
    if (section.table && section.table.length) {
      const columns = Object.keys(section.table[0]);
      body.push(
        `<table>\n<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>\n<tbody>\n${section.table
          .map((row) => `<tr>${columns.map((c) => cellHtml(row[c])).join('')}</tr>`)
          .join('\n')}\n</tbody>\n</table>`,
      );
    }
    body.push('</section>');
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="${HTML_REPORT_GENERATOR}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.missing { color: #999; text-align: center; } .figure { width: 100%; min-height: 420px; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; }
</style>
${needsPlotly ? `<script>${plotly}</script>` : ''}
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
${body.join('\n')}
</body>
</html>
`;
}

/** The generator named in every report's head: how a later write knows the file is a report. */
export const HTML_REPORT_GENERATOR = 'rescom-lab report';

/**
 * Whether `file` is an HTML report this module wrote: its head names the generator (reports
 * written before the generator tag: the same first four lines).
 */
export function isHtmlReportFile(file: string): boolean {
  const head = readHead(file, 512);
  return (
    head.includes(`<meta name="generator" content="${HTML_REPORT_GENERATOR}">`) ||
    head.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport"')
  );
}

/** `checkOwnOutput`'s description of a report path (add `who` and `option`). */
export const HTML_REPORT_OUTPUT = { what: 'an HTML report written by rescom', isOurs: isHtmlReportFile };

/**
 * Render and write the report to `path` atomically; returns the number of bytes written. An
 * existing file at `path` must be such a report (`option` names where the path came from in the
 * refusal, default `path`).
 */
export function writeHtmlReport(
  report: Report,
  path: string,
  options: HtmlReportOptions & { option?: string } = {},
): number {
  checkOwnOutput(path, {
    who: 'writeHtmlReport',
    option: options.option ?? 'path',
    ...HTML_REPORT_OUTPUT,
  });
  const html = renderHtmlReport(report, options);
  writeFileAtomic(path, html);
  return Buffer.byteLength(html);
}

/** The same report as plain text (tables and figure renderings), for terminals and logs. */
export function renderTextReport(report: Report): string {
  const parts = [`# ${report.title}`];
  for (const s of report.sections) {
    parts.push('', `## ${s.heading}`);
    if (s.text) parts.push(s.text);
    if (s.code) parts.push(s.code);
    if (s.figure) parts.push(figureToText(s.figure));
    if (s.table && s.table.length) parts.push(formatTable(s.table));
  }
  return parts.join('\n');
}
