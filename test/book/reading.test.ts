// The reading aids of the book pages: build-time highlighting (lossless), the checks badge that
// replaces CLAIM / CHECK lines, heading slugs and the page's contents, the study-time estimate.
import test from 'ava';
import { checksBadge, splitChecks } from '../../src/book/checks-badge';
import { chapterPage, studyEstimate } from '../../src/book/chapter';
import { highlightTypeScript, tokenize } from '../../src/book/highlight';
import { headingSlug } from '../../src/book/markdown';
import type { Notebook } from '../../src/notebook';

const source = "// the loss\nconst x = await rc.losses.supConLoss({ tau: 0.2e-1, s: 'it\\'s', t: `${a}` }); /* c */ if (x) return 12;";

test('tokenize is lossless and finds comments, strings, numbers, keywords and rc. names', (t) => {
  const tokens = tokenize(source);
  t.is(tokens.map((k) => k.text).join(''), source);
  const of = (kind: string) => tokens.filter((k) => k.kind === kind).map((k) => k.text);
  t.deepEqual(of('comment'), ['// the loss', '/* c */']);
  t.deepEqual(of('string'), ["'it\\'s'", '`${a}`']);
  t.deepEqual(of('number'), ['0.2e-1', '12']);
  t.deepEqual(of('keyword'), ['const', 'await', 'if', 'return']);
  t.deepEqual(of('library'), ['rc.losses.supConLoss']);
  t.is(highlightTypeScript('a < b && "x"'), 'a &lt; b &amp;&amp; <span class="tok-string">&quot;x&quot;</span>');
});

test('splitChecks takes the CLAIM and CHECK lines out; the badge counts them and lists failures', (t) => {
  const split = splitChecks('head 51.5\n\nCLAIM OK: the head averages 51.5 (51.7, stated 51.5 ± 0.5)\n\nCHECK PASS: shapes\nCHECK FAIL: loss -- expected 1, got 2\ntail\n');
  t.is(split.text, 'head 51.5\n\ntail\n');
  t.deepEqual(split.checks, [
    { passed: true, text: 'the head averages 51.5 (51.7, stated 51.5 ± 0.5)' },
    { passed: true, text: 'shapes' },
    { passed: false, text: 'loss: expected 1, got 2' },
  ]);
  const badge = checksBadge(split.checks);
  t.regex(badge, /^<details class="checks failed"><summary>✗ 1 of 3 checks failed<\/summary>/);
  t.regex(checksBadge(split.checks.slice(0, 2)), /<summary>✓ 2 checks passed when this chapter ran<\/summary>/);
  t.is(checksBadge([]), '');
});

test('heading slugs are readable and unique within a page', (t) => {
  const taken = new Set<string>();
  t.is(headingSlug('Step 2: normalise, then mine', taken), 'step-2-normalise-then-mine');
  t.is(headingSlug('Step 2: normalise, then mine', taken), 'step-2-normalise-then-mine-2');
  t.is(headingSlug('Σ', taken), 'section');
});

const nb: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', id: 't', metadata: {}, source: '# 05 · Queue\n\n' + 'word '.repeat(400) },
    { cell_type: 'markdown', id: 'a', metadata: {}, source: '## Design\n\ntext' },
    { cell_type: 'code', id: 'c', metadata: {}, source: 'f()', execution_count: null, outputs: [{ output_type: 'stream', name: 'stdout', text: 'CLAIM OK: one\nCLAIM OK: two\n' }] },
    { cell_type: 'code', id: 'e', metadata: { tags: ['solution'] }, source: 'g()', execution_count: null, outputs: [] },
    { cell_type: 'markdown', id: 'b', metadata: {}, source: '## Design\n\nagain' },
  ],
};

test('a chapter page lists its sections, anchors them and shows one badge per cell instead of CLAIM lines', (t) => {
  const html = chapterPage(nb, { file: '05-q.html', bookTitle: 'B', previous: null, next: null });
  t.regex(html, /<nav class="page-contents"[^>]*><details open><summary>In this chapter<\/summary><ol><li><a href="#design">Design<\/a><\/li><li><a href="#design-2">Design<\/a><\/li><\/ol>/);
  t.notRegex(html, /CLAIM OK/);
  t.regex(html, /<summary>✓ 2 checks passed when this chapter ran<\/summary>/);
  t.regex(html, /About \d+ min to work through \(estimate: 40\d words of prose, 2 code cells, 1 exercise answers\)/);
});

test('studyEstimate: 200 words a minute, half a minute per code cell, 8 per exercise, in steps of 5', (t) => {
  // 406 words ~ 2 min, 2 cells 1 min, 1 exercise 8 min: 11 -> 10.
  t.is(studyEstimate(nb).minutes, 10);
});
