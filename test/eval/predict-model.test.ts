import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { modelGradientDecoupling } from '../../src/analysis';
import { predict } from '../../src/eval';
import { createResComModel } from '../../src/models';
import { Rng } from '../../src/util/rng';

test.before(async () => {
  await useTestBackend();
});

test('predict and gradient decoupling on the real ResCom model (ResNet-8, 28x28x1)', async (t) => {
  const net = createResComModel({
    backbone: 'resnet8',
    inputShape: [28, 28, 1],
    numClasses: 10,
    projectionDim: 16,
    rng: new Rng(1),
  });
  const rng = new Rng(2);
  const n = 6;
  const pixels = Float32Array.from({ length: n * 28 * 28 }, () => rng.next());
  const before = tf.memory().numTensors;
  const out = await predict(net.model, { data: pixels, shape: [n, 28, 28, 1] }, { batchSize: 4, featuresOutput: 0 });
  t.is(tf.memory().numTensors, before);
  t.is(out.numClasses, 10);
  t.is(out.featureDim, 64);
  // Reference: one un-batched forward pass of the whole set through the same model (inference mode).
  const whole = tf.tidy(() => (net.model.predict(tf.tensor4d(pixels, [n, 28, 28, 1])) as tf.Tensor[])[1].dataSync());
  let maxDiff = 0;
  whole.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - out.logits[i]))));
  t.true(maxDiff < 1e-4, `max |batched - whole| = ${maxDiff}`);

  const view1 = tf.tensor4d(pixels, [n, 28, 28, 1]);
  const view2 = tf.tidy(() => view1.reverse(2) as tf.Tensor4D);
  const g = modelGradientDecoupling({ model: net.model, view1, view2, labels: [0, 0, 1, 1, 2, 3] });
  view1.dispose();
  view2.dispose();
  t.is(tf.memory().numTensors, before);
  t.is(g.perAnchor.length, 2 * n);
  // The other view of the same image is always a positive; every other row of the 2N-row batch is a candidate.
  t.true(g.perAnchor.every((a) => a.positiveGradients.length >= 1));
  t.is(g.pairCounts.positives + g.pairCounts.negatives, 2 * n * (2 * n - 1));
  net.dispose();
});
