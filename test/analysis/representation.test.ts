import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { embedFeatures2d, histogramDensity, positiveSimilarities, representationAnalysis } from '../../src/analysis';
import { shotGroups } from '../../src/eval';
import { Rng } from '../../src/util/rng';

test('positive-pair cosine similarities per shot group on a hand-computed case', (t) => {
  // class 0: (1,0), (0,1), (1,1) -> cosines 0, 1/sqrt2, 1/sqrt2; class 1: (1,0), (-2,0) -> -1; class 2: one sample.
  const features = [1, 0, 0, 1, 1, 1, 1, 0, -2, 0, 3, 3];
  const labels = [0, 0, 0, 1, 1, 2];
  const groups = shotGroups({ trainCounts: [100, 50, 10], grouping: 'rank-thirds' });
  const r = positiveSimilarities({ features, dim: 2, labels, groups });
  t.is(r.grouping, 'rank-thirds');
  const s = Math.SQRT1_2;
  t.deepEqual(
    r.similarities.many.map((v) => +v.toFixed(12)),
    [0, +s.toFixed(12), +s.toFixed(12)],
  );
  t.deepEqual(r.similarities.medium, [-1]);
  t.deepEqual(r.similarities.few, []);
  t.true(Math.abs(r.classMean[0]! - (2 * s) / 3) < 1e-12);
  t.is(r.classMean[2], null);
});

test('positive similarities subsample big classes with the seeded rng, and demand one', (t) => {
  const features = Array.from({ length: 10 }, (_, i) => [Math.cos(i), Math.sin(i)]).flat();
  const labels = new Array(10).fill(0);
  const groups = shotGroups({ trainCounts: [5], grouping: 'count' });
  const run = (seed: number) =>
    positiveSimilarities({ features, dim: 2, labels, groups, maxPairsPerClass: 7, rng: new Rng(seed) });
  t.is(run(1).similarities.few.length, 7);
  t.deepEqual(run(1), run(1));
  t.throws(() => positiveSimilarities({ features, dim: 2, labels, groups, maxPairsPerClass: 7 }), {
    message: /rng must be given/,
  });
});

test('histogram density integrates to one', (t) => {
  const h = histogramDensity({ values: [0.1, 0.2, 0.6], bins: 2, range: [0, 1] });
  t.deepEqual(h.centers, [0.25, 0.75]);
  t.deepEqual(h.density, [2 / 1.5, 1 / 1.5]);
  t.throws(() => histogramDensity({ values: [], range: [1, 1] }), { message: /histogramDensity: range/ });
});

function clusters(rng: Rng, perClass: number): { features: number[]; labels: number[] } {
  const centres = [
    [5, 0, 0, 0],
    [0, 5, 0, 0],
    [0, 0, 5, 0],
  ];
  const features: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass * 3; i++) {
    const c = i % 3;
    labels.push(c);
    features.push(...centres[c].map((v) => v + 0.3 * rng.normal()));
  }
  return { features, labels };
}

test('UMAP embedding: seeded, and test points land next to their own class', (t) => {
  const data = new Rng(11);
  const train = { ...clusters(data, 20), dim: 4 };
  const testSet = { ...clusters(data, 5), dim: 4 };
  const run = () => embedFeatures2d({ train, test: testSet, rng: new Rng(5), nEpochs: 80 });
  const e = run();
  t.deepEqual(run(), e);
  t.is(e.train.x.length, 60);
  t.is(e.test!.x.length, 15);
  // 1-nearest-neighbour in the plane: each test point's closest training point has its label.
  let hits = 0;
  e.test!.x.forEach((x, i) => {
    let best = Infinity;
    let label = -1;
    e.train.x.forEach((tx, j) => {
      const d = (tx - x) ** 2 + (e.train.y[j] - e.test!.y[i]) ** 2;
      if (d < best) {
        best = d;
        label = e.train.labels[j];
      }
    });
    if (label === e.test!.labels[i]) hits++;
  });
  t.true(hits >= 14, `${hits} of 15`);
  t.throws(() => embedFeatures2d({ train: { features: [1, 2], dim: 1, labels: [0, 1] }, rng: new Rng(1) }), {
    message: /at least 3/,
  });
});

test('representationAnalysis: features from the model, similarities per group, seeded embedding', async (t) => {
  await useTestBackend();
  // Images are 1x1x4 "pixels" = the features themselves; the fake model passes them through.
  const model = {
    predict: (x: tf.Tensor4D) => {
      const f = x.reshape([x.shape[0], 4]);
      return [f, f.slice([0, 0], [-1, 3]), f.clone()];
    },
  };
  const data = new Rng(3);
  const train = clusters(data, 12);
  const testSet = clusters(data, 4);
  const before = tf.memory().numTensors;
  const run = () =>
    representationAnalysis({
      model,
      train: { images: { data: Float32Array.from(train.features), shape: [36, 1, 1, 4] }, labels: train.labels },
      test: { images: { data: Float32Array.from(testSet.features), shape: [12, 1, 1, 4] }, labels: testSet.labels },
      trainCounts: [100, 10, 1],
      rng: new Rng(9),
      maxEmbeddingPoints: 30,
      embeddingEpochs: 30,
    });
  const r = await run();
  t.is(tf.memory().numTensors, before);
  t.is(r.similarity.train.grouping, 'rank-thirds');
  // 12 training samples per class -> 66 pairs in each group; tight clusters -> similarity near 1.
  t.is(r.similarity.train.similarities.many.length, 66);
  t.is(r.similarity.test.similarities.few.length, 6);
  t.true(r.similarity.train.classMean.every((m) => m !== null && m > 0.9));
  t.is(r.embedding.train.x.length, 30);
  t.is(r.embedding.test!.x.length, 12);
  t.deepEqual((await run()).embedding, r.embedding);
});
