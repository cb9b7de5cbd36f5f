// Every graded exercise of the series has hidden tests: each solution code cell of each solution
// chapter is covered by a hidden exercise, the solution scores full marks and the exercise zero.
// A new exercise without hidden tests fails here (see src/notebook/hidden-tests.ts for how to add them).
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exerciseSources, hasTag, readNotebook, SOLUTION_TAG } from '../../src/notebook';
import { exerciseFileFor } from '../../src/notebook';
import { gradeSubmission, loadReleasedExercise } from '../../src/notebook/grader';
import { HIDDEN_SUITES, hiddenSuiteFor } from '../../src/notebook/hidden';
import { Rng } from '../../src/util/rng';
import { TRUSTED as trusted } from './sandbox-support';

const notebooks = path.resolve(__dirname, '..', '..', 'notebooks');
const assignments = path.resolve(__dirname, '..', '..', 'assignments');
const sources = [...exerciseSources(notebooks), ...exerciseSources(assignments)];

test('the series has exercise chapters; every suite draws its cases reproducibly', (t) => {
  t.true(sources.length >= 2);
  for (const suite of HIDDEN_SUITES) {
    // A suite may be written ahead of its chapter's exercises (merged from another branch).
    if (![notebooks, assignments].some((d) => fs.existsSync(path.join(d, `${suite.notebook}.ipynb`))))
      t.log(`${suite.notebook}: chapter not in this checkout`);
    for (const exercise of suite.exercises) {
      const a = exercise.cases(new Rng(4));
      t.true(a.length >= 3, `${suite.notebook}/${exercise.cell}: at least three cases`);
      t.is(
        JSON.stringify(exercise.cases(new Rng(4))),
        JSON.stringify(a),
        `${suite.notebook}/${exercise.cell}: same seed, same cases`,
      );
    }
  }
});

for (const solution of sources) {
  const name = path.basename(solution, '.ipynb');
  test(`${name}: every solution code cell has hidden tests; solution full marks, exercise zero`, async (t) => {
    const suite = hiddenSuiteFor(name);
    if (!suite)
      return t.fail(
        `no hidden tests for ${name}: add src/notebook/hidden/${name}.ts (see src/notebook/hidden-tests.ts)`,
      );
    const cells = readNotebook(solution)
      .cells.filter((c) => c.cell_type === 'code' && hasTag(c, SOLUTION_TAG))
      .map((c) => c.id);
    t.deepEqual(
      [...suite.exercises.map((e) => e.cell)].sort(),
      [...cells].sort(),
      'one hidden exercise per solution code cell',
    );
    for (const exercise of suite.exercises) {
      const cases = exercise.cases(new Rng(1));
      t.true(cases.length >= 3, `${exercise.cell}: at least three hidden cases`);
      t.true(exercise.points > 0);
    }
    const released = loadReleasedExercise(exerciseFileFor(solution));
    const full = await gradeSubmission({ submission: solution, released, seed: 99, run: false, trusted });
    t.deepEqual(
      full.exercises.filter((e) => e.earned !== e.points).map((e) => [e.cell, e.cases.filter((c) => !c.passed)]),
      [],
    );
    const zero = await gradeSubmission({
      submission: exerciseFileFor(solution),
      released,
      seed: 99,
      run: false,
      trusted,
    });
    t.is(zero.earned, 0);
  });
}
