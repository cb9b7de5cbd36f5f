/**
 * Notebook prose to HTML: markdown-it (CommonMark + tables) with KaTeX typesetting the `$...$` and
 * `$$...$$` equations at build time (server-side `katex.renderToString`), so the book needs no script
 * for its equations and shows no raw TeX. KaTeX's stylesheet and fonts ship with the book (assets.ts).
 */
import MarkdownIt from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';

/** A markdown renderer for chapter prose: HTML allowed (authors are trusted), links kept, math typeset. */
export function createMarkdown() {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  // Errors become visible red KaTeX error spans (the browser test fails on them) rather than a crash.
  md.use(markdownItKatex, { throwOnError: false, enableBareBlocks: false });
  return md;
}

let shared: ReturnType<typeof createMarkdown> | null = null;

/** Render one markdown cell's text to HTML. */
export function renderMarkdown(text: string): string {
  if (typeof text !== 'string') throw new Error(`renderMarkdown: text must be a string; got ${typeof text}`);
  shared ??= createMarkdown();
  return shared.render(text);
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
