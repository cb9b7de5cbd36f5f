/**
 * Finding a WebGPU adapter through Dawn's Node bindings (npm `webgpu`), and describing it.
 *
 * `webgpu` is an optional dependency: it ships a prebuilt `dawn.node` that loads `libvulkan.so.1`
 * at run time, so it needs a Vulkan loader and driver (a GPU's, or Mesa's CPU driver lavapipe).
 */

/**
 * The few WebGPU shapes used here, written out so that type-checking needs neither `@webgpu/types`
 * (an optional package's dependency) nor DOM globals.
 */
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Set by Dawn (and recent WebGPU drafts): a CPU implementation. */
  isFallbackAdapter?: boolean;
}
export interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  /** Where older WebGPU drafts put it. */
  isFallbackAdapter?: boolean;
}
export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'low-power' | 'high-performance';
    forceFallbackAdapter?: boolean;
  }): Promise<GpuAdapterLike | null>;
}

/** The part of npm `webgpu`'s exports this library uses. */
export interface DawnModule {
  /** A Dawn instance (`navigator.gpu`), given Dawn toggles such as `enable-dawn-features=...`; we pass none. */
  create(flags: string[]): GpuLike;
  /** GPU* classes and constants (GPUBufferUsage, GPUMapMode, ...) the WebGPU backend expects globally. */
  globals: Record<string, unknown>;
}

/** What an adapter says about itself, reduced to what the backend line reports. */
export interface AdapterSummary {
  vendor: string;
  /** Driver/device description, e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)` or `NVIDIA H100 80GB HBM3`. */
  description: string;
  architecture: string;
  /** A CPU implementation (lavapipe, SwiftShader, WARP): correct but not a GPU speed-up. */
  fallback: boolean;
}

/** Load npm `webgpu`, or return a refusal explaining why it is missing. */
export function loadDawn(): DawnModule | string {
  try {
    // `webgpu` is an ES module; Node >= 20.19 loads it through require(). It is optional: absent
    // when its install failed or was skipped, and then the other backends carry on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dawn = require('webgpu') as Partial<DawnModule>;
    if (typeof dawn.create !== 'function' || typeof dawn.globals !== 'object' || dawn.globals === null) {
      return 'npm package `webgpu` loaded but exports no create()/globals (expected webgpu 0.6.x)';
    }
    return dawn as DawnModule;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (/Cannot find (module|package) 'webgpu'/.test(message)) {
      return 'npm package `webgpu` is not installed (it is an optional dependency: `npm install webgpu@0.6.2`)';
    }
    return `npm package \`webgpu\` failed to load (${message})`;
  }
}

/** Summarise an adapter's info; Dawn fills `isFallbackAdapter` (lavapipe reports true). */
export function summariseAdapter(adapter: GpuAdapterLike): AdapterSummary {
  const info = adapter.info ?? {};
  const legacy = adapter.isFallbackAdapter;
  const description = (info.description || info.device || '').trim();
  const architecture = (info.architecture ?? '').trim();
  // Older Dawn builds lack info.isFallbackAdapter: then a software architecture or a known CPU
  // driver name marks the fallback.
  const knownCpu = /llvmpipe|lavapipe|swiftshader|\bwarp\b/i.test(`${description} ${info.device ?? ''}`);
  const fallback = info.isFallbackAdapter ?? legacy ?? (architecture === 'software' || knownCpu);
  return {
    vendor: (info.vendor ?? '').trim() || 'unknown vendor',
    description: description || 'no description',
    architecture,
    fallback,
  };
}

/** `<vendor>, <description>, fallback yes|no`: the adapter field of the backend line. */
export function formatAdapter(summary: AdapterSummary): string {
  // The backend line quotes this field, so keep it on one line and free of double quotes.
  const clean = (s: string) =>
    s
      .replace(/["\n\r]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return `${clean(summary.vendor)}, ${clean(summary.description)}, fallback ${summary.fallback ? 'yes' : 'no'}`;
}
