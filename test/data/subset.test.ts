import test from 'ava';
import { classCounts, heldOutPerClass, longTailedSubset, stratifiedSplit, type ImageSet } from '../../src/data';
import { Rng } from '../../src/util/rng';

/** 4 classes x 30 images of 2x2x1; pixel value = image index (mod 256), so rows can be traced back. */
function balancedSet(perClass = 30, numClasses = 4): ImageSet {
  const n = perClass * numClasses;
  const pixels = new Uint8Array(n * 4);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % numClasses;
    pixels.fill(i, i * 4, i * 4 + 4);
  }
  return { pixels, labels, height: 2, width: 2, channels: 1, numClasses };
}

test('longTailedSubset takes exactly counts[c] images of each class, from that class', (t) => {
  const set = balancedSet();
  const counts = [30, 12, 5, 1];
  const { set: sub, classCounts: got, indices } = longTailedSubset(set, { counts, rng: new Rng(1) });
  t.deepEqual(got, counts);
  t.deepEqual(classCounts(sub), counts);
  t.is(new Set(indices).size, indices.length, 'no image twice');
  for (let k = 0; k < indices.length; k++) {
    t.is(sub.labels[k], set.labels[indices[k]]);
    t.is(sub.pixels[k * 4], indices[k], 'pixels come from the recorded source row');
  }
});

test('longTailedSubset: same seed same subset, another seed another one', (t) => {
  const set = balancedSet();
  const counts = [10, 8, 5, 2];
  const a = longTailedSubset(set, { counts, rng: new Rng(7) });
  const b = longTailedSubset(set, { counts, rng: new Rng(7) });
  const c = longTailedSubset(set, { counts, rng: new Rng(8) });
  t.deepEqual(a.indices, b.indices);
  t.deepEqual(a.set.pixels, b.set.pixels);
  t.notDeepEqual(a.indices, c.indices);
});

test('longTailedSubset rejects counts beyond a class or of the wrong length', (t) => {
  const set = balancedSet();
  t.throws(() => longTailedSubset(set, { counts: [31, 1, 1, 1], rng: new Rng(1) }), { message: /counts\[0\] = 31 but class 0 has only 30 images/ });
  t.throws(() => longTailedSubset(set, { counts: [1, 1], rng: new Rng(1) }), { message: /length numClasses = 4; got length 2/ });
  t.throws(() => longTailedSubset({ ...set, labels: Int32Array.from(set.labels, (y) => y + 1) }, { counts: [1, 1, 1, 1], rng: new Rng(1) }), { message: /labels\[\d+\] must be in 0..3; got 4/ });
});

test('heldOutPerClass draws a balanced set from the rows a long-tailed subset left unused', (t) => {
  const set = balancedSet();
  const subset = longTailedSubset(set, { counts: [25, 12, 5, 1], rng: new Rng(3) });
  const held = heldOutPerClass(set, { exclude: subset.indices, perClass: 5, rng: new Rng(4) });
  t.deepEqual(held.classCounts, [5, 5, 5, 5]);
  const used = new Set(subset.indices);
  for (let k = 0; k < held.indices.length; k++) {
    t.false(used.has(held.indices[k]), `row ${held.indices[k]} is also in the subset`);
    t.is(held.set.labels[k], set.labels[held.indices[k]]);
    t.is(held.set.pixels[k * 4], held.indices[k], 'pixels come from the recorded source row');
  }
  t.is(new Set(held.indices).size, held.indices.length, 'no image twice');
  t.deepEqual(heldOutPerClass(set, { exclude: subset.indices, perClass: 5, rng: new Rng(4) }).indices, held.indices, 'same seed, same set');
  // Class 0 has 30 - 25 = 5 rows left: asking for 6 names the class.
  t.throws(() => heldOutPerClass(set, { exclude: subset.indices, perClass: 6, rng: new Rng(4) }), { message: /heldOutPerClass: class 0 has 5 images outside the excluded rows; perClass asks for 6/ });
  t.throws(() => heldOutPerClass(set, { exclude: Int32Array.from([120]), perClass: 1, rng: new Rng(4) }), { message: /exclude holds row 120, outside 0..119/ });
});

test('stratifiedSplit keeps class proportions, covers every image once, and leaves every class a training image', (t) => {
  const full = balancedSet(40);
  const lt = longTailedSubset(full, { counts: [40, 20, 3, 1], rng: new Rng(3) }).set;
  const { train, validation, trainIndices, validationIndices } = stratifiedSplit(lt, { fraction: 0.25, rng: new Rng(4) });
  t.deepEqual(classCounts(validation), [10, 5, 1, 0]); // round(n * 0.25), capped at n - 1
  t.deepEqual(classCounts(train), [30, 15, 2, 1]);
  const all = [...trainIndices, ...validationIndices].sort((a, b) => a - b);
  t.deepEqual(all, Array.from({ length: lt.labels.length }, (_, i) => i));
  for (let k = 0; k < trainIndices.length; k++) t.is(train.labels[k], lt.labels[trainIndices[k]]);
  const again = stratifiedSplit(lt, { fraction: 0.25, rng: new Rng(4) });
  t.deepEqual(again.validationIndices, validationIndices);
  t.throws(() => stratifiedSplit(lt, { fraction: 1, rng: new Rng(1) }), { message: /fraction must be in \(0, 1\); got 1/ });
});
