// Hints guide without giving the formula away: every graded exercise cell has a cell of progressive
// hints right before it (collapsed <details> blocks, numbered, the last the closest), kept in the
// exercise version, and the TODO left in the stub states no formula.
import test from 'ava';
import * as path from 'node:path';
import { exerciseFileFor, exerciseSources, hasTag, readNotebook, SOLUTION_TAG, sourceText } from '../../src/notebook';

const folders = ['notebooks', 'assignments'].map((dir) => path.resolve(__dirname, '..', '..', dir));
const HINT = /<details><summary>Hint (\d+)<\/summary>\s*\n([\s\S]*?)<\/details>/g;

for (const file of folders.flatMap((dir) => exerciseSources(dir))) {
  const name = path.basename(file);
  test(`${name}: progressive collapsed hints before each exercise, and TODOs without formulas`, (t) => {
    const solution = readNotebook(file);
    const exercise = readNotebook(exerciseFileFor(file));
    solution.cells.forEach((cell, index) => {
      if (cell.cell_type !== 'code' || !hasTag(cell, SOLUTION_TAG)) return;
      const before = solution.cells[index - 1];
      t.true(before?.cell_type === 'markdown' && hasTag(before, 'hints'), `${cell.id}: a 'hints' cell right before it`);
      const text = sourceText(before);
      t.regex(text, /the last is the closest/);
      const hints = [...text.matchAll(HINT)];
      t.true(hints.length >= 2, `${cell.id}: at least two hints`);
      t.deepEqual(
        hints.map((h) => Number(h[1])),
        hints.map((_, i) => i + 1),
        `${cell.id}: numbered in order`,
      );
      for (const h of hints) t.true(h[2].trim().length > 20, `${cell.id}: hint ${h[1]} says something`);
      t.truthy(
        exercise.cells.find((c) => c.id === before.id && sourceText(c) === text),
        `${cell.id}: kept in the exercise`,
      );
      const stub = sourceText(exercise.cells.find((c) => c.id === cell.id)!);
      for (const todo of stub.match(/TODO: .*/g) ?? [])
        t.notRegex(todo, /Math\.|\*\*|[=*/+(]/, `${cell.id}: the TODO states no formula: ${todo}`);
    });
  });
}
