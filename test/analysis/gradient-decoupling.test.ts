import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { modelGradientDecoupling, summarizePairGradients } from '../../src/analysis';

test.before(async () => {
  await useTestBackend();
});

test('rank curves and below-threshold shares on hand-made pair gradients', (t) => {
  const anchors = [
    {
      anchor: 0,
      label: 0,
      positiveLogits: [3, 1],
      positiveGradients: [-0.01, -0.3],
      negativeLogits: [2, 0, -1],
      negativeGradients: [0.2, 0.0005, 0.0001],
    },
    {
      anchor: 1,
      label: 1,
      positiveLogits: [0.5],
      positiveGradients: [-0.5],
      negativeLogits: [1, -2],
      negativeGradients: [0.1, 0.002],
    },
    // no positive: no loss, left out
    {
      anchor: 2,
      label: 2,
      positiveLogits: [],
      positiveGradients: [],
      negativeLogits: [1, 0],
      negativeGradients: [0, 0],
    },
  ];
  const s = summarizePairGradients(anchors, { threshold: 1e-3 });
  t.deepEqual(s.positives.rank, [1, 2]);
  t.deepEqual(s.positives.meanAbsGradient, [(0.01 + 0.5) / 2, 0.3]);
  t.deepEqual(s.positives.anchors, [2, 1]);
  t.deepEqual(s.negatives.meanAbsGradient, [(0.2 + 0.1) / 2, (0.0005 + 0.002) / 2, 0.0001]);
  t.deepEqual(s.shareBelowThreshold, { positives: 0, negatives: 2 / 5 });
  t.deepEqual(s.pairCounts, { positives: 3, negatives: 5 });
  t.deepEqual(summarizePairGradients(anchors, { maxRank: 1 }).negatives.rank, [1]);
  t.deepEqual(summarizePairGradients([]).shareBelowThreshold, { positives: null, negatives: null });
});

test('model gradient decoupling matches an explicit-loop softmax over the Siamese batch, and leaks nothing', (t) => {
  // Projections are the first 3 pixels of each image (unnormalised); logits/features unused.
  const fake = {
    predict: (x: tf.Tensor4D) => {
      const z = x.reshape([x.shape[0], -1]).slice([0, 0], [-1, 3]);
      return [z.clone(), z.clone(), z];
    },
  };
  const v1 = [
    [1, 0, 0.2],
    [0.3, 1, 0],
    [0.9, 0.1, 0.1],
  ];
  const v2 = [
    [0.8, 0.2, 0],
    [0, 1, 0.5],
    [1, 0, 0.4],
  ];
  const labels = [0, 1, 0];
  const view1 = tf.tensor4d(v1.flat(), [3, 1, 3, 1]);
  const view2 = tf.tensor4d(v2.flat(), [3, 1, 3, 1]);
  const before = tf.memory().numTensors;
  const tau = 0.5;
  const out = modelGradientDecoupling({ model: fake, view1, view2, labels, temperature: tau, threshold: 0.05 });
  t.is(tf.memory().numTensors, before);

  // Reference: z normalised, u_ia = z_i . z_a / tau over a != i, sigma = softmax, grads as in Sec. 3.4.
  const z = [...v1, ...v2].map((r) => {
    const n = Math.hypot(...r);
    return r.map((v) => v / n);
  });
  const y = [...labels, ...labels];
  const posByRank: number[][] = [];
  const negByRank: number[][] = [];
  let negBelow = 0;
  let negTotal = 0;
  for (let i = 0; i < 6; i++) {
    const others = [0, 1, 2, 3, 4, 5].filter((a) => a !== i);
    const u = others.map((a) => z[i].reduce((s, v, k) => s + v * z[a][k], 0) / tau);
    const denom = u.reduce((s, v) => s + Math.exp(v), 0);
    const numPos = others.filter((a) => y[a] === y[i]).length;
    const pos: [number, number][] = [];
    const neg: [number, number][] = [];
    others.forEach((a, k) => {
      const sigma = Math.exp(u[k]) / denom;
      if (y[a] === y[i]) pos.push([u[k], Math.abs(sigma - 1 / numPos)]);
      else neg.push([u[k], sigma]);
    });
    pos.sort((p, q) => q[0] - p[0]).forEach((p, r) => (posByRank[r] ??= []).push(p[1]));
    neg.sort((p, q) => q[0] - p[0]).forEach((p, r) => (negByRank[r] ??= []).push(p[1]));
    neg.forEach((p) => {
      negTotal++;
      if (p[1] < 0.05) negBelow++;
    });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  t.is(out.positives.rank.length, posByRank.length);
  posByRank.forEach((g, r) =>
    t.true(Math.abs(out.positives.meanAbsGradient[r] - mean(g)) < 1e-5, `positive rank ${r + 1}`),
  );
  negByRank.forEach((g, r) =>
    t.true(Math.abs(out.negatives.meanAbsGradient[r] - mean(g)) < 1e-5, `negative rank ${r + 1}`),
  );
  t.is(out.pairCounts.negatives, negTotal);
  t.is(out.shareBelowThreshold.negatives, negBelow / negTotal);
  t.is(out.perAnchor.length, 6);
  t.throws(() => modelGradientDecoupling({ model: fake, view1, view2, labels: [0, 1] }), {
    message: /modelGradientDecoupling: labels must have length 3/,
  });
  view1.dispose();
  view2.dispose();
});
