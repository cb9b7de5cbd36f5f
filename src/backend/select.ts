/**
 * One call that picks and prepares the TensorFlow.js backend every entry point uses.
 *
 * Order for `auto`: the native GPU backend (`@tensorflow/tfjs-node-gpu`, CUDA) when it loads,
 * then WebGPU when a real (non-fallback) adapter is present, then wasm prepared for training
 * (the kernels wasm 4.22 lacks are registered, see `wasm-training-kernels.ts`), then the pure-JS cpu
 * backend. `RESCOM_BACKEND` (or `options.backend`) forces one; an unavailable forced backend throws.
 */
import * as tf from '@tensorflow/tfjs';
import { readEnvironment } from '../util/environment';
import { registerWasmTrainingKernels } from './wasm-training-kernels';
import { registerOneDnnKernels } from './wasm/onednn';
import { registerNativeTrainingKernels } from './wasm/native-training';
import { defaultThreads, initWasmBackend, threadsFromEnvironment, validateThreads } from './wasm/threads';

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendOptions {
  /** Backend to use; `auto` (default) tries them in order. Overridden by nothing: an explicit option wins over `RESCOM_BACKEND`. */
  backend?: BackendName | 'auto';
  /**
   * wasm: XNNPACK threads (1 = the single-threaded SIMD build). Default: `RESCOM_THREADS`, else every
   * core (see `wasm/threads.ts`). Fixed once the wasm backend has initialised in this process.
   */
  threads?: number;
  /** Where the one-line report goes; default `console.log`. Pass `null` to stay silent. */
  log?: ((line: string) => void) | null;
}

export interface BackendInfo {
  name: BackendName;
  /** wasm only: SIMD compiled in and supported. */
  simd: boolean | null;
  /** Threads the backend computes with (1 for single-threaded wasm/cpu; null when unknown, e.g. CUDA). */
  threads: number | null;
  /** Kernels this library registered so that training works (wasm). */
  trainingKernels: string[];
  /** wasm only: oneDNN convolutions in use (`detail`: its version), or why not (`detail`: the reason). */
  onednn?: { used: boolean; detail: string };
  /** wasm only: the native BatchNorm and SGD kernels (wasm/native-training.ts) in use, or why not. */
  native?: { used: boolean; detail: string };
  /** GPU adapter description (webgpu / tensorflow), when known. */
  adapter: string | null;
  /** The one-line report, e.g. `backend=wasm simd=yes threads=1 training-kernels=3`. */
  line: string;
  /** Why each backend tried before this one was passed over (`rescom backend` prints them). */
  skipped?: string[];
}

let current: BackendInfo | null = null;

/** Backend requested through the environment, validated. */
export function backendFromEnvironment(env: NodeJS.ProcessEnv = process.env): BackendName | 'auto' {
  return (readEnvironment('RESCOM_BACKEND', 'selectBackend', env) ?? 'auto') as BackendName | 'auto';
}

/**
 * The settings the backends read from the environment, checked before any backend is tried: a bad
 * value (RESCOM_ONEDNN=2) must stop the command, not make `auto` pass over wasm to a slower backend.
 */
export function checkBackendEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of ['RESCOM_BACKEND', 'RESCOM_THREADS', 'RESCOM_ONEDNN', 'RESCOM_NATIVE_TRAINING', 'RESCOM_WASM_DX'])
    readEnvironment(name, 'selectBackend', env);
}

/** `forced`: the backend was asked for by name (then a fallback WebGPU adapter, e.g. lavapipe, is acceptable). */
type Attempt = (forced: boolean, threads: number) => Promise<Omit<BackendInfo, 'line'> | string>;

const attempts: Record<BackendName, Attempt> = {
  async tensorflow() {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node-gpu');
    } catch (error) {
      return `@tensorflow/tfjs-node-gpu did not load (${firstLine(error)}); it installs only where libtensorflow with CUDA can be downloaded`;
    }
    if (!(await tf.setBackend('tensorflow'))) return 'tfjs-node-gpu loaded but its backend failed to initialise';
    return { name: 'tensorflow', simd: null, threads: null, trainingKernels: [], adapter: 'CUDA (libtensorflow)' };
  },
  async webgpu(forced) {
    const { prepareWebGpu } = await import('./webgpu');
    return prepareWebGpu({ allowFallbackAdapter: forced });
  },
  async wasm(_forced, requestedThreads) {
    const { ok, threads } = await initWasmBackend(requestedThreads);
    if (!ok) return 'the wasm backend failed to initialise';
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const trainingKernels = registerWasmTrainingKernels();
    const onednn = registerOneDnnKernels(threads);
    const native = registerNativeTrainingKernels(threads);
    return { name: 'wasm', simd, threads, trainingKernels, onednn, native, adapter: null };
  },
  async cpu() {
    if (!(await tf.setBackend('cpu'))) return 'the cpu backend failed to initialise';
    return { name: 'cpu', simd: null, threads: 1, trainingKernels: [], adapter: null };
  },
};

/**
 * Select and prepare the backend, report it in one line and return what was chosen.
 * Calling it again with the same request returns the cached choice.
 */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  checkBackendEnvironment();
  const request = options.backend ?? backendFromEnvironment();
  if (request !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(request)) {
    throw new Error(
      `selectBackend: options.backend must be one of auto, ${BACKEND_NAMES.join(', ')}; got '${String(request)}'`,
    );
  }
  const threads =
    options.threads !== undefined
      ? validateThreads('options.threads', options.threads)
      : (threadsFromEnvironment() ?? defaultThreads());
  const log = options.log === undefined ? console.log : options.log;
  if (current && (request === 'auto' || request === current.name)) {
    log?.(current.line);
    return current;
  }
  const order: BackendName[] = request === 'auto' ? [...BACKEND_NAMES] : [request];
  const refusals: string[] = [];
  for (const name of order) {
    const outcome = await attempts[name](request !== 'auto', threads).catch(
      (error: unknown) => `${name}: ${firstLine(error)}`,
    );
    if (typeof outcome === 'string') {
      refusals.push(`${name}: ${outcome}`);
      continue;
    }
    current = { ...outcome, skipped: refusals, line: describe(outcome) };
    log?.(current.line);
    return current;
  }
  throw new Error(
    request === 'auto'
      ? `selectBackend: no TensorFlow.js backend could start:\n  ${refusals.join('\n  ')}`
      : `selectBackend: backend '${request}' was requested (option or RESCOM_BACKEND) but is unavailable: ${refusals.join('; ')}`,
  );
}

/** The backend chosen by the last `selectBackend` call, or null before any. */
export function currentBackend(): BackendInfo | null {
  return current;
}

function describe(info: Omit<BackendInfo, 'line'>): string {
  const parts = [`backend=${info.name}`];
  if (info.simd !== null) parts.push(`simd=${info.simd ? 'yes' : 'no'}`);
  parts.push(`threads=${info.threads ?? 'n/a'}`);
  if (info.name === 'wasm')
    parts.push(`training-kernels=${info.trainingKernels.length ? info.trainingKernels.join('+') : 'none'}`);
  if (info.onednn) parts.push(info.onednn.used ? `onednn=${info.onednn.detail}` : `onednn="${info.onednn.detail}"`);
  if (info.native) parts.push(info.native.used ? 'native-bn-sgd=yes' : `native-bn-sgd="${info.native.detail}"`);
  if (info.adapter) parts.push(`adapter="${info.adapter}"`);
  return parts.join(' ');
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
