// Grading through Jupyter for real: the solution scores full marks, the untouched exercise zero.
// Needs Jupyter with nbclient and the compiled library (npm test builds it first).
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  exerciseStatus,
  findJupyterPython,
  gradeNotebook,
  installKernelSpec,
  makeExercise,
  readNotebook,
  writeNotebook,
} from '../../src/notebook';

const root = path.resolve(__dirname, '..', '..');
const tiny = path.join(__dirname, 'fixtures', 'tiny-exercise.ipynb');

function jupyterMissing(): string | null {
  try {
    findJupyterPython({ modules: ['nbclient', 'nbformat', 'jupyter_client'] });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
const missing = jupyterMissing();
if (missing) console.log(`grade-jupyter: SKIPPED, Jupyter is not installed here: ${missing}`);
const jupyterTest = missing ? test.skip : test.serial;
const env = { ...process.env, RESCOM_QUICK: '1' };

jupyterTest('the untouched tiny exercise scores zero, with the TODO as the reason', async (t) => {
  // Next to the solution so that its relative import resolves the same way.
  const exercise = path.join(path.dirname(tiny), `.tiny.exercise.${process.pid}.ipynb`);
  writeNotebook(exercise, makeExercise(readNotebook(tiny), { source: 'tiny-exercise.ipynb' }));
  try {
    const report = await gradeNotebook({ file: exercise, env });
    t.is(report.total, 3);
    t.is(report.passed, 0);
    t.regex(report.checks[0].reason ?? '', /TODO: add the numbers up/);
    t.regex(report.checks[2].reason ?? '', /Cannot find name 'answer'/);
  } finally {
    fs.rmSync(exercise, { force: true });
  }
});

// One real chapter of the series: solution full marks, its committed exercise zero. Chapter 04 is
// the cheaper of the two exercise chapters to run (03 fits two linear models).
const chapters = exerciseStatus({ directory: path.join(root, 'notebooks') });
const chapter = chapters.find((c) => path.basename(c.solution).startsWith('04-')) ?? chapters[0];
if (chapter) {
  const name = path.basename(chapter.solution);
  jupyterTest(`series chapter ${name}: solution scores full marks, its committed exercise zero`, async (t) => {
    const solution = await gradeNotebook({ file: chapter.solution, env });
    t.true(solution.total >= 2, `${name} has at least two checks`);
    t.deepEqual(
      solution.checks.filter((c) => !c.passed),
      [],
      `every check of ${name} passes`,
    );
    const exercise = await gradeNotebook({ file: chapter.exercise, env });
    t.is(exercise.total, solution.total);
    t.is(exercise.passed, 0);
  });
}

jupyterTest('installKernelSpec registers tslab with absolute node and tslab paths under a prefix', (t) => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-kernel-test-'));
  try {
    const spec = installKernelSpec({ prefix });
    t.is(spec.name, 'tslab');
    const kernel = JSON.parse(
      fs.readFileSync(path.join(prefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8'),
    );
    t.is(kernel.argv[0], process.execPath);
    t.true(fs.existsSync(kernel.argv[1]), 'the tslab entry script exists');
    t.deepEqual(kernel.argv.slice(2), ['kernel', '--config-path', '{connection_file}']);
    t.is(kernel.language, 'typescript');
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});

jupyterTest(
  "rescom grade runs the released checks on the student's answers, never the student's check cells",
  async (t) => {
    const { gradeSubmission, loadReleasedExercise } = await import('../../src/notebook/grader');
    const exerciseFile = path.join(root, 'notebooks', '04-supcon-class-weights.exercise.ipynb');
    const solution = readNotebook(path.join(root, 'notebooks', '04-supcon-class-weights.ipynb'));
    const student = readNotebook(exerciseFile);
    const byId = (nb: typeof student, id: string) => nb.cells.find((c) => c.id === id)!;
    // Honest work on the first exercise; the student's copy of a later check is edited to always pass.
    byId(student, 'exercise-effective-number').source = byId(solution, 'exercise-effective-number').source;
    byId(student, 'check-weights').source =
      "await check('class-balanced weights match contrast.effectiveNumberWeights', () => true);";
    const file = path.join(os.tmpdir(), `rescom-student-${process.pid}.ipynb`);
    writeNotebook(file, student);
    try {
      const grade = await gradeSubmission({
        submission: file,
        released: loadReleasedExercise(exerciseFile),
        seed: 2,
        run: true,
        python: process.env.PYTHON,
      });
      const visible = Object.fromEntries((grade.visibleChecks ?? []).map((c) => [c.name, c.passed]));
      t.is(visible['effective number of 1, 10 and 1000 samples'], true);
      t.is(
        visible['class-balanced weights match contrast.effectiveNumberWeights'],
        false,
        'the released check ran, not the edited one',
      );
      t.is(grade.earned, 2);
    } finally {
      fs.rmSync(file, { force: true });
    }
  },
);

jupyterTest('executeNotebook records the run (seconds, mode, backend line) in the executed copy', async (t) => {
  const { executeNotebook, runStamp } = await import('../../src/notebook');
  const output = path.join(os.tmpdir(), `rescom-stamp-${process.pid}.ipynb`);
  try {
    await executeNotebook({ input: tiny, output, env, allowErrors: true });
    const stamp = runStamp(readNotebook(output));
    t.truthy(stamp);
    t.true(stamp!.seconds > 0);
    t.is(stamp!.quick, true);
    t.regex(stamp!.finished, /^\d{4}-\d\d-\d\dT/);
  } finally {
    fs.rmSync(output, { force: true });
  }
});
