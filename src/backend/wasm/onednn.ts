/**
 * Optional oneDNN convolutions for the wasm backend: Conv2D (and FusedConv2D without bias or
 * activation, which tf.layers.conv2d with useBias false calls), Conv2DBackpropInput and
 * Conv2DBackpropFilter run on Debian's oneDNN (libdnnl 2.x) through the N-API addon in
 * native/onednn/rescom_onednn.cc, built by scripts/build-native.sh only where libdnnl-dev is installed.
 *
 * The addon works in place on the wasm heap (a SharedArrayBuffer in the threaded build): inputs
 * x [N, H, W, Ci] / dy [N, OH, OW, Co] (NHWC) and filters [kh, kw, Ci, Co] (HWIO) as tfjs stores
 * them, outputs written into fresh backend tensors. Shapes oneDNN refuses (or dilations other than
 * 1, NCHW) fall back to the kernel registered before (XNNPACK forward, ./conv-backprop.ts gradients).
 *
 * oneDNN runs its own OpenMP threads (same count as the wasm pool, which waits while a convolution
 * runs); OMP_WAIT_POLICY defaults to PASSIVE so that idle OpenMP threads do not spin on the cores
 * the wasm threads need next. `RESCOM_ONEDNN=0` keeps the addon out.
 *
 * Results are the same for any thread count (test/backend/threads.test.ts): the weight gradient
 * runs over a fixed split of the batch (see the addon's comment). They can differ in the last bits
 * between CPUs whose instruction sets select different oneDNN kernels, so the version the backend
 * line reports names the instruction set too, e.g. `onednn=2.6.3/avx512_core`.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeAddonSwitch, requireNativeAddon } from '../../util/native-addon';
import { channelsLastConvInfo } from './conv-backprop';
import type { TensorInfo, WasmBackendLike } from './kernel-context';

interface OneDnnAddon {
  conv(op: 0 | 1 | 2, a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array): void;
  setThreads(n: number): void;
  version(): string;
}

/** Whether the oneDNN kernels are in use, and if not, why. */
export interface OneDnnStatus {
  used: boolean;
  /** oneDNN version when used, else the reason it is not (one line). */
  detail: string;
}

const OP = { forward: 0, backwardData: 1, backwardWeights: 2 } as const;
const MARK = '__rescomOneDnnKernel';
export const ONEDNN_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] as const;

let addon: OneDnnAddon | null = null;

/** Loads the addon unless `RESCOM_ONEDNN=0`; returns it or the reason it is unavailable. */
export function loadOneDnn(env: NodeJS.ProcessEnv = process.env): OneDnnAddon | string {
  if (!nativeAddonSwitch(env, 'RESCOM_ONEDNN', 'selectBackend')) return 'off (RESCOM_ONEDNN=0)';
  if (addon) return addon;
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  const loaded = requireNativeAddon<OneDnnAddon>(
    'rescom_onednn',
    'addon not built: apt-get install libdnnl-dev, then npm run build',
  );
  if (typeof loaded === 'string') return `absent (${loaded})`;
  addon = loaded;
  return addon;
}

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Geometry for the addon, [N,H,W,Ci,OH,OW,Co,KH,KW,SH,SW,top,left,bottom,right]; null when oneDNN cannot take it. */
export function addonGeometry(xShape: number[], filterShape: number[], attrs: Attrs): Int32Array | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const dilations = attrs.dilations ?? 1;
  if (!(dilations === 1 || (Array.isArray(dilations) && dilations[0] === 1 && dilations[1] === 1))) return null;
  const info = channelsLastConvInfo(xShape, filterShape, attrs);
  const { top, left } = info.padInfo;
  // oneDNN wants OH = (H + top + bottom - KH) / SH + 1 exactly: derive bottom/right from the output size.
  const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top;
  const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left;
  if (bottom < 0 || right < 0 || top < 0 || left < 0) return null;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    top,
    left,
    bottom,
    right,
  ]);
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Runs one addon op into a new output of `outShape`; the heap views are taken after allocating it. */
function run(
  dnnl: OneDnnAddon,
  backend: WasmBackendLike,
  op: 0 | 1 | 2,
  a: TensorInfo,
  b: TensorInfo,
  outShape: number[],
  geometry: Int32Array,
): TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  try {
    const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    dnnl.conv(op, view(a), view(b), view(out), geometry);
    return out;
  } catch (error) {
    backend.disposeData(out.dataId);
    throw error;
  }
}

function kernel(dnnl: OneDnnAddon, name: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as unknown as WasmBackendLike;
    const attrs = args.attrs as unknown as Attrs & { inputShape?: number[]; filterShape?: number[] };
    const inputs = args.inputs as Record<string, TensorInfo | undefined>;
    const float = Object.values(inputs).every((t) => !t || t.dtype === 'float32');
    if (name === 'Conv2D' || name === 'FusedConv2D') {
      const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
      const fusedExtras =
        name === 'FusedConv2D' &&
        (inputs.bias ||
          inputs.preluActivationWeights ||
          ((args.attrs as { activation?: string }).activation ?? 'linear') !== 'linear');
      const g = float && !fusedExtras ? addonGeometry(x.shape, filter.shape, attrs) : null;
      if (!g) return fallback(args);
      return run(dnnl, backend, OP.forward, x, filter, [g[0], g[4], g[5], g[6]], g);
    }
    if (name === 'Conv2DBackpropInput') {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const g = float ? addonGeometry(attrs.inputShape as number[], filter.shape, attrs) : null;
      if (!g) return fallback(args);
      return run(dnnl, backend, OP.backwardData, dy, filter, attrs.inputShape as number[], g);
    }
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const g = float ? addonGeometry(x.shape, attrs.filterShape as number[], attrs) : null;
    if (!g) return fallback(args);
    return run(dnnl, backend, OP.backwardWeights, x, dy, attrs.filterShape as number[], g);
  };
}

/**
 * Registers the oneDNN convolution kernels for 'wasm' on top of the ones registered before (call
 * after registerWasmTrainingKernels), with `threads` OpenMP threads. Idempotent.
 */
export function registerOneDnnKernels(threads: number, env: NodeJS.ProcessEnv = process.env): OneDnnStatus {
  const loaded = loadOneDnn(env);
  if (typeof loaded === 'string') {
    unregisterOneDnnKernels();
    return { used: false, detail: loaded };
  }
  loaded.setThreads(threads);
  for (const name of ONEDNN_KERNELS) {
    const existing = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [MARK]?: tf.KernelConfig }) | undefined;
    if (!existing || existing[MARK]) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: kernel(loaded, name, existing.kernelFunc),
      [MARK]: existing,
    } as tf.KernelConfig);
  }
  return { used: true, detail: loaded.version() };
}

/** Puts back the kernels the oneDNN ones replaced (for tests and RESCOM_ONEDNN=0). */
export function unregisterOneDnnKernels(): void {
  for (const name of ONEDNN_KERNELS) {
    const existing = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [MARK]?: tf.KernelConfig }) | undefined;
    if (!existing?.[MARK]) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(existing[MARK]);
  }
}
