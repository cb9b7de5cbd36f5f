/**
 * Notebook prose to HTML: markdown-it (CommonMark + tables) with KaTeX typesetting the `$...$` and
 * `$$...$$` equations at build time (server-side `katex.renderToString`), so the book needs no script
 * for its equations and shows no raw TeX. KaTeX's stylesheet and fonts ship with the book (assets.ts).
 */
import MarkdownIt from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';

/** What a page collects while its cells render: heading ids in use and the headings, for its contents. */
export interface PageHeadings {
  slugs: Set<string>;
  headings: { level: number; id: string; text: string }[];
}

export function newPageHeadings(): PageHeadings {
  return { slugs: new Set(), headings: [] };
}

/** 'Step 2: normalise, then mine' -> 'step-2-normalise-then-mine' (unique in the page: -2, -3, ...). */
export function headingSlug(text: string, taken: Set<string>): string {
  const base = text.toLowerCase().replace(/<[^>]*>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'section';
  let slug = base;
  for (let k = 2; taken.has(slug); k++) slug = `${base}-${k}`;
  taken.add(slug);
  return slug;
}

/** A markdown renderer for chapter prose: HTML allowed (authors are trusted), links kept, math typeset, headings anchored. */
export function createMarkdown() {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  // Errors become visible red KaTeX error spans (the browser test fails on them) rather than a crash.
  md.use(markdownItKatex, { throwOnError: false, enableBareBlocks: false });
  // Every heading gets an id and a '#' link to itself; the page's contents list is built from them.
  md.renderer.rules.heading_open = (tokens, idx, options, rawEnv, self) => {
    const env = rawEnv as { page?: PageHeadings } | undefined;
    const inline = tokens[idx + 1];
    const text = (inline.children ?? []).filter((t) => t.type === 'text' || t.type === 'code_inline').map((t) => t.content).join('') || inline.content;
    const page = env?.page ?? newPageHeadings();
    const id = headingSlug(text, page.slugs);
    page.headings.push({ level: Number(tokens[idx].tag.slice(1)), id, text: text.replace(/[*_`]/g, '') });
    tokens[idx].attrSet('id', id);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.heading_close = (tokens, idx, options, rawEnv, self) => {
    const env = rawEnv as { page?: PageHeadings } | undefined;
    const page = env?.page;
    const id = page?.headings[page.headings.length - 1]?.id;
    return `${id ? ` <a class="anchor" href="#${id}" aria-label="link to this section">#</a>` : ''}${self.renderToken(tokens, idx, options)}`;
  };
  return md;
}

let shared: ReturnType<typeof createMarkdown> | null = null;

/** Render one markdown cell's text to HTML; `page` collects its headings (ids unique across the page). */
export function renderMarkdown(text: string, page: PageHeadings = newPageHeadings()): string {
  if (typeof text !== 'string') throw new Error(`renderMarkdown: text must be a string; got ${typeof text}`);
  shared ??= createMarkdown();
  return shared.render(text, { page });
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
