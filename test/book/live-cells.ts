// `npm run test:browser`: every live cell of the book, run in headless Chromium (Debian's chromium
// through playwright-core) from a local static server, compared with the same cells run in Node
// against the library (live-node.ts). One line per test, then 'N passed, N failed'; exit 1 on a failure.
//   RESCOM_BOOK_DIR=runs/book   the book to test (default book/)
//   RESCOM_LIVE_BACKEND=wasm    force the page's backend (default: whatever the page picks)
//   RESCOM_LIVE_FULL=1          full budgets in both (default quick: ?quick=1 and RESCOM_QUICK=1)
// Skipped (0 passed, 0 failed) without Chromium, unless RESCOM_REQUIRE_CHROMIUM=1.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { serveBook } from '../../src/book/serve';
import { useTestBackend } from '../helpers/backend';
import { chromiumMissing, launch } from './browser';
import { runLiveCellsInNode, type NodeCellResult } from './live-node';

const repoDir = path.resolve(__dirname, '..', '..');
const bookDir = path.resolve(process.env.RESCOM_BOOK_DIR ?? path.join(repoDir, 'book'));
const full = process.env.RESCOM_LIVE_FULL === '1';
process.env.RESCOM_QUICK = full ? '0' : '1';

interface PageClaim {
  kind: string;
  text: string;
  value?: number;
  passed: boolean;
  detail?: string;
}
interface PageResult {
  id: string;
  ok: boolean;
  error: string | null;
  errorCell: string | null;
  seconds: number;
  backend: string;
  logs: string[];
  claims: PageClaim[];
  figures: number;
  tables: number;
}

let passed = 0;
let failed = 0;
function report(ok: boolean, name: string, detail: string): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${name}${detail ? `  ${detail}` : ''}`);
}

/** |browser - node| within 1e-5, relative above 1. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
}

function compare(page: PageResult, node: NodeCellResult | undefined): string[] {
  const problems: string[] = [];
  if (!page.ok) problems.push(`failed in the browser: ${page.error}${page.errorCell !== page.id ? ` (in '${page.errorCell}')` : ''}`);
  for (const c of page.claims.filter((c) => !c.passed)) problems.push(`check failed in the browser: ${c.text}${c.detail ? ` (${c.detail})` : ''}`);
  if (!node) return [...problems, 'did not run in Node'];
  if (!node.ok) problems.push(`failed in Node: ${node.error}`);
  if (page.ok && node.ok && page.claims.length !== node.claims.length) problems.push(`${page.claims.length} checks in the browser, ${node.claims.length} in Node`);
  page.claims.forEach((c, i) => {
    const n = node.claims[i];
    if (n && c.value !== undefined && n.value !== undefined && !close(c.value, n.value)) {
      problems.push(`'${c.text}': browser ${c.value}, Node ${n.value}`);
    }
  });
  return problems;
}

async function livePages(): Promise<string[]> {
  return fs
    .readdirSync(bookDir)
    .filter((n) => /^\d\d-.*\.html$/.test(n) && fs.readFileSync(path.join(bookDir, n), 'utf8').includes('class="cell live-cell"'))
    .sort();
}

async function testChapter(page: Page, base: string, name: string, counts: { cells: number }): Promise<void> {
  const query = new URLSearchParams();
  if (!full) query.set('quick', '1');
  if (process.env.RESCOM_LIVE_BACKEND) query.set('backend', process.env.RESCOM_LIVE_BACKEND);
  await page.goto(`${base}${name}?${query}`, { waitUntil: 'load' });
  await page.waitForFunction('window.rescomLive !== undefined');
  const backend = (await page.evaluate('window.rescomLive.backend().then((b) => b.line)')) as string;
  const cells = (await page.evaluate(
    `Array.from(document.querySelectorAll('.live-cell')).map((c) => ({ id: c.dataset.liveId, code: c.querySelector('textarea.live-code').value }))`,
  )) as { id: string; code: string }[];
  const pageResults: PageResult[] = [];
  for (const cell of cells) pageResults.push((await page.evaluate(`window.rescomLive.runCell(${JSON.stringify(cell.id)})`)) as PageResult);
  const nodeResults = await runLiveCellsInNode(cells);
  const chapter = name.replace(/\.html$/, '');
  pageResults.forEach((r, i) => {
    counts.cells++;
    const problems = compare(r, nodeResults[i]);
    const numbers = r.claims.filter((c) => c.value !== undefined).length;
    report(problems.length === 0, `${chapter} / ${r.id}`, problems.length ? problems.join('; ') : `${r.seconds.toFixed(1)} s, ${r.claims.length} checks passed, ${numbers} numbers equal Node's`);
  });
  console.log(`      (${chapter}: ${backend})`);
  if (chapter.startsWith('01-')) checkSimulationAgainstCli(pageResults);
  if (chapter.startsWith('10-')) checkStepByHand(pageResults, nodeResults);
  if (chapter.startsWith('07-')) checkTraining(pageResults);
}

