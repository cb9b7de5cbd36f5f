/**
 * conv2d forward and both gradients on webgpu match the cpu backend (tfjs's reference kernels).
 *
 * Tolerance (why it is what it is): each output of y, dx and dW is a float32 sum of K products
 * (K = kh*kw*Ci for y, kh*kw*Co for dx, N*Ho*Wo for dW). Whatever order a backend sums in, the
 * standard bound is |computed - exact| <= K*u*sum|products| (u = 2^-24, Higham, Accuracy and
 * Stability, eq. 3.5), so two backends differ by at most 2*K*u*sum|products|. sum|products| is the
 * same computation on |x|, |W|, |dy| (all terms non-negative), done on cpu. A wrong kernel (padding,
 * stride, a transposed filter) errs by O(sum|products|), i.e. 1/(2*K*u) ~ 1e5 times the bound.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng';
import { discrepancy, FLOAT32_EPS, normals, runOn, skipTitle, startWebGpu, webGpuUnavailable } from './webgpu-support';

interface ConvCase {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const CASES: ConvCase[] = [
  { n: 2, h: 9, w: 9, ci: 3, co: 4, k: 3, stride: 1, pad: 'same' },
  { n: 2, h: 9, w: 9, ci: 3, co: 4, k: 3, stride: 2, pad: 'same' },
  { n: 2, h: 9, w: 7, ci: 4, co: 5, k: 3, stride: 2, pad: 'valid' },
  { n: 2, h: 7, w: 7, ci: 4, co: 6, k: 1, stride: 2, pad: 'same' },
  { n: 3, h: 8, w: 5, ci: 5, co: 3, k: 1, stride: 1, pad: 'valid' },
  { n: 1, h: 11, w: 11, ci: 16, co: 16, k: 3, stride: 1, pad: 'same' },
];

const unavailable = webGpuUnavailable();

if (unavailable) {
  test.skip(skipTitle(unavailable), () => undefined);
} else {
  test.before(startWebGpu);
  for (const c of CASES) {
    test.serial(
      `conv2d ${c.k}x${c.k} stride ${c.stride} '${c.pad}' on ${c.n}x${c.h}x${c.w}x${c.ci} -> ${c.co}: y, dx, dW match cpu`,
      async (t) => {
        const rng = new Rng(1000 + c.h * 31 + c.ci * 7 + c.k + c.stride);
        const xShape: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
        const wShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
        const x = normals(rng, c.n * c.h * c.w * c.ci);
        const w = normals(rng, c.k * c.k * c.ci * c.co, 1 / Math.sqrt(c.k * c.k * c.ci));
        const yShape = tf.tidy(
          () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, c.stride, c.pad).shape,
        );
        const dy = normals(
          rng,
          yShape.reduce((a, b) => a * b, 1),
        );

        // y = conv(x, W); dx, dW are the gradients of sum(y * dy): the vector-Jacobian products.
        const forwardAndGrads = (xs: Float32Array, ws: Float32Array, dys: Float32Array) => () => {
          const xt = tf.tensor4d(xs, xShape);
          const wt = tf.tensor4d(ws, wShape);
          const dyt = tf.tensor(dys, yShape);
          const y = tf.conv2d(xt, wt, c.stride, c.pad);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf
              .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)
              .mul(dyt)
              .sum(),
          )([xt, wt]);
          return [y, dx, dw];
        };
        const before = tf.memory().numTensors;
        const onGpu = await runOn('webgpu', forwardAndGrads(x, w, dy));
        const onCpu = await runOn('cpu', forwardAndGrads(x, w, dy));
        const abs = (a: Float32Array) => a.map(Math.abs);
        const sums = await runOn('cpu', forwardAndGrads(abs(x), abs(w), abs(dy)));
        t.is(tf.memory().numTensors, before, 'no tensor leaked');

        const terms = [c.k * c.k * c.ci, c.k * c.k * c.co, c.n * yShape[1] * yShape[2]];
        ['y', 'dx', 'dW'].forEach((name, i) => {
          const bound = sums[i].map((s) => 2 * terms[i] * FLOAT32_EPS * s + 1e-30);
          const d = discrepancy(onGpu[i], onCpu[i], bound);
          t.true(
            d.worstRatio < 1,
            `${name}: max |webgpu - cpu| = ${d.maxAbs.toExponential(2)}, ${d.worstRatio.toFixed(3)} x the rounding bound`,
          );
          t.log(
            `${name}: max |diff| ${d.maxAbs.toExponential(2)}, rel L2 ${d.relL2.toExponential(2)}, ${(100 * d.worstRatio).toFixed(2)}% of bound`,
          );
        });
      },
    );
  }
}
