// The grader a teacher can trust: full marks for the solution, zero for the untouched exercise, and
// no tampering with the student's file scores more than the honest work it replaced. Scores come from
// the hidden cases only, so these run without Jupyter (run: false); grader-jupyter.test.ts covers the
// visible-check run. Needs the compiled library (npm test builds it first).
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gradeCommand } from '../../src/cli/commands/grade';
import { balancedSoftmaxLoss } from '../../src/losses';
import type { Notebook } from '../../src/notebook';
import { readNotebook, sourceText, writeNotebook } from '../../src/notebook';
import {
  gradeSubmission,
  gradeSubmissions,
  loadReleasedExercise,
  writtenAnswers,
  type SubmissionGrade,
} from '../../src/notebook/grader';
import { gradebookCsv, writeGradeFiles } from '../../src/notebook/gradebook';
import { TRUSTED as trusted } from './sandbox-support';

const notebooks = path.resolve(__dirname, '..', '..', 'notebooks');
const solutionFile = path.join(notebooks, '03-balanced-softmax.ipynb');
const exerciseFile = path.join(notebooks, '03-balanced-softmax.exercise.ipynb');
const released = loadReleasedExercise(exerciseFile);
const solution = readNotebook(solutionFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-grader-test-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

const clone = (nb: Notebook): Notebook => JSON.parse(JSON.stringify(nb));
const cell = (nb: Notebook, id: string) => {
  const found = nb.cells.find((c) => c.id === id);
  if (!found) throw new Error(`no cell ${id}`);
  return found;
};
const solutionSource = (id: string) => sourceText(cell(solution, id));

/** The released exercise with the given answer cells solved (copied from the solution). */
function honest(solved: string[]): Notebook {
  const nb = clone(released.notebook);
  for (const id of solved) cell(nb, id).source = solutionSource(id);
  return nb;
}

let counter = 0;
async function grade(nb: Notebook, seed = 7): Promise<SubmissionGrade> {
  const file = path.join(scratch, `student-${counter++}.ipynb`);
  writeNotebook(file, nb);
  return gradeSubmission({ submission: file, released, seed, run: false, trusted });
}
const points = (g: SubmissionGrade, cellId: string) => g.exercises.find((e) => e.cell === cellId)?.earned;

test('the solution notebook scores full marks; the untouched exercise zero', async (t) => {
  const full = await gradeSubmission({ submission: solutionFile, released, seed: 3, run: false, trusted });
  t.is(full.earned, full.possible);
  t.is(full.possible, 8);
  t.true(
    full.exercises.every((e) => e.cases.length >= 5),
    'several hidden cases per exercise',
  );
  const untouched = await gradeSubmission({ submission: exerciseFile, released, seed: 3, run: false, trusted });
  t.is(untouched.earned, 0);
  t.regex(untouched.exercises[0].cases[0].reason ?? '', /TODO/);
});

test('hidden cases are randomised per grading and repeatable with the seed', (t) => {
  const [logPrior] = released.suite.exercises;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Rng } = require('../../src/util/rng') as typeof import('../../src/util/rng');
  const a = JSON.stringify(logPrior.cases(new Rng(1)).map((c) => c.args));
  t.is(JSON.stringify(logPrior.cases(new Rng(1)).map((c) => c.args)), a);
  t.not(JSON.stringify(logPrior.cases(new Rng(2)).map((c) => c.args)), a);
});

// Honest partial work: two of three exercises solved, Balanced Softmax left as the TODO.
const TARGET = 'exercise-balanced-softmax';
const CHECK = 'check-balanced-softmax';
const base = () => honest(['exercise-log-prior', 'exercise-prediction']);

/** The visible check's expected value, which a cheat would hard-code. */
function visibleAnswer(): number {
  const logits = [
    [2, -1, 0.5],
    [0, 0, 0],
    [-3, 4, 1],
    [10, 9, -20],
  ];
  return tf.tidy(
    () =>
      balancedSoftmaxLoss({
        logits: tf.tensor2d(logits),
        labels: [0, 2, 1, 2],
        classCounts: [500, 50, 5],
      }).dataSync()[0],
  );
}

