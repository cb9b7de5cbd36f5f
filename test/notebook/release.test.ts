// The student edition (src/notebook/release.ts): exercise notebooks and assignments without any
// solution, the library without the grader and its hidden tests, and a book whose solution cells are
// stubs. Needs the compiled library (npm test builds it first).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Notebook } from '../../src/notebook';
import {
  exerciseSources,
  hasTag,
  readNotebook,
  SOLUTION_TAG,
  sourceText,
  writeExercises,
  writeNotebook,
} from '../../src/notebook';
import { LIBRARY_DIR, REPO_DIR } from '../../src/notebook/hidden-run';
import { studentChapter, TEACHER_ONLY, writeStudentEdition } from '../../src/notebook/release';
import { writeFixtureSeries } from '../book/fixture';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-release-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir` (relative path -> text), skipping node_modules. */
function texts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(file);
      else if (entry.isFile() && /\.(ipynb|html|md|js|json)$/.test(entry.name))
        out.set(path.relative(dir, file), fs.readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The non-trivial code lines between BEGIN and END SOLUTION of every solution cell of `dirs`. */
function solutionLines(dirs: string[]): string[] {
  const lines: string[] = [];
  for (const dir of dirs)
    for (const file of exerciseSources(dir))
      for (const cell of readNotebook(file).cells) {
        if (cell.cell_type !== 'code' || !hasTag(cell, SOLUTION_TAG)) continue;
        let inside = false;
        for (const line of sourceText(cell).split('\n')) {
          if (/BEGIN SOLUTION/.test(line)) inside = true;
          else if (/END SOLUTION/.test(line)) inside = false;
          else if (inside && line.trim().length > 30) lines.push(line.trim());
        }
      }
  return lines;
}

test('studentChapter stubs solution cells and drops their outputs, keeps every other cell and output', (t) => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { rescom: { run: { seconds: 3 } } },
    cells: [
      {
        cell_type: 'code',
        id: 'plot',
        metadata: {},
        source: 'show(x);',
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'shown\n' }],
        execution_count: 1,
      },
      {
        cell_type: 'code',
        id: 'answer',
        metadata: { tags: ['solution'] },
        source: 'function f(): number {\n  // BEGIN SOLUTION the sum\n  return 1 + 2;\n  // END SOLUTION\n}',
        outputs: [{ output_type: 'stream', name: 'stdout', text: '3\n' }],
        execution_count: 2,
      },
      { cell_type: 'markdown', id: 'why', metadata: { tags: ['solution'] }, source: 'Because 1 + 2 = 3.' },
      { cell_type: 'markdown', id: 'notes', metadata: { tags: ['solution-only'] }, source: 'Teacher notes' },
    ],
  };
  const student = studentChapter(nb);
  t.deepEqual(
    student.cells.map((c) => c.id),
    ['plot', 'answer', 'why'],
  );
  t.deepEqual(student.cells[0], nb.cells[0], 'other cells are untouched, outputs included');
  t.regex(sourceText(student.cells[1]), /TODO: the sum/);
  t.notRegex(sourceText(student.cells[1]), /1 \+ 2|BEGIN SOLUTION/);
  t.deepEqual(student.cells[1].outputs, []);
  t.deepEqual(student.cells[1].metadata.tags, ['exercise']);
  t.notRegex(sourceText(student.cells[2]), /Because/);
  t.deepEqual(student.metadata, nb.metadata, 'the run stamp stays for the book');
  t.regex(sourceText(nb.cells[1]), /1 \+ 2/, 'the input is not changed');
});

test('the student edition of this checkout holds no solution, no grader and no hidden test', async (t) => {
  const out = path.join(scratch, 'student');
  const summary = await writeStudentEdition({ repoDir: REPO_DIR, out, executedDir: null });
  const chapters = fs.readdirSync(path.join(REPO_DIR, 'notebooks')).filter((n) => /^\d\d-.*\.exercise\.ipynb$/.test(n));
  t.deepEqual(
    summary.notebooks.filter((n) => n.endsWith('.exercise.ipynb')).sort(),
    chapters.sort(),
    'every chapter exercise',
  );
  t.true(summary.notebooks.includes('00-setup.ipynb'), 'and the chapters without exercises');
  t.deepEqual(summary.assignments, ['12-capstone-rescom-step.exercise.ipynb']);
  t.false(summary.book);
  const files = texts(out);
  for (const [file, text] of files) {
    if (!file.endsWith('.ipynb')) continue;
    t.false(
      readNotebook(path.join(out, file)).cells.some((c) => hasTag(c, SOLUTION_TAG) || hasTag(c, 'solution-only')),
      file,
    );
    t.notRegex(text, /BEGIN SOLUTION/, file);
  }
  const leaked = solutionLines([path.join(REPO_DIR, 'notebooks'), path.join(REPO_DIR, 'assignments')]).filter((line) =>
    [...files.entries()].some(
      ([file, text]) => /\.(ipynb|html)$/.test(file) && text.includes(JSON.stringify(line).slice(1, -1)),
    ),
  );
  t.deepEqual(leaked, [], 'no line of any solution appears in a notebook of the edition');
  for (const teacherOnly of TEACHER_ONLY) {
    t.false(fs.existsSync(path.join(out, 'lib', `${teacherOnly}.js`)), teacherOnly);
    t.true(
      fs.existsSync(path.join(LIBRARY_DIR, teacherOnly)) || fs.existsSync(path.join(LIBRARY_DIR, `${teacherOnly}.js`)),
    );
  }
  t.false(fs.existsSync(path.join(out, 'lib', 'notebook', 'hidden')));
  t.true(fs.existsSync(path.join(out, 'lib', 'notebook', 'check.js')), 'the notebook helpers stay');
  // The edition's library loads (with the checkout's node_modules), and its grade command says why it cannot grade.
  fs.symlinkSync(path.join(REPO_DIR, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  const load = spawnSync(
    process.execPath,
    ['-e', "const rc = require('./lib/index.js'); console.log(typeof rc.notebook.check)"],
    {
      cwd: out,
      encoding: 'utf8',
    },
  );
  t.is(load.stdout.trim(), 'function', load.stderr);
  const grade = spawnSync(process.execPath, ['lib/cli/main.js', 'grade', 'notebooks/00-setup.ipynb'], {
    cwd: out,
    encoding: 'utf8',
  });
  t.is(grade.status, 2);
  t.regex(grade.stderr, /^rescom grade: this is the student edition/);
  const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
  t.deepEqual(Object.keys(pkg.scripts), ['kernel:install']);
  // A second release replaces the first; a folder that is not an edition is refused.
  await writeStudentEdition({ repoDir: REPO_DIR, out, executedDir: null });
  const other = path.join(scratch, 'mine');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'thesis.tex'), 'mine');
  await t.throwsAsync(writeStudentEdition({ repoDir: REPO_DIR, out: other, executedDir: null }), {
    message: /exists and is not a student edition/,
  });
  t.is(fs.readFileSync(path.join(other, 'thesis.tex'), 'utf8'), 'mine');
});

test("the edition's book shows every solution cell as its stub, built from the executed chapters", async (t) => {
  // A checkout of two fixture chapters, executed by hand (test/book/fixture.ts).
  const repo = path.join(scratch, 'repo');
  const { notebooksDir, executedDir } = writeFixtureSeries(repo);
  // An exercise needs a check cell: add one to each chapter and to its executed copy.
  for (const dir of [notebooksDir, executedDir])
    for (const name of ['01-chapter.ipynb', '02-chapter.ipynb']) {
      const nb = readNotebook(path.join(dir, name));
      nb.cells.push({
        cell_type: 'code',
        id: 'check-answer',
        metadata: { tags: ['check'] },
        source: "await check('f is 1', () => f() === '1');",
        outputs: dir === executedDir ? [{ output_type: 'stream', name: 'stdout', text: 'CHECK PASS: f is 1\n' }] : [],
        execution_count: null,
      });
      writeNotebook(path.join(dir, name), nb);
    }
  writeExercises({ directory: notebooksDir });
  fs.symlinkSync(LIBRARY_DIR, path.join(repo, 'lib'), 'dir');
  fs.symlinkSync(path.join(REPO_DIR, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(REPO_DIR, 'package.json'), path.join(repo, 'package.json'));
  fs.mkdirSync(path.join(repo, 'scripts', 'notebooks'), { recursive: true });
  fs.copyFileSync(
    path.join(REPO_DIR, 'scripts', 'notebooks', 'install-kernel.js'),
    path.join(repo, 'scripts', 'notebooks', 'install-kernel.js'),
  );
  const solutionBody = sourceText(
    readNotebook(path.join(executedDir, '01-chapter.ipynb')).cells.find((c) => c.id === 'answer')!,
  );
  t.regex(solutionBody, /return `\$\{1\}`/, 'the fixture has a solution cell');
  const out = path.join(scratch, 'book-edition');
  const summary = await writeStudentEdition({ repoDir: repo, out, executedDir });
  t.true(summary.book);
  const page = fs.readFileSync(path.join(out, 'book', '01-chapter.html'), 'utf8');
  t.notRegex(page, /\$\{1\}/, 'the solution body is not in the book');
  t.regex(page, /TODO/);
  t.regex(page, /bars 1/, "other cells' outputs are kept");
});
