/**
 * Batch normalisation for training with a hand-written gradient (Ioffe & Szegedy 2015, Alg. 1 and
 * its backward pass), optionally fused with the ReLU that follows it.
 *
 * Why not `tf.moments` + arithmetic: on the wasm backend the axis-0..2 reductions of `tf.moments`
 * and the autodiff of the broadcasts made a ResNet step ~1.5x slower. Where the backend has the
 * fused kernels (wasm: src/backend/wasm/batch-norm-kernels.ts, registered by
 * `registerWasmTrainingKernels`) forward and backward are one kernel each; elsewhere (webgpu,
 * tensorflow, cpu) the same closed form runs as tf ops, with channel sums as matrix products
 * `ones[1, M] @ x[M, C]`.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_BACKWARD_KERNEL, BATCH_NORM_FORWARD_KERNEL } from '../backend/wasm/batch-norm-kernels';

export interface BatchNormTrainingResult {
  /** Normalised, scaled and shifted activations, same shape as x. */
  output: tf.Tensor;
  /** [C] batch mean, outside the gradient tape; tracked by the caller's scope like any op result. */
  mean: tf.Tensor1D;
  /** [C] batch variance (biased: divided by M), outside the gradient tape. */
  variance: tf.Tensor1D;
}

export interface BatchNormTrainingOptions {
  /** Added to the variance before the square root. Default 1e-5 (PyTorch's default). */
  epsilon?: number;
  /** Apply ReLU to the output (fused: one pass fewer each way on wasm). Default false. */
  relu?: boolean;
  /**
   * Added to the normalised output before the ReLU, same shape as x: a residual block's tail
   * `relu(BN(x) + residual)` in one op (on wasm one kernel each way, and the sum is not kept for
   * the backward pass: the ReLU's mask is read from the output). Gradients flow to it. Default none.
   */
  residual?: tf.Tensor;
}

/** Per-channel sums of a [M, C] matrix as a [1, C] row, through matMul (see the file comment). */
function channelSums(x2d: tf.Tensor2D, onesRow: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(onesRow, x2d);
}

