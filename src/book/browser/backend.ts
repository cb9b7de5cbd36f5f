/**
 * The TensorFlow.js backend of the page: WebGPU when the browser has a real (non-fallback) adapter,
 * else WebGL, else wasm with the library's training kernels (src/backend/wasm-training-kernels.ts:
 * wasm 4.22 lacks the conv weight gradient), else the pure-JS cpu backend. `?backend=NAME` in the
 * page's URL forces one. Returns the one line the page shows, and why the others were passed over.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../backend/wasm-training-kernels';

export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export interface PageBackendInfo {
  name: PageBackend;
  line: string;
  skipped: string[];
}

type GpuNavigator = { gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { vendor?: string; architecture?: string } } | null> } };

async function tryBackend(name: PageBackend, assetsUrl: string): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as GpuNavigator).gpu;
      if (!gpu) return 'this browser has no WebGPU (navigator.gpu)';
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'no WebGPU adapter';
      if (adapter.isFallbackAdapter) return 'only a software (fallback) WebGPU adapter';
    }
    if (name === 'webgl') {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) return 'no WebGL 2 context';
      // A software renderer (a browser without GPU access) trains many times slower than wasm: pass it over.
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      if (/swiftshader|llvmpipe|software|basic render/i.test(renderer)) return `only a software WebGL renderer (${renderer.slice(0, 60)}); wasm is faster`;
    }
    if (name === 'wasm') {
      setWasmPaths(`${assetsUrl}tfjs/`);
      registerWasmTrainingKernels();
    }
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    // A real op, read back: a backend that initialises but cannot compute is passed over here.
    const probe = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)).dataSync()[0]);
    if (probe !== 12) return `a test sum gave ${probe} instead of 12`;
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

/** Picks and starts the page's backend (see the file comment). */
export async function startPageBackend(assetsUrl: string, forced: string | null): Promise<PageBackendInfo> {
  if (forced !== null && !(PAGE_BACKENDS as readonly string[]).includes(forced)) {
    throw new Error(`backend=${forced} in the page's URL: expected one of ${PAGE_BACKENDS.join(', ')}`);
  }
  const order = forced ? [forced as PageBackend] : [...PAGE_BACKENDS];
  const skipped: string[] = [];
  for (const name of order) {
    const why = await tryBackend(name, assetsUrl);
    if (why === null) {
      const simd = name === 'wasm' ? ` simd=${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'yes' : 'no'}` : '';
      const kernels = name === 'wasm' ? ' training-kernels=rescom' : '';
      return { name, line: `backend=${name}${simd}${kernels} (TensorFlow.js ${tf.version.tfjs}, in this page)`, skipped };
    }
    skipped.push(`${name}: ${why}`);
  }
  throw new Error(`no TensorFlow.js backend starts in this browser (${skipped.join('; ')})`);
}
