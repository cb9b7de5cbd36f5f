/**
 * Kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks (or runs as scalar loops) for training,
 * registered for 'wasm' (see docs/wasm-training.md, "wasm gaps for TRAINING"):
 * - Conv2DBackpropFilter (missing: every conv weight gradient threw),
 * - Conv2DBackpropInput (replaces wasm's scalar loop),
 * - UnsortedSegmentSum (missing: the gradient of `tf.gather` threw),
 * - Identity (replaces wasm's copy with a shared reference: tensors are immutable, and the engine
 *   clones every tensor it saves for the backward pass, i.e. ~900 full activation copies per
 *   ResNet-32 step),
 * - RescomBatchNormForward / RescomBatchNormBackward: fused BatchNorm(+ReLU) passes that
 *   src/models/batch-norm-op.ts uses when the current backend has them (else it falls back to ops).
 * Implementations live in ./wasm/.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter, conv2dBackpropInput } from './wasm/conv-backprop';
import { unsortedSegmentSum } from './wasm/segment-sum';
import {
  BATCH_NORM_BACKWARD_KERNEL,
  BATCH_NORM_FORWARD_KERNEL,
  batchNormBackward,
  batchNormForward,
  type BatchNormKernelAttrs,
} from './wasm/batch-norm-kernels';
import type { TensorInfo } from './wasm/kernel-context';

/** Marks our kernel configs, so that registering twice (even from two copies of this module) is a no-op. */
const MARK = '__rescomTrainingKernel';

type KernelFuncArgs = Parameters<tf.KernelFunc>[0];

const KERNELS: Record<string, (args: KernelFuncArgs) => TensorInfo | TensorInfo[]> = {
  Conv2DBackpropFilter: ({ inputs, backend, attrs }) =>
    conv2dBackpropFilter(backend as tf.KernelBackend, inputs.x as TensorInfo, inputs.dy as TensorInfo, attrs as never),
  Conv2DBackpropInput: ({ inputs, backend, attrs }) =>
    conv2dBackpropInput(
      backend as tf.KernelBackend,
      inputs.dy as TensorInfo,
      inputs.filter as TensorInfo,
      attrs as never,
    ),
  UnsortedSegmentSum: ({ inputs, backend, attrs }) =>
    unsortedSegmentSum(
      backend as tf.KernelBackend,
      inputs.x as TensorInfo,
      inputs.segmentIds as TensorInfo,
      (attrs as { numSegments: number }).numSegments,
    ),
  Identity: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    // Strings keep wasm's own behaviour (a copy made from their bytes).
    if (x.dtype === 'string')
      return tf.tensor((backend as tf.KernelBackend).readSync(x.dataId) as Uint8Array[], x.shape, 'string');
    (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
  [BATCH_NORM_FORWARD_KERNEL]: ({ inputs, backend, attrs }) =>
    batchNormForward(backend as tf.KernelBackend, inputs as never, attrs as unknown as BatchNormKernelAttrs),
  [BATCH_NORM_BACKWARD_KERNEL]: ({ inputs, backend, attrs }) =>
    batchNormBackward(backend as tf.KernelBackend, inputs as never, attrs as unknown as BatchNormKernelAttrs),
};

/**
 * Registers the training kernels for the 'wasm' backend (replacing wasm's own where it has one).
 * Idempotent. Returns the kernel names, e.g. for the backend report line.
 */
export function registerWasmTrainingKernels(): string[] {
  for (const [kernelName, kernelFunc] of Object.entries(KERNELS)) {
    const existing = tf.getKernel(kernelName, 'wasm') as (tf.KernelConfig & { [MARK]?: boolean }) | undefined;
    if (existing?.[MARK]) continue;
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    const config = {
      kernelName,
      backendName: 'wasm',
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
      [MARK]: true,
    };
    tf.registerKernel(config);
  }
  return Object.keys(KERNELS);
}
