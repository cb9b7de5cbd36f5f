// The book in headless Chromium (Debian's chromium): no console error, every plotly figure drawn
// (.main-svg), no raw TeX; screenshots under runs/book-screenshots/ (git-ignored). Checks a book
// built from a fixture, the committed book/ and, when RESCOM_BOOK_DIR is set (CI: the quick edition
// it just built), that one too. Skipped without Chromium unless RESCOM_REQUIRE_CHROMIUM=1.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBook } from '../../src/book/build';
import { checkBook, chromiumMissing, type PageReport } from './browser';
import { writeFixtureSeries } from './fixture';

const repoDir = path.resolve(__dirname, '..', '..');
const shots = path.join(repoDir, 'runs', 'book-screenshots');
const missing = chromiumMissing();
if (missing && process.env.RESCOM_REQUIRE_CHROMIUM === '1') throw new Error(`browser.test: RESCOM_REQUIRE_CHROMIUM=1 but ${missing}`);
if (missing) console.log(`book browser test: SKIPPED, ${missing}`);
const browserTest = missing ? test.skip : test.serial;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-book-browser-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

function problems(reports: PageReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    for (const e of r.consoleErrors) out.push(`${r.page}: console error: ${e}`);
    for (const f of r.failedRequests) out.push(`${r.page}: request failed: ${f}`);
    if (r.renderedFigures !== r.figures) out.push(`${r.page}: ${r.figures - r.renderedFigures} of ${r.figures} figure(s) not rendered`);
    for (const tex of r.rawTex) out.push(`${r.page}: raw TeX: ${tex}`);
    if (r.katexErrors > 0) out.push(`${r.page}: ${r.katexErrors} KaTeX error(s)`);
  }
  return out;
}

browserTest('a built book renders in Chromium: figures drawn, equations typeset, no console error', async (t) => {
  const { notebooksDir, executedDir } = writeFixtureSeries(path.join(scratch, 'fixture'));
  const out = path.join(scratch, 'fixture', 'book');
  await buildBook({ notebooksDir, executedDir, out, execute: false, full: false, repoDir, log: () => {} });
  const reports = await checkBook(out, { shotsDir: path.join(shots, 'fixture') });
  t.deepEqual(problems(reports), []);
  const first = reports.find((r) => r.page === '01-chapter.html')!;
  t.is(first.figures, 1);
  t.true(first.equations >= 2);
});

browserTest('the checker catches raw TeX, an undrawn figure and a console error', async (t) => {
  const dir = path.join(scratch, 'broken');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'bad.html'),
    '<!DOCTYPE html><html><body><p>The loss $\\frac{1}{2}$ stays raw.</p><div class="plotly-target"></div><script>console.error("boom")</script></body></html>',
  );
  const [report] = await checkBook(dir, { shotsDir: path.join(scratch, 'shots'), figureTimeoutMs: 2000 });
  t.deepEqual(report.consoleErrors, ['boom']);
  t.is(report.figures, 1);
  t.is(report.renderedFigures, 0);
  t.true(report.rawTex.length >= 1, JSON.stringify(report.rawTex));
});

const extra = process.env.RESCOM_BOOK_DIR ? path.resolve(process.env.RESCOM_BOOK_DIR) : null;
const books = [path.join(repoDir, 'book'), ...(extra && extra !== path.join(repoDir, 'book') ? [extra] : [])];
for (const book of books) {
  const name = path.relative(repoDir, book) || book;
  browserTest(`${name}/ opens cleanly in Chromium; screenshots saved`, async (t) => {
    if (!fs.existsSync(path.join(book, 'index.html'))) return t.fail(`${name}/index.html does not exist; build it with npm run book`);
    const chapters = fs.readdirSync(book).filter((n) => /^\d\d-.*\.html$/.test(n));
    t.true(chapters.length >= 10, `${chapters.length} chapter pages`);
    const reports = await checkBook(book, { shotsDir: path.join(shots, name.replace(/[\\/]/g, '_')), screenshot: () => true });
    t.deepEqual(problems(reports), []);
    const figures = reports.reduce((s, r) => s + r.figures, 0);
    const equations = reports.reduce((s, r) => s + r.equations, 0);
    t.true(figures >= 10, `${figures} figures`);
    t.true(equations >= 50, `${equations} typeset equations`);
    t.log(`${name}: ${reports.length} pages, ${figures} figures drawn, ${equations} equations typeset`);
  });
}
