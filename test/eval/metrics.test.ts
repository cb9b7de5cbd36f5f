import test from 'ava';
import {
  confusionMatrix,
  expectedCalibrationError,
  manyMediumFewAccuracy,
  perClassAccuracy,
  shotGroups,
  topKAccuracy,
  argmaxRows,
  toScoreMatrix,
} from '../../src/eval';

// Five samples over three classes; every expected number below is worked out by hand in the comments.
const scores = [
  [2, 1, 0], // label 0: predicted 0 (hit)
  [0, 3, 1], // label 1: predicted 1 (hit)
  [1, 0, 2], // label 1: predicted 2; two classes score higher than the label -> rank 2
  [0.5, 0.5, 0], // label 1: tie with class 0, which wins (lower index) -> predicted 0, rank 1
  [0, 0, 5], // label 2: predicted 2 (hit)
];
const labels = [0, 1, 1, 1, 2];

test('top-k accuracy on a hand-computed case, ties resolved towards the lower class', (t) => {
  t.is(topKAccuracy({ scores, labels, numClasses: 3, k: 1 }), 3 / 5);
  t.is(topKAccuracy({ scores, labels, numClasses: 3, k: 2 }), 4 / 5);
  t.is(topKAccuracy({ scores, labels, numClasses: 3, k: 3 }), 1);
  t.is(topKAccuracy({ scores: scores.flat(), labels, numClasses: 3 }), 3 / 5);
  t.deepEqual(Array.from(argmaxRows(toScoreMatrix('t', scores, 3))), [0, 1, 2, 0, 2]);
});

test('top-k rejects bad input with a message naming the argument', (t) => {
  t.throws(() => topKAccuracy({ scores, labels, numClasses: 3, k: 4 }), {
    message: /topKAccuracy: k must be at most numClasses=3; got 4/,
  });
  t.throws(() => topKAccuracy({ scores, labels: [0, 1, 1, 1, 3], numClasses: 3 }), { message: /labels\[4\]/ });
  t.throws(() => topKAccuracy({ scores: [1, 2, 3, 4], labels: [0], numClasses: 3 }), {
    message: /multiple of numClasses/,
  });
  t.throws(() => topKAccuracy({ scores: [[1, NaN, 0]], labels: [0], numClasses: 3 }), { message: /finite/ });
});

