/**
 * Grading a student's exercise notebook so that neither the student's file nor the student's code
 * can change the rules, the grader, the machine or a classmate's grade:
 *
 * - The checks, the cell layout and the hidden tests come from the RELEASED exercise (or an
 *   instructor copy: the solution notebook); from the student's file only the answer cells and the
 *   written answers are read (`submission.ts`).
 * - Points come only from hidden, randomised cases (`hidden-tests.ts`), drawn and answered by the
 *   library in the grader's process before any student code runs, and answered by the student's
 *   cells in ONE SANDBOXED PROCESS PER EXERCISE (`hidden-run.ts`, `sandbox.ts`), so a hang or a
 *   crash costs that exercise only. Library functions an exercise forbids are trapped there
 *   (`traps.ts`): a call scores 0 for the exercise, with a note.
 * - Optionally (`run`, default on) the released notebook with the student's answers is executed
 *   through Jupyter in its own sandbox (`sandboxed-notebook.ts`); its CHECK lines are feedback.
 * - Without bubblewrap grading refuses, unless `trusted` (the teacher's explicit choice).
 * - Flags (forbidden call, time-out, crash with its last line, visible checks failed) go to the
 *   gradebook; written answers are exported for marking by hand (`gradebook.ts`).
 */
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as library from '../index';
import { Rng } from '../util/rng';
import { EXERCISE_TAG, makeExercise, SOLUTION_TAG } from './exercise';
import { executeNotebook } from './execute';
import type { Notebook } from './format';
import { hasTag, readNotebook, writeNotebook } from './format';
import { gradeExecutedNotebook, type CheckResult } from './grade';
import { hiddenSuiteFor } from './hidden';
import { cleanEnvironment, LIBRARY_DIR, REPO_DIR, runHiddenCases, type HiddenRunResult } from './hidden-run';
import type { HiddenCase, HiddenSuite } from './hidden-tests';
import { bubblewrapStatus, INSTALL_BUBBLEWRAP } from './sandbox';
import { scoreCases, type CaseResult } from './score';
import { executeNotebookSandboxed } from './sandboxed-notebook';
import {
  answerCells,
  assembleNotebook,
  readSubmission,
  studentName,
  writtenAnswers,
  type AnswerCell,
  type WrittenAnswer,
} from './submission';
import { forbiddenNames } from './traps';

export { readSubmission, studentName, writtenAnswers, WRITTEN_ANSWER_TAG, type WrittenAnswer } from './submission';
export type { CaseResult } from './score';

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

/** The released exercise in this checkout's notebooks/ (or assignments/) that a student's file belongs to, or null. */
export function findReleasedExercise(
  submission: Notebook,
  submissionFile: string,
  folders = [path.join(REPO_DIR, 'notebooks'), path.join(REPO_DIR, 'assignments')],
): string | null {
  const source = (submission.metadata.rescom as { exercise?: { source?: unknown } } | undefined)?.exercise?.source;
  const candidates: string[] = [];
  // Only a base name is taken from the student's file, and only an existing released file is used.
  if (typeof source === 'string') candidates.push(path.basename(source).replace(/\.ipynb$/, '.exercise.ipynb'));
  const prefix = /^(\d\d)-/.exec(path.basename(submissionFile))?.[1];
  for (const folder of folders) {
    if (prefix && fs.existsSync(folder))
      candidates.push(
        ...fs.readdirSync(folder).filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.exercise.ipynb')),
      );
  }
  for (const name of candidates) {
    if (!/^[\w.-]+\.exercise\.ipynb$/.test(name)) continue;
    for (const folder of folders) if (fs.existsSync(path.join(folder, name))) return path.join(folder, name);
  }
  return null;
}

