/**
 * The book's assets, copied once into `book/assets/`: ONE plotly bundle shared by every page
 * (plotly.js-dist-min), KaTeX's stylesheet and fonts (equations are typeset at build time and need
 * only these), the stylesheet and the small script that draws the figures from their JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BOOK_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --rule: #d1d9e0; --code-bg: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 0 1.2rem 3rem; color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; padding: .8rem 0; border-bottom: 1px solid var(--rule); }
.book-title { font-weight: 600; color: var(--fg); text-decoration: none; }
.pager { display: flex; gap: 1.2rem; justify-content: space-between; font-size: .92rem; }
footer .pager { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
a { color: var(--accent); }
.run-info { color: var(--muted); font-size: .85rem; margin: .6rem 0 1.2rem; }
.run-info code { font-size: .8rem; word-break: break-all; }
.prose h1 { font-size: 1.9rem; line-height: 1.25; }
.prose table, .output.html table { border-collapse: collapse; margin: .6rem 0; font-size: .88rem; }
.prose th, .prose td, .output.html th, .output.html td { border: 1px solid var(--rule); padding: .25rem .55rem; text-align: right; }
.prose th:first-child, .prose td:first-child, .output.html td:first-child, .output.html th:first-child { text-align: left; }
.output.html { overflow-x: auto; }
pre { margin: .4rem 0; padding: .6rem .8rem; overflow-x: auto; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border-radius: 6px; }
pre.code { background: var(--code-bg); border: 1px solid var(--rule); white-space: pre-wrap; overflow-wrap: anywhere; }
.tok-keyword { color: #cf222e; }
.tok-string { color: #0a3069; }
.tok-number { color: #0550ae; }
.tok-comment { color: #6e7781; font-style: italic; }
.tok-library { color: #8250df; }
.anchor { visibility: hidden; margin-left: .3rem; text-decoration: none; color: var(--muted); font-weight: 400; }
h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor { visibility: visible; }
nav.page-contents { margin: .4rem 0 1rem; padding: .4rem .9rem; border: 1px solid var(--rule); border-radius: 6px; font-size: .9rem; }
nav.page-contents summary { cursor: pointer; font-weight: 600; }
nav.page-contents ol { margin: .3rem 0; padding-left: 1.4rem; columns: 2; }
.run-info .downloads a { margin: 0 .1rem; }
figure.pipeline-figure { margin: 1rem 0; }
figure.pipeline-figure svg { width: 100%; height: auto; }
figure.pipeline-figure figcaption { color: var(--muted); font-size: .85rem; }
pre.output { background: #fff; border-left: 3px solid var(--rule); white-space: pre-wrap; overflow-wrap: anywhere; }
pre.output.stderr { border-left-color: #d4a72c; }
pre.output.error { border-left-color: #cf222e; color: #cf222e; }
.cell { margin: 1rem 0; }
.outputs { margin-left: .4rem; }
figure.plotly-figure { margin: .6rem 0; }
.plotly-target { width: 100%; min-height: 420px; }
details.solution { margin: 1rem 0; padding: .4rem .8rem; border: 1px dashed var(--rule); border-radius: 6px; }
details.solution summary { cursor: pointer; color: var(--muted); }
.katex-display { overflow-x: auto; overflow-y: hidden; }
ul.contents { list-style: none; padding-left: 0; }
ul.contents li { margin: .7rem 0; }
ul.contents .meta { display: block; color: var(--muted); font-size: .82rem; }
.live-banner { margin: 1rem 0; padding: .6rem .9rem; border: 1px solid #9cc3ec; background: #eef6ff; border-radius: 6px; font-size: .9rem; }
.live-cell { border-left: 3px solid var(--accent); padding-left: .6rem; }
.live-bar { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; margin-bottom: .3rem; font-size: .85rem; }
.live-tag { text-transform: uppercase; letter-spacing: .05em; font-weight: 600; color: var(--accent); font-size: .72rem; }
.live-bar button { font: inherit; padding: .15rem .7rem; border: 1px solid var(--rule); border-radius: 5px; background: #fff; cursor: pointer; }
.live-bar button.live-run { background: var(--accent); color: #fff; border-color: var(--accent); }
.live-bar button:disabled { opacity: .5; cursor: default; }
.live-status { color: var(--muted); }
.live-status[data-state="failed"] { color: #cf222e; }
.live-status[data-state="ok"] { color: #1a7f37; }
.live-file-note { margin: .3rem 0; padding: .5rem .7rem; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; font-size: .88rem; }
textarea.live-code { width: 100%; min-height: 6rem; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: .6rem .8rem; border: 1px solid var(--accent); border-radius: 6px; background: #fff; tab-size: 2; white-space: pre; }
.live-cell.ran > .outputs { display: none; }
.live-output .live-figure { min-height: 380px; }
details.checks { margin: .4rem 0; font-size: .85rem; }
details.checks summary { cursor: pointer; color: #1a7f37; }
details.checks li.fail, details.checks.failed summary { color: #cf222e; }
details.checks ul { margin: .3rem 0; padding-left: 1.2rem; list-style: none; }
`.trimStart();

export const BOOK_JS = `// Draws every plotly figure of the page from its JSON with the book's one shared plotly bundle.
(function () {
  function draw() {
    if (typeof Plotly === 'undefined') return;
    var blocks = document.querySelectorAll('script.plotly-data');
    for (var i = 0; i < blocks.length; i++) {
      var target = document.getElementById(blocks[i].getAttribute('data-target'));
      var fig = JSON.parse(blocks[i].textContent);
      var layout = fig.layout || {};
      // Python's named templates mean nothing to plotly.js: drop the name, keep the layout.
      if (typeof layout.template === 'string') delete layout.template;
      // A figure that fixes its size (image grids, heat maps) keeps it; the others fill the column.
      if (layout.width || layout.height) {
        target.style.minHeight = '0';
        if (layout.height) target.style.height = layout.height + 'px';
        if (layout.width) target.style.maxWidth = layout.width + 'px';
      }
      layout.autosize = !layout.width;
      Plotly.newPlot(target, fig.data || [], layout, { responsive: true, displaylogo: false });
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
`;

/** Copy the assets into `dir` (created); returns the files written, relative to `dir`. */
export function writeAssets(dir: string, repoDir: string): string[] {
  const written: string[] = [];
  const copy = (from: string, to: string) => {
    if (!fs.existsSync(from)) throw new Error(`writeAssets: '${from}' is missing; run npm ci`);
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, to));
    written.push(to);
  };
  const modules = path.join(repoDir, 'node_modules');
  copy(path.join(modules, 'plotly.js-dist-min', 'plotly.min.js'), 'plotly.min.js');
  copy(path.join(modules, 'katex', 'dist', 'katex.min.css'), path.join('katex', 'katex.min.css'));
  // woff2 only: every browser that runs the book's figures reads it, and the css lists it first.
  const fonts = path.join(modules, 'katex', 'dist', 'fonts');
  for (const font of fs.readdirSync(fonts).filter((f) => f.endsWith('.woff2')).sort()) copy(path.join(fonts, font), path.join('katex', 'fonts', font));
  fs.writeFileSync(path.join(dir, 'book.css'), BOOK_CSS);
  fs.writeFileSync(path.join(dir, 'book.js'), BOOK_JS);
  written.push('book.css', 'book.js');
  return written;
}