const tamperings: [string, (nb: Notebook) => void][] = [
  ['deleted check cell', (nb) => (nb.cells = nb.cells.filter((c) => c.id !== CHECK))],
  [
    'edited check cell',
    (nb) =>
      (cell(nb, CHECK).source = "await check('Balanced Softmax matches losses.balancedSoftmaxLoss', () => true);"),
  ],
  [
    're-tagged cells',
    (nb) => {
      cell(nb, CHECK).metadata.tags = [];
      cell(nb, TARGET).metadata.tags = ['check'];
      cell(nb, 'exercise-log-prior').metadata.tags = ['solution-only'];
    },
  ],
  [
    'patched console.log',
    (nb) => {
      cell(nb, TARGET).source =
        "const realLog = console.log;\nconsole.log = (...a: unknown[]) => realLog(...a.map((x) => String(x).replace('CHECK FAIL', 'CHECK PASS')));\n" +
        sourceText(cell(nb, TARGET));
    },
  ],
  [
    'patched library function',
    (nb) => {
      cell(nb, TARGET).source = [
        'try { (rc.losses as any).balancedSoftmaxLoss = () => tf.scalar(0); } catch {}',
        'try { Object.defineProperty(rc.losses, "balancedSoftmaxLoss", { value: () => tf.scalar(0) }); } catch {}',
        'tf.Tensor.prototype.dataSync = function () { return new Float32Array([0]); } as any;',
        'function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number { return 0; }',
      ].join('\n');
    },
  ],
  [
    'hard-coded return value for the visible check',
    (nb) => {
      cell(nb, TARGET).source =
        `function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number {\n  return ${visibleAnswer()};\n}`;
    },
  ],
  [
    'forged result file in the grading process',
    (nb) => {
      cell(nb, TARGET).source = [
        "const fs = require('fs');",
        'const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));',
        'fs.writeSync(3, JSON.stringify({ cellErrors: {}, answers: job.calls.map(() => ({ value: 0 })), forbiddenCalls: [] }));',
        'process.exit(0);',
      ].join('\n');
    },
  ],
];

test('no tampering scores more than the honest work it replaced', async (t) => {
  const honestGrade = await grade(base());
  t.is(honestGrade.earned, 4, 'log prior (2) + prediction (2)');
  t.is(points(honestGrade, TARGET), 0);
  for (const [name, tamper] of tamperings) {
    const nb = base();
    tamper(nb);
    const g = await grade(nb);
    t.true(g.earned <= honestGrade.earned, `${name}: ${g.earned} > ${honestGrade.earned}`);
    t.is(points(g, TARGET), 0, `${name}: the Balanced Softmax exercise earns nothing`);
  }
});

test('the answer is found by its function name when the student moved it to a new cell', async (t) => {
  const nb = base();
  const target = cell(nb, TARGET);
  nb.cells.push({
    ...clone({ cells: [target] } as Notebook).cells[0],
    id: 'my-own-cell',
    source: solutionSource(TARGET),
  });
  nb.cells = nb.cells.filter((c) => c.id !== TARGET);
  const g = await grade(nb);
  t.is(g.earned, 8);
  t.true(g.notes.some((n) => /found in another cell/.test(n)));
});

test('a cell that never returns costs its own exercise only, flagged as a time-out', async (t) => {
  const nb = base();
  cell(nb, TARGET).source = 'while (true) {}';
  const file = path.join(scratch, 'loop.ipynb');
  writeNotebook(file, nb);
  const started = Date.now();
  const g = await gradeSubmission({ submission: file, released, seed: 1, run: false, hiddenTimeLimitS: 6, trusted });
  t.is(points(g, TARGET), 0);
  t.is(g.earned, 4, 'the log prior and the prediction, graded in their own runs, keep their points');
  t.true(
    g.flags.some((f) => f === 'time-out (Balanced Softmax by hand)'),
    g.flags.join('; '),
  );
  t.true((Date.now() - started) / 1000 < 3 * 6 + 10, 'three exercises, each within its limit');
});

test('a function that loops at every call is stopped by the exercise time limit', async (t) => {
  const nb = base();
  cell(nb, TARGET).source = 'function balancedSoftmaxByHand(): number { while (true) {} }';
  const file = path.join(scratch, 'loop-call.ipynb');
  writeNotebook(file, nb);
  const g = await gradeSubmission({ submission: file, released, seed: 1, run: false, hiddenTimeLimitS: 4, trusted });
  t.is(points(g, TARGET), 0);
  t.is(g.earned, 4);
  t.true(g.flags.includes('time-out (Balanced Softmax by hand)'), g.flags.join('; '));
});

