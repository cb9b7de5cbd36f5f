/**
 * Grading a student's exercise notebook so that the student's file cannot change the rules:
 *
 * - The checks, the cell layout and the hidden tests come from the RELEASED exercise (or an
 *   instructor copy: the solution notebook); from the student's file only the answer cells are read
 *   (the cells the released exercise tags `exercise`, matched by cell id, or by the function names
 *   they declare when the id was changed). Deleting, editing or re-tagging a check cell, or adding
 *   cells, changes nothing.
 * - Points come only from hidden, randomised cases (`hidden-tests.ts`), answered by the student's
 *   solution cells in a fresh Node process (`hidden-run.ts`) and compared here with the library's
 *   answers, computed before any student code runs.
 * - Optionally (`run`, default on) the released notebook with the student's answers filled in is
 *   executed through Jupyter in a temporary copy with a clean environment and a time limit; its
 *   CHECK lines are reported as feedback, not scored.
 * - Written answers (markdown cells tagged `exercise` or `written-answer`) are exported for manual
 *   marking.
 */
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../util/rng';
import { EXERCISE_TAG, makeExercise, SOLUTION_TAG } from './exercise';
import { executeNotebook } from './execute';
import type { Notebook, NotebookCell } from './format';
import { hasTag, parseNotebook, readNotebook, sourceText, writeNotebook } from './format';
import { gradeExecutedNotebook, type CheckResult } from './grade';
import { hiddenSuiteFor } from './hidden';
import { compareAnswer, type HiddenCase, type HiddenSuite } from './hidden-tests';
import { cleanEnvironment, makeSandbox, REPO_DIR, runHiddenCases } from './hidden-run';

/** Tag for markdown cells whose answer is marked by hand (besides markdown `exercise` cells). */
export const WRITTEN_ANSWER_TAG = 'written-answer';
/** The placeholder `makeExercise` puts in a written-answer cell. */
const WRITTEN_PLACEHOLDER = '**Your answer:** _write it here._';

export interface ReleasedExercise {
  /** Where it was read from. */
  file: string;
  /** The exercise notebook (generated on the fly when `file` is a solution notebook). */
  notebook: Notebook;
  /** Solution notebook name without `.ipynb`, e.g. '03-balanced-softmax'. */
  name: string;
  suite: HiddenSuite;
}

/** Read the released exercise or an instructor copy (a solution notebook is turned into its exercise). */
export function loadReleasedExercise(file: string): ReleasedExercise {
  const raw = readNotebook(file);
  const isSolution = raw.cells.some((c) => hasTag(c, SOLUTION_TAG));
  const base = path.basename(file);
  const notebook = isSolution ? makeExercise(raw, { source: base }) : raw;
  const source = (notebook.metadata.rescom as { exercise?: { source?: string } } | undefined)?.exercise?.source;
  const name = (source ?? base).replace(/\.exercise\.ipynb$|\.ipynb$/, '');
  if (!notebook.cells.some((c) => hasTag(c, EXERCISE_TAG))) {
    throw new Error(`loadReleasedExercise: '${file}' has no exercise cells (neither 'solution' nor 'exercise' tags)`);
  }
  const suite = hiddenSuiteFor(name);
  if (!suite) {
    throw new Error(
      `loadReleasedExercise: no hidden tests for '${name}'; add src/notebook/hidden/${name}.ts (see src/notebook/hidden-tests.ts)`,
    );
  }
  return { file, notebook, name, suite };
}

/** The released exercise in this checkout's notebooks/ that a student's file belongs to, or null. */
export function findReleasedExercise(
  submission: Notebook,
  submissionFile: string,
  notebooksDir = path.join(REPO_DIR, 'notebooks'),
): string | null {
  const source = (submission.metadata.rescom as { exercise?: { source?: unknown } } | undefined)?.exercise?.source;
  const candidates: string[] = [];
  // Only a base name is taken from the student's file, and only an existing released file is used.
  if (typeof source === 'string') candidates.push(path.basename(source).replace(/\.ipynb$/, '.exercise.ipynb'));
  const prefix = /^(\d\d)-/.exec(path.basename(submissionFile))?.[1];
  if (prefix && fs.existsSync(notebooksDir)) {
    candidates.push(
      ...fs.readdirSync(notebooksDir).filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.exercise.ipynb')),
    );
  }
  for (const name of candidates) {
    const file = path.join(notebooksDir, name);
    if (/^[\w.-]+\.exercise\.ipynb$/.test(name) && fs.existsSync(file)) return file;
  }
  return null;
}

