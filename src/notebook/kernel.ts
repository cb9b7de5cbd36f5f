/**
 * The tslab kernel spec: what Jupyter (JupyterLab, classic notebook, VS Code) runs for notebooks
 * whose kernelspec is `tslab`. We write the spec ourselves instead of `tslab install` so that it
 * starts this project's tslab with the Node that installed it (absolute paths): Jupyter launched
 * from a desktop menu often has neither `tslab` nor the right `node` on its PATH.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface JupyterPythonOptions {
  /** Interpreter to use; default `$PYTHON`, else the first of python3, /usr/bin/python3, python that has the modules. */
  python?: string;
  /** Python modules it must import; default ['jupyter_client']. */
  modules?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Find a Python whose Jupyter can install kernels / run notebooks, or throw saying what to install. */
export function findJupyterPython(options: JupyterPythonOptions = {}): string {
  const env = options.env ?? process.env;
  const modules = options.modules ?? ['jupyter_client'];
  const candidates = options.python ? [options.python] : [env.PYTHON, 'python3', '/usr/bin/python3', 'python'];
  const tried: string[] = [];
  for (const python of candidates) {
    if (!python || tried.includes(python)) continue;
    tried.push(python);
    const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8', env });
    if (probe.status === 0) return python;
  }
  throw new Error(
    `findJupyterPython: no Python among [${tried.join(', ')}] imports ${modules.join(', ')}. ` +
      'Install Jupyter (e.g. `pip install jupyterlab`, or on Debian/Ubuntu `apt-get install jupyter-nbconvert ' +
      'python3-nbclient jupyter-client python3-ipykernel`) or point PYTHON at the interpreter that has it.',
  );
}

/** Absolute path of this project's tslab entry script. */
export function tslabEntry(): string {
  return path.join(path.dirname(require.resolve('tslab/package.json')), 'bin', 'tslab');
}

/** The kernel.json content: this Node running this project's tslab. */
export function tslabKernelJson(options: { displayName?: string } = {}): Record<string, unknown> {
  return {
    argv: [process.execPath, tslabEntry(), 'kernel', '--config-path', '{connection_file}'],
    display_name: options.displayName ?? 'TypeScript (tslab, rescom-lab)',
    language: 'typescript',
  };
}

export interface InstallKernelOptions extends JupyterPythonOptions {
  /** Install under `<prefix>/share/jupyter/kernels/` (e.g. a private prefix for CI); default: per-user location. */
  prefix?: string;
  /** Kernel name; default 'tslab' (the name every notebook of the series asks for). */
  name?: string;
  displayName?: string;
}

/**
 * Register the tslab kernel with Jupyter. Without `prefix` it goes to the user's Jupyter data
 * directory (~/.local/share/jupyter/kernels on Linux, ~/Library/Jupyter/kernels on macOS), which
 * JupyterLab, the classic notebook and VS Code all read. Returns the installed spec's directory.
 */
export function installKernelSpec(options: InstallKernelOptions = {}): {
  name: string;
  directory: string;
  python: string;
} {
  const name = options.name ?? 'tslab';
  if (!/^[a-zA-Z0-9._-]+$/.test(name))
    throw new Error(`installKernelSpec: name must be letters, digits, '.', '_' or '-'; got '${name}'`);
  const python = findJupyterPython(options);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-kernel-'));
  try {
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, 'kernel.json'), `${JSON.stringify(tslabKernelJson(options), null, 1)}\n`);
    const script = [
      'import sys',
      'from jupyter_client.kernelspec import KernelSpecManager',
      'prefix = sys.argv[3] or None',
      'print(KernelSpecManager().install_kernel_spec(sys.argv[1], sys.argv[2], user=prefix is None, prefix=prefix))',
    ].join('\n');
    const prefix = options.prefix ? path.resolve(options.prefix) : '';
    const run = spawnSync(python, ['-c', script, staging, name, prefix], {
      encoding: 'utf8',
      env: options.env ?? process.env,
    });
    if (run.status !== 0) {
      throw new Error(
        `installKernelSpec: ${python} could not install the kernel spec '${name}': ${(run.stderr || run.error?.message || '').trim()}`,
      );
    }
    return { name, directory: run.stdout.trim(), python };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
