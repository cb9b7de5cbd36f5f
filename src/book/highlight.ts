/**
 * Build-time syntax highlighting of the chapters' TypeScript: a small lossless tokenizer (comments,
 * strings and template literals, numbers, keywords, the library's `rc.` names) that wraps tokens in
 * `<span class="tok-…">`; everything else is escaped text. Lossless: the spans' text is the source.
 * Not a parser: a regular expression literal is read as operators, which is harmless for colouring.
 */
import { escapeHtml } from './markdown';

const KEYWORDS = new Set(
  (
    'await async break case catch class const continue default delete do else export extends false finally for from function ' +
    'if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while yield as type interface'
  ).split(' '),
);

/** Token kinds and the CSS classes the book's stylesheet colours. */
export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'library' | 'text';

const PATTERN =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?|`(?:[^`\\]|\\[\s\S])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b)|(\brc\.[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)|([A-Za-z_$][\w$]*)/g;

/** The source split into tokens; their texts joined give the source back. */
export function tokenize(source: string): { kind: TokenKind; text: string }[] {
  if (typeof source !== 'string') throw new Error(`tokenize: source must be a string; got ${typeof source}`);
  const out: { kind: TokenKind; text: string }[] = [];
  let last = 0;
  for (const m of source.matchAll(PATTERN)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ kind: 'text', text: source.slice(last, at) });
    const kind: TokenKind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'number' : m[4] ? 'library' : KEYWORDS.has(m[5]) ? 'keyword' : 'text';
    out.push({ kind, text: m[0] });
    last = at + m[0].length;
  }
  if (last < source.length) out.push({ kind: 'text', text: source.slice(last) });
  return out;
}

/** The source as highlighted, escaped HTML (the content of a `<code>` element). */
export function highlightTypeScript(source: string): string {
  return tokenize(source)
    .map((t) => (t.kind === 'text' ? escapeHtml(t.text) : `<span class="tok-${t.kind}">${escapeHtml(t.text)}</span>`))
    .join('');
}
