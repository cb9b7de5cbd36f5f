/**
 * A Python process that answers line commands (`bench/pytorch/*.py --serve`): it prints READY once
 * prepared, then one or more lines per command. Used by `bench:protocol` to interleave PyTorch work
 * with TensorFlow.js work, so that both sides are measured under the same background load.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The environment of a PyTorch peer: ours, with the OpenMP wait policy our native kernels run
 * under (PASSIVE, src/backend/wasm/onednn.ts) unless the user set one. PyTorch's libgomp spins by
 * default, and on a loaded 2-core machine that made its ResNet-8 step 6-10x slower (36-66 against
 * 383-428 img/s at load 20, 2026-12-07); both sides get the same policy.
 */
export function peerEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
}

export class PythonServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: (() => void) | null = null;
  private exited = false;
  private readonly stderr: string[] = [];

  private constructor(python: string, args: string[]) {
    this.child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'], env: peerEnvironment() });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiting?.();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString());
      if (this.stderr.length > 50) this.stderr.shift();
    });
    this.child.on('exit', () => {
      this.exited = true;
      this.waiting?.();
    });
  }

  /**
   * Starts `python script --serve ...args` and waits for READY (lines before it go to `log`).
   * Returns null when the interpreter, the script or torch is missing, or it fails to start.
   */
  static async start(script: string, args: string[], log: (line: string) => void, python = SYSTEM_PYTHON): Promise<PythonServer | null> {
    if (!existsSync(python) || !existsSync(script)) return null;
    if (spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) return null;
    const server = new PythonServer(python, [script, '--serve', ...args]);
    for (;;) {
      const line = await server.nextLine();
      if (line === 'READY') return server;
      if (line === null) {
        log(`python did not start: ${server.stderr.join('').trim().split('\n').slice(-3).join(' | ')}`);
        return null;
      }
      log(line);
    }
  }

  /** The next output line; null once the process has exited and every line was read. */
  async nextLine(): Promise<string | null> {
    while (this.lines.length === 0) {
      if (this.exited) return null;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
    return this.lines.shift()!;
  }

  /** Sends one command and returns the first answer line that starts with `prefix` (null if the process ended). */
  async ask(command: string, prefix: string): Promise<string | null> {
    this.child.stdin.write(`${command}\n`);
    for (;;) {
      const line = await this.nextLine();
      if (line === null || line.startsWith(prefix)) return line;
    }
  }

  close(): void {
    if (!this.exited) this.child.stdin.end('quit\n');
  }
}
