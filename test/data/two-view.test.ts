import test from 'ava';
import {
  augmentationPreset, batchesPerEpoch, CIFAR_NORMALIZATION, imageBatches, twoViewBatches, twoViewEpochs, type ImageSet, type TwoViewBatch,
} from '../../src/data';
import { Rng } from '../../src/util/rng';

/** n images of 32x32x3; image i is filled with value i (so a batch row tells which image it is). */
function tracedSet(n: number): ImageSet {
  const size = 32 * 32 * 3;
  const pixels = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) pixels.fill(i, i * size, (i + 1) * size);
  return { pixels, labels: Int32Array.from({ length: n }, (_, i) => i % 10), height: 32, width: 32, channels: 3, numClasses: 10 };
}

test('an epoch covers each image once, in a seeded order, with two normalised views and labels', (t) => {
  const set = tracedSet(50);
  const batches = [...twoViewBatches({ set, batchSize: 8, augment: 'none', rng: new Rng(1), dropLast: false })];
  t.is(batches.length, 7);
  t.deepEqual(batches.map((b) => b.shape[0]), [8, 8, 8, 8, 8, 8, 2]);
  const seen: number[] = [];
  for (const b of batches) {
    const size = 32 * 32 * 3;
    for (let k = 0; k < b.shape[0]; k++) {
      seen.push(Math.round(b.view1[k * size] * 255)); // 'none' preset: mean 0, std 1, so value = id / 255
      t.is(b.labels[k], seen[seen.length - 1] % 10, 'label travels with its image');
      t.is(b.view2[k * size + 5], b.view1[k * size + 5]);
    }
  }
  t.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  t.notDeepEqual(seen, Array.from({ length: 50 }, (_, i) => i), 'shuffled');
});

test('dropLast drops only the partial batch; batchesPerEpoch agrees', (t) => {
  const set = tracedSet(50);
  const dropped = [...twoViewBatches({ set, batchSize: 8, augment: 'none', rng: new Rng(1) })];
  t.is(dropped.length, 6);
  t.true(dropped.every((b) => b.shape[0] === 8));
  t.is(batchesPerEpoch({ count: 50, batchSize: 8 }), 6);
  t.is(batchesPerEpoch({ count: 50, batchSize: 8, dropLast: false }), 7);
});

test('CIFAR preset: views differ from each other, values are normalised, same seed same batches', (t) => {
  const set = tracedSet(16);
  for (let i = 0; i < set.pixels.length; i++) set.pixels[i] = (set.pixels[i] * 13 + (i % 97)) % 256; // texture
  const run = () => [...twoViewBatches({ set, batchSize: 4, augment: 'cifar', rng: new Rng(7) })];
  const a = run();
  const b = run();
  t.deepEqual(a, b);
  const first = a[0];
  t.deepEqual(first.shape, [4, 32, 32, 3]);
  t.is(first.view1.length, 4 * 32 * 32 * 3);
  t.notDeepEqual(first.view1, first.view2);
  const lo = (0 - Math.max(...CIFAR_NORMALIZATION.mean)) / Math.min(...CIFAR_NORMALIZATION.std);
  const hi = (1 - Math.min(...CIFAR_NORMALIZATION.mean)) / Math.min(...CIFAR_NORMALIZATION.std);
  t.true(first.view1.every((v) => v >= lo - 1e-5 && v <= hi + 1e-5));
});

test('resuming mid-epoch from the saved state gives the same remaining batches and the same rng afterwards', (t) => {
  const set = tracedSet(40);
  const preset = augmentationPreset('cifar');
  const rng = new Rng(123);
  const saved = rng.state();
  const full = [...twoViewBatches({ set, batchSize: 8, augment: preset, rng })];
  const after = rng.state();
  const resumedRng = Rng.fromState(saved);
  const resumed = [...twoViewBatches({ set, batchSize: 8, augment: preset, rng: resumedRng, startBatch: 3 })];
  t.is(resumed.length, 2);
  t.deepEqual(resumed, full.slice(3));
  t.deepEqual(resumedRng.state(), after);
});

test('the draws happen at call time, so saving state after creating the iterator is too late (documented order)', (t) => {
  const rng = new Rng(5);
  const before = rng.state();
  twoViewBatches({ set: tracedSet(8), batchSize: 4, augment: 'none', rng });
  t.notDeepEqual(rng.state(), before);
});

test('twoViewEpochs: epochs differ; resuming at (epoch, batch) reproduces the rest of the run', (t) => {
  const set = tracedSet(24);
  const options = { set, batchSize: 8, augment: 'fashion-mnist' as const, epochs: 3 };
  const gray = { ...set, channels: 1, pixels: set.pixels.subarray(0, 24 * 32 * 32), height: 32, width: 32 };
  const all = [...twoViewEpochs({ ...options, set: gray, rng: new Rng(9) })];
  t.is(all.length, 9);
  t.deepEqual(all.map((s) => [s.epoch, s.batchIndex]).slice(0, 4), [[0, 0], [0, 1], [0, 2], [1, 0]]);
  t.notDeepEqual(all[0].batch.labels, all[3].batch.labels, 'each epoch reshuffles');
  const checkpoint = all[4]; // epoch 1, batch 1 done: resume at batch 2
  const rest = [...twoViewEpochs({ ...options, set: gray, rng: Rng.fromState(checkpoint.epochRngState), startEpoch: checkpoint.epoch, startBatch: checkpoint.batchIndex + 1 })];
  t.deepEqual(rest.map((s) => s.batch), all.slice(5).map((s) => s.batch) as TwoViewBatch[]);
});

test('imageBatches: set order, last partial batch kept, normalised', (t) => {
  const set = tracedSet(10);
  const batches = [...imageBatches({ set, batchSize: 4, augment: augmentationPreset('cifar') })];
  t.deepEqual(batches.map((b) => b.shape[0]), [4, 4, 2]);
  t.deepEqual(Array.from(batches[2].labels), [8, 9]);
  const expected = (9 / 255 - CIFAR_NORMALIZATION.mean[0]) / CIFAR_NORMALIZATION.std[0];
  t.true(Math.abs(batches[2].images[32 * 32 * 3] - expected) < 1e-6);
});

test('bad options throw naming the argument', (t) => {
  const set = tracedSet(4);
  t.throws(() => twoViewBatches({ set, batchSize: 0, augment: 'none', rng: new Rng(1) }), { message: /batchSize must be a positive integer; got 0/ });
  t.throws(() => twoViewBatches({ set, batchSize: 2, augment: 'none', rng: new Rng(1), startBatch: 5 }), { message: /startBatch must be an integer in 0..2; got 5/ });
  t.throws(() => twoViewBatches({ set, batchSize: 2, augment: 'none', rng: {} as Rng }), { message: /rng must be an Rng/ });
});

test('twoViews false gives the same view 1 and an empty view 2', (t) => {
  const set = tracedSet(12);
  const both = [...twoViewBatches({ set, batchSize: 4, augment: 'cifar', rng: new Rng(3) })];
  const one = [...twoViewBatches({ set, batchSize: 4, augment: 'cifar', rng: new Rng(3), twoViews: false })];
  t.is(one.length, 3);
  for (let b = 0; b < 3; b++) {
    t.deepEqual(one[b].view1, both[b].view1);
    t.deepEqual(one[b].labels, both[b].labels);
    t.is(one[b].view2.length, 0);
  }
});
