/**
 * Optional native training kernels for the wasm backend: the fused BatchNorm(+residual add)(+ReLU)
 * passes (RescomBatchNormForward / RescomBatchNormBackward), the SGD update (RescomSgdMomentum)
 * and the max-pooling gradient (MaxPoolGrad: wasm's is a scalar loop)
 * run in the N-API addon native/training/rescom_training.cc, in place on the wasm heap, with
 * OpenMP threads (as many as the wasm pool, which waits meanwhile). scripts/build-native.sh builds
 * it wherever g++ with OpenMP is present; without it the wasm-composed kernels of
 * ./batch-norm-kernels.ts run (and SgdWithWeightDecay uses tf ops). `RESCOM_NATIVE_TRAINING=0`
 * keeps it out.
 *
 * Values: BatchNorm statistics are sums in double precision over fixed row blocks (the same numbers
 * for any thread count); they differ from the wasm-composed kernels' float sums by rounding
 * (~1e-6 relative). The SGD update computes exactly what the tf-ops path computes (same float
 * operations in the same order), so its values are bit-identical to it.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeAddonSwitch, requireNativeAddon } from '../../util/native-addon';
import type { TensorInfo, WasmBackendLike } from './kernel-context';
import { BATCH_NORM_BACKWARD_KERNEL, BATCH_NORM_FORWARD_KERNEL, type BatchNormKernelAttrs } from './batch-norm-kernels';

type F32 = Float32Array;

interface TrainingAddon {
  bnForward(
    x: F32,
    gamma: F32,
    beta: F32,
    residual: F32 | null,
    y: F32,
    mean: F32,
    variance: F32,
    epsilon: number,
    relu: boolean,
  ): void;
  bnBackward(
    dy: F32,
    x: F32,
    y: F32,
    mean: F32,
    variance: F32,
    gamma: F32,
    dx: F32,
    dgamma: F32,
    dbeta: F32,
    dresidual: F32 | null,
    epsilon: number,
    relu: boolean,
  ): void;
  sgd(w: F32, g: F32, v: F32, wOut: F32, vOut: F32, lr: number, momentum: number, weightDecay: number): void;
  maxPoolGrad(dy: F32, x: F32, dx: F32, geometry: Int32Array): void;
  setThreads(n: number): void;
}

/** Kernel name of the native SGD update: inputs {w, g, v}, attrs {lr, momentum, weightDecay} -> [w', v']. */
export const SGD_MOMENTUM_KERNEL = 'RescomSgdMomentum';
export const NATIVE_TRAINING_KERNELS = [
  BATCH_NORM_FORWARD_KERNEL,
  BATCH_NORM_BACKWARD_KERNEL,
  SGD_MOMENTUM_KERNEL,
  'MaxPoolGrad',
] as const;
const MARK = '__rescomNativeTrainingKernel';

let addon: TrainingAddon | null = null;

/** Loads the addon unless `RESCOM_NATIVE_TRAINING=0`; returns it or the reason it is unavailable. */
export function loadNativeTraining(env: NodeJS.ProcessEnv = process.env): TrainingAddon | string {
  if (!nativeAddonSwitch(env, 'RESCOM_NATIVE_TRAINING', 'selectBackend')) return 'off (RESCOM_NATIVE_TRAINING=0)';
  if (addon) return addon;
  // Read by libgomp when it loads: idle OpenMP threads must not spin on the cores wasm needs next.
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  const loaded = requireNativeAddon<TrainingAddon>(
    'rescom_training',
    'addon not built: apt-get install g++, then npm run build',
  );
  if (typeof loaded === 'string') return `absent (${loaded})`;
  addon = loaded;
  return addon;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** New float32 outputs, a view function valid until the next allocation, and cleanup on error. */
function withOutputs(
  backend: WasmBackendLike,
  shapes: number[][],
  body: (view: (t: TensorInfo) => F32, outs: TensorInfo[]) => void,
): TensorInfo[] {
  const outs = shapes.map((s) => backend.makeOutput(s, 'float32'));
  try {
    body((t) => backend.typedArrayFromHeap(t) as F32, outs);
    return outs;
  } catch (error) {
    for (const o of outs) backend.disposeData(o.dataId);
    throw error;
  }
}

function allFloat(inputs: Record<string, TensorInfo | undefined>): boolean {
  return Object.values(inputs).every((t) => !t || t.dtype === 'float32');
}

function batchNormForward(native: TrainingAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const inputs = args.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo; residual?: TensorInfo };
    if (!allFloat(inputs)) return fallback(args);
    const { epsilon, relu } = args.attrs as unknown as BatchNormKernelAttrs;
    const c = inputs.x.shape[inputs.x.shape.length - 1];
    const backend = args.backend as unknown as WasmBackendLike;
    return withOutputs(backend, [inputs.x.shape, [c], [c]], (view, [y, mean, variance]) => {
      const residual = inputs.residual ? view(inputs.residual) : null;
      native.bnForward(
        view(inputs.x),
        view(inputs.gamma),
        view(inputs.beta),
        residual,
        view(y),
        view(mean),
        view(variance),
        epsilon,
        relu,
      );
    });
  };
}

