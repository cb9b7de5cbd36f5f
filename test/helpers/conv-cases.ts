/** Conv cases and their forward/gradient results, shared by the wasm kernel tests (kernels.test.ts, onednn.test.ts). */
import type { ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng';
import { relativeError } from './relative-error';

export function randomArray(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

export interface ConvCase {
  x: [number, number, number, number];
  k: number;
  outChannels: number;
  stride: number;
  /** A number p means explicit symmetric padding (PyTorch style), as PaddedConv2D uses. */
  pad: 'same' | 'valid' | number;
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

export function padOf(c: ConvCase): Pad {
  return typeof c.pad === 'number'
    ? [
        [0, 0],
        [c.pad, c.pad],
        [c.pad, c.pad],
        [0, 0],
      ]
    : c.pad;
}

export function outSize(c: ConvCase, size: number): number {
  if (c.pad === 'same') return Math.ceil(size / c.stride);
  const p = c.pad === 'valid' ? 0 : c.pad;
  return Math.floor((size + 2 * p - c.k) / c.stride) + 1;
}

/** Forward output and gradients of sum(conv2d(x, w) * r) w.r.t. x and w, on the current backend. */
export function convResults(c: ConvCase, xv: Float32Array, wv: Float32Array, rv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.outChannels]);
    const y = tf.conv2d(x, w, c.stride, padOf(c));
    const r = tf.tensor(rv, y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, padOf(c)), r)),
    )([x, w]);
    return [y.dataSync() as Float32Array, dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
  });
}

export const CASES: ConvCase[] = [];
for (const k of [1, 3]) {
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      CASES.push({ x: [2, 7, 9, 3], k, outChannels: 5, stride, pad });
    }
  }
}
CASES.push(
  { x: [3, 8, 8, 16], k: 3, outChannels: 8, stride: 2, pad: 'same' },
  { x: [1, 5, 6, 4], k: 5, outChannels: 3, stride: 1, pad: 'same' },
  { x: [2, 7, 8, 3], k: 3, outChannels: 4, stride: 2, pad: 1 },
  { x: [2, 9, 9, 3], k: 7, outChannels: 4, stride: 2, pad: 3 },
  { x: [2, 6, 6, 3], k: 3, outChannels: 4, stride: 1, pad: 2 },
);

/** Random x, filter and output weights for a case (seeded by its shape). */
export function caseInputs(c: ConvCase): { xv: Float32Array; wv: Float32Array; rv: Float32Array } {
  const rng = new Rng(c.x.reduce((a, b) => a * 31 + b, c.k * 7 + c.stride));
  const xv = randomArray(
    rng,
    c.x.reduce((a, b) => a * b, 1),
  );
  const wv = randomArray(rng, c.k * c.k * c.x[3] * c.outChannels);
  const rv = randomArray(rng, c.x[0] * outSize(c, c.x[1]) * outSize(c, c.x[2]) * c.outChannels);
  return { xv, wv, rv };
}

/**
 * Runs case `c` on the wasm backend (whatever conv kernels are registered there) and on the cpu
 * backend; asserts no tensor leaks on wasm and that forward, dx and dW agree to 1e-4 relative.
 */
export async function assertConvMatchesCpu(t: ExecutionContext, c: ConvCase): Promise<void> {
  const { xv, wv, rv } = caseInputs(c);
  const before = tf.memory().numTensors;
  const onWasm = convResults(c, xv, wv, rv);
  t.is(tf.memory().numTensors, before, 'no tensor leaks on wasm');
  await tf.setBackend('cpu');
  const onCpu = convResults(c, xv, wv, rv);
  await tf.setBackend('wasm');
  ['forward', 'dx', 'dw'].forEach((name, i) => {
    t.is(onWasm[i].length, onCpu[i].length, name);
    const error = relativeError(onWasm[i], onCpu[i]);
    t.true(error < 1e-4, `${name}: relative error ${error}`);
  });
}
