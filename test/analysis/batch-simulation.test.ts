import test from 'ava';
import { simulateBatches } from '../../src/analysis';
import { Rng } from '../../src/util/rng';

// CIFAR-10-LT IF 100 class counts, floor(5000 * 100^(-c/9)), written out: 12,406 images.
const cifar10lt = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50];
const NUM_BATCHES = 20000;

/** E[f(n)] for n ~ Binomial(B, p), by explicit summation of the pmf: an independent reference. */
function binomialExpectation(B: number, p: number, f: (k: number) => number): number {
  let logChoose = 0;
  let sum = 0;
  for (let k = 0; k <= B; k++) {
    if (k > 0) logChoose += Math.log(B - k + 1) - Math.log(k);
    const logPmf = logChoose + (k === 0 ? 0 : k * Math.log(p)) + (B - k) * Math.log1p(-p);
    sum += Math.exp(logPmf) * f(k);
  }
  return sum;
}

test('the written-out CIFAR-10-LT counts are floor(5000 * 100^(-c/9))', (t) => {
  t.deepEqual(
    cifar10lt,
    Array.from({ length: 10 }, (_, c) => Math.floor(5000 * 0.01 ** (c / 9))),
  );
  t.is(
    cifar10lt.reduce((a, b) => a + b, 0),
    12406,
  );
});

test("Monte Carlo reproduces the paper's CIFAR-10-LT IF100, B = 128 numbers", (t) => {
  const sim = simulateBatches({ classCounts: cifar10lt, batchSize: 128, numBatches: NUM_BATCHES, rng: new Rng(7) });
  const head = sim.classes[0];
  const tail = sim.classes[9];
  const B = 128;
  const pHead = 5000 / 12406;
  const pTail = 50 / 12406;
  // Standard errors for 20,000 batches: head images sd ~5.55 -> SE 0.04; tail absence SE 0.0035;
  // tail Siamese pairs sd ~5 -> SE 0.04; head Siamese pairs sd ~1.1k -> SE ~8. Tolerances are
  // >= 4 SE plus the paper's rounding.
  t.true(Math.abs(head.meanImages - 51.5) < 0.25, `head images ${head.meanImages}`);
  t.true(Math.abs(tail.absentFraction - 0.6) < 0.02, `tail absent ${tail.absentFraction}`);
  t.true(Math.abs(tail.meanImages - 0.52) < 0.03, `tail images ${tail.meanImages}`);
  t.true(Math.abs(head.meanSiamesePairs - 10600) < 120, `head pairs ${head.meanSiamesePairs}`);
  t.true(Math.abs(tail.meanSiamesePairs - 2.1) < 0.15, `tail pairs ${tail.meanSiamesePairs}`);
  t.true(
    sim.headTailSiamesePairRatio > 4500 && sim.headTailSiamesePairRatio < 5600,
    `ratio ${sim.headTailSiamesePairRatio}`,
  );
  t.true(Math.abs(sim.headTailSampleRatio - 100) < 1e-9);

  // Against exact binomial expectations computed here by summation (not from the library's formulas).
  const exact = (p: number, f: (k: number) => number) => binomialExpectation(B, p, f);
  t.true(Math.abs(head.expectedImages - exact(pHead, (k) => k)) < 1e-9);
  t.true(Math.abs(tail.expectedAbsentFraction - exact(pTail, (k) => (k === 0 ? 1 : 0))) < 1e-12);
  t.true(Math.abs(head.expectedBatchPairs - exact(pHead, (k) => k * (k - 1))) < 1e-6);
  t.true(Math.abs(head.expectedSiamesePairs - exact(pHead, (k) => 2 * k * (2 * k - 1))) < 1e-6);
  t.true(Math.abs(tail.expectedSiamesePairs - exact(pTail, (k) => 2 * k * (2 * k - 1))) < 1e-9);
  t.true(Math.abs(tail.noBatchPairFraction - exact(pTail, (k) => (k < 2 ? 1 : 0))) < 0.01);
  for (const row of sim.classes) {
    const p = row.prior;
    const sdImages = Math.sqrt(B * p * (1 - p));
    t.true(
      Math.abs(row.meanImages - B * p) < 5 * (sdImages / Math.sqrt(NUM_BATCHES)) + 1e-12,
      `class ${row.class} images`,
    );
    t.true(Math.abs(row.stdImages - sdImages) < 0.05 * sdImages, `class ${row.class} sd`);
    const pAbsent = (1 - p) ** B;
    t.true(
      Math.abs(row.absentFraction - pAbsent) < 5 * Math.sqrt((pAbsent * (1 - pAbsent)) / NUM_BATCHES) + 1e-12,
      `class ${row.class} absent`,
    );
  }
});

test('the same seed gives the same tables; another seed does not', (t) => {
  const run = (seed: number) =>
    simulateBatches({ classCounts: [30, 10, 1], batchSize: 16, numBatches: 200, rng: new Rng(seed) });
  t.deepEqual(run(3), run(3));
  t.notDeepEqual(run(3).classes[2], run(4).classes[2]);
});

test('a single-class distribution: every batch is that class; bad options are named', (t) => {
  const sim = simulateBatches({ classCounts: [5, 0], batchSize: 4, numBatches: 10, rng: new Rng(1) });
  t.is(sim.classes[0].meanImages, 4);
  t.is(sim.classes[0].meanBatchPairs, 12); // 4 * 3
  t.is(sim.classes[0].meanSiamesePairs, 56); // 8 * 7
  t.is(sim.classes[1].absentFraction, 1);
  t.throws(() => simulateBatches({ classCounts: [1, 2], batchSize: 0, numBatches: 1, rng: new Rng(1) }), {
    message: /simulateBatches: batchSize must be a positive integer; got 0/,
  });
  t.throws(() => simulateBatches({ classCounts: [0, 0], batchSize: 2, numBatches: 1, rng: new Rng(1) }), {
    message: /all be zero/,
  });
});
