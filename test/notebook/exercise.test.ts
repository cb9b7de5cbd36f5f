import test from 'ava';
import { checkHash, hasTag, makeExercise, sourceText, stubSolutionCode, type Notebook } from '../../src/notebook';

test('stubSolutionCode replaces each marked region by a TODO and a throw at the same indentation', (t) => {
  const solution = [
    'function f(x: number): number {',
    '  // BEGIN SOLUTION square it',
    '  const y = x * x;',
    '  return y;',
    '  // END SOLUTION',
    '}',
    'function g(): string {',
    '    // BEGIN SOLUTION',
    "    return 'g';",
    '    // END SOLUTION',
    '}',
  ].join('\n');
  t.is(
    stubSolutionCode(solution),
    [
      'function f(x: number): number {',
      '  // TODO: square it',
      '  throw new Error("TODO: square it");',
      '}',
      'function g(): string {',
      '    // TODO: your code here',
      '    throw new Error("TODO");',
      '}',
    ].join('\n'),
  );
});

test('stubSolutionCode replaces a whole cell without markers and rejects unbalanced markers', (t) => {
  t.regex(
    stubSolutionCode('const answer = 42;'),
    /^\/\/ TODO: write this cell[^]*throw new Error\('TODO: write this cell'\);$/,
  );
  t.false(stubSolutionCode('const answer = 42;').includes('42'));
  t.throws(() => stubSolutionCode('// BEGIN SOLUTION\nx', 'nb cell c1'), {
    message: /nb cell c1: BEGIN SOLUTION on line 1 is never closed/,
  });
  t.throws(() => stubSolutionCode('x\n// END SOLUTION'), { message: /line 2: END SOLUTION without BEGIN SOLUTION/ });
  t.throws(() => stubSolutionCode('// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION'), {
    message: /line 2: BEGIN SOLUTION inside/,
  });
});

function solutionNotebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript' } },
    cells: [
      { cell_type: 'markdown', id: 'title', metadata: {}, source: '# Chapter' },
      {
        cell_type: 'code',
        id: 'sol',
        metadata: { tags: ['solution'] },
        source: 'const secret = 41 + 1;',
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }],
        execution_count: 3,
      },
      { cell_type: 'markdown', id: 'why', metadata: { tags: ['solution'] }, source: 'Because the secret is 42.' },
      { cell_type: 'markdown', id: 'note', metadata: { tags: ['solution-only'] }, source: 'Teacher note.' },
      {
        cell_type: 'code',
        id: 'chk',
        metadata: { tags: ['check'] },
        source: "await check('secret', () => secret === 42);",
        outputs: [],
        execution_count: 4,
      },
    ],
  };
}

test('makeExercise stubs solutions, drops solution-only cells, hashes checks and clears outputs', (t) => {
  const input = solutionNotebook();
  const exercise = makeExercise(input, { source: '03-chapter.ipynb' });
  t.deepEqual(
    exercise.cells.map((c) => c.id),
    ['title', 'exercise-header', 'sol', 'why', 'chk'],
  );
  const text = JSON.stringify(exercise);
  t.false(text.includes('41 + 1'), 'solution code is gone');
  t.false(text.includes('secret is 42'), 'solution prose is gone');
  t.false(text.includes('Teacher note'));
  const sol = exercise.cells[2];
  t.deepEqual(sol.metadata.tags, ['exercise']);
  t.true(hasTag(exercise.cells[3], 'exercise'));
  t.deepEqual(sol.outputs, []);
  t.is(sol.execution_count, null);
  const chk = exercise.cells[4];
  t.is(sourceText(chk), "await check('secret', () => secret === 42);");
  t.deepEqual(chk.metadata.rescom, { checkHash: checkHash("await check('secret', () => secret === 42);") });
  t.regex(sourceText(exercise.cells[1]), /generated from `03-chapter\.ipynb`/);
  t.deepEqual(exercise.metadata.rescom, { exercise: { source: '03-chapter.ipynb' } });
  // the solution notebook itself is untouched
  t.is(input.cells[1].source, 'const secret = 41 + 1;');
});

test('makeExercise refuses notebooks that could not be graded', (t) => {
  const noCheck = solutionNotebook();
  noCheck.cells = noCheck.cells.filter((c) => c.id !== 'chk');
  t.throws(() => makeExercise(noCheck, { source: 'a.ipynb' }), {
    message: /makeExercise: a\.ipynb has no cell tagged 'check'/,
  });
  const noSolution = solutionNotebook();
  noSolution.cells = noSolution.cells.filter((c) => c.id !== 'sol' && c.id !== 'why');
  t.throws(() => makeExercise(noSolution), { message: /has no cell tagged 'solution'/ });
});

test('checkHash ignores line-ending style but sees any edit', (t) => {
  t.is(checkHash('a\r\nb'), checkHash('a\nb'));
  t.not(checkHash('a === 42'), checkHash('a === 43'));
});
