/**
 * Hidden tests for chapter 01 (long-tailed counts, ResCom Sec. 4.1; the dual imbalance of Sec. 3.2):
 * the exponential profile against `data.longTailedClassCounts`, and the chance that a class is
 * absent from a batch, (1 - pi_c)^B. Edge cases: IF 1, two classes, a prior of 0 or 1, tiny priors
 * with large batches.
 */
import { longTailedClassCounts } from '../../data/imbalance';
import type { Rng } from '../../util/rng';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

/**
 * True when n_max * IF^(-c/(C-1)) is at least 1e-6 away from an integer for every c > 0 (c = 0 is
 * n_max exactly), so that floor() of it written any of the usual ways (IF ** -x, 1 / IF ** x,
 * (1 / IF) ** x, exp(-x ln IF)) gives the same count and the comparison can be exact.
 */
export function unambiguousCounts(nMax: number, numClasses: number, imbalanceFactor: number): boolean {
  for (let c = 1; c < numClasses; c++) {
    const x = c / (numClasses - 1);
    const ways = [
      nMax * (1 / imbalanceFactor) ** x,
      nMax * imbalanceFactor ** -x,
      nMax / imbalanceFactor ** x,
      nMax * Math.exp(-x * Math.log(imbalanceFactor)),
    ];
    const fraction = ways[0] - Math.floor(ways[0]);
    if (fraction < 1e-6 || fraction > 1 - 1e-6) return false;
    if (ways.some((v) => Math.floor(v) !== Math.floor(ways[0]))) return false;
  }
  return true;
}

/** An n_max in [low, high] for which the counts are unambiguous (see `unambiguousCounts`). */
function cleanNMax(rng: Rng, low: number, high: number, numClasses: number, imbalanceFactor: number): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const nMax = intBetween(rng, low, high);
    if (imbalanceFactor === 1 || unambiguousCounts(nMax, numClasses, imbalanceFactor)) return nMax;
  }
  throw new Error(`cleanNMax: no unambiguous n_max in [${low}, ${high}] for C ${numClasses}, IF ${imbalanceFactor}`);
}

export const classImbalanceSuite: HiddenSuite = {
  notebook: '01-class-imbalance',
  exercises: [
    {
      cell: 'ex-counts',
      title: 'long-tailed counts',
      points: 2,
      functions: ['longTailedCountsByHand'],
      forbidden: ['data.*', 'analysis.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (
          label: string,
          range: [number, number],
          numClasses: number,
          imbalanceFactor: number,
          edge = false,
        ) => {
          const nMax = cleanNMax(rng, range[0], range[1], numClasses, imbalanceFactor);
          cases.push({
            label,
            call: 'longTailedCountsByHand(args.nMax, args.numClasses, args.imbalanceFactor)',
            args: { nMax, numClasses, imbalanceFactor },
            expected: longTailedClassCounts({ profile: 'exp', nMax, numClasses, imbalanceFactor }),
            // Exact: n_max is drawn so that no count sits within 1e-6 of an integer (unfloored,
            // rounded or ceiled counts fail; equivalent ways of writing the power agree).
            tolerance: { exact: true },
            edge,
          });
        };
        add('10 classes, IF 100', [1000, 6000], 10, 100);
        add('100 classes, IF 256', [400, 900], 100, 256);
        add('two classes', [1000, 9000], 2, intBetween(rng, 5, 200));
        add('IF 1 (balanced)', [100, 900], intBetween(rng, 3, 12), 1, true);
        add('IF 10, 7 classes', [2000, 5000], 7, 10);
        return cases;
      },
    },
    {
      cell: 'ex-absent',
      title: 'chance a class is absent',
      points: 2,
      functions: ['absentFraction'],
      forbidden: ['data.*', 'analysis.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, prior: number, batchSize: number, edge = false) =>
          cases.push({
            label,
            call: 'absentFraction(args.prior, args.batchSize)',
            args: { prior, batchSize },
            expected: (1 - prior) ** batchSize,
            // atol only for the exact 0 of prior 1; every other expectation is compared relatively.
            tolerance: { atol: 1e-15, rtol: 1e-9 },
            edge,
          });
        // Batch sizes that keep each expectation well above 0 (a constant 0 must not pass).
        add('head class, batch 8', rng.uniform(0.2, 0.5), 8);
        add('tail class, batch 128', rng.uniform(0.001, 0.01), 128);
        add('tiny prior, batch 1024', rng.uniform(1e-5, 1e-4), 1024);
        add('batch of one', rng.uniform(0.05, 0.9), 1, true);
        add('prior 0', 0, intBetween(rng, 2, 500), true);
        add('prior 1', 1, intBetween(rng, 2, 500), true);
        return cases;
      },
    },
  ],
};
