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
import { readNotebook } from './format';
import { findJupyterPython, installKernelSpec } from './kernel';

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
  if (!(cellTimeoutS > 0)) throw new Error(`executeNotebook: cellTimeoutS must be > 0; got ${cellTimeoutS}`);
  const env = options.env ?? process.env;
  const python = findJupyterPython({ python: options.python, modules: ['nbclient', 'nbformat', 'jupyter_client'], env });
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
    const { code, stderr } = await run(python, ['-c', DRIVER, JSON.stringify(args)], kernelEnv);
    const seconds = (Date.now() - started) / 1000;
    if (!fs.existsSync(output)) {
      throw new Error(`executeNotebook: Jupyter wrote no output for '${options.input}' (exit ${code}): ${stderr.trim().slice(-2000)}`);
    }
    const notebook = readNotebook(output);
    return { notebook, ok: code === 0, error: code === 0 ? null : stderr.trim(), seconds };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep the tail only: a long run's kernel log can be large.
      stderr = (stderr + chunk).slice(-20000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
