#!/usr/bin/env node
// Generate the exercise versions of the notebooks (`npm run notebooks:exercises`): for every
// notebooks/NN-name.ipynb (and assignments/NN-name.ipynb) with cells tagged 'solution', write
// NN-name.exercise.ipynb next to it.
//   --check   write nothing; exit 1 if an exercise is missing or out of date
const path = require('node:path');
const { exerciseStatus, writeExercises } = require('../../lib/notebook');

const fs = require('node:fs');
const root = path.join(__dirname, '..', '..');
const checkOnly = process.argv.includes('--check');
const status = ['notebooks', 'assignments']
  .map((name) => path.join(root, name))
  .filter((directory) => fs.existsSync(directory))
  .flatMap((directory) => (checkOnly ? exerciseStatus({ directory }) : writeExercises({ directory })));
for (const entry of status) {
  const rel = path.relative(process.cwd(), entry.exercise);
  console.log(`${entry.stale ? (checkOnly ? 'stale  ' : 'wrote  ') : 'current'} ${rel}`);
}
if (status.length === 0) console.log('no notebook has cells tagged solution');
if (checkOnly && status.some((e) => e.stale)) {
  console.error('exercises are out of date: run `npm run notebooks:exercises`');
  process.exit(1);
}