export interface CaseResult {
  label: string;
  passed: boolean;
  reason: string | null;
}

export interface ExerciseScore {
  cell: string;
  title: string;
  points: number;
  earned: number;
  cases: CaseResult[];
  /** Where the student's code for it came from: 'cell id', 'function name', or 'missing'. */
  found: 'cell id' | 'function name' | 'missing';
}

export interface WrittenAnswer {
  cell: string;
  /** The prompt above the answer cell in the released exercise (its text, shortened). */
  question: string;
  /** The student's text; '' when missing or left as the placeholder. */
  answer: string;
}

export interface SubmissionGrade {
  student: string;
  file: string;
  released: string;
  seed: number;
  exercises: ExerciseScore[];
  earned: number;
  possible: number;
  /** The released checks run on the student's answers (feedback, not scored); null when not run. */
  visibleChecks: CheckResult[] | null;
  written: WrittenAnswer[];
  /** Problems worth telling the student/teacher (cell errors, time limits, missing cells). */
  notes: string[];
}

export interface GradeSubmissionOptions {
  /** The student's notebook. */
  submission: string;
  /** Released exercise or instructor copy; default: found in this checkout's notebooks/. */
  released?: string | ReleasedExercise;
  /** Seed of the hidden cases; default random (recorded in the grade). */
  seed?: number;
  /** Execute the notebook for the visible checks (Jupyter needed); default true. */
  run?: boolean;
  /** Seconds the notebook run may take; default 900. */
  runTimeLimitS?: number;
  /** Seconds the hidden cases may take; default 120. */
  hiddenTimeLimitS?: number;
  /** RESCOM_QUICK for the notebook run; default true. */
  quick?: boolean;
  /** Python with nbclient for the notebook run. */
  python?: string;
}

interface Prepared {
  student: string;
  file: string;
  released: ReleasedExercise;
  submission: Notebook | null;
  seed: number;
  cases: HiddenCase[][];
  notes: string[];
}

