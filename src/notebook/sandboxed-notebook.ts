/**
 * Execute one notebook headless through Jupyter's nbclient with the tslab kernel, the driver, the
 * kernel and everything the student's cells start inside ONE bubblewrap sandbox (`sandbox.ts`).
 * The layout inside mirrors the checkout, so `../lib/index.js` resolves as in class:
 *   /work/notebooks/NAME.ipynb  (tmpfs: the working copy; cells run here)
 *   /work/lib, /work/node_modules, /work/data, /work/bench  (the grader's, read-only)
 *   /work/runs                  (tmpfs: what chapters write)
 * The notebook goes in through a pipe and the executed copy comes back on fd 3, which the driver
 * keeps from the kernel (not inherited). At the time limit the whole namespace is killed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notebook } from './format';
import { parseNotebook, serializeNotebook } from './format';
import { cleanEnvironment, lastErrorLine, LIBRARY_DIR, REPO_DIR } from './hidden-run';
import { findJupyterPython } from './kernel';
import { programRoots, runSandboxed } from './sandbox';

export interface SandboxedNotebookOptions {
  notebook: Notebook;
  /** File name inside /work/notebooks, e.g. '03-balanced-softmax.exercise.ipynb'. */
  name: string;
  /** Seconds for the whole run (kernel start included) and for one cell. */
  timeLimitS: number;
  /** Extra environment (e.g. RESCOM_QUICK). */
  env?: Record<string, string>;
  /** Python with nbclient; default found by `findJupyterPython`. */
  python?: string;
  memoryBytes?: number;
}

export interface SandboxedNotebookResult {
  /** The executed notebook; null when the run gave none (time limit, crash). */
  notebook: Notebook | null;
  timedOut: boolean;
  /** Why there is no executed notebook, one line; null when there is one. */
  error: string | null;
  seconds: number;
}

/**
 * tslab cancels every request that reaches it within 200 ms of a failed cell, so the driver pauses
 * after an error (see execute.ts). The executed notebook is written to fd 3, never inherited by the
 * kernel (Popen closes it), so a cell cannot write into it.
 */
const DRIVER = `
import json, os, sys, time
os.set_inheritable(3, False)
import nbformat
from nbclient import NotebookClient
args = json.loads(sys.argv[1])
nb = nbformat.read(args['input'], as_version=4)
client = NotebookClient(nb, timeout=args['timeout'], kernel_name='tslab', allow_errors=True,
                        resources={'metadata': {'path': args['cwd']}},
                        on_cell_error=lambda **kwargs: time.sleep(0.5))
try:
    client.execute()
except Exception as error:
    sys.stderr.write(type(error).__name__ + ': ' + str(error)[-2000:] + '\\n')
data = nbformat.writes(nb).encode('utf8')
view = memoryview(data)
while view:
    view = view[os.write(3, view):]
`;

/** A Python interpreter's real executable and the folders it reads (prefix, sys.path), for binding. */
function pythonInstall(python: string): { executable: string; roots: { host: string; inside: string }[] } {
  const probe = spawnSync(
    python,
    ['-c', 'import sys, json; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix] + sys.path))'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) return { executable: python, roots: programRoots([python]) };
  const paths = (JSON.parse(probe.stdout) as string[]).filter(Boolean);
  return { executable: paths[0], roots: programRoots(paths) };
}

export async function executeNotebookSandboxed(options: SandboxedNotebookOptions): Promise<SandboxedNotebookResult> {
  if (!/^[\w.-]+\.ipynb$/.test(options.name))
    throw new Error(`executeNotebookSandboxed: name must be a plain notebook file name; got '${options.name}'`);
  const python = pythonInstall(
    findJupyterPython({ python: options.python, modules: ['nbclient', 'nbformat', 'jupyter_client'] }),
  );
  const kernel = {
    argv: [process.execPath, '/work/node_modules/tslab/bin/tslab', 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab, sandboxed)',
    language: 'typescript',
  };
  const args = {
    input: '/in/notebook.ipynb',
    cwd: '/work/notebooks',
    timeout: Math.max(1, Math.round(options.timeLimitS)),
  };
  const readOnly = [
    { host: LIBRARY_DIR, inside: '/work/lib' },
    { host: path.join(REPO_DIR, 'node_modules'), inside: '/work/node_modules' },
    ...['data', 'bench']
      .filter((d) => fs.existsSync(path.join(REPO_DIR, d)))
      .map((d) => ({ host: path.join(REPO_DIR, d), inside: `/work/${d}` })),
    ...programRoots([process.execPath]),
    ...python.roots,
  ];
  const run = await runSandboxed({
    command: [python.executable, '-c', DRIVER, JSON.stringify(args)],
    cwd: '/work/notebooks',
    env: cleanEnvironment('/tmp', {
      JUPYTER_PATH: '/in/jupyter',
      JUPYTER_RUNTIME_DIR: '/tmp/jupyter-runtime',
      JUPYTER_CONFIG_DIR: '/tmp/jupyter-config',
      JUPYTER_DATA_DIR: '/tmp/jupyter-data',
      JUPYTER_PLATFORM_DIRS: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      ...options.env,
    }),
    readOnly,
    hide: ['/work/lib/notebook/hidden'],
    dirs: ['/work/notebooks', '/work/runs'],
    files: [
      { path: '/in/notebook.ipynb', content: serializeNotebook(options.notebook) },
      { path: '/in/jupyter/kernels/tslab/kernel.json', content: JSON.stringify(kernel) },
    ],
    timeLimitS: options.timeLimitS,
    memoryBytes: options.memoryBytes,
  });
  if (run.timedOut)
    return {
      notebook: null,
      timedOut: true,
      error: `ran past the time limit of ${options.timeLimitS} s (the kernel and all it started were stopped)`,
      seconds: run.seconds,
    };
  try {
    return {
      notebook: parseNotebook(run.result.toString('utf8'), options.name),
      timedOut: false,
      error: null,
      seconds: run.seconds,
    };
  } catch {
    const why = run.resultTooLarge ? 'the executed notebook was too large' : lastErrorLine(run.log);
    return {
      notebook: null,
      timedOut: false,
      error: `Jupyter gave no executed notebook (${why || `exit ${run.code}`})`,
      seconds: run.seconds,
    };
  }
}
