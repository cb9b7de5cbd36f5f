/**
 * The WebGPU backend in Node: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node bindings (npm
 * `webgpu`), which run on any Vulkan driver. `selectBackend` calls `prepareWebGpu` for 'webgpu'.
 *
 * In `auto` only a real GPU adapter is taken: a fallback (CPU) adapter such as Mesa's lavapipe is
 * correct but slower than wasm, so it is used only when webgpu is forced (tests, CI).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from './select';
import { formatAdapter, loadDawn, summariseAdapter, type GpuLike } from './webgpu/adapter';
import { findVulkanLoader, probeAdapterQuietly } from './webgpu/probe';

export interface WebGpuOptions {
  /**
   * Accept a fallback (CPU) adapter such as lavapipe. Default: true when `RESCOM_BACKEND=webgpu`
   * (webgpu was forced through the environment), else false, so that `auto` never picks a CPU
   * driver over wasm.
   */
  allowFallbackAdapter?: boolean;
  /** Adapter preference passed to `requestAdapter`; default 'high-performance' (as tfjs asks). */
  powerPreference?: 'low-power' | 'high-performance';
}

/** The process's Dawn instance (navigator.gpu once installed). */
let gpu: GpuLike | null = null;

/**
 * Find a Dawn adapter, install the WebGPU globals, import the tfjs WebGPU backend and set it.
 * Returns the backend description, or a one-line refusal saying why webgpu cannot be used.
 */
export async function prepareWebGpu(options: WebGpuOptions = {}): Promise<Omit<BackendInfo, 'line'> | string> {
  const allowFallbackAdapter = options.allowFallbackAdapter ?? process.env.RESCOM_BACKEND?.trim() === 'webgpu';
  const powerPreference = options.powerPreference ?? 'high-performance';
  if (powerPreference !== 'high-performance' && powerPreference !== 'low-power') {
    throw new Error(
      `prepareWebGpu: options.powerPreference must be 'high-performance' or 'low-power'; got '${String(powerPreference)}'`,
    );
  }
  // Not forced (auto): decide without loading Dawn here, so that selection prints nothing.
  if (!installedGpu() && !findVulkanLoader())
    return 'no Vulkan loader (libvulkan.so.1) on this machine; WebGPU through Dawn needs libvulkan1 and a Vulkan driver';
  if (!allowFallbackAdapter && !installedGpu()) {
    const probed = probeAdapterQuietly();
    if (typeof probed === 'string') return probed;
    if (!probed)
      return 'Dawn found no WebGPU adapter (needs a Vulkan driver: a GPU driver, or Mesa >= 25 lavapipe, see .ci/install-vulkan.sh)';
    const probedSummary = summariseAdapter(probed);
    if (probedSummary.fallback) {
      return `only a fallback (CPU) adapter was found (${formatAdapter(probedSummary)}); it is slower than wasm, so it is used only when forced (RESCOM_BACKEND=webgpu)`;
    }
  }
  const dawn = loadDawn();
  if (typeof dawn === 'string') return dawn;

  // One Dawn instance per process: a second would enumerate the Vulkan drivers again.
  gpu ??= installedGpu() ?? dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) {
    return 'Dawn found no WebGPU adapter (needs libvulkan1 and a Vulkan driver: a GPU driver, or Mesa >= 25 lavapipe, see .ci/install-vulkan.sh)';
  }
  const summary = summariseAdapter(adapter);
  const described = formatAdapter(summary);
  if (summary.fallback && !allowFallbackAdapter) {
    return `only a fallback (CPU) adapter was found (${described}); it is slower than wasm, so it is used only when forced (RESCOM_BACKEND=webgpu)`;
  }

  installGlobals(dawn.globals, gpu);
  // The backend registers itself on import, and only if navigator.gpu exists then.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    return '@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed, so it registered no backend';
  }
  if (powerPreference === 'low-power') tf.env().set('WEBGPU_USE_LOW_POWER_GPU', true);
  if (!(await tf.setBackend('webgpu'))) return `the webgpu backend failed to initialise on ${described}`;
  return { name: 'webgpu', simd: null, threads: null, trainingKernels: [], adapter: described };
}

/**
 * Dispose the webgpu backend and destroy its device (if it was set up): frees GPU memory at once
 * and leaves no native handle that could keep Node alive. Measured with webgpu 0.6.2 on lavapipe,
 * Node exits cleanly without it; long-running scripts (the GPU check) call it before exiting anyway.
 * Afterwards `tf.setBackend('webgpu')` would start a fresh backend.
 */
export function releaseWebGpu(): void {
  const backend = tf.findBackend('webgpu') as { device?: { destroy(): void } } | null;
  if (!backend) return;
  const device = backend.device;
  // removeBackend also forgets the factory; register it again so webgpu can start afresh later.
  const factory = tf.findBackendFactory('webgpu');
  tf.removeBackend('webgpu');
  device?.destroy();
  if (factory) tf.registerBackend('webgpu', factory, 3 /* tfjs-backend-webgpu's own priority */);
}

/** The Dawn instance a previous call installed as navigator.gpu, if any (one instance per process). */
function installedGpu(): GpuLike | null {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu && typeof nav.gpu.requestAdapter === 'function' ? nav.gpu : null;
}

/**
 * The tfjs WebGPU backend reads `navigator.gpu` and the GPU* constants (GPUBufferUsage, GPUMapMode)
 * as globals, as in a browser. Node 20 has no `navigator`; Node >= 21 has one without `gpu`, whose
 * other fields are kept.
 */
function installGlobals(globals: Record<string, unknown>, gpu: GpuLike): void {
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const existing = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
  if (existing?.gpu === gpu) return;
  // Copy Node's own fields (their getters check their receiver, so no prototype trick).
  const navigator: Record<string, unknown> = { gpu };
  for (const key of ['userAgent', 'hardwareConcurrency', 'language', 'languages', 'platform']) {
    if (existing && key in existing) navigator[key] = existing[key];
  }
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
}