/** Read a submission as a notebook; a one-line error when it is not one. */
export function readSubmission(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`'${file}' cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseNotebook(text, file);
  } catch (error) {
    throw new Error(
      `'${file}' is not a Jupyter notebook (${(error as Error).message.replace(/^parseNotebook: \S+ /, '')})`,
    );
  }
}

/** Everything that needs no student code: the released exercise and this grading's hidden cases. */
function prepare(options: GradeSubmissionOptions): Prepared {
  const file = options.submission;
  const notes: string[] = [];
  let submission: Notebook | null = null;
  try {
    submission = readSubmission(file);
  } catch (error) {
    notes.push((error as Error).message);
  }
  let releasedOption = options.released;
  if (releasedOption === undefined) {
    const found = submission ? findReleasedExercise(submission, file) : null;
    if (!found)
      throw new Error(
        `gradeSubmission: cannot tell which exercise '${file}' is; pass the released exercise (--exercise)`,
      );
    releasedOption = found;
  }
  const released = typeof releasedOption === 'string' ? loadReleasedExercise(releasedOption) : releasedOption;
  const seed = options.seed ?? randomInt(1, 2 ** 31 - 1);
  const rng = new Rng(seed);
  const cases = released.suite.exercises.map((exercise) => exercise.cases(rng.fork()));
  return { student: studentName(file), file, released, submission, seed, cases, notes };
}

/** The student's name for the gradebook: the file name without its extensions. */
export function studentName(file: string): string {
  return path.basename(file).replace(/(\.exercise)?\.ipynb$/, '');
}

const declares = (name: string) =>
  new RegExp(`\\b(function\\s*\\*?\\s*${name}\\s*[(<]|(const|let|var)\\s+${name}\\s*[=:])`);

/** The student's code for each released exercise code cell, in released order. */
function answerCells(
  released: ReleasedExercise,
  submission: Notebook | null,
): { id: string; source: string; found: ExerciseScore['found'] }[] {
  const releasedIds = new Set(released.notebook.cells.map((c) => c.id));
  const studentCode = (submission?.cells ?? []).filter((c) => c.cell_type === 'code');
  const byId = new Map(studentCode.map((c) => [c.id, c]));
  return released.notebook.cells
    .filter((c) => c.cell_type === 'code' && hasTag(c, EXERCISE_TAG))
    .map((cell) => {
      const same = byId.get(cell.id);
      if (same) return { id: cell.id, source: sourceText(same), found: 'cell id' as const };
      const functions = released.suite.exercises.find((e) => e.cell === cell.id)?.functions ?? [];
      // A cell the student made (an id the release does not have) that declares the function.
      const moved = studentCode.find(
        (c) => !releasedIds.has(c.id) && functions.some((f) => declares(f).test(sourceText(c))),
      );
      if (moved) return { id: cell.id, source: sourceText(moved), found: 'function name' as const };
      return { id: cell.id, source: '', found: 'missing' as const };
    });
}

/** Written answers: released markdown `exercise` / `written-answer` cells and the student's text. */
export function writtenAnswers(released: Notebook, submission: Notebook | null): WrittenAnswer[] {
  const student = new Map((submission?.cells ?? []).map((c) => [c.id, c]));
  const out: WrittenAnswer[] = [];
  released.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'markdown' || !(hasTag(cell, EXERCISE_TAG) || hasTag(cell, WRITTEN_ANSWER_TAG))) return;
    const prompt = [...released.cells.slice(0, index)]
      .reverse()
      .find((c) => c.cell_type === 'markdown' && !hasTag(c, EXERCISE_TAG));
    const question = prompt ? sourceText(prompt).trim() : '';
    const mine = student.get(cell.id);
    const text = mine && mine.cell_type === 'markdown' ? sourceText(mine).trim() : '';
    out.push({
      cell: cell.id,
      question: question.length > 800 ? `${question.slice(0, 797)}...` : question,
      answer: text === WRITTEN_PLACEHOLDER || text === sourceText(cell).trim() ? '' : text,
    });
  });
  return out;
}

/** The released notebook with the student's answer cells put in (everything else from the release). */
export function assembleNotebook(
  released: Notebook,
  answers: { id: string; source: string }[],
  written: WrittenAnswer[],
): Notebook {
  const code = new Map(answers.map((a) => [a.id, a.source]));
  const text = new Map(written.map((w) => [w.cell, w.answer]));
  const cells: NotebookCell[] = released.cells.map((cell) => {
    if (cell.cell_type === 'code' && code.has(cell.id))
      return { ...cell, source: code.get(cell.id) as string, outputs: [], execution_count: null };
    if (cell.cell_type === 'markdown' && text.get(cell.id)) return { ...cell, source: text.get(cell.id) as string };
    return cell;
  });
  return { ...released, cells };
}

async function gradePrepared(prepared: Prepared, options: GradeSubmissionOptions): Promise<SubmissionGrade> {
  const { released, submission, cases } = prepared;
  const notes = [...prepared.notes];
  const answers = answerCells(released, submission);
  const written = writtenAnswers(released.notebook, submission);
  for (const a of answers) {
    if (!released.suite.exercises.some((e) => e.cell === a.id))
      notes.push(`exercise cell '${a.id}' has no hidden tests: not graded (see src/notebook/hidden-tests.ts)`);
    if (a.found === 'missing' && submission) notes.push(`no answer cell '${a.id}' in the submission`);
    if (a.found === 'function name') notes.push(`answer for '${a.id}' found in another cell (by its function name)`);
  }

  let visibleChecks: CheckResult[] | null = null;
  if ((options.run ?? true) && submission) {
    try {
      visibleChecks = await runVisibleChecks(released, answers, written, options);
    } catch (error) {
      notes.push(`notebook run: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  const exercises = released.suite.exercises;
  const calls = cases.flatMap((list) => list.map((c) => ({ call: c.call, args: c.args })));
  const present = answers.filter((a) => a.found !== 'missing');
  const hidden =
    present.length === 0
      ? { cellErrors: {}, answers: [], error: 'no answer cells' }
      : await runHiddenCases({
          cells: present,
          calls,
          prelude: released.suite.prelude ?? null,
          timeLimitS: options.hiddenTimeLimitS ?? 120,
        });
  for (const [id, message] of Object.entries(hidden.cellErrors)) notes.push(`cell '${id}' failed to run: ${message}`);
  if (hidden.error && present.length > 0) notes.push(`hidden tests: ${hidden.error}`);

  let k = 0;
  const scores: ExerciseScore[] = exercises.map((exercise, e) => {
    const results: CaseResult[] = cases[e].map((c) => {
      const answer = hidden.answers[k++];
      if (!answer) return { label: c.label, passed: false, reason: hidden.error ?? 'no answer' };
      if ('error' in answer) return { label: c.label, passed: false, reason: answer.error };
      const reason = compareAnswer(answer.value, c.expected, c.tolerance);
      return { label: c.label, passed: reason === null, reason };
    });
    const passed = results.filter((r) => r.passed).length;
    const earned = Math.round((100 * exercise.points * passed) / Math.max(1, results.length)) / 100;
    const found = answers.find((a) => a.id === exercise.cell)?.found ?? 'missing';
    return { cell: exercise.cell, title: exercise.title, points: exercise.points, earned, cases: results, found };
  });
  const earned = Math.round(100 * scores.reduce((s, x) => s + x.earned, 0)) / 100;
  const possible = scores.reduce((s, x) => s + x.points, 0);
  return {
    student: prepared.student,
    file: prepared.file,
    released: released.file,
    seed: prepared.seed,
    exercises: scores,
    earned,
    possible,
    visibleChecks,
    written,
    notes,
  };
}

/** The released notebook with the student's answers, executed in a sandbox; its CHECK results. */
async function runVisibleChecks(
  released: ReleasedExercise,
  answers: { id: string; source: string }[],
  written: WrittenAnswer[],
  options: GradeSubmissionOptions,
): Promise<CheckResult[]> {
  const sandbox = makeSandbox('rescom-grade-run-');
  try {
    // Same layout as the checkout (notebooks/ next to lib/), so `../lib/index.js` resolves to the copy.
    for (const name of ['data']) {
      const from = path.join(REPO_DIR, name);
      if (fs.existsSync(from)) fs.symlinkSync(from, path.join(sandbox, name), 'dir');
    }
    const input = path.join(sandbox, 'notebooks', `${released.name}.exercise.ipynb`);
    writeNotebook(input, assembleNotebook(released.notebook, answers, written));
    const env = cleanEnvironment(sandbox, { RESCOM_QUICK: options.quick === false ? '0' : '1' });
    const result = await executeNotebook({
      input,
      allowErrors: true,
      env,
      python: options.python,
      cellTimeoutS: options.runTimeLimitS ?? 900,
      totalTimeoutS: options.runTimeLimitS ?? 900,
    });
    return gradeExecutedNotebook(result.notebook).checks;
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

/** Grade one submission. */
export async function gradeSubmission(options: GradeSubmissionOptions): Promise<SubmissionGrade> {
  return gradePrepared(prepare(options), options);
}

/**
 * Grade every `.ipynb` in `folder` (sorted by name). All hidden cases are drawn and answered by the
 * library before any student code runs. `onGraded` is called after each submission.
 */
export async function gradeSubmissions(
  folder: string,
  options: Omit<GradeSubmissionOptions, 'submission'> & { onGraded?: (grade: SubmissionGrade) => void },
): Promise<SubmissionGrade[]> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new Error(`gradeSubmissions: '${folder}' is not a folder`);
  const files = fs
    .readdirSync(folder)
    .filter((n) => n.endsWith('.ipynb') && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(folder, n));
  if (files.length === 0) throw new Error(`gradeSubmissions: no .ipynb files in '${folder}'`);
  // One exercise for the whole folder (one gradebook): the one given, else the first submission's.
  let released =
    options.released === undefined
      ? undefined
      : typeof options.released === 'string'
        ? loadReleasedExercise(options.released)
        : options.released;
  for (const file of files) {
    if (released) break;
    try {
      const found = findReleasedExercise(readSubmission(file), file);
      if (found) released = loadReleasedExercise(found);
    } catch {
      // unreadable: try the next one
    }
  }
  if (!released)
    throw new Error(
      `gradeSubmissions: cannot tell which exercise '${folder}' holds; pass the released exercise (--exercise)`,
    );
  const baseSeed = options.seed ?? randomInt(1, 2 ** 31 - 1);
  const prepared = files.map((submission, i) =>
    prepare({ ...options, submission, released, seed: baseSeed + i } as GradeSubmissionOptions),
  );
  const grades: SubmissionGrade[] = [];
  for (const p of prepared) {
    const grade = await gradePrepared(p, { ...options, submission: p.file });
    grades.push(grade);
    options.onGraded?.(grade);
  }
  return grades;
}
