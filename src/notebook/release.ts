/**
 * The student edition (`npm run release -- --out DIR`), nbgrader's "release" step: what a teacher
 * hands out, written from this checkout (the teacher edition), which alone keeps the solutions and
 * the hidden tests.
 *
 *   DIR/notebooks/     the exercise version of every chapter (solution bodies are TODO stubs, with
 *                      the progressive hints) and the chapters without exercises (00-setup)
 *   DIR/assignments/   the exercise version of every graded assignment (answers printed nowhere)
 *   DIR/lib/           the compiled library, without the grader and the hidden tests
 *   DIR/book/          the book built from the executed chapters with every solution cell stubbed
 *                      and its outputs dropped (optional: needs `npm run notebooks:run` first)
 *   DIR/package.json, package-lock.json, scripts/notebooks/install-kernel.js, README.md
 *
 * The edition is written to a temporary folder and moved into place; before that every file is
 * scanned and the release fails if any still holds a solution marker or a solution-tagged cell.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBook } from '../book/build';
import { EXERCISE_TAG, SOLUTION_ONLY_TAG, SOLUTION_TAG, stubSolutionCode } from './exercise';
import { EXERCISE_SUFFIX, exerciseFileFor, exerciseSources, exerciseStatus } from './exercise-files';
import type { Notebook, NotebookCell } from './format';
import { hasTag, readNotebook, sourceText, writeNotebook } from './format';

/** Files of lib/notebook/ that only the teacher edition has: the grader and its hidden tests. */
export const TEACHER_ONLY = [
  'notebook/hidden',
  'notebook/grader',
  'notebook/gradebook',
  'notebook/hidden-run',
  'notebook/hidden-child',
  'notebook/score',
  'notebook/submission',
  'notebook/traps',
  'notebook/sandbox',
  'notebook/sandboxed-notebook',
  'notebook/release',
];

/** A marker file that says a folder is a student edition (so a new release may replace it). */
const MARKER = '.rescom-student-edition';

/**
 * A chapter as the student edition's book shows it: each `solution` code cell becomes its TODO stub
 * with no outputs, each `solution` markdown cell the answer placeholder, `solution-only` cells go;
 * every other cell (and its outputs) is kept. Used on a chapter and on its executed copy alike, so
 * the book builder still finds the two in step.
 */
export function studentChapter(nb: Notebook, where = 'chapter'): Notebook {
  const cells: NotebookCell[] = [];
  for (const cell of nb.cells) {
    if (hasTag(cell, SOLUTION_ONLY_TAG)) continue;
    if (!hasTag(cell, SOLUTION_TAG)) {
      cells.push(cell);
      continue;
    }
    const tags = [...(cell.metadata.tags ?? []).filter((t) => t !== SOLUTION_TAG), EXERCISE_TAG];
    const metadata = { ...cell.metadata, tags };
    if (cell.cell_type === 'markdown') cells.push({ ...cell, metadata, source: '**Your answer:** _write it here._' });
    else
      cells.push({
        ...cell,
        metadata,
        source: stubSolutionCode(sourceText(cell), `${where} cell ${cell.id}`),
        outputs: [],
        execution_count: null,
      });
  }
  return { ...nb, cells };
}

export interface ReleaseOptions {
  /** The teacher edition: this checkout (notebooks/, assignments/, lib/, package.json). */
  repoDir: string;
  /** Where the student edition goes (replaced if it is an earlier student edition, else must not exist). */
  out: string;
  /** Executed chapters for the book (`npm run notebooks:run` writes runs/notebooks); null: no book. */
  executedDir: string | null;
  /** Full-budget executed copies (the full edition of the book); default false. */
  full?: boolean;
  log?: (line: string) => void;
}

export interface ReleaseSummary {
  notebooks: string[];
  assignments: string[];
  libFiles: number;
  book: boolean;
}

/** Exercise versions (checked current) and exercise-free chapters of `dir`, copied into `to`. */
function releaseFolder(dir: string, to: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const stale = exerciseStatus({ directory: dir }).filter((e) => e.stale);
  if (stale.length > 0)
    throw new Error(
      `writeStudentEdition: ${stale.map((e) => path.basename(e.exercise)).join(', ')} out of date; run npm run notebooks:exercises`,
    );
  const sources = new Set(exerciseSources(dir));
  const written: string[] = [];
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/^\d\d-.*\.ipynb$/.test(name) || name.endsWith(EXERCISE_SUFFIX)) continue;
    const file = path.join(dir, name);
    const released = sources.has(file) ? exerciseFileFor(file) : file;
    fs.copyFileSync(released, path.join(to, path.basename(released)));
    written.push(path.basename(released));
  }
  return written;
}

function isTeacherOnly(relative: string): boolean {
  const rel = relative.split(path.sep).join('/');
  return TEACHER_ONLY.some((p) => rel === p || rel.startsWith(`${p}/`) || rel.startsWith(`${p}.`));
}

/** Copy lib/ without the teacher-only files; returns how many files were copied. */
function releaseLibrary(lib: string, to: string): number {
  let count = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      const relative = path.relative(lib, from);
      if (isTeacherOnly(relative)) continue;
      if (entry.isDirectory()) walk(from);
      else if (entry.isFile()) {
        fs.mkdirSync(path.dirname(path.join(to, relative)), { recursive: true });
        fs.copyFileSync(from, path.join(to, relative));
        count++;
      }
    }
  };
  walk(lib);
  return count;
}