/** The simulation cell's numbers against `rescom simulate --json` with the same options. */
function checkSimulationAgainstCli(results: PageResult[]): void {
  const sim = results.find((r) => r.id === 'simulate');
  if (!sim) return report(false, '01 / simulate equals rescom simulate', 'no simulate cell');
  const batches = full ? 20000 : 2000;
  const json = JSON.parse(
    execFileSync(process.execPath, [path.join(repoDir, 'lib', 'cli', 'main.js'), 'simulate', '--json', '--no-html', '--batches', String(batches)], { encoding: 'utf8' }),
  ) as { simulation: { classes: { meanImages: number; absentFraction: number; expectedAbsentFraction: number }[]; headTailSampleRatio: number; headTailSiamesePairRatio: number } };
  const s = json.simulation;
  const tail = s.classes[s.classes.length - 1];
  const expected = [s.classes[0].meanImages, tail.expectedAbsentFraction, tail.absentFraction, s.headTailSampleRatio, s.headTailSiamesePairRatio];
  const values = sim.claims.map((c) => c.value);
  const ok = expected.length === values.length && expected.every((v, i) => values[i] === v);
  report(ok, `01 / simulate equals rescom simulate --batches ${batches}`, ok ? `head ${expected[0]} images/batch, tail absent ${expected[2]}, pair ratio ${expected[4].toFixed(1)}: identical` : `page [${values.join(', ')}], CLI [${expected.join(', ')}]`);
}

/** The step by hand: the page's losses (by hand and the library's) equal Node's to 1e-5. */
function checkStepByHand(results: PageResult[], node: NodeCellResult[]): void {
  const verify = results.find((r) => r.id === 'verify');
  const reference = node.find((r) => r.id === 'verify');
  const losses = verify?.claims.filter((c) => /L_cls|L_con|total/.test(c.text)) ?? [];
  const ok = !!verify?.ok && !!reference && losses.length === 3 && losses.every((c) => reference.claims.some((n) => n.text === c.text && n.value !== undefined && Math.abs(n.value - c.value!) <= 1e-5));
  report(ok, "10 / the step by hand's losses equal the library's in Node to 1e-5", losses.map((c) => `${c.text.split(' ')[0]} ${c.value?.toFixed(6)}`).join(', '));
}

/** The training cell: its loss falls and its accuracy beats chance (asserted in the cell; named here). */
function checkTraining(results: PageResult[]): void {
  const run = results.find((r) => r.claims.some((c) => /loss falls/.test(c.text)));
  const needed = [/loss falls/, /beats chance/];
  const ok = !!run?.ok && needed.every((p) => run.claims.some((c) => p.test(c.text) && c.passed)) && run.figures >= 1;
  report(ok, '07 / the training run in the page: loss falls, test accuracy beats chance, live curve drawn', run ? run.claims.map((c) => c.detail ?? '').filter(Boolean).join('; ') : 'no training cell');
}

/** Opened as file://, a live page says it needs a server and disables its buttons. */
async function checkFilePage(page: Page, name: string): Promise<void> {
  await page.goto(pathToFileURL(path.join(bookDir, name)).href, { waitUntil: 'load' });
  await page.waitForFunction('window.rescomLive !== undefined');
  const note = (await page.evaluate(`document.querySelector('.live-file-note')?.hidden === false ? document.querySelector('.live-file-note').textContent : ''`)) as string;
  const disabled = (await page.evaluate(`Array.from(document.querySelectorAll('.live-run')).every((b) => b.disabled)`)) as boolean;
  report(/book:serve/.test(note) && disabled, `${name} as file:// says it needs a server`, note.slice(0, 80));
}

async function main(): Promise<number> {
  const missing = chromiumMissing();
  if (missing) {
    if (process.env.RESCOM_REQUIRE_CHROMIUM === '1') {
      console.error(`test:browser: RESCOM_REQUIRE_CHROMIUM=1 but ${missing}`);
      return 1;
    }
    console.log(`test:browser: SKIPPED, ${missing}\n0 passed, 0 failed`);
    return 0;
  }
  if (!fs.existsSync(path.join(bookDir, 'index.html'))) {
    console.error(`test:browser: ${bookDir}/index.html does not exist; build the book with npm run book`);
    return 1;
  }
  const pages = await livePages();
  console.log(`test:browser: ${pages.length} chapter(s) with live cells in ${path.relative(process.cwd(), bookDir) || bookDir} (${full ? 'full budgets' : 'quick budgets'})`);
  if (pages.length === 0) report(false, 'the book has live cells', 'none found');
  await useTestBackend();
  const server = await serveBook({ dir: bookDir, port: 0 });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const browser = await launch();
  const counts = { cells: 0 };
  const started = Date.now();
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    for (const name of pages) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.location().url)) errors.push(m.text());
      });
      await testChapter(page, base, name, counts);
      report(errors.length === 0, `${name} has no page or console error`, errors.join('; ').slice(0, 300));
      await page.close();
    }
    if (pages.length > 0) await checkFilePage(await context.newPage(), pages[0]);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`test:browser: ${counts.cells} live cells in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:browser: ${(error as Error).stack ?? error}`);
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  },
);
