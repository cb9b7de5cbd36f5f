/**
 * Hidden tests for chapter 04 (class-balanced SupCon weights, ResCom Sec. 3.2; Cui et al. 2019 for
 * the effective number): effective numbers, the weights and the weighted loss, against
 * `contrast.effectiveNumbers`, `contrast.effectiveNumberWeights` and `losses.supConLoss`.
 * Edge cases: beta 0, beta within 1e-6 of 1, very large counts, classes absent from the batch.
 */
import * as tf from '@tensorflow/tfjs';
import { effectiveNumbers, effectiveNumberWeights } from '../../contrast';
import { l2NormalizeRows, siameseLabels, supConLogits, supConLoss, supConPerAnchor } from '../../losses';
import type { Rng } from '../../util/rng';
import { f32, intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

const BETAS_NEAR_ONE = [0.999, 0.9999, 0.999999];

function counts(rng: Rng, classes: number, head: number): number[] {
  return Array.from({ length: classes }, (_, c) =>
    Math.max(1, Math.round(head * 100 ** (-c / Math.max(1, classes - 1)) * rng.uniform(0.8, 1.2))),
  );
}

export const supConClassWeightsSuite: HiddenSuite = {
  notebook: '04-supcon-class-weights',
  exercises: [
    {
      cell: 'exercise-effective-number',
      title: 'effective number',
      points: 2,
      functions: ['effectiveNumberByHand'],
      forbidden: ['contrast.*', 'losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, n: number, beta: number, edge = false) =>
          cases.push({
            label,
            call: 'effectiveNumberByHand(args.n, args.beta)',
            args: { n, beta },
            expected: effectiveNumbers([n], beta)[0],
            tolerance: { atol: 1e-9, rtol: 1e-6 },
            edge,
          });
        add('beta 0.9', intBetween(rng, 2, 60), 0.9);
        // n below 600: past a few thousand samples E is 100 to 1e-6, and a constant 100 would pass.
        add('beta 0.99, many samples', intBetween(rng, 150, 600), 0.99);
        add('beta 0 (E = 1)', intBetween(rng, 2, 1000), 0, true);
        add('one sample (E = 1)', 1, BETAS_NEAR_ONE[rng.int(3)], true);
        add('beta near 1 (0.999999)', intBetween(rng, 10, 50000), 0.999999);
        add('beta 0.9999, large n', intBetween(rng, 100000, 900000), 0.9999);
        return cases;
      },
    },
    {
      cell: 'exercise-weights',
      title: 'class-balanced weights',
      points: 3,
      functions: ['classBalancedWeightsByHand'],
      forbidden: ['contrast.*', 'losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, c: number[], beta: number, edge = false) =>
          cases.push({
            label,
            call: 'classBalancedWeightsByHand(args.counts, args.beta)',
            args: { counts: c, beta },
            expected: effectiveNumberWeights({ classCounts: c, beta }),
            tolerance: { atol: 1e-9, rtol: 1e-6 },
            edge,
          });
        add('10 classes, beta 0.99', counts(rng, 10, intBetween(rng, 1000, 6000)), 0.99);
        add('beta 0 (every weight 1)', counts(rng, 5, intBetween(rng, 50, 500)), 0, true);
        add('beta near 1 (0.999999)', counts(rng, 10, intBetween(rng, 1000, 6000)), 0.999999);
        add('100 classes, beta 0.9999', counts(rng, 100, intBetween(rng, 200, 600)), 0.9999);
        add('one class (weight 1)', [intBetween(rng, 1, 500)], 0.999, true);
        return cases;
      },
    },
    {
      cell: 'exercise-weighted-loss',
      title: 'weighted SupCon loss',
      points: 3,
      functions: ['weightedContrastiveLoss'],
      forbidden: ['contrast.*', 'losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, n: number, labelClasses: number, weights: number[]) => {
          const y = siameseLabels(Array.from({ length: n }, () => rng.int(labelClasses)));
          const dim = intBetween(rng, 4, 16);
          const raw = Array.from({ length: 2 * n }, () => Array.from({ length: dim }, () => f32(rng.normal())));
          const temperature = [0.07, 0.1, 0.2, 0.5][rng.int(4)];
          const { perAnchor, expected } = tf.tidy(() => {
            const anchors = l2NormalizeRows(tf.tensor2d(raw));
            const per = Array.from(supConPerAnchor(supConLogits({ anchors, labels: y, temperature })).dataSync());
            return {
              perAnchor: per,
              expected: supConLoss({ anchors, labels: y, temperature, classWeights: weights }).dataSync()[0],
            };
          });
          cases.push({
            label,
            call: 'weightedContrastiveLoss(args.perAnchor, args.labels, args.weights)',
            args: { perAnchor, labels: Array.from(y), weights },
            expected,
            tolerance: { atol: 1e-5, rtol: 1e-4 },
          });
        };
        const w = (k: number) => Array.from({ length: k }, () => f32(rng.uniform(0.1, 5)));
        add('3 classes', intBetween(rng, 4, 10), 3, w(3));
        add('classes absent from the batch', intBetween(rng, 4, 10), 2, w(10));
        add(
          'weights for beta near 1',
          intBetween(rng, 8, 16),
          10,
          effectiveNumberWeights({ classCounts: counts(rng, 10, 5000), beta: 0.999999 }).map(f32),
        );
        add('one class in the batch', 4, 1, w(4));
        return cases;
      },
    },
  ],
};
