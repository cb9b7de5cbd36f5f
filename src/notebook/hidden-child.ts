/**
 * The student's process for one exercise's hidden tests (started by `hidden-run.ts`, never
 * imported), normally inside the bubblewrap sandbox (`sandbox.ts`): loads the library as globals,
 * runs the suite's prelude, arms the traps for the library functions the exercise forbids
 * (`traps.ts`), evaluates the student's answer cells (already transpiled to JavaScript) as scripts in
 * one global scope, then evaluates each case's call and writes the raw answers (values or errors),
 * as JSON lines on file descriptor 3: one line per forbidden call or refused module, written when it
 * happens, and the result last. It decides
 * nothing: the grader compares the answers with the library's, computed in its own process, so
 * whatever the student's code patches here (console, the library, JSON, even fd 3) can only change
 * its own answers; a trapped function throws, so its value can never be obtained.
 *   node hidden-child.js JOB.json
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { armTraps } from './traps';

interface Job {
  library: string;
  helpers: string;
  prelude: string | null;
  forbidden: string[];
  cells: { id: string; js: string }[];
  calls: { call: string; args: unknown }[];
  /** Seconds one cell's top level or one call's synchronous part may run. */
  stepTimeoutS: number;
}

/**
 * Modules an answer has no use for and that would let it escape the traps: another process, a fresh
 * module loader, the library's source files, the network (the sandbox has none anyway).
 */
const REFUSED = new Set([
  'child_process',
  'cluster',
  'worker_threads',
  'vm',
  'module',
  'inspector',
  'repl',
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'tls',
]);

const writeSync = fs.writeSync;
const stringify = JSON.stringify;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** All of `text` to `fd`, waiting while the pipe is full (a pipe fd may be non-blocking). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      sleep(5);
    }
  }
}
const [jobFile] = process.argv.slice(2);

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
  // No "install the node backend" banner in the grader's logs.
  rc.tf.env().set('IS_TEST', true);
  // Events go out at once, one JSON line each, so a run that later hangs or dies still reports them.
  const noted = new Set<string>();
  const note = (kind: 'refused' | 'forbidden', name: string) => {
    if (noted.has(`${kind} ${name}`)) return;
    noted.add(`${kind} ${name}`);
    writeAll(3, `${stringify({ [kind]: name })}\n`);
  };
  const base = path.dirname(job.library);
  const studentRequire = (name: string): unknown => {
    const bare = String(name).replace(/^node:/, '');
    if (REFUSED.has(bare)) {
      note('refused', bare);
      throw new Error(`require('${name}') is not available in the hidden tests`);
    }
    // The library's files resolve from the notebook folder (`../lib/...`) as in the notebook.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bare.startsWith('.') ? path.resolve(base, '..', 'notebooks', bare) : bare);
  };
  Object.assign(globalThis, { rc, tf: rc.tf, ...helpers, require: studentRequire, exports: {} });
  // The same refusal for Node's raw bindings (spawn_sync would block past every step limit; fs reads).
  for (const key of ['binding', '_linkedBinding', 'dlopen'] as const) {
    Object.defineProperty(process, key, {
      value: (name: unknown) => {
        note('refused', `process.${key}(${typeof name === 'string' ? name : '...'})`);
        throw new Error(`process.${key} is not available in the hidden tests`);
      },
      configurable: false,
      writable: false,
    });
  }
  if (job.prelude) vm.runInThisContext(job.prelude, { filename: 'prelude' });
  armTraps({ library: rc, modules: require.cache, patterns: job.forbidden, onCall: (n) => note('forbidden', n) });
  // The real loader stays out of the student's reach (process.mainModule.require would bypass the traps).
  Object.defineProperty(process, 'mainModule', { value: undefined, configurable: false, writable: false });
  const timeout = Math.max(1, Math.round(job.stepTimeoutS * 1000));
  const seconds = Math.round(job.stepTimeoutS * 10) / 10;
  const cellErrors: Record<string, string> = {};
  for (const cell of job.cells) {
    try {
      vm.runInThisContext(cell.js, { filename: `cell ${cell.id}`, timeout });
    } catch (error) {
      const message = firstLine(error);
      cellErrors[cell.id] = /Script execution timed out/.test(message) ? `ran past ${seconds} s (time limit)` : message;
    }
  }
  const answers: ({ value: unknown } | { error: string })[] = [];
  const slot = '__rescomHiddenArgs';
  for (const c of job.calls) {
    try {
      (globalThis as Record<string, unknown>)[slot] = c.args;
      const pending = vm.runInThisContext(`((args) => (${c.call}))(globalThis.${slot})`, { timeout });
      answers.push({ value: toJson(await pending) });
    } catch (error) {
      const message = firstLine(error);
      answers.push({
        error: /Script execution timed out/.test(message) ? `ran past ${seconds} s (time limit)` : message,
      });
    }
  }
  writeAll(3, `${stringify({ result: { cellErrors, answers } })}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${firstLine(error)}\n`);
    process.exit(1);
  },
);
