/**
 * Fused BatchNorm(+ReLU) training kernels for the wasm backend, in plain JS on the wasm heap.
 * Expressed with tf ops, one BatchNorm step is ~10 separate passes over the activations (sums as
 * matMul, centring, scaling, the ReLU and its mask, and as many again backwards); these kernels
 * make two passes forward and two backward, treating x as [M, C] (channels last).
 *
 * RescomBatchNormForward(x, gamma, beta; epsilon, relu) -> [y, mean [C], variance [C] (biased)]
 *   y = max?(0, gamma * (x - mean) / sqrt(variance + epsilon) + beta)
 * RescomBatchNormBackward(dy, x, y, mean, variance, gamma; epsilon, relu) -> [dx, dgamma, dbeta]
 *   g = relu ? dy * [y > 0] : dy; dbeta = sum(g); dgamma = sum(g * xhat);
 *   dx = gamma / sqrt(variance + epsilon) * (g - dbeta / M - xhat * dgamma / M)
 * Sums accumulate in float64.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackendLike } from './kernel-context';

export const BATCH_NORM_FORWARD_KERNEL = 'RescomBatchNormForward';
export const BATCH_NORM_BACKWARD_KERNEL = 'RescomBatchNormBackward';

export interface BatchNormKernelAttrs {
  epsilon: number;
  relu: boolean;
}

function channels(x: TensorInfo): number {
  return x.shape[x.shape.length - 1];
}

function size(x: TensorInfo): number {
  return x.shape.reduce((a, b) => a * b, 1);
}

export function batchNormForward(
  backend: tf.KernelBackend,
  inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo },
  attrs: BatchNormKernelAttrs,
): TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const c = channels(inputs.x);
  const total = size(inputs.x);
  const rows = total / c;
  const y = wasm.makeOutput(inputs.x.shape, 'float32');
  const meanOut = wasm.makeOutput([c], 'float32');
  const varianceOut = wasm.makeOutput([c], 'float32');
  // Views after every allocation (the heap may have grown).
  const x = wasm.typedArrayFromHeap(inputs.x) as Float32Array;
  const gamma = wasm.typedArrayFromHeap(inputs.gamma) as Float32Array;
  const beta = wasm.typedArrayFromHeap(inputs.beta) as Float32Array;
  const yv = wasm.typedArrayFromHeap(y) as Float32Array;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  for (let i = 0; i < total; i += c) {
    for (let k = 0; k < c; k++) {
      const v = x[i + k];
      sum[k] += v;
      sumSq[k] += v * v;
    }
  }
  const mean = new Float64Array(c);
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  const meanV = wasm.typedArrayFromHeap(meanOut) as Float32Array;
  const varianceV = wasm.typedArrayFromHeap(varianceOut) as Float32Array;
  for (let k = 0; k < c; k++) {
    mean[k] = sum[k] / rows;
    const variance = Math.max(0, sumSq[k] / rows - mean[k] * mean[k]);
    meanV[k] = mean[k];
    varianceV[k] = variance;
    scale[k] = gamma[k] / Math.sqrt(variance + attrs.epsilon);
    shift[k] = beta[k] - mean[k] * scale[k];
  }
  if (attrs.relu) {
    for (let i = 0; i < total; i += c) {
      for (let k = 0; k < c; k++) {
        const v = x[i + k] * scale[k] + shift[k];
        yv[i + k] = v > 0 ? v : 0;
      }
    }
  } else {
    for (let i = 0; i < total; i += c) for (let k = 0; k < c; k++) yv[i + k] = x[i + k] * scale[k] + shift[k];
  }
  return [y, meanOut, varianceOut];
}

export function batchNormBackward(
  backend: tf.KernelBackend,
  inputs: { dy: TensorInfo; x: TensorInfo; y: TensorInfo; mean: TensorInfo; variance: TensorInfo; gamma: TensorInfo },
  attrs: BatchNormKernelAttrs,
): TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const c = channels(inputs.x);
  const total = size(inputs.x);
  const rows = total / c;
  const dxOut = wasm.makeOutput(inputs.x.shape, 'float32');
  const dgammaOut = wasm.makeOutput([c], 'float32');
  const dbetaOut = wasm.makeOutput([c], 'float32');
  const dy = wasm.typedArrayFromHeap(inputs.dy) as Float32Array;
  const x = wasm.typedArrayFromHeap(inputs.x) as Float32Array;
  const y = wasm.typedArrayFromHeap(inputs.y) as Float32Array;
  const meanV = wasm.typedArrayFromHeap(inputs.mean) as Float32Array;
  const varianceV = wasm.typedArrayFromHeap(inputs.variance) as Float32Array;
  const gamma = wasm.typedArrayFromHeap(inputs.gamma) as Float32Array;
  const dx = wasm.typedArrayFromHeap(dxOut) as Float32Array;
  const mean = Float32Array.from(meanV);
  const sumG = new Float64Array(c);
  const sumGX = new Float64Array(c);
  // Pass 1: sum(g) and sum(g * (x - mean)); with ReLU, g is dy where the output was positive.
  for (let i = 0; i < total; i += c) {
    for (let k = 0; k < c; k++) {
      const g = attrs.relu && !(y[i + k] > 0) ? 0 : dy[i + k];
      sumG[k] += g;
      sumGX[k] += g * (x[i + k] - mean[k]);
    }
  }
  // dx = a*g + b*x + d, with a = gamma*invStd, b = -a*invStd*dgamma/M, d = -a*dbeta/M - b*mean.
  const a = new Float32Array(c);
  const b = new Float32Array(c);
  const d = new Float32Array(c);
  const dgamma = wasm.typedArrayFromHeap(dgammaOut) as Float32Array;
  const dbeta = wasm.typedArrayFromHeap(dbetaOut) as Float32Array;
  for (let k = 0; k < c; k++) {
    const invStd = 1 / Math.sqrt(varianceV[k] + attrs.epsilon);
    dbeta[k] = sumG[k];
    dgamma[k] = sumGX[k] * invStd;
    a[k] = gamma[k] * invStd;
    b[k] = (-a[k] * invStd * dgamma[k]) / rows;
    d[k] = (-a[k] * sumG[k]) / rows - b[k] * mean[k];
  }
  // Pass 2.
  if (attrs.relu) {
    for (let i = 0; i < total; i += c) {
      for (let k = 0; k < c; k++) {
        const g = y[i + k] > 0 ? dy[i + k] : 0;
        dx[i + k] = a[k] * g + b[k] * x[i + k] + d[k];
      }
    }
  } else {
    for (let i = 0; i < total; i += c) for (let k = 0; k < c; k++) dx[i + k] = a[k] * dy[i + k] + b[k] * x[i + k] + d[k];
  }
  return [dxOut, dgammaOut, dbetaOut];
}
