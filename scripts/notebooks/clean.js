#!/usr/bin/env node
// Clean notebooks before committing (`npm run notebooks:clean [-- FILES]`): strip outputs, execution
// counts and volatile metadata in place, then report anything cleaning cannot fix (missing or repeated
// cell ids, machine paths in sources). Default: every notebook under notebooks/ and assignments/.
//   --check   change nothing; exit 1 if a notebook is not clean
const fs = require('node:fs');
const path = require('node:path');
const { cleanNotebook, notebookProblems, readNotebook, serializeNotebook, writeNotebook } = require('../../lib/notebook');

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
let files = args.filter((a) => a !== '--check');
if (files.length === 0) {
  for (const name of ['notebooks', 'assignments']) {
    const dir = path.join(__dirname, '..', '..', name);
    if (fs.existsSync(dir)) files.push(...fs.readdirSync(dir).filter((n) => n.endsWith('.ipynb')).sort().map((n) => path.join(dir, n)));
  }
}
let bad = 0;
for (const file of files) {
  const rel = path.relative(process.cwd(), file);
  const nb = readNotebook(file);
  const clean = cleanNotebook(nb);
  const changed = fs.readFileSync(file, 'utf8') !== serializeNotebook(clean);
  if (changed && !checkOnly) writeNotebook(file, clean);
  const problems = notebookProblems(checkOnly ? nb : clean, rel);
  if (checkOnly && changed && problems.length === 0) problems.push(`${rel}: not in the layout Jupyter writes`);
  for (const p of problems) console.error(p);
  if (problems.length > 0) bad++;
  else console.log(`${changed && !checkOnly ? 'cleaned' : 'clean  '} ${rel}`);
}
process.exit(bad > 0 ? 1 : 0);
