// The book builder without a browser: pages, links, typeset equations, one plotly bundle, run info,
// and the checks that refuse stale or wrong-mode executed copies.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBook, chapterFiles } from '../../src/book/build';
import { readNotebook, writeNotebook } from '../../src/notebook';
import type { ExecuteResult } from '../../src/notebook/execute';
import { writeFixtureSeries } from './fixture';

const repoDir = path.resolve(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-book-test-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('buildBook writes contents, one page per chapter, shared assets, typeset math and run info', async (t) => {
  const root = path.join(scratch, 'a');
  const { notebooksDir, executedDir } = writeFixtureSeries(root);
  const out = path.join(root, 'book');
  const chapters = await buildBook({ notebooksDir, executedDir, out, execute: false, full: false, repoDir, log: () => {} });
  t.deepEqual(chapters.map((c) => c.file), ['01-chapter.html', '02-chapter.html'], 'exercise versions are left out');
  t.deepEqual(fs.readdirSync(out).sort(), ['01-chapter.html', '02-chapter.html', 'assets', 'index.html', 'notebooks']);
  t.deepEqual(fs.readdirSync(path.join(out, 'notebooks')).sort(), ['01-chapter.exercise.ipynb', '01-chapter.ipynb', '02-chapter.exercise.ipynb', '02-chapter.ipynb']);
  t.true(fs.statSync(path.join(out, 'assets', 'plotly.min.js')).size > 1_000_000, 'the one plotly bundle');
  t.true(fs.readdirSync(path.join(out, 'assets', 'katex', 'fonts')).length > 10);
  const page = fs.readFileSync(path.join(out, '01-chapter.html'), 'utf8');
  t.regex(page, /class="katex-display"/);
  t.regex(page, /class="katex"/);
  const prose = page.replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, '').replace(/<pre[\s\S]*?<\/pre>/g, '').replace(/<script[\s\S]*?<\/script>/g, '');
  t.notRegex(prose, /\$/, 'no raw $ left outside code');
  t.regex(page, /<script src="assets\/plotly\.min\.js"><\/script>/);
  t.is(page.match(/plotly\.min\.js/g)?.length, 1);
  t.regex(page, /<noscript><pre class="output figure-text">bars: a 1, b 3 &lt;\/script&gt;<\/pre><\/noscript>/, 'text fallback, escaped');
  t.regex(page, /<a rel="next" href="02-chapter.html">02 · Chapter 2 &rarr;<\/a>/);
  t.notRegex(page, /rel="prev"/);
  t.regex(fs.readFileSync(path.join(out, '02-chapter.html'), 'utf8'), /<a rel="prev" href="01-chapter.html">/);
  t.regex(page, /executed 2026-11-30 in 13\.5 s \(quick mode, RESCOM_QUICK=1\)/);
  t.regex(page, /<code class="backend">backend=cpu threads=1<\/code>/);
  t.regex(page, /<details class="solution cell"><summary>Solution/);
  t.regex(page, /<table><tr><th>x<\/th>/);
  t.regex(page, /<a href="notebooks\/01-chapter.ipynb" download>chapter notebook \(.ipynb\)<\/a> · <a href="notebooks\/01-chapter.exercise.ipynb" download>/);
  t.regex(page, /<span class="study-time">About \d+ min to work through/);
  t.regex(page, /<h1 id="01-chapter-1">01 · Chapter 1 <a class="anchor" href="#01-chapter-1"/);
  t.regex(page, /<span class="tok-keyword">const<\/span> backend = <span class="tok-keyword">await<\/span> <span class="tok-library">rc.selectBackend<\/span>/);
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  t.regex(index, /<svg class="pipeline"/);
  t.regex(index, /<a href="01-chapter.html">01 · Chapter 1<\/a>/);
  t.regex(index, /Quick edition/);
});

test('buildBook refuses executed copies that are missing, stale or of the other mode, and keeps the old book', async (t) => {
  const root = path.join(scratch, 'b');
  const { notebooksDir, executedDir } = writeFixtureSeries(root);
  const out = path.join(root, 'book');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'index.html'), 'old');
  const build = (full = false) => buildBook({ notebooksDir, executedDir, out, execute: false, full, repoDir, log: () => {} });
  await t.throwsAsync(build(true), { message: /executed in quick mode, but the full edition/ });
  const source = readNotebook(path.join(notebooksDir, '02-chapter.ipynb'));
  source.cells[1].source = 'changed();';
  writeNotebook(path.join(notebooksDir, '02-chapter.ipynb'), source);
  await t.throwsAsync(build(), { message: /02-chapter.ipynb' is older than its chapter/ });
  fs.rmSync(path.join(executedDir, '02-chapter.ipynb'));
  await t.throwsAsync(build(), { message: /no executed copy of 02-chapter.ipynb/ });
  t.is(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), 'old');
  t.deepEqual(fs.readdirSync(root).filter((n) => n.includes('partial')), []);
});

test('buildBook with chapters executes only those and still writes every chapter and the whole contents page', async (t) => {
  const root = path.join(scratch, 'd');
  const { notebooksDir, executedDir } = writeFixtureSeries(root);
  const out = path.join(root, 'book');
  const ran: string[] = [];
  // A stand-in for Jupyter: "executing" a chapter copies its fixture's executed version into place.
  const saved = fs.readFileSync(path.join(executedDir, '02-chapter.ipynb'));
  const executeNotebook = async (o: { input: string; output?: string }): Promise<ExecuteResult> => {
    ran.push(path.basename(o.input));
    fs.writeFileSync(o.output!, saved);
    return { notebook: readNotebook(o.output!), ok: true, error: null, seconds: 1 };
  };
  const chapters = await buildBook({ notebooksDir, executedDir, out, execute: true, full: false, chapters: ['02'], repoDir, log: () => {}, executeNotebook });
  t.deepEqual(ran, ['02-chapter.ipynb'], 'only chapter 02 executed');
  t.deepEqual(chapters.map((c) => c.file), ['01-chapter.html', '02-chapter.html']);
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  t.regex(index, /href="01-chapter.html"/);
  t.regex(index, /href="02-chapter.html"/);
  // A chapter that was never executed cannot be reused: the error says how to get it.
  fs.rmSync(path.join(executedDir, '01-chapter.ipynb'));
  await t.throwsAsync(buildBook({ notebooksDir, executedDir, out, execute: true, full: false, chapters: ['02'], repoDir, log: () => {}, executeNotebook }), {
    message: /no executed copy of 01-chapter.ipynb .*--chapters 02 executes only those chapters and reuses the others from there; build the whole book once without --chapters/,
  });
});

test('chapterFiles lists NN-*.ipynb chapters only and filters by number', (t) => {
  const root = path.join(scratch, 'c');
  const { notebooksDir } = writeFixtureSeries(root);
  t.deepEqual(chapterFiles(notebooksDir, ['02']).map((f) => path.basename(f)), ['02-chapter.ipynb']);
  t.throws(() => chapterFiles(notebooksDir, ['07']), { message: /no chapter notebooks/ });
});
