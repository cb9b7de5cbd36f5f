import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { SgdWithWeightDecay } from '../../src/train/sgd';
import { useTestBackend } from '../helpers/backend';
import {
  SGD_MOMENTUM_KERNEL,
  registerNativeTrainingKernels,
  unregisterNativeTrainingKernels,
} from '../../src/backend/wasm/native-training';

test.before(async () => {
  await useTestBackend();
});

/** PyTorch SGD (dampening 0, no Nesterov) as an explicit loop: g' = g + wd w; v = m v + g'; w -= lr v. */
function referenceSgd(w: number[], grads: number[][], lrs: number[], m: number, wd: number): number[] {
  const v = w.map(() => 0);
  const x = [...w];
  grads.forEach((g, s) => {
    for (let i = 0; i < x.length; i++) {
      v[i] = m * v[i] + g[i] + wd * x[i];
      x[i] -= lrs[s] * v[i];
    }
  });
  return x;
}

test.serial(
  'matches the PyTorch update with weight decay on the gradient, with the learning rate changed between steps',
  async (t) => {
    const before = tf.memory().numTensors;
    const w0 = [0.5, -1.25, 2];
    const grads = [
      [0.1, -0.2, 0.3],
      [-0.4, 0.05, 0.2],
      [0.3, 0.3, -0.1],
    ];
    const lrs = [0.1, 0.05, 0.01];
    const variable = tf.tidy(() => tf.variable(tf.tensor1d(w0)));
    const sgd = new SgdWithWeightDecay({ lr: 1, momentum: 0.9, weightDecay: 5e-4 });
    grads.forEach((g, s) => {
      sgd.learningRate = lrs[s];
      t.is(sgd.learningRate, lrs[s]);
      const grad = tf.tensor1d(g);
      sgd.step([variable], [grad]);
      grad.dispose();
    });
    const got = Array.from(await variable.data());
    const want = referenceSgd(w0, grads, lrs, 0.9, 5e-4);
    got.forEach((v, i) => t.true(Math.abs(v - want[i]) < 1e-6, `w[${i}] ${v} vs ${want[i]}`));
    t.is(sgd.iterations, 3);
    sgd.dispose();
    variable.dispose();
    t.is(tf.memory().numTensors, before);
  },
);

test.serial(
  'state() and restore() carry the momentum buffers: a restored optimiser continues identically',
  async (t) => {
    const before = tf.memory().numTensors;
    const make = () => tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const a = make();
    const b = make();
    const sgdA = new SgdWithWeightDecay({ lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    const g1 = tf.tensor1d([0.5, -0.5]);
    const g2 = tf.tensor1d([0.25, 1]);
    sgdA.step([a], [g1]);
    const state = await sgdA.state();
    t.is(state.iterations, 1);
    b.assign(a);
    const sgdB = new SgdWithWeightDecay({ lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    await sgdB.restore(state);
    tf.dispose(state.buffers);
    t.is(sgdB.iterations, 1);
    sgdA.step([a], [g2]);
    sgdB.step([b], [g2]);
    t.deepEqual(Array.from(await a.data()), Array.from(await b.data()));
    tf.dispose([a, b, g1, g2]);
    sgdA.dispose();
    sgdB.dispose();
    t.is(tf.memory().numTensors, before);
  },
);

test('bad options and mismatched gradients are errors naming the argument', (t) => {
  t.throws(() => new SgdWithWeightDecay({ lr: 0 }), { message: /options\.lr/ });
  t.throws(() => new SgdWithWeightDecay({ lr: 0.1, momentum: 1 }), { message: /options\.momentum/ });
  const sgd = new SgdWithWeightDecay({ lr: 0.1 });
  const v = tf.tidy(() => tf.variable(tf.zeros([2])));
  const g = tf.zeros([3]);
  t.throws(() => sgd.step([v], [g]), { message: /shape \[2\]/ });
  tf.dispose([v, g]);
  sgd.dispose();
});

test.serial(
  'the native update (wasm training addon) and the tf-ops update give bit-identical weights and buffers',
  async (t) => {
    const info = await useTestBackend();
    const run = (): Float32Array[] => {
      const w = tf.tidy(() => [
        tf.variable(tf.randomNormal([300, 7], 0, 1, 'float32', 1)),
        tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2)),
      ]);
      const sgd = new SgdWithWeightDecay({ lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
      for (let s = 0; s < 4; s++) {
        sgd.learningRate = 0.1 / (s + 1);
        const g = tf.tidy(() => w.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 10 * s + i + 3)));
        sgd.step(w, g);
        tf.dispose(g);
      }
      const out = tf.tidy(() => [
        ...w.map((v) => v.dataSync() as Float32Array),
        ...(sgd['buffers'] as tf.Tensor[]).map((b) => b.dataSync() as Float32Array),
      ]);
      tf.dispose(w);
      sgd.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    unregisterNativeTrainingKernels();
    const ops = run();
    const status = registerNativeTrainingKernels(info.threads ?? 1, {});
    if (!status.used) {
      t.log(`native kernels ${status.detail}: tf-ops path only`);
      t.pass();
      return;
    }
    t.truthy(tf.getKernel(SGD_MOMENTUM_KERNEL, 'wasm'));
    const native = run();
    native.forEach((values, i) => t.deepEqual(values, ops[i], `tensor ${i}`));
    t.is(tf.memory().numTensors, before);
  },
);
