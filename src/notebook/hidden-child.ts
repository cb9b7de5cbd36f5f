/**
 * The student's process for hidden tests (started by `hidden-run.ts`, never imported): loads the
 * library as globals, evaluates the student's solution cells (already transpiled to JavaScript) as
 * scripts in one global scope, then evaluates each case's call and writes the raw answers (values
 * or errors) to the result file. It decides nothing: the grader compares the answers with the
 * library's, computed in its own process, so whatever the student's code patches here (console,
 * the library, JSON) can only change its own answers.
 *   node hidden-child.js JOB.json RESULT.json
 */
import * as fs from 'node:fs';
import * as vm from 'node:vm';

interface Job {
  library: string;
  helpers: string;
  prelude: string | null;
  cells: { id: string; js: string }[];
  calls: { call: string; args: unknown }[];
}

const writeFile = fs.writeFileSync;
const stringify = JSON.stringify;
const [jobFile, resultFile] = process.argv.slice(2);

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0].slice(0, 300);
}

/** Plain JSON of an answer: tensors and typed arrays become arrays; NaN and infinities strings. */
function toJson(value: unknown, depth = 0): unknown {
  if (depth > 8) throw new Error('the answer is nested too deeply');
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (value && typeof value === 'object') {
    const v = value as { arraySync?: () => unknown; length?: number };
    if (typeof v.arraySync === 'function') return toJson(v.arraySync(), depth + 1);
    if (ArrayBuffer.isView(value) || Array.isArray(value))
      return Array.from(value as ArrayLike<unknown>, (x) => toJson(x, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, toJson(x, depth + 1)]));
  }
  throw new Error(`the answer is ${value === undefined ? 'undefined' : `a ${typeof value}`}`);
}

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as Job;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rc = require(job.library);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helpers = require(job.helpers);
  Object.assign(globalThis, { rc, tf: rc.tf, ...helpers, require, exports: {} });
  const cellErrors: Record<string, string> = {};
  if (job.prelude) vm.runInThisContext(job.prelude, { filename: 'prelude' });
  for (const cell of job.cells) {
    try {
      vm.runInThisContext(cell.js, { filename: `cell ${cell.id}` });
    } catch (error) {
      cellErrors[cell.id] = firstLine(error);
    }
  }
  const answers: ({ value: unknown } | { error: string })[] = [];
  for (const c of job.calls) {
    try {
      const fn = vm.runInThisContext(`(async (args) => (${c.call}))`) as (args: unknown) => Promise<unknown>;
      answers.push({ value: toJson(await fn(c.args)) });
    } catch (error) {
      answers.push({ error: firstLine(error) });
    }
  }
  writeFile(resultFile, stringify({ cellErrors, answers }));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${firstLine(error)}\n`);
    process.exit(1);
  },
);
