/**
 * One executed chapter to one HTML page: prose (Markdown + KaTeX), code, and outputs. Plotly figures
 * become a placeholder plus their JSON, drawn by the book's one shared plotly bundle (book.js), with
 * the figure's text rendering (the text output tslab shows next to it) in <noscript>; HTML tables
 * are kept as they are; stdout/stderr and errors are shown as text. Solution cells are folded away.
 */
import type { Notebook, NotebookCell, NotebookOutput } from '../notebook/format';
import { hasTag, outputText, sourceText } from '../notebook/format';
import { runStamp, type RunStamp } from '../notebook/execute';
import { PLOTLY_MIME } from '../viz/show';
import { LIVE_BANNER, LIVE_TAG, liveCellHtml } from './live-cell';
import { checksBadge, splitChecks, type SplitChecks } from './checks-badge';
import { highlightTypeScript } from './highlight';
import { escapeHtml, newPageHeadings, renderMarkdown, type PageHeadings } from './markdown';

export interface ChapterLink {
  file: string;
  title: string;
}

export interface ChapterPageOptions {
  /** Output file name of this page, e.g. '03-balanced-softmax.html'. */
  file: string;
  /** Book title, shown in the header. */
  bookTitle: string;
  previous: ChapterLink | null;
  next: ChapterLink | null;
  /** Relative path from the page to the assets folder; default 'assets'. */
  assets?: string;
  /** Links to the chapter's notebook and its exercise version, relative to the page (build.ts copies them). */
  downloads?: { notebook: string; exercise: string | null };
}

/**
 * Time to work through a chapter, estimated from its content: prose at 200 words a minute, half a
 * minute per code cell to read and run it, 8 minutes per exercise answer cell (graded code or
 * written). An estimate for planning a lesson, stated as one.
 */
export function studyEstimate(nb: Notebook): { minutes: number; text: string } {
  let words = 0;
  let code = 0;
  let exercises = 0;
  for (const cell of nb.cells) {
    if (hasTag(cell, 'solution-only')) continue;
    if (cell.cell_type === 'markdown') words += sourceText(cell).split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length;
    if (cell.cell_type === 'code') code++;
    if (hasTag(cell, 'solution') || hasTag(cell, 'written-answer')) exercises++;
  }
  const minutes = Math.max(5, Math.round((words / 200 + code * 0.5 + exercises * 8) / 5) * 5);
  return {
    minutes,
    text: `About ${minutes} min to work through (estimate: ${words.toLocaleString('en-US')} words of prose, ${code} code cells, ${exercises} exercise answers)`,
  };
}

/** The chapter's title: the first Markdown heading's text, else the fallback. */
export function chapterTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const m = /^#{1,2}\s+(.+)$/m.exec(sourceText(cell));
    if (m) return m[1].replace(/[*_`]/g, '').trim();
  }
  return fallback;
}

/** 'quick mode, 11.5 s' style run line and the backend, from the executed notebook's run stamp. */
export function runSummary(stamp: RunStamp | null): { time: string; backend: string } {
  if (!stamp) return { time: 'run time not recorded', backend: 'backend not recorded' };
  const seconds = stamp.seconds < 120 ? `${stamp.seconds.toFixed(1)} s` : `${(stamp.seconds / 60).toFixed(1)} min`;
  return {
    time: `executed ${stamp.finished.slice(0, 10)} in ${seconds} (${stamp.quick ? 'quick mode, RESCOM_QUICK=1' : 'full budgets'})${stamp.ok ? '' : ', WITH ERRORS'}`,
    backend: stamp.backend ?? 'backend line not printed',
  };
}

let figureCount = 0;

function renderOutputs(outputs: NotebookOutput[]): string {
  const parts: string[] = [];
  const checks: SplitChecks['checks'] = [];
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i];
    const data = output.data ?? {};
    if (output.output_type === 'stream') {
      const split = splitChecks(outputText(output));
      checks.push(...split.checks);
      if (split.text.trim()) parts.push(`<pre class="output ${output.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(split.text.replace(/\n+$/, ''))}</pre>`);
    } else if (output.output_type === 'error') {
      parts.push(`<pre class="output error">${escapeHtml(`${output.ename ?? 'Error'}: ${output.evalue ?? ''}`)}</pre>`);
    } else if (data[PLOTLY_MIME]) {
      const id = `figure-${++figureCount}`;
      // The text rendering tslab showed right after the figure becomes its no-script fallback.
      const following = outputs[i + 1];
      let fallback = typeof data['text/plain'] === 'string' || Array.isArray(data['text/plain']) ? outputText(output) : '';
      if (!fallback && following && following.output_type === 'display_data' && Object.keys(following.data ?? {}).join() === 'text/plain') {
        fallback = outputText(following);
        i++;
      }
      // '<' escaped so the JSON cannot close the script element.
      const json = JSON.stringify(data[PLOTLY_MIME]).replace(/</g, '\\u003c');
      parts.push(
        `<figure class="plotly-figure"><div class="plotly-target" id="${id}"></div>` +
          `<script type="application/json" class="plotly-data" data-target="${id}">${json}</script>` +
          `<noscript><pre class="output figure-text">${escapeHtml(fallback || '(figure: enable JavaScript to see it)')}</pre></noscript></figure>`,
      );
    } else if (data['text/html']) {
      const html = data['text/html'];
      parts.push(`<div class="output html">${Array.isArray(html) ? html.join('') : String(html)}</div>`);
    } else if (data['image/png']) {
      const png = data['image/png'];
      parts.push(`<img class="output" alt="cell output" src="data:image/png;base64,${(Array.isArray(png) ? png.join('') : String(png)).trim()}">`);
    } else if (data['text/plain']) {
      parts.push(`<pre class="output">${escapeHtml(outputText(output))}</pre>`);
    }
  }
  parts.push(checksBadge(checks));
  const shown = parts.filter(Boolean);
  return shown.length ? `<div class="outputs">${shown.join('\n')}</div>` : '';
}

