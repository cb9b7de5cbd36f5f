/**
 * Fused BatchNorm(+ReLU) training kernels for the wasm backend, composed from the wasm kernels
 * that are fast on [M, C] data (measured, 2M floats: same-shape Multiply/Step ~0.5 ms; 1x1
 * depthwise conv with bias and ReLU ~0.8 ms; average pooling over all M rows ~0.3 ms) and avoiding
 * the slow ones (broadcast Multiply/Sub ~4 ms, FusedBatchNorm ~9 ms, matMul channel sums ~7 ms,
 * JS loops ~20-50 ms). Per-channel affine maps are 1x1 depthwise convolutions; channel sums are
 * an average pool with an [M, 1] window. x is viewed as [1, M, 1, C] (channels last).
 *
 * RescomBatchNormForward(x, gamma, beta, residual?; epsilon, relu) -> [y, mean [C], variance [C] (biased)]
 *   y = max?(0, gamma * (x - mean) / sqrt(variance + epsilon) + beta (+ residual))
 * RescomBatchNormBackward(dy, x, y?, mean, variance, gamma; epsilon, relu, residual)
 *     -> [dx, dgamma, dbeta] (+ dresidual when `residual`)
 *   g = relu ? dy * [y > 0] : dy; dbeta = sum(g); dgamma = sum(g * xhat);
 *   dx = gamma / sqrt(variance + epsilon) * (g - dbeta / M - xhat * dgamma / M); dresidual = g
 *   (y is needed only with relu: the ReLU's mask is y > 0, also after the residual add)
 * A residual block's tail, relu(BN(conv) + shortcut), is one forward kernel (no separate sum
 * tensor kept for the backward pass). ./native-training.ts replaces both kernels with native
 * ones where its addon is built.
 * (The depthwise filters are fresh tensors each call: wasm caches XNNPACK operators, with their
 * bias, by filter tensor.)
 */
import type * as tf from '@tensorflow/tfjs';
import { withContext, type KernelContext, type TensorInfo } from './kernel-context';

export const BATCH_NORM_FORWARD_KERNEL = 'RescomBatchNormForward';
export const BATCH_NORM_BACKWARD_KERNEL = 'RescomBatchNormBackward';

export interface BatchNormKernelAttrs {
  epsilon: number;
  relu: boolean;
  /** Backward only: the forward pass added a residual input (so its gradient, g, is returned too). */
  residual?: boolean;
}

function channels(x: TensorInfo): number {
  return x.shape[x.shape.length - 1];
}

function rowsOf(x: TensorInfo): number {
  return x.shape.reduce((a, b) => a * b, 1) / channels(x);
}

/** Per-channel means of a [1, M, 1, C] tensor as a [C] Float32Array copy. */
function channelMeans(ctx: KernelContext, x4: TensorInfo): Float32Array {
  const rows = x4.shape[1];
  const pooled = ctx.run('AvgPool', { x: x4 }, { filterSize: [rows, 1], strides: [1, 1], pad: 'valid' });
  return Float32Array.from(ctx.view(pooled));
}

function vector(ctx: KernelContext, values: ArrayLike<number>, shape: number[]): TensorInfo {
  const out = ctx.zeros(shape);
  ctx.view(out).set(values);
  return out;
}

/** A new [C] kernel output holding `values`. */
function output(backend: tf.KernelBackend, values: Float32Array): TensorInfo {
  return withContext(backend, (ctx) => vector(ctx, values, [values.length]));
}

/** y = x * scale[c] + shift[c] (then ReLU), one XNNPACK pass. */
function affine(
  ctx: KernelContext,
  x4: TensorInfo,
  scale: ArrayLike<number>,
  shift: ArrayLike<number> | null,
  relu: boolean,
): TensorInfo {
  const c = channels(x4);
  const filter = vector(ctx, scale, [1, 1, c, 1]);
  const inputs: Record<string, TensorInfo> = { x: x4, filter };
  if (shift) inputs.bias = vector(ctx, shift, [c]);
  const attrs = {
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
    dataFormat: 'NHWC',
    activation: relu ? 'relu' : 'linear',
  };
  return ctx.run(shift || relu ? 'FusedDepthwiseConv2D' : 'DepthwiseConv2dNative', inputs, attrs);
}