function batchNormBackward(native: TrainingAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const inputs = args.inputs as Record<'dy' | 'x' | 'mean' | 'variance' | 'gamma', TensorInfo> & { y?: TensorInfo };
    if (!allFloat(inputs)) return fallback(args);
    const { epsilon, relu, residual } = args.attrs as unknown as BatchNormKernelAttrs;
    const c = inputs.x.shape[inputs.x.shape.length - 1];
    const backend = args.backend as unknown as WasmBackendLike;
    const shapes = [inputs.x.shape, [c], [c]];
    if (residual) shapes.push(inputs.x.shape);
    return withOutputs(backend, shapes, (view, [dx, dgamma, dbeta, dres]) => {
      const x = view(inputs.x);
      native.bnBackward(
        view(inputs.dy),
        x,
        inputs.y ? view(inputs.y) : x,
        view(inputs.mean),
        view(inputs.variance),
        view(inputs.gamma),
        view(dx),
        view(dgamma),
        view(dbeta),
        dres ? view(dres) : null,
        epsilon,
        relu,
      );
    });
  };
}

function sgdMomentum(native: TrainingAddon): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { w, g, v } = args.inputs as Record<'w' | 'g' | 'v', TensorInfo>;
    const { lr, momentum, weightDecay } = args.attrs as { lr: number; momentum: number; weightDecay: number };
    if (![w, g, v].every((t) => t.dtype === 'float32' && tf.util.arraysEqual(t.shape, w.shape)))
      throw new Error(
        `${SGD_MOMENTUM_KERNEL}: w, g and v must be float32 of one shape; got [${w.shape}], [${g.shape}], [${v.shape}]`,
      );
    const backend = args.backend as unknown as WasmBackendLike;
    return withOutputs(backend, [w.shape, w.shape], (view, [wOut, vOut]) =>
      native.sgd(view(w), view(g), view(v), view(wOut), view(vOut), lr, momentum, weightDecay),
    );
  };
}

/**
 * MaxPoolGrad (wasm's own is a scalar loop): dx of a 2-D max pool, NHWC, dilation 1; other cases
 * go to the kernel registered before.
 */
function maxPoolGrad(native: TrainingAddon, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs as Record<'dy' | 'input' | 'output', TensorInfo>;
    const attrs = args.attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) return fallback(args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const geometry = Int32Array.from([
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    ]);
    const backend = args.backend as unknown as WasmBackendLike;
    return withOutputs(backend, [input.shape], (view, [dx]) =>
      native.maxPoolGrad(view(dy), view(input), view(dx), geometry),
    )[0];
  };
}

/**
 * Registers the native kernels for 'wasm' over the wasm-composed BatchNorm ones (call after
 * registerWasmTrainingKernels) with `threads` OpenMP threads; returns whether they are used and,
 * if not, why. Idempotent.
 */
export function registerNativeTrainingKernels(
  threads: number,
  env: NodeJS.ProcessEnv = process.env,
): { used: boolean; detail: string } {
  const loaded = loadNativeTraining(env);
  if (typeof loaded === 'string') {
    unregisterNativeTrainingKernels();
    return { used: false, detail: loaded };
  }
  loaded.setThreads(threads);
  const make: Record<string, (existing: tf.KernelFunc | undefined) => tf.KernelFunc> = {
    [BATCH_NORM_FORWARD_KERNEL]: (existing) => batchNormForward(loaded, existing!),
    [BATCH_NORM_BACKWARD_KERNEL]: (existing) => batchNormBackward(loaded, existing!),
    [SGD_MOMENTUM_KERNEL]: () => sgdMomentum(loaded),
    MaxPoolGrad: (existing) => maxPoolGrad(loaded, existing!),
  };
  for (const name of NATIVE_TRAINING_KERNELS) {
    const existing = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [MARK]?: tf.KernelConfig | null }) | undefined;
    if (existing?.[MARK] !== undefined) continue;
    if (existing) tf.unregisterKernel(name, 'wasm');
    if (!existing && name !== SGD_MOMENTUM_KERNEL)
      throw new Error(`registerNativeTrainingKernels: register the wasm training kernels first ('${name}' is missing)`);
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: make[name](existing?.kernelFunc),
      [MARK]: existing ?? null,
    } as tf.KernelConfig);
  }
  return { used: true, detail: 'yes' };
}

/** Puts back the kernels the native ones replaced (for tests and RESCOM_NATIVE_TRAINING=0). */
export function unregisterNativeTrainingKernels(): void {
  for (const name of NATIVE_TRAINING_KERNELS) {
    const existing = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [MARK]?: tf.KernelConfig | null }) | undefined;
    if (!existing || existing[MARK] === undefined) continue;
    tf.unregisterKernel(name, 'wasm');
    if (existing[MARK]) tf.registerKernel(existing[MARK]);
  }
}
