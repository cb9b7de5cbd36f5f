/**
 * Hidden tests for chapter 03 (Balanced Softmax, ResCom Sec. 3.1; Ren et al. 2020): the log prior,
 * the loss by hand and the test-time prediction, against `losses.logPrior` / `losses.balancedSoftmaxLoss`.
 * Edge cases: large logits (|z| up to 1000, where a naive exp overflows), classes absent from the
 * batch, a class with no training images, one-row batches.
 */
import * as tf from '@tensorflow/tfjs';
import { balancedSoftmaxLoss, logPrior } from '../../losses';
import type { Rng } from '../../util/rng';
import { intBetween, uniformRow, type HiddenCase, type HiddenSuite } from '../hidden-tests';

/** Long-tailed counts: the head class has `head` images, the tail about head / imbalance. */
function longTailCounts(rng: Rng, classes: number, head: number, imbalance: number, absent = false): number[] {
  const counts = Array.from({ length: classes }, (_, c) =>
    Math.max(1, Math.round(head * imbalance ** (-c / Math.max(1, classes - 1)))),
  );
  rng.shuffle(counts);
  if (absent) counts[rng.int(classes)] = 0;
  return counts;
}

function batch(
  rng: Rng,
  rows: number,
  classes: number,
  scale: number,
  labelClasses = classes,
): { logits: number[][]; labels: number[] } {
  const logits = Array.from({ length: rows }, () => uniformRow(rng, classes, -scale, scale));
  const labels = Array.from({ length: rows }, () => rng.int(labelClasses));
  return { logits, labels };
}

function bsLoss(logits: number[][], labels: number[], counts: number[]): number {
  return tf.tidy(() => balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]);
}

function argmaxRows(logits: number[][]): number[] {
  return tf.tidy(() => Array.from(tf.argMax(tf.tensor2d(logits), 1).dataSync()));
}

export const balancedSoftmaxSuite: HiddenSuite = {
  notebook: '03-balanced-softmax',
  exercises: [
    {
      cell: 'exercise-log-prior',
      title: 'log prior',
      points: 2,
      functions: ['logPriorByHand'],
      forbidden: ['losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const settings: [string, number, number, number, boolean][] = [
          ['3 classes', 3, intBetween(rng, 50, 5000), 10, false],
          ['10 classes, IF 100', 10, intBetween(rng, 1000, 6000), 100, false],
          ['100 classes, IF 256', 100, intBetween(rng, 200, 1300), 256, false],
          ['a class with no images', 6, intBetween(rng, 100, 900), 50, true],
          ['one class', 1, intBetween(rng, 1, 99), 1, false],
        ];
        for (const [label, classes, head, imbalance, absent] of settings) {
          const counts = longTailCounts(rng, classes, head, imbalance, absent);
          cases.push({
            label,
            call: 'logPriorByHand(args.counts)',
            args: { counts },
            expected: logPrior(counts),
            tolerance: { atol: 1e-9, rtol: 1e-9 },
          });
        }
        return cases;
      },
    },
    {
      cell: 'exercise-balanced-softmax',
      title: 'Balanced Softmax by hand',
      points: 4,
      functions: ['balancedSoftmaxByHand'],
      forbidden: ['losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (
          label: string,
          rows: number,
          classes: number,
          scale: number,
          absent: boolean,
          labelClasses = classes,
        ) => {
          const counts = longTailCounts(rng, classes, intBetween(rng, 200, 5000), intBetween(rng, 10, 200), absent);
          const { logits, labels } = batch(rng, rows, classes, scale, labelClasses);
          // Float32 reference: allow its rounding, relative to the size of the loss.
          cases.push({
            label,
            call: 'balancedSoftmaxByHand(args.logits, args.labels, args.counts)',
            args: { logits, labels, counts },
            expected: bsLoss(logits, labels, counts),
            tolerance: { atol: scale > 100 ? 1e-3 : 1e-5, rtol: 1e-4 },
          });
        };
        add('small logits, 5 classes', intBetween(rng, 3, 8), 5, 3, false);
        add('10 classes, 32 rows', 32, 10, 6, false);
        add('large logits (|z| up to 1000)', intBetween(rng, 4, 10), 6, 1000, false);
        add('large logits (|z| up to 800), 20 classes', 12, 20, 800, false);
        add('classes absent from the batch', 6, 10, 4, false, 3);
        add('a class with no training images', 8, 7, 5, true);
        add('one row', 1, 4, 2, false);
        return cases;
      },
    },
    {
      cell: 'exercise-prediction',
      title: 'test-time prediction',
      points: 2,
      functions: ['balancedPrediction'],
      forbidden: ['losses.*', 'evaluation.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, rows: number, classes: number, scale: number) => {
          const { logits } = batch(rng, rows, classes, scale);
          cases.push({
            label,
            call: 'balancedPrediction(args.logits)',
            args: { logits },
            expected: argmaxRows(logits),
            tolerance: { exact: true },
          });
        };
        add('10 classes', 16, 10, 3);
        add('large logits (|z| up to 1000)', 8, 5, 1000);
        add('negative logits only', 6, 4, 0.5);
        add('one row, 100 classes', 1, 100, 10);
        // Negative: shift every row below zero, so an argmax that starts from 0 fails.
        const { logits } = batch(rng, 5, 6, 1);
        const shifted = logits.map((row) => row.map((z) => Math.fround(z - 50)));
        cases.push({
          label: 'all logits below -40',
          call: 'balancedPrediction(args.logits)',
          args: { logits: shifted },
          expected: argmaxRows(shifted),
          tolerance: { exact: true },
        });
        return cases;
      },
    },
  ],
};