const STUDENT_README = `# ResCom on TensorFlow.js: student edition

The chapters of the course as exercises (\`notebooks/\`), the graded assignments (\`assignments/\`),
the compiled library (\`lib/\`) and, if your teacher built it, the book (\`book/index.html\`).

\`\`\`bash
npm ci                    # installs TensorFlow.js, tslab and the rest
npm run kernel:install    # registers the "TypeScript (tslab, rescom-lab)" kernel with Jupyter
jupyter lab notebooks/    # or assignments/
\`\`\`

Fill in every cell marked \`TODO\` (open the hints one at a time if you are stuck), run the notebook
top to bottom and read the \`CHECK\` lines under the check cells: they are feedback, not your grade.
Your teacher grades the notebook you hand in with hidden, randomised tests, one exercise at a time;
each exercise says which library functions it forbids (calling one scores 0 for that exercise).
`;

/**
 * Scan the edition's notebooks and book pages: no solution marker, no solution-tagged cell. (The
 * library is checked by what it leaves out: `TEACHER_ONLY`.)
 */
function assertNoSolutions(root: string): void {
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['lib', 'node_modules', 'assets'].includes(entry.name)) walk(file);
        continue;
      }
      if (!/\.(ipynb|html)$/.test(entry.name)) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (/BEGIN SOLUTION|END SOLUTION/.test(text))
        throw new Error(`writeStudentEdition: ${path.relative(root, file)} still holds a solution marker`);
      if (entry.name.endsWith('.ipynb')) {
        const leak = readNotebook(file).cells.find((c) => hasTag(c, SOLUTION_TAG) || hasTag(c, SOLUTION_ONLY_TAG));
        if (leak) throw new Error(`writeStudentEdition: ${path.relative(root, file)} has a solution cell '${leak.id}'`);
      }
    }
  };
  walk(root);
}

/** The book of the student edition: chapters and executed copies with the solutions stubbed. */
async function releaseBook(options: ReleaseOptions, to: string, scratch: string): Promise<void> {
  const executedDir = options.executedDir as string;
  const notebooksDir = path.join(scratch, 'chapters');
  const stubbedExecuted = path.join(scratch, 'executed');
  fs.mkdirSync(notebooksDir, { recursive: true });
  fs.mkdirSync(stubbedExecuted, { recursive: true });
  const chapters = path.join(options.repoDir, 'notebooks');
  for (const name of fs.readdirSync(chapters).sort()) {
    if (!/^\d\d-.*\.ipynb$/.test(name) || name.endsWith(EXERCISE_SUFFIX)) continue;
    writeNotebook(path.join(notebooksDir, name), studentChapter(readNotebook(path.join(chapters, name)), name));
    const executed = path.join(executedDir, name);
    if (!fs.existsSync(executed))
      throw new Error(
        `writeStudentEdition: no executed copy of ${name} in '${executedDir}'; run npm run notebooks:run first, or --no-book`,
      );
    writeNotebook(path.join(stubbedExecuted, name), studentChapter(readNotebook(executed), name));
  }
  await buildBook({
    notebooksDir,
    out: to,
    executedDir: stubbedExecuted,
    execute: false,
    full: options.full ?? false,
    repoDir: options.repoDir,
    log: options.log ?? (() => undefined),
  });
}

/** Write the student edition (see the file comment). */
export async function writeStudentEdition(options: ReleaseOptions): Promise<ReleaseSummary> {
  const out = path.resolve(options.out);
  const repo = path.resolve(options.repoDir);
  if (out === repo || repo.startsWith(`${out}${path.sep}`) || out.startsWith(`${repo}${path.sep}lib`))
    throw new Error(`writeStudentEdition: out '${options.out}' must be outside the checkout's sources`);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !fs.existsSync(path.join(out, MARKER)))
    throw new Error(
      `writeStudentEdition: '${options.out}' exists and is not a student edition; choose an empty folder`,
    );
  const lib = path.join(repo, 'lib');
  if (!fs.existsSync(path.join(lib, 'index.js')))
    throw new Error(`writeStudentEdition: the compiled library is missing (${lib}); run npm run build`);
  const partial = `${out}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    const notebooks = releaseFolder(path.join(repo, 'notebooks'), path.join(partial, 'notebooks'));
    const assignments = releaseFolder(path.join(repo, 'assignments'), path.join(partial, 'assignments'));
    const libFiles = releaseLibrary(lib, path.join(partial, 'lib'));
    fs.mkdirSync(path.join(partial, 'scripts', 'notebooks'), { recursive: true });
    fs.copyFileSync(
      path.join(repo, 'scripts', 'notebooks', 'install-kernel.js'),
      path.join(partial, 'scripts', 'notebooks', 'install-kernel.js'),
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    pkg.scripts = { 'kernel:install': 'node scripts/notebooks/install-kernel.js' };
    fs.writeFileSync(path.join(partial, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    if (fs.existsSync(path.join(repo, 'package-lock.json')))
      fs.copyFileSync(path.join(repo, 'package-lock.json'), path.join(partial, 'package-lock.json'));
    fs.writeFileSync(path.join(partial, 'README.md'), STUDENT_README);
    let book = false;
    if (options.executedDir !== null) {
      const scratch = `${partial}-book`;
      try {
        await releaseBook(options, path.join(partial, 'book'), scratch);
        book = true;
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
    assertNoSolutions(partial);
    fs.writeFileSync(path.join(partial, MARKER), 'written by npm run release\n');
    fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(partial, out);
    return { notebooks, assignments, libFiles, book };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
