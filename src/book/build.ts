/**
 * `npm run book`: execute every chapter of the series (quick mode unless `full`) or reuse copies
 * that `npm run notebooks:run` already executed, and write the static HTML book: a contents page,
 * one page per chapter (with previous/next links, its measured run time and its backend line) and
 * the shared assets. The book is written to a temporary folder next to `out` and then moved into
 * place, so a failed build never leaves half a book.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { executeNotebook, runStamp } from '../notebook/execute';
import { EXERCISE_SUFFIX } from '../notebook/exercise-files';
import type { Notebook } from '../notebook/format';
import { hasTag, readNotebook, sourceText } from '../notebook/format';
import { writeAssets } from './assets';
import { writeLiveAssets } from './live-assets';
import { LIVE_TAG } from './live-cell';
import { chapterPage, chapterTitle, pageShell, runSummary, studyEstimate, type ChapterLink } from './chapter';
import { pipelineDiagram } from './pipeline-diagram';
import { escapeHtml } from './markdown';

export const BOOK_TITLE = 'ResCom on TensorFlow.js: the course';

export interface BuildBookOptions {
  /** The chapters (solution notebooks `NN-name.ipynb`); exercise versions are left out. */
  notebooksDir: string;
  /** Where the book goes (replaced as a whole). */
  out: string;
  /** Where executed copies are written (execute) or read from (reuse). */
  executedDir: string;
  /** Execute the chapters (true) or reuse the executed copies in executedDir (false). */
  execute: boolean;
  /** Full budgets (RESCOM_QUICK=0) instead of quick mode. */
  full: boolean;
  /**
   * With `execute`: execute only these chapter numbers ('03'); the other chapters' executed copies
   * are reused from executedDir (they must exist and be current). The book always has every chapter.
   */
  chapters?: string[];
  /** Python with nbclient (execute only). */
  python?: string;
  /** Repository root (node_modules for the assets). */
  repoDir: string;
  log?: (line: string) => void;
  /** Runs one notebook (default `executeNotebook`; tests pass a stand-in). */
  executeNotebook?: typeof executeNotebook;
}

export interface BookChapter {
  file: string;
  title: string;
  seconds: number | null;
  backend: string | null;
}

/** The chapter notebooks in a folder, sorted: `NN-*.ipynb` without the exercise versions. */
export function chapterFiles(notebooksDir: string, only?: string[]): string[] {
  const files = fs
    .readdirSync(notebooksDir)
    .filter((n) => /^\d\d-.*\.ipynb$/.test(n) && !n.endsWith(EXERCISE_SUFFIX))
    .filter((n) => !only || only.includes(n.slice(0, 2)))
    .sort();
  if (files.length === 0) throw new Error(`chapterFiles: no chapter notebooks in '${notebooksDir}'${only ? ` matching ${only.join(', ')}` : ''}`);
  return files.map((n) => path.join(notebooksDir, n));
}

/** Throws unless `executed` is a successful run, in the wanted mode, of the current `source`. */
export function checkExecutedCopy(source: Notebook, executed: Notebook, file: string, full: boolean): void {
  const stamp = runStamp(executed);
  if (!stamp) throw new Error(`buildBook: '${file}' has no run record; execute it with npm run notebooks:run (or build without --from)`);
  if (!stamp.ok) throw new Error(`buildBook: '${file}' was executed with errors`);
  if (stamp.quick === full) throw new Error(`buildBook: '${file}' was executed in ${stamp.quick ? 'quick mode' : 'full mode'}, but the ${full ? 'full' : 'quick'} edition was asked for`);
  const a = source.cells.map(sourceText);
  const b = executed.cells.map(sourceText);
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    throw new Error(`buildBook: '${file}' is older than its chapter (the cells differ); execute it again`);
  }
}

