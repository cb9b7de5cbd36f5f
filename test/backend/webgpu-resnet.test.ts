/**
 * BatchNorm (training mode) and a small ResNet's gradients on webgpu match the cpu backend.
 *
 * Tolerances, and why:
 * - BatchNorm: a chain of float32 reductions over M = N*H*W values (mean, variance, and in the
 *   backward pass sum(dy) and sum(dy*xhat)). Each reduction is off by at most ~M*u relative to the
 *   sum of the magnitudes it adds (u = 2^-24); normalising by sqrt(var) keeps values O(1), so we
 *   allow |webgpu - cpu| <= 8*M*u*(1 + |cpu|) (a few reductions chained, both backends rounding),
 *   i.e. ~8e-5 for M = 162. An indexing bug errs by O(1).
 * - ResNet: the same rounding, plus ReLU kinks: a pre-activation within rounding of 0 can be cut on
 *   one backend and passed on the other, and then that unit's gradient differs by O(1) times its
 *   upstream gradient. With inputs ~N(0,1) such units are rare (probability ~1e-6 each), so the
 *   check is on each parameter gradient's relative L2 error, <= 1e-4 (rounding alone gives ~1e-6;
 *   a wrong kernel gives ~1), plus the loss itself to float32 precision.
 * - The library's ResNet-8 ResCom network (src/models: fused BatchNorm+ReLU with its own gradient,
 *   option-A shortcuts, both heads): same reasoning and bound as the hand-built ResNet.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { createResComModel } from '../../src/models/rescom-network';
import { Rng } from '../../src/util/rng';
import { discrepancy, FLOAT32_EPS, normals, runOn, skipTitle, startWebGpu, webGpuUnavailable } from './webgpu-support';

/** Training-mode BatchNorm over [N,H,W] per channel with tf.moments (the plain formulation). */
function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(gamma).add(beta) as tf.Tensor4D;
}

interface Shape {
  name: string;
  shape: number[];
  scale: number;
}

/** A two-stage residual net: stem conv-BN-ReLU, one stride-2 basic block with a 1x1 projection, pool, linear. */
const PARAMS: Shape[] = [
  { name: 'stem', shape: [3, 3, 3, 8], scale: 1 / Math.sqrt(27) },
  { name: 'bn0.gamma', shape: [8], scale: 0.1 },
  { name: 'bn0.beta', shape: [8], scale: 0.1 },
  { name: 'block.conv1', shape: [3, 3, 8, 12], scale: 1 / Math.sqrt(72) },
  { name: 'bn1.gamma', shape: [12], scale: 0.1 },
  { name: 'bn1.beta', shape: [12], scale: 0.1 },
  { name: 'block.conv2', shape: [3, 3, 12, 12], scale: 1 / Math.sqrt(108) },
  { name: 'bn2.gamma', shape: [12], scale: 0.1 },
  { name: 'bn2.beta', shape: [12], scale: 0.1 },
  { name: 'block.shortcut', shape: [1, 1, 8, 12], scale: 1 / Math.sqrt(8) },
  { name: 'bn3.gamma', shape: [12], scale: 0.1 },
  { name: 'bn3.beta', shape: [12], scale: 0.1 },
  { name: 'fc.w', shape: [12, 5], scale: 1 / Math.sqrt(12) },
  { name: 'fc.b', shape: [5], scale: 0.1 },
];

