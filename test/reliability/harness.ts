/**
 * Running `rescom` as a user does (node lib/cli/main.js, a child process) for the bad-input suite,
 * a few at a time, and fingerprinting a folder so a test can assert that nothing was written or lost.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MAIN = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let running = 0;
const waiting: Array<() => void> = [];
/** At most this many CLI children at once (the machine may be small and shared). */
const PARALLEL = 3;

async function slot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs `node lib/cli/main.js ...args` in `cwd`; wasm backend unless `env` says otherwise. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  return slot(
    () =>
      new Promise((resolve, reject) => {
        const childEnv: NodeJS.ProcessEnv = { ...process.env, RESCOM_BACKEND: 'wasm', ...env };
        delete childEnv.RESCOM_DEBUG;
        delete childEnv.RESCOM_FAULT;
        Object.assign(childEnv, env);
        const child = spawn(process.execPath, [MAIN, ...args], {
          cwd,
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
}

/** Every path under `dir` with the sha256 of its content ('dir' for folders, 'link -> target' for links). */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isSymbolicLink()) out[rel] = `link -> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        out[rel] = 'dir';
        walk(full);
      } else out[rel] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Copies a folder tree (files and folders). */
export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
