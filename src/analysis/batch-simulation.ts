/**
 * Monte Carlo of the dual class imbalance (paper Sec. 3.1): draw batches of B images from a
 * long-tailed distribution (class counts ~ multinomial(B, pi)), duplicate each batch into two views
 * (the Siamese batch of 2B rows) and count, per class, images, absences and ordered positive pairs:
 *   batch level:   n_c (n_c - 1) ordered pairs of distinct images of class c;
 *   Siamese level: 2 n_c (2 n_c - 1) ordered pairs among the 2 n_c rows (the other view included).
 * A class absent from a batch has no pairs at either level; a class seen once has pairs only at the
 * Siamese level (its own second view). Alongside the estimates come their exact expectations:
 *   E[n] = B p,  P(n = 0) = (1 - p)^B,  E[n(n-1)] = B(B-1) p^2,  E[2n(2n-1)] = 4(Bp(1-p) + B^2p^2) - 2Bp.
 */
import type { Rng } from '../util/rng';

export interface BatchSimulationOptions {
  /** Training images per class [C] (pi_c = n_c / sum n), e.g. CIFAR-10-LT IF100's 5000..50. */
  classCounts: ArrayLike<number>;
  /** Images per batch B (per view). */
  batchSize: number;
  /** Number of simulated batches. */
  numBatches: number;
  /** Seeded generator; the same seed gives the same tables. */
  rng: Rng;
}

export interface ClassSimulationRow {
  class: number;
  prior: number;
  /** Mean and standard deviation of n_c per batch; `expectedImages` = B p. */
  meanImages: number;
  stdImages: number;
  expectedImages: number;
  /** Share of batches without the class; `expectedAbsentFraction` = (1 - p)^B. */
  absentFraction: number;
  expectedAbsentFraction: number;
  /** Share of batches with fewer than 2 images of the class: no positive pair inside the batch. */
  noBatchPairFraction: number;
  /** Mean ordered positive pairs per batch, n(n-1), and its expectation. */
  meanBatchPairs: number;
  expectedBatchPairs: number;
  /** Mean ordered positive pairs per Siamese batch, 2n(2n-1), and its expectation. */
  meanSiamesePairs: number;
  expectedSiamesePairs: number;
}

export interface BatchSimulation {
  batchSize: number;
  numBatches: number;
  classes: ClassSimulationRow[];
  /** head / tail ratios (first class over last class): samples (prior) and Siamese positive pairs. */
  headTailSampleRatio: number;
  headTailSiamesePairRatio: number;
}

export function simulateBatches(options: BatchSimulationOptions): BatchSimulation {
  const fn = 'simulateBatches';
  const { classCounts, batchSize, numBatches, rng } = options;
  if (!classCounts || classCounts.length < 1)
    throw new Error(`${fn}: classCounts must be a non-empty array; got ${classCounts}`);
  for (let c = 0; c < classCounts.length; c++) {
    if (!Number.isFinite(classCounts[c]) || classCounts[c] < 0)
      throw new Error(`${fn}: classCounts[${c}] must be a non-negative number; got ${classCounts[c]}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`${fn}: batchSize must be a positive integer; got ${batchSize}`);
  if (!Number.isInteger(numBatches) || numBatches < 1)
    throw new Error(`${fn}: numBatches must be a positive integer; got ${numBatches}`);
  if (!rng || typeof rng.next !== 'function')
    throw new Error(`${fn}: rng must be an Rng (src/util/rng.ts); got ${typeof rng}`);
  const numClasses = classCounts.length;
  const total = Array.from(classCounts).reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`${fn}: classCounts must not all be zero`);
  const prior = Array.from(classCounts, (n) => n / total);
  const cumulative = new Float64Array(numClasses);
  prior.reduce((acc, p, c) => (cumulative[c] = acc + p), 0);
  cumulative[numClasses - 1] = 1;

  const counts = new Int32Array(numClasses);
  const sumN = new Float64Array(numClasses);
  const sumN2 = new Float64Array(numClasses);
  const absent = new Float64Array(numClasses);
  const fewerThanTwo = new Float64Array(numClasses);
  const batchPairs = new Float64Array(numClasses);
  const siamesePairs = new Float64Array(numClasses);
  for (let b = 0; b < numBatches; b++) {
    counts.fill(0);
    // multinomial(B, pi) as B independent categorical draws (inverse CDF, binary search).
    for (let s = 0; s < batchSize; s++) counts[sampleClass(cumulative, rng.next())]++;
    for (let c = 0; c < numClasses; c++) {
      const n = counts[c];
      sumN[c] += n;
      sumN2[c] += n * n;
      if (n === 0) absent[c]++;
      if (n < 2) fewerThanTwo[c]++;
      batchPairs[c] += n * (n - 1);
      siamesePairs[c] += 2 * n * (2 * n - 1);
    }
  }
  const B = batchSize;
  const classes = prior.map((p, c): ClassSimulationRow => {
    const mean = sumN[c] / numBatches;
    return {
      class: c,
      prior: p,
      meanImages: mean,
      stdImages: Math.sqrt(Math.max(0, sumN2[c] / numBatches - mean * mean)),
      expectedImages: B * p,
      absentFraction: absent[c] / numBatches,
      expectedAbsentFraction: (1 - p) ** B,
      noBatchPairFraction: fewerThanTwo[c] / numBatches,
      meanBatchPairs: batchPairs[c] / numBatches,
      expectedBatchPairs: B * (B - 1) * p * p,
      meanSiamesePairs: siamesePairs[c] / numBatches,
      expectedSiamesePairs: 4 * (B * p * (1 - p) + B * B * p * p) - 2 * B * p,
    };
  });
  const head = classes[0];
  const tail = classes[numClasses - 1];
  return {
    batchSize,
    numBatches,
    classes,
    headTailSampleRatio: head.prior / tail.prior,
    headTailSiamesePairRatio: head.meanSiamesePairs / tail.meanSiamesePairs,
  };
}

/** Smallest c with u < cumulative[c]. */
function sampleClass(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cumulative[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
