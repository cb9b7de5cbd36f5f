/**
 * Hidden tests for chapter 06 (hard pair mining, ResCom Sec. 3.3): one anchor's mining mask against
 * `contrast.mineHardPairsFromSimilarities` (the Q_p least similar own-class keys and the Q_n most
 * similar other-class keys). Edge cases: Q_p = K (every own-class key), Q_p = 0, Q_n = K(C-1)
 * (every other key), one class in the queue's neighbourhood, K = 1.
 */
import { mineHardPairsFromSimilarities } from '../../contrast/hard-pair-miner';
import { f32, intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

export const gradientDecouplingMiningSuite: HiddenSuite = {
  notebook: '06-gradient-decoupling-mining',
  exercises: [
    {
      cell: 'ex-mine',
      title: 'hard pair mining mask',
      points: 3,
      functions: ['mineByHand'],
      forbidden: ['contrast.*', 'losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (
          label: string,
          numClasses: number,
          perClass: number,
          numPositives: number,
          numNegatives: number,
        ) => {
          const keys = numClasses * perClass;
          // Distinct similarities (cosines), so ties cannot decide.
          const similarities = Array.from({ length: keys }, () => f32(rng.uniform(-1, 1)));
          const anchorLabel = rng.int(numClasses);
          const keyLabels = Array.from({ length: keys }, (_, m) => Math.floor(m / perClass));
          const mined = mineHardPairsFromSimilarities({
            numClasses,
            perClass,
            numPositives,
            numNegatives,
            similarities,
            labels: [anchorLabel],
          });
          cases.push({
            label,
            call: 'Array.from(mineByHand(args.similarities, args.keyLabels, args.anchorLabel, args.numPositives, args.numNegatives), Number)',
            args: { similarities, keyLabels, anchorLabel, numPositives, numNegatives },
            expected: Array.from(mined.keyMask),
            tolerance: { exact: true },
          });
        };
        add('C 10, K 5, Q_p 1, Q_n 40', 10, 5, 1, 40);
        add('Q_p = K', 6, 4, 4, intBetween(rng, 1, 10));
        add('Q_p = 0', 5, 3, 0, intBetween(rng, 1, 12));
        add('Q_n = K(C-1): every other key', 4, 3, intBetween(rng, 1, 3), 9);
        add('K = 1', 8, 1, 1, intBetween(rng, 1, 7));
        add('100 classes, K 2', 100, 2, 1, intBetween(rng, 50, 198));
        return cases;
      },
    },
  ],
};
