/**
 * Run a student's answer cells against one exercise's hidden cases in a fresh Node process
 * (`hidden-child.ts`): by default inside the bubblewrap sandbox (`sandbox.ts`: read-only library,
 * private tmpfs, own PID and network namespaces, clean environment, memory and process limits,
 * the whole namespace killed at the time limit); with `trusted` (the teacher's explicit choice) as
 * a plain child process in its own process group. Returns the raw answers and the forbidden calls
 * the traps saw; the caller compares the answers (the child never sees an expected value).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { JsonValue } from './hidden-tests';
import { programRoots, runSandboxed, runWithTimeLimit, type SandboxResult } from './sandbox';

/** The repository root: node_modules, notebooks, data (this file is in lib/notebook or src/notebook). */
export const REPO_DIR = path.resolve(__dirname, '..', '..');
/** The compiled library the student's process loads (`npm run build` makes it). */
export const LIBRARY_DIR = path.join(REPO_DIR, 'lib');

export interface HiddenRunOptions {
  /** The student's answer cells (TypeScript), in notebook order. */
  cells: { id: string; source: string }[];
  /** Expressions to evaluate after the cells, each with its `args`. */
  calls: { call: string; args: JsonValue }[];
  /** JavaScript run before the cells (and before the traps are armed). */
  prelude?: string | null;
  /** Library functions trapped for the student's code (`traps.ts` patterns, e.g. 'losses.*'). */
  forbidden?: string[];
  /** Seconds before the process (with everything it started) is killed; default 60. */
  timeLimitS?: number;
  /**
   * Seconds one cell's top level or one call's synchronous part may run; default min(10, timeLimitS / 3),
   * so that a looping cell costs its own exercise, not the later ones that run the cells before them.
   */
  stepTimeoutS?: number;
  /** Run without the sandbox (only for submissions the teacher trusts); default false. */
  trusted?: boolean;
  /** Memory limit of the sandboxed process in bytes (RLIMIT_DATA); default 4 GiB. */
  memoryBytes?: number;
}

export type HiddenAnswer = { value: JsonValue } | { error: string };

export interface HiddenRunResult {
  /** Cells that threw while being defined (syntax errors, a top-level throw), by id. */
  cellErrors: Record<string, string>;
  /** One per call, in order; empty when the process failed. */
  answers: HiddenAnswer[];
  /** Why the process gave no answers (time limit, crash); null when it did. */
  error: string | null;
  /** True when the time limit stopped it. */
  timedOut: boolean;
  /** `rc.folder.name` of every forbidden library function the student's code called (repeats kept once). */
  forbiddenCalls: string[];
  /** Modules the student's code tried to load that the hidden tests refuse (child_process, vm, ...). */
  refused: string[];
  seconds: number;
}

/** TypeScript to JavaScript (types stripped, no type check), as a script for the shared global scope. */
export function transpileCell(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
    reportDiagnostics: false,
  }).outputText;
}

/** The environment a student's code gets: a PATH, a private HOME and TMPDIR, nothing of the grader's. */
export function cleanEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, TMPDIR: home, LANG: 'C.UTF-8', ...extra };
}

/** The last meaningful line of a crashed process's output (not a stack frame, not a bare "Traceback"). */
export function lastErrorLine(log: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at /.test(l) && !/^Traceback \(most recent call last\):?$/.test(l) && !/^\^+$/.test(l));
  return (lines.pop() ?? '').slice(0, 300);
}