export interface ExerciseScore {
  cell: string;
  title: string;
  points: number;
  earned: number;
  cases: CaseResult[];
  /** Where the student's code for it came from: 'cell id', 'function name', or 'missing'. */
  found: AnswerCell['found'];
  /** Forbidden library functions its answer called (then `earned` is 0). */
  forbiddenCalls: string[];
  /** True when its sandboxed run hit the time limit. */
  timedOut: boolean;
  /** Why its run gave no answers (time limit, crash: the error's last line); null when it did. */
  error: string | null;
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
  /** Short flags for the gradebook: forbidden call, time-out, crash, visible checks failed, ... */
  flags: string[];
  /** Problems worth telling the student/teacher (cell errors, time limits, missing cells), in full. */
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
  /** Seconds one exercise's hidden cases may take; default 60. */
  hiddenTimeLimitS?: number;
  /** RESCOM_QUICK for the notebook run; default true. */
  quick?: boolean;
  /** Python with nbclient for the notebook run. */
  python?: string;
  /** Run student code without the sandbox (the teacher trusts the submissions); default false. */
  trusted?: boolean;
  /** Memory limit per sandboxed process, bytes; default 4 GiB. */
  memoryBytes?: number;
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

/** Refuse to run student code unsandboxed unless the teacher said so (one line with the way out). */
export function assertSandboxAvailable(trusted: boolean | undefined, caller = 'rescom grade'): void {
  if (trusted) return;
  const status = bubblewrapStatus();
  if (!status.ok) throw new Error(`${caller}: ${status.reason}; ${INSTALL_BUBBLEWRAP}`);
}

/** Draw a suite's cases with tfjs's "install the node backend" banner off (it is no grading output). */
function drawCases(suite: HiddenSuite, rng: Rng): HiddenCase[][] {
  const flags = tf.env();
  const before = flags.getBool('IS_TEST');
  flags.set('IS_TEST', true);
  try {
    return suite.exercises.map((exercise) => exercise.cases(rng.fork()));
  } finally {
    flags.set('IS_TEST', before);
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
  const cases = drawCases(released.suite, new Rng(seed));
  return { student: studentName(file), file, released, submission, seed, cases, notes };
}

/** Forbidden names the answer's source mentions (a hint for the teacher; the traps decide the score). */
function mentionedForbidden(source: string, patterns: string[]): string[] {
  return (
    forbiddenNames(library as unknown as Record<string, unknown>, patterns)
      // A property access or a string (\`.logPrior\`, \`['logPrior']\`), not a local name that happens to match.
      .filter((full) => new RegExp(`(\\.\\s*|['"\`])${full.split('.')[1]}\\b`).test(source))
      .map((full) => `rc.${full}`)
  );
}

async function gradePrepared(prepared: Prepared, options: GradeSubmissionOptions): Promise<SubmissionGrade> {
  const { released, submission, cases } = prepared;
  const notes = [...prepared.notes];
  const flags: string[] = [];
  if (!submission) flags.push('not a notebook');
  const exercises = released.suite.exercises;
  const answers = answerCells(
    released.notebook,
    submission,
    (id) => exercises.find((e) => e.cell === id)?.functions ?? [],
  );
  const written = writtenAnswers(released.notebook, submission);
  for (const a of answers) {
    if (!exercises.some((e) => e.cell === a.id))
      notes.push(`exercise cell '${a.id}' has no hidden tests: not graded (see src/notebook/hidden-tests.ts)`);
    if (a.found === 'missing' && submission) notes.push(`no answer cell '${a.id}' in the submission`);
    if (a.found === 'function name') notes.push(`answer for '${a.id}' found in another cell (by its function name)`);
  }

  let visibleChecks: CheckResult[] | null = null;
  if ((options.run ?? true) && submission) {
    const run = await runVisibleChecks(released, answers, written, options);
    visibleChecks = run.checks;
    if (run.error) {
      notes.push(`notebook run: ${run.error}`);
      flags.push(run.timedOut ? 'time-out (notebook run)' : `crash (notebook run): ${run.error}`);
    }
    const failed = (visibleChecks ?? []).filter((c) => !c.passed);
    if (visibleChecks && failed.length > 0)
      flags.push(`visible checks failed ${failed.length}/${visibleChecks.length}`);
  }

  const present = answers.filter((a) => a.found !== 'missing');
  const scores: ExerciseScore[] = [];
  // Cells whose own run hung or crashed stay out of later runs: they would take those down too.
  const leftOut = new Set<string>();
  for (const [e, exercise] of exercises.entries()) {
    const own = answers.find((a) => a.id === exercise.cell);
    const upTo = answers.findIndex((a) => a.id === exercise.cell);
    // The exercise's cell and the cells before it (a later answer may call an earlier one's function).
    const cells = present.filter(
      (a) => a.id === exercise.cell || ((upTo < 0 || answers.indexOf(a) <= upTo) && !leftOut.has(a.id)),
    );
    const run: HiddenRunResult =
      !own || own.found === 'missing'
        ? emptyRun('no answer cell')
        : await runHiddenCases({
            cells,
            calls: cases[e].map((c) => ({ call: c.call, args: c.args })),
            prelude: released.suite.prelude ?? null,
            forbidden: exercise.forbidden ?? [],
            timeLimitS: options.hiddenTimeLimitS ?? 60,
            trusted: options.trusted,
            memoryBytes: options.memoryBytes,
          });
    if (run.error && own && own.found !== 'missing') {
      leftOut.add(exercise.cell);
      if (e < exercises.length - 1)
        notes.push(`cell '${exercise.cell}' left out of the later exercises' runs (it hung or crashed)`);
    }
    const score = scoreCases({
      cases: cases[e],
      answers: run.answers,
      points: exercise.points,
      error: run.error,
      forbiddenCalls: run.forbiddenCalls,
    });
    if (score.edgeOnly) notes.push(`${exercise.title}: only edge cases passed: no points`);
    if (run.forbiddenCalls.length > 0) {
      notes.push(
        `${exercise.title}: called ${run.forbiddenCalls.join(', ')}, which this exercise forbids: 0 points (write it yourself)`,
      );
      flags.push(`forbidden call ${run.forbiddenCalls.join(', ')} (${exercise.title})`);
    }
    for (const [id, message] of Object.entries(run.cellErrors)) {
      if (id === exercise.cell) notes.push(`cell '${id}' failed to run: ${message}`);
    }
    if (run.refused.length > 0) {
      notes.push(`${exercise.title}: tried to load ${run.refused.map((m) => `'${m}'`).join(', ')} (refused)`);
      // Later exercises run the earlier cells again: flag each refusal once.
      const fresh = run.refused.filter((m) => !flags.some((f) => f.startsWith(`refused module ${m} `)));
      for (const m of fresh) flags.push(`refused module ${m} (${exercise.title})`);
    }
    if (own && own.found !== 'missing') {
      const mentioned = mentionedForbidden(own.source, exercise.forbidden ?? []);
      if (mentioned.length > 0 && run.forbiddenCalls.length === 0)
        notes.push(`${exercise.title}: the answer mentions ${mentioned.join(', ')} (forbidden here; check it by hand)`);
    }
    const ownError = run.cellErrors[exercise.cell] ?? '';
    const stepTimeOut =
      /\(time limit\)$/.test(ownError) || run.answers.some((a) => 'error' in a && /\(time limit\)$/.test(a.error));
    if (run.timedOut || stepTimeOut) flags.push(`time-out (${exercise.title})`);
    else if (run.error && own?.found !== 'missing') {
      flags.push(
        `crash (${exercise.title}): ${run.error.replace(/^the answer cells' process failed \(([^)]*)\):? ?/, '')}`,
      );
    }
    if (run.error && own?.found !== 'missing') notes.push(`${exercise.title}: ${run.error}`);
    scores.push({
      cell: exercise.cell,
      title: exercise.title,
      points: exercise.points,
      earned: score.earned,
      cases: score.cases,
      found: own?.found ?? 'missing',
      forbiddenCalls: run.forbiddenCalls,
      timedOut: run.timedOut || stepTimeOut,
      error: run.error,
    });
  }
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
    flags,
    notes,
  };
}

function emptyRun(error: string): HiddenRunResult {
  return { cellErrors: {}, answers: [], error, timedOut: false, forbiddenCalls: [], refused: [], seconds: 0 };
}

/** The released notebook with the student's answers, executed (sandboxed unless trusted); its CHECK results. */
async function runVisibleChecks(
  released: ReleasedExercise,
  answers: AnswerCell[],
  written: WrittenAnswer[],
  options: GradeSubmissionOptions,
): Promise<{ checks: CheckResult[] | null; error: string | null; timedOut: boolean }> {
  const notebook = assembleNotebook(released.notebook, answers, written);
  const name = `${released.name}.exercise.ipynb`;
  const limit = options.runTimeLimitS ?? 900;
  const env = { RESCOM_QUICK: options.quick === false ? '0' : '1' };
  if (!options.trusted) {
    const run = await executeNotebookSandboxed({
      notebook,
      name,
      timeLimitS: limit,
      env,
      python: options.python,
      memoryBytes: options.memoryBytes,
    });
    return {
      checks: run.notebook ? gradeExecutedNotebook(run.notebook).checks : null,
      error: run.error,
      timedOut: run.timedOut,
    };
  }
  // Trusted: a temporary copy of the checkout's layout, the same clean environment, a time limit.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-grade-run-'));
  try {
    for (const [link, target] of [
      ['lib', LIBRARY_DIR],
      ['node_modules', path.join(REPO_DIR, 'node_modules')],
      ['data', path.join(REPO_DIR, 'data')],
      ['bench', path.join(REPO_DIR, 'bench')],
    ])
      if (fs.existsSync(target)) fs.symlinkSync(target, path.join(dir, link), 'dir');
    fs.mkdirSync(path.join(dir, 'home'));
    const input = path.join(dir, 'notebooks', name);
    writeNotebook(input, notebook);
    const result = await executeNotebook({
      input,
      allowErrors: true,
      env: cleanEnvironment(path.join(dir, 'home'), { ...env, PATH: process.env.PATH ?? '/usr/bin:/bin' }),
      python: options.python,
      cellTimeoutS: limit,
      totalTimeoutS: limit,
    });
    return { checks: gradeExecutedNotebook(result.notebook).checks, error: null, timedOut: false };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { checks: null, error: message, timedOut: /time limit/.test(message) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Grade one submission (refuses without bubblewrap unless `trusted`). */
export async function gradeSubmission(options: GradeSubmissionOptions): Promise<SubmissionGrade> {
  assertSandboxAvailable(options.trusted, 'gradeSubmission');
  return gradePrepared(prepare(options), options);
}

/**
 * Grade every `.ipynb` in `folder` (sorted by name), `jobs` at a time. All hidden cases are drawn
 * and answered by the library before any student code runs. `onGraded` is called after each one.
 */
export async function gradeSubmissions(
  folder: string,
  options: Omit<GradeSubmissionOptions, 'submission'> & {
    onGraded?: (grade: SubmissionGrade) => void;
    /** Submissions graded at the same time (each in its own sandboxes); default 1. */
    jobs?: number;
  },
): Promise<SubmissionGrade[]> {
  assertSandboxAvailable(options.trusted, 'gradeSubmissions');
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new Error(`gradeSubmissions: '${folder}' is not a folder`);
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`gradeSubmissions: jobs must be an integer >= 1; got ${jobs}`);
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
  const grades: SubmissionGrade[] = new Array(prepared.length);
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const i = next++;
      grades[i] = await gradePrepared(prepared[i], { ...options, submission: prepared[i].file });
      options.onGraded?.(grades[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, prepared.length) }, worker));
  return grades;
}