/**
 * Normalise `x [..., C]` over every axis but the last with batch statistics, then scale by
 * `gamma [C]` and shift by `beta [C]`: `y = gamma * (x - mean) / sqrt(var + eps) + beta`.
 *
 * Gradients (flow to x, gamma, beta), with xhat the normalised input, M the rows per channel:
 *   dbeta = sum(dy), dgamma = sum(dy * xhat),
 *   dx = gamma / sqrt(var + eps) * (dy - dbeta / M - xhat * dgamma / M).
 * The returned mean and variance are outside the tape (for running statistics).
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormTrainingOptions = {},
): BatchNormTrainingResult {
  const epsilon = options.epsilon ?? 1e-5;
  if (x.rank < 2) throw new Error(`batchNormTraining: x must have rank >= 2 ([..., C]); got shape [${x.shape}]`);
  const channels = x.shape[x.rank - 1];
  if (gamma.rank !== 1 || gamma.shape[0] !== channels || beta.rank !== 1 || beta.shape[0] !== channels) {
    throw new Error(
      `batchNormTraining: gamma and beta must be [${channels}] to match x [${x.shape}]; got [${gamma.shape}] and [${beta.shape}]`,
    );
  }
  const rows = x.size / channels;
  if (rows < 2) throw new Error(`batchNormTraining: x must hold at least 2 values per channel; got shape [${x.shape}]`);
  if (!(epsilon > 0)) throw new Error(`batchNormTraining: options.epsilon must be > 0; got ${epsilon}`);
  const relu = options.relu ?? false;
  const residual = options.residual;
  if (residual && !tf.util.arraysEqual(residual.shape, x.shape)) {
    throw new Error(`batchNormTraining: options.residual must have x's shape [${x.shape}]; got [${residual.shape}]`);
  }
  if (tf.getKernel(BATCH_NORM_FORWARD_KERNEL, tf.getBackend()) && tf.getKernel(BATCH_NORM_BACKWARD_KERNEL, tf.getBackend())) {
    return fusedBatchNormTraining(x, gamma, beta, epsilon, relu, residual);
  }
  if (relu || residual) {
    const plain = batchNormTraining(x, gamma, beta, { epsilon });
    const sum = residual ? tf.add(plain.output, residual) : plain.output;
    return { ...plain, output: relu ? tf.relu(sum) : sum };
  }
  const shape = x.shape;
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | null = null;

  const forward = (xIn: tf.Tensor, gammaIn: tf.Tensor, betaIn: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2d = tf.reshape(xIn as tf.Tensor, [rows, channels]) as tf.Tensor2D;
    const onesRow = tf.ones([1, rows]) as tf.Tensor2D;
    const mean = tf.mul(channelSums(x2d, onesRow), 1 / rows) as tf.Tensor2D;
    const centred = tf.sub(x2d, mean) as tf.Tensor2D;
    const variance = tf.mul(channelSums(tf.square(centred) as tf.Tensor2D, onesRow), 1 / rows) as tf.Tensor2D;
    const invStd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor2D;
    const scale = tf.mul(invStd, gammaIn as tf.Tensor) as tf.Tensor2D;
    const y = tf.add(tf.mul(centred, scale), betaIn as tf.Tensor);
    save([centred, invStd, scale]);
    stats = { mean: tf.keep(tf.reshape(mean, [channels])), variance: tf.keep(tf.reshape(variance, [channels])) };
    return {
      value: tf.reshape(y, shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [centredS, invStdS, scaleS] = saved as tf.Tensor2D[];
        const dy2d = tf.reshape(dy, [rows, channels]) as tf.Tensor2D;
        const ones = tf.ones([1, rows]) as tf.Tensor2D;
        const dBeta = channelSums(dy2d, ones); // [1, C]
        const dyCentredSum = channelSums(tf.mul(dy2d, centredS) as tf.Tensor2D, ones); // sum(dy * (x - mean))
        const dGamma = tf.mul(dyCentredSum, invStdS); // sum(dy * xhat)
        // dx = scale * dy - scale * dBeta / M - centred * (scale * invStd * dGamma / M)
        const centredCoef = tf.mul(tf.mul(scaleS, tf.mul(invStdS, dGamma)), -1 / rows);
        const shift = tf.mul(tf.mul(scaleS, dBeta), -1 / rows);
        const dx = tf.add(tf.add(tf.mul(dy2d, scaleS), tf.mul(centredS, centredCoef)), shift);
        return [tf.reshape(dx, shape), tf.reshape(dGamma, [channels]), tf.reshape(dBeta, [channels])];
      },
    };
  };
  // customGrad's typing cannot express positional tensor inputs followed by `save`.
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  const output = op(x, gamma, beta);
  // The statistics had to be kept to survive customGrad's internal tidy; clones put them back
  // under the caller's scope (so an enclosing tf.tidy frees them) at no copy cost.
  const kept = stats!;
  const mean = tf.clone(kept.mean);
  const variance = tf.clone(kept.variance);
  tf.dispose([kept.mean, kept.variance]);
  return { output, mean, variance };
}

/**
 * Backends with the fused kernels (wasm, see src/backend/wasm/batch-norm-kernels.ts): 2 passes each
 * way. Saved for the backward pass: x, the statistics, gamma, and the output only when the ReLU's
 * mask needs it (it is the next convolution's saved input anyway).
 */
function fusedBatchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu: boolean,
  residual: tf.Tensor | undefined,
): BatchNormTrainingResult {
  const attrs = { epsilon, relu } as unknown as tf.NamedAttrMap;
  const backwardAttrs = { epsilon, relu, residual: Boolean(residual) } as unknown as tf.NamedAttrMap;
  let stats: tf.Tensor[] = [];
  const forward = (...args: tf.Tensor[]) => {
    const save = args.pop() as unknown as tf.GradSaveFunc;
    const [xIn, gammaIn, betaIn, residualIn] = args;
    const inputs: tf.NamedTensorMap = { x: xIn, gamma: gammaIn, beta: betaIn };
    if (residualIn) inputs.residual = residualIn;
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_FORWARD_KERNEL, inputs, attrs) as tf.Tensor[];
    save(relu ? [xIn, mean, variance, gammaIn, y] : [xIn, mean, variance, gammaIn]);
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xS, meanS, varianceS, gammaS, yS] = saved;
        const inputs: tf.NamedTensorMap = { dy, x: xS, mean: meanS, variance: varianceS, gamma: gammaS };
        if (yS) inputs.y = yS;
        return tf.engine().runKernel(BATCH_NORM_BACKWARD_KERNEL, inputs, backwardAttrs) as tf.Tensor[];
      },
    };
  };
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  const output = residual ? op(x, gamma, beta, residual) : op(x, gamma, beta);
  const [mean, variance] = stats.map((t) => tf.clone(t) as tf.Tensor1D);
  tf.dispose(stats);
  return { output, mean, variance };
}