function smallResNetLoss(x: tf.Tensor4D, labels: tf.Tensor2D, p: tf.Tensor[]): tf.Scalar {
  const [stem, g0, b0, c1, g1, b1, c2, g2, b2, sc, g3, b3, fw, fb] = p;
  const conv = (input: tf.Tensor4D, filter: tf.Tensor, stride: number) =>
    tf.conv2d(input, filter as tf.Tensor4D, stride, 'same');
  // gamma is parametrised as 1 + g so that small random g gives a BatchNorm near identity scale.
  const bn = (input: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor) =>
    batchNorm(input, g.add(1) as tf.Tensor1D, b as tf.Tensor1D);
  const h = bn(conv(x, stem, 1), g0, b0).relu() as tf.Tensor4D;
  const r = bn(conv(bn(conv(h, c1, 2), g1, b1).relu() as tf.Tensor4D, c2, 1), g2, b2);
  const s = bn(conv(h, sc, 2), g3, b3);
  const pooled = r.add(s).relu().mean([1, 2]) as tf.Tensor2D;
  const logits = pooled.matMul(fw as tf.Tensor2D).add(fb);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

const unavailable = webGpuUnavailable();

if (unavailable) {
  test.skip(skipTitle(unavailable), () => undefined);
} else {
  test.before(startWebGpu);

  test.serial('BatchNorm (training mode) forward and gradients match cpu on 2x9x9x6', async (t) => {
    const rng = new Rng(7);
    const shape: [number, number, number, number] = [2, 9, 9, 6];
    const m = shape[0] * shape[1] * shape[2];
    // An offset and scale per channel, so that the mean/variance path matters.
    const x = normals(rng, m * shape[3]).map((v, i) => 3 + (1 + (i % 6)) * v);
    const gamma = normals(rng, 6, 0.5).map((v) => 1 + v);
    const beta = normals(rng, 6, 0.5);
    const dy = normals(rng, m * shape[3]);
    const compute = () => {
      const [xt, gt, bt, dyt] = [tf.tensor4d(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor4d(dy, shape)];
      const y = batchNorm(xt, gt, bt);
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        batchNorm(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D)
          .mul(dyt)
          .sum(),
      )([xt, gt, bt]);
      return [y, ...grads];
    };
    const before = tf.memory().numTensors;
    const onGpu = await runOn('webgpu', compute);
    const onCpu = await runOn('cpu', compute);
    t.is(tf.memory().numTensors, before, 'no tensor leaked');
    ['y', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
      const bound = onCpu[i].map((v) => 8 * m * FLOAT32_EPS * (1 + Math.abs(v)));
      const d = discrepancy(onGpu[i], onCpu[i], bound);
      t.true(
        d.worstRatio < 1,
        `${name}: max |webgpu - cpu| = ${d.maxAbs.toExponential(2)} is ${d.worstRatio.toFixed(2)} x the bound`,
      );
      t.log(
        `${name}: max |diff| ${d.maxAbs.toExponential(2)}, rel L2 ${d.relL2.toExponential(2)}, ${(100 * d.worstRatio).toFixed(1)}% of bound`,
      );
    });
  });

  test.serial(
    'a small ResNet (conv-BN-ReLU stem, stride-2 block with 1x1 projection) has the same loss and gradients as on cpu',
    async (t) => {
      const rng = new Rng(11);
      const xShape: [number, number, number, number] = [4, 9, 9, 3];
      const x = normals(rng, 4 * 9 * 9 * 3);
      const labels = new Float32Array(4 * 5);
      for (let i = 0; i < 4; i++) labels[i * 5 + rng.int(5)] = 1;
      const params = PARAMS.map((p) =>
        normals(
          rng,
          p.shape.reduce((a, b) => a * b, 1),
          p.scale,
        ),
      );
      const compute = () => {
        const xt = tf.tensor4d(x, xShape);
        const yt = tf.tensor2d(labels, [4, 5]);
        const ps = params.map((v, i) => tf.tensor(v, PARAMS[i].shape));
        const { value, grads } = tf.valueAndGrads((...args: tf.Tensor[]) => smallResNetLoss(xt, yt, args))(ps);
        return [value, ...grads];
      };
      const before = tf.memory().numTensors;
      const onGpu = await runOn('webgpu', compute);
      const onCpu = await runOn('cpu', compute);
      t.is(tf.memory().numTensors, before, 'no tensor leaked');
      t.true(
        Math.abs(onGpu[0][0] - onCpu[0][0]) <= 1e-5 * Math.abs(onCpu[0][0]),
        `loss ${onGpu[0][0]} vs ${onCpu[0][0]}`,
      );
      PARAMS.forEach((p, i) => {
        const d = discrepancy(onGpu[i + 1], onCpu[i + 1], Infinity);
        t.true(d.relL2 <= 1e-4, `${p.name}: relative L2 error ${d.relL2.toExponential(2)}`);
        t.log(`${p.name}: rel L2 ${d.relL2.toExponential(2)}, max |diff| ${d.maxAbs.toExponential(2)}`);
      });
    },
  );

  test.serial(
    "the library's ResNet-8 ResCom network (training mode) has the same loss and weight gradients as on cpu",
    async (t) => {
      const rng = new Rng(21);
      const n = 4;
      const shape: [number, number, number, number] = [n, 12, 12, 1];
      const x = normals(rng, n * 12 * 12);
      const labels = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) labels[i * 3 + (i % 3)] = 1;
      let names: string[] = [];
      const compute = () => {
        // Built on each backend from the same seed, so no tensor crosses backends.
        const network = createResComModel({
          backbone: 'resnet8',
          inputShape: [12, 12, 1],
          numClasses: 3,
          projectionDim: 8,
          rng: new Rng(5),
        });
        try {
          const variables = network.model.trainableWeights.map((w) => w.read() as tf.Variable);
          names = network.model.trainableWeights.map((w) => w.name);
          const xt = tf.tensor4d(x, shape);
          const { value, grads } = tf.variableGrads(() => {
            const [, logits, projections] = network.model.apply(xt, { training: true }) as tf.Tensor[];
            return tf.add(
              tf.losses.softmaxCrossEntropy(tf.tensor2d(labels, [n, 3]), logits as tf.Tensor2D),
              tf.mean(tf.square(projections)),
            ) as tf.Scalar;
          }, variables);
          return [value, ...variables.map((v) => grads[v.name])];
        } finally {
          network.dispose();
        }
      };
      const before = tf.memory().numTensors;
      const onGpu = await runOn('webgpu', compute);
      const onCpu = await runOn('cpu', compute);
      t.is(tf.memory().numTensors, before, 'no tensor leaked');
      t.true(
        Math.abs(onGpu[0][0] - onCpu[0][0]) <= 1e-5 * Math.abs(onCpu[0][0]),
        `loss ${onGpu[0][0]} vs ${onCpu[0][0]}`,
      );
      t.true(names.length >= 10, `${names.length} trainable weights`);
      let worst = 0;
      const norm = (a: Float32Array) => Math.sqrt(a.reduce((sum, v) => sum + v * v, 0));
      const overall = Math.sqrt(onCpu.slice(1).reduce((sum, g) => sum + norm(g) ** 2, 0));
      names.forEach((name, i) => {
        const [gpu, cpu] = [onGpu[i + 1], onCpu[i + 1]];
        if (norm(cpu) < 1e-6 * overall) {
          // A bias right before BatchNorm (the projection head's first Linear) has a gradient of
          // exactly 0 in exact arithmetic (BN removes any shift): both sides are rounding noise.
          t.true(norm(gpu) < 1e-5 * overall, `${name}: should be ~0, got norm ${norm(gpu).toExponential(2)}`);
          return;
        }
        const d = discrepancy(gpu, cpu, Infinity);
        worst = Math.max(worst, d.relL2);
        t.true(d.relL2 <= 1e-4, `${name}: relative L2 error ${d.relL2.toExponential(2)}`);
      });
      t.log(`${names.length} weight gradients, worst relative L2 error ${worst.toExponential(2)}`);
    },
  );
}