test('per-class accuracy and confusion matrix, with a class that has no test images', (t) => {
  const predictions = [0, 1, 2, 0, 2];
  const pc = perClassAccuracy({ predictions, labels, numClasses: 4 });
  t.deepEqual(pc.testCounts, [1, 3, 1, 0]);
  t.deepEqual(pc.correct, [1, 1, 1, 0]);
  t.deepEqual(pc.accuracy, [1, 1 / 3, 1, null]);
  const cm = confusionMatrix({ predictions, labels, numClasses: 4 });
  t.deepEqual(cm.counts, [
    [1, 0, 0, 0],
    [1, 1, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  t.deepEqual(cm.rowNormalized[1], [1 / 3, 1 / 3, 1 / 3, 0]);
  t.deepEqual(cm.rowNormalized[3], [null, null, null, null]);
});

test('shot groups by training count: > 100 Many, 20..100 Medium, < 20 Few', (t) => {
  const g = shotGroups({ trainCounts: [500, 101, 100, 20, 19, 0], grouping: 'count' });
  t.is(g.grouping, 'count');
  t.deepEqual(g.groupOf, ['many', 'many', 'medium', 'medium', 'few', 'few']);
  t.deepEqual(g.classes, { many: [0, 1], medium: [2, 3], few: [4, 5] });
  t.regex(g.rule, /Many > 100, Medium 20\.\.100, Few < 20/);
});

test('shot groups by class-rank thirds (3 / 4 / 3 for ten classes, ties by class index)', (t) => {
  // sorted by count: c7 100, c1 50, c2 50 | c8 20, c0 10, c5 7, c3 5 | c6 3, c9 2, c4 1
  const g = shotGroups({ trainCounts: [10, 50, 50, 5, 1, 7, 3, 100, 20, 2], grouping: 'rank-thirds' });
  t.is(g.grouping, 'rank-thirds');
  t.deepEqual(g.classes, { many: [1, 2, 7], medium: [0, 3, 5, 8], few: [4, 6, 9] });
});

test("shot grouping 'auto' picks rank thirds for 10 classes and counts for 100", (t) => {
  t.is(shotGroups({ trainCounts: new Array(10).fill(5) }).grouping, 'rank-thirds');
  const counts = Array.from({ length: 100 }, (_, c) => Math.floor(500 * 0.01 ** (c / 99)));
  const g = shotGroups({ trainCounts: counts });
  t.is(g.grouping, 'count');
  // CIFAR-100-LT IF100: classes above 100 images are 0..34 (class 34 has 500*0.01^(34/99) = 102.7).
  t.is(g.classes.many.length, 35);
  t.true(g.classes.many.every((c) => counts[c] > 100) && g.classes.few.every((c) => counts[c] < 20));
  t.throws(() => shotGroups({ trainCounts: [3, -1] }), {
    message: /shotGroups: trainCounts\[1\] must be a non-negative integer; got -1/,
  });
  t.throws(() => shotGroups({ trainCounts: [3, 1], grouping: 'thirds' as never }), { message: /grouping/ });
});

test('Many/Medium/Few accuracy averages per-class accuracy and leaves out untested classes, saying so', (t) => {
  const groups = shotGroups({ trainCounts: [500, 200, 50, 30, 10, 5], grouping: 'count' });
  const r = manyMediumFewAccuracy({ accuracy: [0.9, 0.7, 0.5, null, null, null], groups });
  t.is(r.grouping, 'count');
  t.is(r.many.accuracy, (0.9 + 0.7) / 2);
  t.is(r.medium.accuracy, 0.5);
  t.deepEqual(r.medium.classesWithoutTestImages, [3]);
  t.is(r.few.accuracy, null);
  t.deepEqual(r.few.classesWithoutTestImages, [4, 5]);
  t.regex(r.note, /classes 3, 4, 5 have no test images/);
});

// Four two-class samples with confidences 0.9 (hit), 0.7 (miss), 0.65 (hit), 0.85 (hit), 5 bins:
// bin (0.8, 1]: conf (0.9 + 0.85) / 2 = 0.875, acc 1 -> gap 0.125; bin (0.6, 0.8]: conf 0.675, acc 0.5 -> gap 0.175.
// ECE = 2/4 * 0.125 + 2/4 * 0.175 = 0.15; MCE = 0.175.
const probs = [
  [0.9, 0.1],
  [0.7, 0.3],
  [0.65, 0.35],
  [0.15, 0.85],
];
const calLabels = [0, 1, 0, 1];

test('expected calibration error and reliability bins on a hand-computed case', (t) => {
  const cal = expectedCalibrationError({
    scores: probs,
    labels: calLabels,
    numClasses: 2,
    probabilities: true,
    numBins: 5,
  });
  t.true(Math.abs(cal.ece - 0.15) < 1e-12);
  t.true(Math.abs(cal.mce - 0.175) < 1e-12);
  t.deepEqual(
    cal.bins.map((b) => b.count),
    [0, 0, 0, 2, 2],
  );
  t.is(cal.bins[0].accuracy, null);
  t.true(Math.abs(cal.bins[3].confidence! - 0.675) < 1e-12);
  t.is(cal.bins[3].accuracy, 0.5);
  // The same probabilities given as logits (log p) go through softmax to the same answer.
  const logits = probs.map((row) => row.map(Math.log));
  const fromLogits = expectedCalibrationError({ scores: logits, labels: calLabels, numClasses: 2, numBins: 5 });
  t.true(Math.abs(fromLogits.ece - 0.15) < 1e-9);
  t.throws(() => expectedCalibrationError({ scores: [[0.5, 0.6]], labels: [0], numClasses: 2, probabilities: true }), {
    message: /summing to 1/,
  });
});
