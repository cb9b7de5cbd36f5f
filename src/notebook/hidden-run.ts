/**
 * Run a student's solution cells against hidden cases in a fresh Node process: a temporary folder
 * with its own copy of the compiled library, a clean environment (PATH, HOME in the temp folder,
 * nothing else), its own process group and a time limit. Returns the raw answers; the caller
 * compares them (the child never sees an expected value). This isolates the grade from the
 * student's process, not the machine from the student: untrusted notebooks belong in a throwaway
 * container (README, "Grading").
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { JsonValue } from './hidden-tests';

/** The repository root: node_modules, notebooks, data (this file is in lib/notebook or src/notebook). */
export const REPO_DIR = path.resolve(__dirname, '..', '..');
/** The compiled library the student's process loads (`npm run build` makes it). */
export const LIBRARY_DIR = path.join(REPO_DIR, 'lib');

export interface HiddenRunOptions {
  /** The student's solution cells (TypeScript), in notebook order. */
  cells: { id: string; source: string }[];
  /** Expressions to evaluate after the cells, each with its `args`. */
  calls: { call: string; args: JsonValue }[];
  /** JavaScript run before the cells. */
  prelude?: string | null;
  /** Seconds before the process group is killed; default 60. */
  timeLimitS?: number;
}

export type HiddenAnswer = { value: JsonValue } | { error: string };

export interface HiddenRunResult {
  /** Cells that threw while being defined (syntax errors, a top-level throw), by id. */
  cellErrors: Record<string, string>;
  /** One per call, in order; empty when the process failed. */
  answers: HiddenAnswer[];
  /** Why the process gave no answers (time limit, crash); null when it did. */
  error: string | null;
  seconds: number;
}

/** TypeScript to JavaScript (types stripped, no type check), as a script for the shared global scope. */
export function transpileCell(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
    reportDiagnostics: false,
  }).outputText;
}

/**
 * A private copy of the library for one run: `DIR/lib` (copied) and `DIR/node_modules` (a link to
 * the checkout's, read-only in spirit only). Returns DIR; the caller removes it.
 */
export function makeSandbox(prefix = 'rescom-grade-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(LIBRARY_DIR, path.join(dir, 'lib'), { recursive: true });
  fs.symlinkSync(path.join(REPO_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.mkdirSync(path.join(dir, 'home'));
  return dir;
}

/** The environment a student's code gets: nothing from the grader's but PATH and a private HOME. */
export function cleanEnvironment(sandbox: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(sandbox, 'home'),
    TMPDIR: sandbox,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export async function runHiddenCases(options: HiddenRunOptions): Promise<HiddenRunResult> {
  const timeLimitS = options.timeLimitS ?? 60;
  if (!(timeLimitS > 0)) throw new Error(`runHiddenCases: timeLimitS must be > 0; got ${timeLimitS}`);
  if (!fs.existsSync(path.join(LIBRARY_DIR, 'notebook', 'hidden-child.js'))) {
    throw new Error(`runHiddenCases: the compiled library is missing (${LIBRARY_DIR}); run npm run build`);
  }
  const sandbox = makeSandbox();
  const started = Date.now();
  try {
    const job = {
      library: path.join(sandbox, 'lib', 'index.js'),
      helpers: path.join(sandbox, 'lib', 'notebook', 'index.js'),
      prelude: options.prelude ?? null,
      cells: options.cells.map((c) => ({ id: c.id, js: transpileCell(c.source) })),
      calls: options.calls,
    };
    const jobFile = path.join(sandbox, 'job.json');
    const resultFile = path.join(sandbox, 'result.json');
    fs.writeFileSync(jobFile, JSON.stringify(job));
    const child = path.join(sandbox, 'lib', 'notebook', 'hidden-child.js');
    const { code, stderr, timedOut } = await runLimited(
      process.execPath,
      [child, jobFile, resultFile],
      sandbox,
      cleanEnvironment(sandbox),
      timeLimitS,
    );
    const seconds = (Date.now() - started) / 1000;
    if (timedOut)
      return {
        cellErrors: {},
        answers: [],
        error: `the solution cells ran past the time limit of ${timeLimitS} s`,
        seconds,
      };
    let parsed: { cellErrors?: Record<string, string>; answers?: HiddenAnswer[] } | null = null;
    try {
      parsed = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    } catch {
      parsed = null;
    }
    if (code !== 0 || !parsed || !Array.isArray(parsed.answers) || parsed.answers.length !== options.calls.length) {
      const why = stderr.trim().split('\n').pop() ?? '';
      return {
        cellErrors: parsed?.cellErrors ?? {},
        answers: [],
        error: `the solution cells' process failed (exit ${code})${why ? `: ${why}` : ''}`,
        seconds,
      };
    }
    return { cellErrors: parsed.cellErrors ?? {}, answers: parsed.answers, error: null, seconds };
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
  }
}

/** Run a command in its own process group; kill the group after `timeLimitS`. */
export function runLimited(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeLimitS: number,
): Promise<{ code: number; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeLimitS * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // The group may still hold children the student started.
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
      resolve({ code: code ?? 1, stderr, timedOut });
    });
  });
}