test('a folder of submissions grades into a CSV gradebook and one feedback file per student', async (t) => {
  const folder = path.join(scratch, 'class');
  fs.mkdirSync(folder);
  writeNotebook(path.join(folder, 'ada.ipynb'), honest(released.suite.exercises.map((e) => e.cell)));
  writeNotebook(path.join(folder, 'bob.ipynb'), base());
  fs.writeFileSync(path.join(folder, 'carl.ipynb'), 'not json');
  const grades = await gradeSubmissions(folder, { released, seed: 11, run: false, trusted });
  t.deepEqual(
    grades.map((g) => [g.student, g.earned]),
    [
      ['ada', 8],
      ['bob', 4],
      ['carl', 0],
    ],
  );
  t.regex(grades[2].notes[0], /not a Jupyter notebook/);
  const out = path.join(scratch, 'grades');
  writeGradeFiles(out, grades);
  const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
  t.is(csv.length, 4);
  t.regex(
    csv[0],
    /^student,file,log prior \(2\),Balanced Softmax by hand \(4\),test-time prediction \(2\),total,possible,percent/,
  );
  t.regex(csv[1], /^ada,ada\.ipynb,2,4,2,8,8,100,/);
  for (const s of ['ada', 'bob', 'carl']) t.true(fs.existsSync(path.join(out, 'feedback', `${s}.md`)));
  t.regex(fs.readFileSync(path.join(out, 'feedback', 'bob.md'), 'utf8'), /\*\*Score: 4 \/ 8 points/);
  t.is(gradebookCsv(grades).split('\n')[3].split(',')[0], 'carl');
  // Without --exercise, the first submission tells which released exercise the folder holds.
  const found = await gradeSubmissions(folder, { seed: 11, run: false, trusted });
  t.deepEqual(
    found.map((g) => [path.basename(g.released), g.earned]),
    grades.map((g) => ['03-balanced-softmax.exercise.ipynb', g.earned]),
  );
});

test('written answers (markdown exercise / written-answer cells) are exported with their question', (t) => {
  const releasedNb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', id: 'q', metadata: {}, source: 'Why does the prior move the decision boundary?' },
      { cell_type: 'markdown', id: 'a', metadata: { tags: ['exercise'] }, source: '**Your answer:** _write it here._' },
      { cell_type: 'markdown', id: 'q2', metadata: {}, source: 'Predict: what happens at beta = 0?' },
      { cell_type: 'markdown', id: 'a2', metadata: { tags: ['written-answer'] }, source: 'Your prediction:' },
    ],
  };
  const student = clone(releasedNb);
  cell(student, 'a').source = 'Because log pi_c shifts each logit.';
  const answers = writtenAnswers(releasedNb, student);
  t.deepEqual(answers, [
    {
      cell: 'a',
      question: 'Why does the prior move the decision boundary?',
      answer: 'Because log pi_c shifts each logit.',
    },
    { cell: 'a2', question: 'Predict: what happens at beta = 0?', answer: '' },
  ]);
});

test('rescom grade: one line for a file that is not a notebook; --json for one file', async (t) => {
  const errors: string[] = [];
  const printed: string[] = [];
  const [error, log] = [console.error, console.log];
  console.error = (line: string) => errors.push(line);
  console.log = (line: string) => printed.push(line);
  try {
    const bad = path.join(scratch, 'notes.txt');
    fs.writeFileSync(bad, 'hello');
    t.is(await gradeCommand.run([bad]), 2);
    t.is(errors.length, 1);
    t.regex(errors[0], /^rescom grade: '.*notes\.txt' is not (valid JSON .*expected )?a Jupyter notebook/);
    t.is(
      await gradeCommand.run([
        solutionFile,
        '--exercise',
        exerciseFile,
        '--no-run',
        '--json',
        '--seed',
        '5',
        '--strict',
        ...(trusted ? ['--trust-submissions'] : []),
      ]),
      0,
    );
    const report = JSON.parse(printed.join('\n'));
    t.is(report.earned, 8);
    t.is(report.seed, 5);
  } finally {
    console.error = error;
    console.log = log;
  }
});

test('the edge cases bite: a naive log-sum-exp fails exactly the large-logit cases', async (t) => {
  const nb = honest(released.suite.exercises.map((e) => e.cell));
  cell(nb, TARGET).source = [
    'function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number {',
    '  const prior = logPriorByHand(counts);',
    '  let total = 0;',
    '  logits.forEach((row, i) => {',
    '    const adjusted = row.map((z, c) => z + prior[c]);',
    '    total += Math.log(adjusted.reduce((s, a) => s + Math.exp(a), 0)) - adjusted[labels[i]];',
    '  });',
    '  return total / logits.length;',
    '}',
  ].join('\n');
  const g = await grade(nb);
  const bs = g.exercises.find((e) => e.cell === TARGET)!;
  t.deepEqual(
    bs.cases.filter((c) => !c.passed).map((c) => c.label),
    ['large logits (|z| up to 1000)', 'large logits (|z| up to 800), 20 classes'],
  );
  t.true(bs.earned < bs.points);
});
