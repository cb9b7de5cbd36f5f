/**
 * Hidden tests for chapter 01 (long-tailed counts, ResCom Sec. 4.1; the dual imbalance of Sec. 3.2):
 * the exponential profile against `data.longTailedClassCounts`, and the chance that a class is
 * absent from a batch, (1 - pi_c)^B. Edge cases: IF 1, two classes, a prior of 0 or 1, tiny priors
 * with large batches.
 */
import { longTailedClassCounts } from '../../data/imbalance';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

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
        const add = (label: string, nMax: number, numClasses: number, imbalanceFactor: number) =>
          cases.push({
            label,
            call: 'longTailedCountsByHand(args.nMax, args.numClasses, args.imbalanceFactor)',
            args: { nMax, numClasses, imbalanceFactor },
            expected: longTailedClassCounts({ profile: 'exp', nMax, numClasses, imbalanceFactor }),
            // floor() of the same power written two ways may differ by one at an integer.
            tolerance: { atol: 1, rtol: 0 },
          });
        add('10 classes, IF 100', intBetween(rng, 1000, 6000), 10, 100);
        add('100 classes, IF 256', intBetween(rng, 400, 900), 100, 256);
        add('two classes', intBetween(rng, 1000, 9000), 2, intBetween(rng, 5, 200));
        add('IF 1 (balanced)', intBetween(rng, 100, 900), intBetween(rng, 3, 12), 1);
        add('IF 10, 7 classes', intBetween(rng, 2000, 5000), 7, 10);
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
        const add = (label: string, prior: number, batchSize: number) =>
          cases.push({
            label,
            call: 'absentFraction(args.prior, args.batchSize)',
            args: { prior, batchSize },
            expected: (1 - prior) ** batchSize,
            tolerance: { atol: 1e-12, rtol: 1e-9 },
          });
        add('head class, batch 64', rng.uniform(0.2, 0.5), 64);
        add('tail class, batch 128', rng.uniform(0.001, 0.01), 128);
        add('tiny prior, batch 1024', rng.uniform(1e-5, 1e-4), 1024);
        add('batch of one', rng.uniform(0.05, 0.9), 1);
        add('prior 0', 0, intBetween(rng, 2, 500));
        add('prior 1', 1, intBetween(rng, 2, 500));
        return cases;
      },
    },
  ],
};
