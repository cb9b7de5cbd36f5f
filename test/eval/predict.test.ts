import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { predict } from '../../src/eval';

test.before(async () => {
  await useTestBackend();
});

// A stand-in with the ResCom model's outputs [features, logits, projections]:
// features = per-image mean and max of pixels, logits = features @ W.
const W = [
  [1, -1, 0.5],
  [-2, 1, 0.25],
];
const fakeModel = {
  predict(x: tf.Tensor4D): tf.Tensor[] {
    const flat = x.reshape([x.shape[0], -1]);
    const features = tf.stack([flat.mean(1), flat.max(1)], 1);
    return [features, tf.matMul(features, tf.tensor2d(W)), tf.zeros([x.shape[0], 4])];
  },
};

function reference(pixels: number[][]): { features: number[][]; logits: number[][] } {
  const features = pixels.map((p) => [p.reduce((a, b) => a + b, 0) / p.length, Math.max(...p)]);
  const logits = features.map((f) => [0, 1, 2].map((k) => f[0] * W[0][k] + f[1] * W[1][k]));
  return { features, logits };
}

test('predict runs the model in batches (size not dividing N), returns logits, features and argmax, leaks nothing', async (t) => {
  const n = 7;
  const pixels = Array.from({ length: n }, (_, i) => Array.from({ length: 4 }, (_, k) => ((i * 5 + k * 3) % 7) - 3));
  const before = tf.memory().numTensors;
  const progress: number[] = [];
  const out = await predict(
    fakeModel,
    { data: Float32Array.from(pixels.flat()), shape: [n, 2, 2, 1] },
    {
      batchSize: 3,
      featuresOutput: 0,
      onProgress: (done) => progress.push(done),
    },
  );
  t.is(tf.memory().numTensors, before);
  t.deepEqual(progress, [3, 6, 7]);
  const ref = reference(pixels);
  t.is(out.numClasses, 3);
  t.is(out.featureDim, 2);
  ref.logits.flat().forEach((v, i) => t.true(Math.abs(out.logits[i] - v) < 1e-5));
  ref.features.flat().forEach((v, i) => t.true(Math.abs(out.features![i] - v) < 1e-5));
  t.deepEqual(
    Array.from(out.predictions),
    ref.logits.map((row) => row.indexOf(Math.max(...row))),
  );
});

test('predict accepts a tensor and a transform, and a single-output tf.LayersModel', async (t) => {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1] }),
      tf.layers.dense({ units: 2, useBias: false, kernelInitializer: 'ones' }),
    ],
  });
  const images = tf.tensor4d([1, 2, 3, 4, 0, 0, 0, 1], [2, 2, 2, 1]);
  const before = tf.memory().numTensors;
  const out = await predict(model, images, { transform: (x) => x.mul(2), batchSize: 1 });
  t.is(tf.memory().numTensors, before);
  // Dense with all-ones kernel: each logit = sum of 2 * pixels.
  t.deepEqual(Array.from(out.logits), [20, 20, 2, 2]);
  t.is(out.features, undefined);
  await t.throwsAsync(() => predict(fakeModel, images, { logitsOutput: 5 }), {
    message: /predict: options.logitsOutput/,
  });
  await t.throwsAsync(() => predict(fakeModel, { data: new Float32Array(3), shape: [1, 2, 2, 1] }), {
    message: /predict: images.data must be 4 values/,
  });
  images.dispose();
  model.dispose();
});
