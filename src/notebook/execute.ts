/**
 * Execute a notebook headless through Jupyter's own client (nbclient, the engine behind
 * `jupyter nbconvert --execute`) with the tslab kernel installed into a private temporary prefix,
 * so nothing depends on, or changes, the user's Jupyter set-up.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Notebook } from './format';
import { outputText, readNotebook, writeNotebook } from './format';
import { findJupyterPython, installKernelSpec } from './kernel';
import { quickMode } from './quick-mode';

export interface ExecuteOptions {
  /** Notebook to run; cells run with the notebook's folder as working directory. */
  input: string;
  /** Where the executed notebook is written; default a temp file (removed after reading). */
  output?: string;
  /** Keep going after a cell fails (grading does); default false: stop at the first error. */
  allowErrors?: boolean;
  /** Seconds one cell may take; default 600. */
  cellTimeoutS?: number;
  /** Environment of the kernel (e.g. RESCOM_QUICK); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Python with nbclient; default found by `findJupyterPython`. */
  python?: string;
  /** Seconds the whole run may take before the kernel and Jupyter are killed; default none. */
  totalTimeoutS?: number;
}

/**
 * What `executeNotebook` records in the executed copy's metadata (`metadata.rescom.run`), so that a
 * later reader (the book) can say how long the chapter took, in which mode and on which backend.
 */
export interface RunStamp {
  /** Wall-clock seconds of the whole run (kernel start included). */
  seconds: number;
  /** RESCOM_QUICK as the kernel saw it. */
  quick: boolean;
  /** False when a cell failed or the run was stopped. */
  ok: boolean;
  /** ISO time the run finished. */
  finished: string;
  /** The `backend=...` line the notebook printed (rc.selectBackend), or null. */
  backend: string | null;
}

export interface ExecuteResult {
  notebook: Notebook;
  /** False when a cell failed (with allowErrors false) or the kernel died. */
  ok: boolean;
  /** The first failure, as nbclient reported it; null when ok. */
  error: string | null;
  seconds: number;
}

/**
 * tslab cancels every request that reaches it within 200 ms of a failed cell
 * (jupyter.js: `execQueue.reset(200)`), and nbclient sends the next cell at once, so after an error
 * the driver waits before going on; otherwise with allowErrors every later cell would be skipped.
 */
const PAUSE_AFTER_ERROR_S = 0.5;

const DRIVER = `
import json, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
args = json.loads(sys.argv[1])
nb = nbformat.read(args['input'], as_version=4)
def pause(**kwargs):
    time.sleep(args['pause'])
client = NotebookClient(nb, timeout=args['timeout'], kernel_name='tslab', allow_errors=args['allowErrors'],
                        resources={'metadata': {'path': args['cwd']}}, on_cell_error=pause)
status = 0
try:
    client.execute()
except (CellExecutionError, DeadKernelError, TimeoutError, RuntimeError) as error:
    status = 3
    sys.stderr.write(str(error)[-6000:] + '\\n')
nbformat.write(nb, args['output'])
sys.exit(status)
`;

export async function executeNotebook(options: ExecuteOptions): Promise<ExecuteResult> {
  const input = path.resolve(options.input);
  if (!fs.existsSync(input)) throw new Error(`executeNotebook: input '${options.input}' does not exist`);
  const cellTimeoutS = options.cellTimeoutS ?? 600;
  const totalTimeoutS = options.totalTimeoutS ?? null;
  if (totalTimeoutS !== null && !(totalTimeoutS > 0))
    throw new Error(`executeNotebook: totalTimeoutS must be > 0; got ${totalTimeoutS}`);
  if (!(cellTimeoutS > 0)) throw new Error(`executeNotebook: cellTimeoutS must be > 0; got ${cellTimeoutS}`);
  const env = options.env ?? process.env;
  const python = findJupyterPython({
    python: options.python,
    modules: ['nbclient', 'nbformat', 'jupyter_client'],
    env,
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-execute-'));
  try {
    const prefix = path.join(scratch, 'jupyter');
    installKernelSpec({ python, prefix, env });
    const output = options.output ? path.resolve(options.output) : path.join(scratch, 'executed.ipynb');
    fs.mkdirSync(path.dirname(output), { recursive: true });
    const args = {
      input,
      output,
      cwd: path.dirname(input),
      timeout: cellTimeoutS,
      allowErrors: options.allowErrors ?? false,
      pause: PAUSE_AFTER_ERROR_S,
    };
    const kernelEnv = {
      ...env,
      JUPYTER_PATH: [path.join(prefix, 'share', 'jupyter'), env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    };
    const started = Date.now();
    const { code, stderr, timedOut } = await run(
      python,
      ['-c', DRIVER, JSON.stringify(args)],
      kernelEnv,
      totalTimeoutS,
    );
    const seconds = (Date.now() - started) / 1000;
    if (timedOut)
      throw new Error(
        `executeNotebook: '${options.input}' ran past the time limit of ${totalTimeoutS} s and was stopped`,
      );
    if (!fs.existsSync(output)) {
      throw new Error(
        `executeNotebook: Jupyter wrote no output for '${options.input}' (exit ${code}): ${stderr.trim().slice(-2000)}`,
      );
    }
    const notebook = readNotebook(output);
    const stamp: RunStamp = {
      seconds: Math.round(seconds * 10) / 10,
      quick: quickMode(env),
      ok: code === 0,
      finished: new Date().toISOString(),
      backend: backendLine(notebook),
    };
    const rescom = (notebook.metadata.rescom as Record<string, unknown> | undefined) ?? {};
    notebook.metadata.rescom = { ...rescom, run: stamp };
    writeNotebook(output, notebook);
    return { notebook, ok: code === 0, error: code === 0 ? null : stderr.trim(), seconds };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The first `backend=...` line a notebook printed (what `rc.selectBackend()` reports), or null. */
export function backendLine(nb: Notebook): string | null {
  for (const cell of nb.cells) {
    for (const output of cell.outputs ?? []) {
      if (output.output_type !== 'stream' || output.name !== 'stdout') continue;
      const line = outputText(output)
        .split('\n')
        .find((l) => /^backend=\S+/.test(l.trim()));
      if (line) return line.trim();
    }
  }
  return null;
}

/** The run stamp `executeNotebook` wrote into an executed notebook, or null. */
export function runStamp(nb: Notebook): RunStamp | null {
  const run = (nb.metadata.rescom as { run?: RunStamp } | undefined)?.run;
  return run && typeof run.seconds === 'number' ? run : null;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutS: number | null,
): Promise<{ code: number; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a time limit ends the kernel too, not only the driver.
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: timeoutS !== null });
    let timedOut = false;
    const timer =
      timeoutS === null
        ? null
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-(child.pid as number), 'SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, timeoutS * 1000);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep the tail only: a long run's kernel log can be large.
      stderr = (stderr + chunk).slice(-20000);
    });
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, stderr, timedOut });
    });
  });
}
