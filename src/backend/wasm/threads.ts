/**
 * The threaded SIMD build of @tensorflow/tfjs-backend-wasm in Node.
 *
 * tfjs 4.22 ships `tfjs-backend-wasm-threaded-simd.wasm` but turns it off in Node
 * (`WASM_HAS_MULTITHREAD_SUPPORT` is false there), and three things stand in the way:
 * 1. the pthread worker script is handed to emscripten as a Blob URL, which Node's `Worker`
 *    cannot start; we hand it a `data:` URL of a small ES module instead (`workerSource`), which
 *    loads the package's own worker code and glue from `wasm-out/`;
 * 2. the worker's "load" message names the main script as a Blob; the module rewrites it to the
 *    glue's file path;
 * 3. the C++ side caps XNNPACK's pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *    hyper-threads per core), which is `os.cpus().length / 2` in Node: 1 on a 2-core machine. While
 *    the backend initialises, `os.cpus()` reports 2 x the requested thread count.
 * The patches are undone as soon as the backend has initialised.
 *
 * XNNPACK splits each operator's output into tiles, one thread per tile, with the same summation
 * order as one thread: results do not depend on the thread count (tested in test/backend).
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { readEnvironment } from '../../util/environment';

/** Most threads XNNPACK's pool takes in tfjs 4.22 (its emscripten build pre-creates 8 workers). */
export const MAX_WASM_THREADS = 8;

/** Thread count from `RESCOM_THREADS` (a positive integer), or null when unset. */
export function threadsFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = readEnvironment('RESCOM_THREADS', 'selectBackend', env);
  return raw === undefined ? null : validateThreads('RESCOM_THREADS', Number(raw), raw);
}

/** Checks a requested thread count (1 ... MAX_WASM_THREADS); `name` names the setting in the error. */
export function validateThreads(name: string, value: number, raw: unknown = value): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_WASM_THREADS) {
    throw new Error(`selectBackend: ${name} must be an integer from 1 to ${MAX_WASM_THREADS}; got '${String(raw)}'`);
  }
  return value;
}

/** Default thread count: every core the process may use (at most MAX_WASM_THREADS). */
export function defaultThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_WASM_THREADS, cores));
}

/** Source of the pthread worker (an ES module run from a data: URL). */
function workerSource(packageDir: string): string {
  const wasmOut = join(packageDir, 'wasm-out');
  return [
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(${JSON.stringify(join(packageDir, 'package.json'))});`,
    `const { parentPort } = require('node:worker_threads');`,
    `const glue = ${JSON.stringify(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'))};`,
    `const { wasmWorkerContents } = require(${JSON.stringify(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'))});`,
    // The worker code subscribes to parentPort messages; its "load" message carries the main
    // script as a Blob, which Node cannot import: point it at the glue file instead.
    `const on = parentPort.on.bind(parentPort);`,
    `parentPort.on = (event, handler) => on(event, event !== 'message' ? handler : (data) => {`,
    `  if (data && data.cmd === 'load') data.urlOrBlob = glue;`,
    `  handler(data);`,
    `});`,
    // The worker code is stored in a template literal: its "\\n" escapes became newlines.
    `new Function('require', '__filename', wasmWorkerContents.replace(/\\n/g, '\\\\n'))(require, glue);`,
  ].join('\n');
}

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/**
 * Initialises the 'wasm' backend with `threads` XNNPACK threads (1: today's single-threaded SIMD
 * build). Must run before the wasm backend first initialises. Returns the thread count XNNPACK
 * reports after initialisation.
 */
export async function initWasmBackend(threads: number): Promise<{ ok: boolean; threads: number }> {
  return withoutGlueListeners(() => initWasm(threads));
}

/**
 * Runs `init`, then removes the 'uncaughtException' / 'unhandledRejection' listeners it added: the
 * emscripten glue of tfjs-backend-wasm 4.22 installs listeners that rethrow, which turns any
 * uncaught error of the process into a crash that skips its 'exit' handlers (a run folder's lock
 * stayed behind when a killed demo's training child failed to send over IPC). The process's own
 * handling of uncaught errors (src/cli/main.ts, or Node's default) applies instead.
 */
async function withoutGlueListeners<T>(init: () => Promise<T>): Promise<T> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => emitter.listeners(event));
  try {
    return await init();
  } finally {
    events.forEach((event, i) => {
      for (const listener of emitter.listeners(event))
        if (!before[i].includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    });
  }
}

async function initWasm(threads: number): Promise<{ ok: boolean; threads: number }> {
  validateThreads('threads', threads);
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule;
  if (tf.findBackend('wasm') || threads === 1) {
    // Already initialised (its thread count is fixed), or the single-threaded build.
    if (!tf.findBackend('wasm')) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(1);
    }
    const ok = await tf.setBackend('wasm');
    return { ok, threads: ok ? actualThreads(wasm) : 0 };
  }
  const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const workerUrl = new URL(`data:text/javascript,${encodeURIComponent(workerSource(packageDir))}`);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = ((blob: Blob) =>
    blob instanceof Blob && blob.type === 'application/javascript'
      ? workerUrl
      : createObjectURL(blob)) as typeof URL.createObjectURL;
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) return { ok, threads: 0 };
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  unrefWorkers();
  return { ok: true, threads: actualThreads(wasm) };
}

/** Threads of the initialised wasm backend: 1 for the single-threaded builds, else XNNPACK's pool size. */
function actualThreads(wasm: WasmModule): number {
  const module = (tf.findBackend('wasm') as unknown as { wasm?: { PThread?: unknown } } | undefined)?.wasm;
  return module?.PThread ? Math.max(1, wasm.getThreadsCount()) : 1;
}

/** Lets the process exit while XNNPACK's threads wait for work (they would keep Node alive). */
function unrefWorkers(): void {
  const module = (
    tf.findBackend('wasm') as unknown as {
      wasm?: { PThread?: { runningWorkers: { unref?(): void }[]; unusedWorkers: { unref?(): void }[] } };
    }
  ).wasm;
  const pool = module?.PThread;
  if (!pool) return;
  for (const worker of [...pool.runningWorkers, ...pool.unusedWorkers]) worker.unref?.();
}
