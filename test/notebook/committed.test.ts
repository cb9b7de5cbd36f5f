// Every committed notebook is clean, and every exercise is what its solution generates.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exerciseStatus, notebookProblems, readNotebook, serializeNotebook } from '../../src/notebook';

const root = path.resolve(__dirname, '..', '..');

function notebooksUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : notebooksUnder(full);
    return entry.name.endsWith('.ipynb') ? [full] : [];
  });
}

const committed = [
  ...notebooksUnder(path.join(root, 'notebooks')),
  ...notebooksUnder(path.join(root, 'assignments')),
  ...notebooksUnder(path.join(root, 'test')),
];

test('the series and the test fixtures are there', (t) => {
  t.true(
    committed.some((f) => f.includes(`${path.sep}notebooks${path.sep}00-`)),
    'notebooks/00-*.ipynb exists',
  );
  t.true(committed.some((f) => f.endsWith('tiny-exercise.ipynb')));
});

for (const file of committed) {
  const rel = path.relative(root, file);
  test(`${rel} is committed clean (ids, no outputs or counts, no machine paths, Jupyter layout)`, (t) => {
    const nb = readNotebook(file);
    t.deepEqual(notebookProblems(nb, rel), []);
    t.is(fs.readFileSync(file, 'utf8'), serializeNotebook(nb), `${rel} is not in the layout Jupyter writes`);
  });
}

test('every exercise (chapters and assignments) is up to date with its solution (npm run notebooks:exercises)', (t) => {
  const status = ['notebooks', 'assignments'].flatMap((dir) => exerciseStatus({ directory: path.join(root, dir) }));
  t.true(status.length >= 1, 'at least one chapter has an exercise version');
  t.deepEqual(
    status.filter((s) => s.stale).map((s) => path.relative(root, s.exercise)),
    [],
  );
});