export function batchNormForward(
  backend: tf.KernelBackend,
  inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo; residual?: TensorInfo },
  attrs: BatchNormKernelAttrs,
): TensorInfo[] {
  const c = channels(inputs.x);
  const rows = rowsOf(inputs.x);
  let mean = new Float32Array(c);
  let variance = new Float32Array(c);
  const y = withContext(backend, (ctx) => {
    const x4 = ctx.run('Reshape', { x: inputs.x }, { shape: [1, rows, 1, c] });
    mean = channelMeans(ctx, x4);
    const centred = affine(
      ctx,
      x4,
      new Float32Array(c).fill(1),
      mean.map((m) => -m),
      false,
    );
    variance = channelMeans(ctx, ctx.run('Multiply', { a: centred, b: centred }));
    const gamma = ctx.view(inputs.gamma);
    const beta = ctx.view(inputs.beta);
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      scale[k] = gamma[k] / Math.sqrt(variance[k] + attrs.epsilon);
      shift[k] = beta[k] - mean[k] * scale[k];
    }
    if (!inputs.residual)
      return ctx.run('Reshape', { x: affine(ctx, x4, scale, shift, attrs.relu) }, { shape: inputs.x.shape });
    const residual = ctx.run('Reshape', { x: inputs.residual }, { shape: [1, rows, 1, c] });
    const sum = ctx.run('Add', { a: affine(ctx, x4, scale, shift, false), b: residual });
    return ctx.run('Reshape', { x: attrs.relu ? ctx.run('Relu', { x: sum }) : sum }, { shape: inputs.x.shape });
  });
  return [y, output(backend, mean), output(backend, variance)];
}

export function batchNormBackward(
  backend: tf.KernelBackend,
  inputs: { dy: TensorInfo; x: TensorInfo; y?: TensorInfo; mean: TensorInfo; variance: TensorInfo; gamma: TensorInfo },
  attrs: BatchNormKernelAttrs,
): TensorInfo[] {
  const c = channels(inputs.x);
  const rows = rowsOf(inputs.x);
  const dgamma = new Float32Array(c);
  const dbeta = new Float32Array(c);
  if (attrs.relu && !inputs.y) throw new Error(`${BATCH_NORM_BACKWARD_KERNEL}: the output y is needed with relu`);
  let dresidual: TensorInfo | null = null;
  const dx = withContext(backend, (ctx) => {
    const shape4 = [1, rows, 1, c];
    const x4 = ctx.run('Reshape', { x: inputs.x }, { shape: shape4 });
    let g = ctx.run('Reshape', { x: inputs.dy }, { shape: shape4 });
    if (attrs.relu) {
      const y4 = ctx.run('Reshape', { x: inputs.y! }, { shape: shape4 });
      g = ctx.run('Multiply', { a: g, b: ctx.run('Step', { x: y4 }, { alpha: 0 }) });
    }
    // dresidual = g: a reshape of its own (kept out of this context's cleanup) shares g's data.
    if (attrs.residual)
      dresidual = withContext(backend, (own) => own.run('Reshape', { x: g }, { shape: inputs.x.shape }));
    const mean = Float32Array.from(ctx.view(inputs.mean));
    const variance = Float32Array.from(ctx.view(inputs.variance));
    const gamma = Float32Array.from(ctx.view(inputs.gamma));
    const meanG = channelMeans(ctx, g);
    const centred = affine(
      ctx,
      x4,
      new Float32Array(c).fill(1),
      mean.map((m) => -m),
      false,
    );
    const meanGCentred = channelMeans(ctx, ctx.run('Multiply', { a: g, b: centred }));
    // dx = a*g + b*(x - mean) + d with a = gamma*invStd, b = -a*invStd*dgamma/M, d = -a*dbeta/M.
    const a = new Float32Array(c);
    const b = new Float32Array(c);
    const d = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const invStd = 1 / Math.sqrt(variance[k] + attrs.epsilon);
      dbeta[k] = meanG[k] * rows;
      dgamma[k] = meanGCentred[k] * rows * invStd;
      a[k] = gamma[k] * invStd;
      b[k] = -a[k] * invStd * meanGCentred[k] * invStd;
      d[k] = -a[k] * meanG[k];
    }
    const sum = ctx.run('Add', { a: affine(ctx, g, a, d, false), b: affine(ctx, centred, b, null, false) });
    return ctx.run('Reshape', { x: sum }, { shape: inputs.x.shape });
  });
  const grads = [dx, output(backend, dgamma), output(backend, dbeta)];
  return dresidual ? [...grads, dresidual] : grads;
}
