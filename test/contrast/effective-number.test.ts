import test from 'ava';
import { effectiveNumberWeights, effectiveNumbers } from '../../src/contrast/effective-number';

test('effective numbers: hand-computed values', (t) => {
  // beta = 0.5: E_1 = 1, E_2 = 1.5, E_3 = 1.75.
  const e = effectiveNumbers([1, 2, 3], 0.5);
  [1, 1.5, 1.75].forEach((v, i) => t.true(Math.abs(e[i] - v) < 1e-12));
  // beta close to 1 tends to n (here within 1e-5 relative).
  effectiveNumbers([500, 5], 0.999999).forEach((v, i) => t.true(Math.abs(v - [500, 5][i]) / [500, 5][i] < 1e-3));
});

test('ResCom weights: mean(E) / E_c, and all 1 for beta = 0', (t) => {
  // E = [1, 1.5, 1.75], mean 4.25/3.
  const w = effectiveNumberWeights({ classCounts: [1, 2, 3], beta: 0.5 });
  const mean = 4.25 / 3;
  [mean / 1, mean / 1.5, mean / 1.75].forEach((v, i) => t.true(Math.abs(w[i] - v) < 1e-12));
  t.deepEqual(effectiveNumberWeights({ classCounts: [500, 50, 5], beta: 0 }), [1, 1, 1]);
  // With beta near 1 the weights approach mean(n) / n: the rare class gets the large weight.
  const lt = effectiveNumberWeights({ classCounts: [500, 50, 5], beta: 0.999999 });
  t.true(Math.abs(lt[2] - 185 / 5) / 37 < 1e-3);
});

test("Cui et al.'s normalisation sums to C", (t) => {
  const w = effectiveNumberWeights({ classCounts: [100, 10, 1], beta: 0.9, normalization: 'sum-to-classes' });
  t.true(Math.abs(w.reduce((a, b) => a + b, 0) - 3) < 1e-12);
  const e = [100, 10, 1].map((n) => (1 - 0.9 ** n) / 0.1);
  t.true(Math.abs(w[0] / w[2] - e[2] / e[0]) < 1e-12);
});

test('bad input is a named error', (t) => {
  t.throws(() => effectiveNumberWeights({ classCounts: [3, 0], beta: 0.9 }), {
    message: /effectiveNumberWeights: classCounts\[1\] must be >= 1 when beta > 0/,
  });
  t.throws(() => effectiveNumberWeights({ classCounts: [3, 1], beta: 1 }), {
    message: /beta must be a number in \[0, 1\); got 1/,
  });
  t.throws(() => effectiveNumberWeights({ classCounts: [3, 1], beta: 0.5, normalization: 'max' as never }), {
    message: /normalization must be/,
  });
});