function renderCell(cell: NotebookCell, page: PageHeadings): string {
  const source = sourceText(cell);
  if (cell.cell_type === 'markdown') {
    const html = `<div class="prose">${renderMarkdown(source, page)}</div>`;
    return hasTag(cell, 'solution-only') || hasTag(cell, 'solution')
      ? `<details class="solution"><summary>Notes on the solution</summary>${html}</details>`
      : html;
  }
  if (cell.cell_type !== 'code') return '';
  const code = `<pre class="code"><code class="language-typescript">${highlightTypeScript(source)}</code></pre>`;
  const outputs = renderOutputs(cell.outputs ?? []);
  const live = hasTag(cell, LIVE_TAG) ? liveCellHtml({ id: String(cell.id ?? ''), source, codeHtml: code, outputsHtml: outputs }) : null;
  if (live && hasTag(cell, 'solution')) return `<details class="solution cell"><summary>Solution (try the exercise first)</summary>${live}</details>`;
  if (live) return live;
  const body = `${code}${outputs}`;
  if (hasTag(cell, 'solution')) return `<details class="solution cell"><summary>Solution (try the exercise first)</summary>${body}</details>`;
  return `<div class="cell">${body}</div>`;
}

function nav(options: ChapterPageOptions): string {
  const prev = options.previous ? `<a rel="prev" href="${options.previous.file}">&larr; ${escapeHtml(options.previous.title)}</a>` : '<span></span>';
  const next = options.next ? `<a rel="next" href="${options.next.file}">${escapeHtml(options.next.title)} &rarr;</a>` : '<span></span>';
  return `<nav class="pager">${prev}<a href="index.html">Contents</a>${next}</nav>`;
}

/** The HTML page of one executed chapter. */
export function chapterPage(nb: Notebook, options: ChapterPageOptions): string {
  const assets = options.assets ?? 'assets';
  const title = chapterTitle(nb, options.file);
  const run = runSummary(runStamp(nb));
  figureCount = 0;
  const page = newPageHeadings();
  const cells = nb.cells.map((c) => renderCell(c, page)).filter(Boolean).join('\n');
  const sections = page.headings.filter((h) => h.level === 2);
  const contents = sections.length
    ? `<nav class="page-contents" aria-label="contents of this chapter"><details open><summary>In this chapter</summary><ol>${sections.map((h) => `<li><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`).join('')}</ol></details></nav>`
    : '';
  const study = studyEstimate(nb);
  const downloads = options.downloads
    ? `<span class="downloads">Download: <a href="${options.downloads.notebook}" download>chapter notebook (.ipynb)</a>${options.downloads.exercise ? ` · <a href="${options.downloads.exercise}" download>exercise version (.ipynb)</a>` : ''}</span>`
    : '';
  const live = nb.cells.some((c) => c.cell_type === 'code' && hasTag(c, LIVE_TAG));
  return pageShell({
    title: `${title} · ${options.bookTitle}`,
    assets,
    live,
    body: [
      `<header><a class="book-title" href="index.html">${escapeHtml(options.bookTitle)}</a>${nav(options)}</header>`,
      `<p class="run-info"><span class="study-time">${escapeHtml(study.text)}</span><br><span class="run-time">${escapeHtml(run.time)}</span>${downloads ? `<br>${downloads}` : ''}<br><code class="backend">${escapeHtml(run.backend)}</code></p>`,
      contents,
      `<main class="chapter">${live ? LIVE_BANNER : ''}${cells}</main>`,
      `<footer>${nav(options)}</footer>`,
    ].join('\n'),
  });
}

/** The common page frame: stylesheet, KaTeX css, the one plotly bundle and the figure script. */
export function pageShell(options: { title: string; assets: string; body: string; scripts?: boolean; live?: boolean }): string {
  const scripts = options.scripts ?? true;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<link rel="stylesheet" href="${options.assets}/katex/katex.min.css">`,
    `<link rel="stylesheet" href="${options.assets}/book.css">`,
    '</head>',
    '<body>',
    options.body,
    scripts ? `<script src="${options.assets}/plotly.min.js"></script>\n<script src="${options.assets}/book.js"></script>` : '',
    options.live ? `<script src="${options.assets}/live.js"></script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
