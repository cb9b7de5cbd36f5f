#!/usr/bin/env node
// Write the student edition (`npm run release -- --out DIR`): exercise notebooks, assignments, the
// library without the grader, and the book with every solution stubbed (src/notebook/release.ts).
//   --out DIR     where it goes (default release/student)
//   --from DIR    executed chapters for the book (default runs/notebooks, from npm run notebooks:run)
//   --full        the executed chapters are the full edition (runs/notebooks-full)
//   --no-book     leave the book out (no executed chapters needed)
const path = require('node:path');
const { parseArgs } = require('node:util');
const { writeStudentEdition } = require('../../lib/notebook/release');

const repoDir = path.join(__dirname, '..', '..');
let values;
try {
  ({ values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(repoDir, 'release', 'student') },
      from: { type: 'string' },
      full: { type: 'boolean', default: false },
      'no-book': { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`release: ${error.message}. usage: npm run release -- [--out DIR] [--from EXECUTED_DIR] [--full] [--no-book]`);
  process.exit(2);
}
const executedDir = values['no-book'] ? null : (values.from ?? path.join(repoDir, 'runs', values.full ? 'notebooks-full' : 'notebooks'));
writeStudentEdition({ repoDir, out: values.out, executedDir, full: values.full, log: () => undefined }).then(
  (summary) => {
    console.log(`release: student edition written to ${values.out}`);
    console.log(`  notebooks/    ${summary.notebooks.length} (${summary.notebooks.join(', ')})`);
    console.log(`  assignments/  ${summary.assignments.length} (${summary.assignments.join(', ') || 'none'})`);
    console.log(`  lib/          ${summary.libFiles} files (no grader, no hidden tests)`);
    console.log(`  book/         ${summary.book ? 'built with every solution stubbed' : 'not built (--no-book)'}`);
  },
  (error) => {
    console.error(`release: ${error.message.split('\n')[0]}`);
    process.exit(1);
  },
);