export async function buildBook(options: BuildBookOptions): Promise<BookChapter[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const sources = chapterFiles(options.notebooksDir);
  const toExecute = new Set(options.execute ? chapterFiles(options.notebooksDir, options.chapters) : []);
  const run = options.executeNotebook ?? executeNotebook;
  const executed: Notebook[] = [];
  for (const source of sources) {
    const name = path.basename(source);
    const copy = path.join(options.executedDir, name);
    if (toExecute.has(source)) {
      const env = { ...process.env, RESCOM_QUICK: options.full ? '0' : '1' };
      // Full budgets train for many minutes in one cell (chapter 07 on a CPU: about 10 min).
      const cellTimeoutS = options.full ? 4 * 3600 : 900;
      const result = await run({ input: source, output: copy, env, python: options.python, cellTimeoutS });
      if (!result.ok) throw new Error(`buildBook: ${name} failed (executed copy: ${copy}): ${failureLine(result.error ?? '')}`);
      log(`  ran   ${name.padEnd(40)} ${result.seconds.toFixed(1)} s`);
    } else if (!fs.existsSync(copy)) {
      const how = options.execute
        ? `--chapters ${options.chapters?.join(',')} executes only those chapters and reuses the others from there; build the whole book once without --chapters`
        : 'run npm run notebooks:run first (or build without --from)';
      throw new Error(`buildBook: no executed copy of ${name} in '${options.executedDir}'; ${how}`);
    }
    const nb = readNotebook(copy);
    checkExecutedCopy(readNotebook(source), nb, copy, options.full);
    executed.push(nb);
  }

  const files = sources.map((s) => path.basename(s, '.ipynb') + '.html');
  const links: ChapterLink[] = executed.map((nb, i) => ({ file: files[i], title: chapterTitle(nb, files[i]) }));
  const out = path.resolve(options.out);
  const partial = `${out}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    writeAssets(path.join(partial, 'assets'), options.repoDir);
    // The live cells' bundle, wasm and data only for a book that has live cells (chapter.ts: tag `live`).
    if (executed.some((nb) => nb.cells.some((c) => c.cell_type === 'code' && hasTag(c, LIVE_TAG)))) {
      await writeLiveAssets(path.join(partial, 'assets'), options.repoDir);
    }
    const downloads = copyNotebooks(sources, path.join(partial, 'notebooks'));
    executed.forEach((nb, i) => {
      const html = chapterPage(nb, { file: files[i], bookTitle: BOOK_TITLE, previous: links[i - 1] ?? null, next: links[i + 1] ?? null, downloads: downloads[i] });
      fs.writeFileSync(path.join(partial, files[i]), html);
    });
    const chapters: BookChapter[] = executed.map((nb, i) => {
      const stamp = runStamp(nb);
      return { file: files[i], title: links[i].title, seconds: stamp?.seconds ?? null, backend: stamp?.backend ?? null };
    });
    fs.writeFileSync(path.join(partial, 'index.html'), contentsPage(executed, links, options.full));
    fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(partial, out);
    log(`book: ${chapters.length} chapter(s) written to ${options.out}/ (open ${path.join(options.out, 'index.html')})`);
    return chapters;
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Copies each chapter's notebook (committed without outputs) and its exercise version, when there is
 * one, into `dir`; returns the links the chapter pages give (relative to the book's root).
 */
function copyNotebooks(sources: string[], dir: string): { notebook: string; exercise: string | null }[] {
  fs.mkdirSync(dir, { recursive: true });
  return sources.map((source) => {
    const name = path.basename(source);
    fs.copyFileSync(source, path.join(dir, name));
    const exerciseName = name.replace(/\.ipynb$/, EXERCISE_SUFFIX);
    const exercise = path.join(path.dirname(source), exerciseName);
    if (!fs.existsSync(exercise)) return { notebook: `notebooks/${name}`, exercise: null };
    fs.copyFileSync(exercise, path.join(dir, exerciseName));
    return { notebook: `notebooks/${name}`, exercise: `notebooks/${exerciseName}` };
  });
}

/** The line of nbclient's report that names the error (a timeout, the cell's exception). */
function failureLine(report: string): string {
  const lines = report.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /timed out|Error:|Error\b/.test(l) && !l.startsWith('[')) ?? lines[lines.length - 1] ?? 'failed').slice(0, 300);
}

function contentsPage(executed: Notebook[], links: ChapterLink[], full: boolean): string {
  const total = executed.reduce((s, nb) => s + (runStamp(nb)?.seconds ?? 0), 0);
  const backends = [...new Set(executed.map((nb) => runStamp(nb)?.backend).filter(Boolean))] as string[];
  const items = executed.map((nb, i) => {
    const run = runSummary(runStamp(nb));
    const live = nb.cells.some((c) => c.cell_type === 'code' && hasTag(c, LIVE_TAG)) ? ' · <span class="live-tag">live cells</span>' : '';
    return `<li><a href="${links[i].file}">${escapeHtml(links[i].title)}</a><span class="meta">about ${studyEstimate(nb).minutes} min to work through${live} · ${escapeHtml(run.time)}</span></li>`;
  });
  const finished = executed.map((nb) => runStamp(nb)?.finished ?? '').sort().pop()?.slice(0, 10) ?? '';
  const body = [
    `<header><span class="book-title">${escapeHtml(BOOK_TITLE)}</span></header>`,
    '<main class="prose">',
    `<h1>${escapeHtml(BOOK_TITLE)}</h1>`,
    '<p>ResCom (Rebalanced Siamese Contrastive Mining, arXiv 2203.11506) for long-tailed recognition, taught chapter by chapter ',
    'with the <code>rescom-lab</code> library. Every page below is a notebook of the series, executed and rendered as it ran: ',
    'prose with typeset equations, the code, and its outputs (interactive figures, tables, printed results).</p>',
    `<p class="run-info">${full ? 'Full edition: every chapter ran with its full budget (RESCOM_QUICK=0) on the backend named below; chapters that train say which budget that is on this hardware.' : 'Quick edition: every chapter ran in quick mode (RESCOM_QUICK=1: the same code on smaller budgets, so numbers are noisier than in the full edition).'} `,
    `Built ${escapeHtml(finished)}; ${executed.length} chapters in ${(total / 60).toFixed(1)} min of execution. Backend: `,
    `${backends.map((b) => `<code>${escapeHtml(b)}</code>`).join(', ') || 'not recorded'}.</p>`,
    '<h2 id="pipeline">The ResCom pipeline <a class="anchor" href="#pipeline">#</a></h2>',
    `<figure class="pipeline-figure">${pipelineDiagram()}<figcaption>One training step: two views of each image, one encoder, two heads and two losses; the queue and the mining act on the projections (view 1 is enqueued after the step, without gradient). Chapter numbers say where each part is built; chapter 10 assembles the step by hand.</figcaption></figure>`,
    '<h2 id="chapters">Chapters <a class="anchor" href="#chapters">#</a></h2>',
    '<p>Chapters marked <span class="live-tag">live cells</span> have cells that run in your browser (serve the book with <code>npm run book:serve</code>). Times to work through are estimates from each chapter\'s length and exercises.</p>',
    `<ul class="contents">${items.join('\n')}</ul>`,
    '<p>Run the chapters yourself with <code>npm run notebooks:run</code>, open them in Jupyter with the tslab kernel, ',
    'and try the exercises (<code>notebooks/*.exercise.ipynb</code>; <code>npm run grade</code> grades them). ',
    'Rebuild this book with <code>npm run book</code> (<code>--full</code> for the real budgets).</p>',
    '</main>',
  ].join('\n');
  return pageShell({ title: BOOK_TITLE, assets: 'assets', body, scripts: false });
}