export async function runHiddenCases(options: HiddenRunOptions): Promise<HiddenRunResult> {
  const timeLimitS = options.timeLimitS ?? 60;
  if (!(timeLimitS > 0)) throw new Error(`runHiddenCases: timeLimitS must be > 0; got ${timeLimitS}`);
  if (!fs.existsSync(path.join(LIBRARY_DIR, 'notebook', 'hidden-child.js'))) {
    throw new Error(`runHiddenCases: the compiled library is missing (${LIBRARY_DIR}); run npm run build`);
  }
  const job = (library: string) =>
    JSON.stringify({
      library: path.join(library, 'index.js'),
      helpers: path.join(library, 'notebook', 'index.js'),
      prelude: options.prelude ?? null,
      forbidden: options.forbidden ?? [],
      cells: options.cells.map((c) => ({ id: c.id, js: transpileCell(c.source) })),
      calls: options.calls,
      stepTimeoutS: options.stepTimeoutS ?? Math.min(10, timeLimitS / 3),
    });
  let run: SandboxResult;
  if (options.trusted) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-hidden-'));
    try {
      fs.writeFileSync(path.join(home, 'job.json'), job(LIBRARY_DIR));
      const argv = [
        process.execPath,
        path.join(LIBRARY_DIR, 'notebook', 'hidden-child.js'),
        path.join(home, 'job.json'),
      ];
      run = await runWithTimeLimit(argv, { env: cleanEnvironment(home), cwd: home, timeLimitS });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  } else {
    run = await runSandboxed({
      command: [process.execPath, '/work/lib/notebook/hidden-child.js', '/in/job.json'],
      env: cleanEnvironment('/tmp'),
      readOnly: [
        { host: LIBRARY_DIR, inside: '/work/lib' },
        { host: path.join(REPO_DIR, 'node_modules'), inside: '/work/node_modules' },
        ...programRoots([process.execPath]),
      ],
      // The hidden suites stay out of sight (their case generators and edge cases).
      hide: ['/work/lib/notebook/hidden'],
      dirs: ['/work/notebooks'],
      files: [{ path: '/in/job.json', content: job('/work/lib') }],
      timeLimitS,
      memoryBytes: options.memoryBytes,
    });
  }
  return readResult(run, options.calls.length, timeLimitS);
}

interface ChildResult {
  cellErrors?: Record<string, string>;
  answers?: HiddenAnswer[];
}

/** The child's fd-3 JSON lines: {forbidden}, {refused} as they happened, then {result}. */
export function parseChildEvents(output: Buffer): {
  result: ChildResult | null;
  forbiddenCalls: string[];
  refused: string[];
} {
  let result: ChildResult | null = null;
  const forbiddenCalls: string[] = [];
  const refused: string[] = [];
  for (const line of output.toString('utf8').split('\n')) {
    let event: { forbidden?: unknown; refused?: unknown; result?: unknown } | null = null;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    if (!event || typeof event !== 'object') continue;
    if (typeof event.forbidden === 'string' && !forbiddenCalls.includes(event.forbidden))
      forbiddenCalls.push(event.forbidden);
    if (typeof event.refused === 'string' && !refused.includes(event.refused)) refused.push(event.refused);
    if (event.result && typeof event.result === 'object') result = event.result as ChildResult;
  }
  return { result, forbiddenCalls, refused };
}

function readResult(run: SandboxResult, calls: number, timeLimitS: number): HiddenRunResult {
  const { result, forbiddenCalls, refused } = parseChildEvents(run.result);
  const base = { cellErrors: {}, answers: [], forbiddenCalls, refused, seconds: run.seconds, timedOut: false };
  if (run.timedOut)
    return {
      ...base,
      timedOut: true,
      error: `the answer cells ran past the time limit of ${timeLimitS} s (the process and all it started were stopped)`,
    };
  if (run.resultTooLarge) return { ...base, error: 'the answers were too large (over 64 MiB)' };
  if (run.code !== 0 || !result || !Array.isArray(result.answers) || result.answers.length !== calls) {
    const why = lastErrorLine(run.log);
    return {
      ...base,
      cellErrors: result?.cellErrors ?? {},
      error: `the answer cells' process failed (exit ${run.code ?? 'killed'})${why ? `: ${why}` : ''}`,
    };
  }
  return { ...base, cellErrors: result.cellErrors ?? {}, answers: result.answers, error: null };
}
