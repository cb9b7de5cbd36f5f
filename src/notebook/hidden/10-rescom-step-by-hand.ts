/**
 * Hidden tests for chapter 10 (one ResCom training step by hand, ResCom Sec. 3): each part against
 * the library piece the criterion uses: Siamese Balanced Softmax (`losses.siameseBalancedSoftmaxLoss`),
 * row normalisation (`losses.l2NormalizeRows`), the mining mask (`contrast.mineHardPairsFromSimilarities`),
 * class weights (`contrast.effectiveNumberWeights`), weighted SupCon with masked queue keys
 * (`losses.supConLoss`), the total loss and the enqueue (`contrast.ClassBalancedQueue`).
 * Edge cases: large logits, Q_p = K, Q_n = K(C-1), beta near 1, classes absent from the batch, a
 * class written more than K times (the ring wraps), a zero row.
 */
import * as tf from '@tensorflow/tfjs';
import { ClassBalancedQueue } from '../../contrast/class-balanced-queue';
import { effectiveNumberWeights } from '../../contrast/effective-number';
import { mineHardPairsFromSimilarities } from '../../contrast/hard-pair-miner';
import { l2NormalizeRows, siameseLabels } from '../../losses/criterion';
import { siameseBalancedSoftmaxLoss } from '../../losses/logit-adjusted';
import { supConLoss } from '../../losses/supcon';
import { Rng } from '../../util/rng';
import { f32, intBetween, uniformRow, type HiddenCase, type HiddenSuite } from '../hidden-tests';

const dot = (a: number[], b: number[]) => a.reduce((s, v, d) => s + v * b[d], 0);

function unitRows(rng: Rng, n: number, dim: number): number[][] {
  return Array.from({ length: n }, () => {
    const row = Array.from({ length: dim }, () => rng.normal());
    const norm = Math.sqrt(dot(row, row));
    return row.map((v) => f32(v / norm));
  });
}

function counts(rng: Rng, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) =>
    Math.max(1, Math.round(intBetween(rng, 500, 5000) * 100 ** (-c / Math.max(1, classes - 1)))),
  );
}

/** A queue state, a Siamese batch of unit projections and their labels. */
function stepInputs(rng: Rng, classes: number, perClass: number, n: number, dim: number, labelClasses = classes) {
  const view = Array.from({ length: n }, () => rng.int(labelClasses));
  const labels = Array.from(siameseLabels(view));
  const z = unitRows(rng, 2 * n, dim);
  const keys = unitRows(rng, classes * perClass, dim);
  const keyLabels = keys.map((_, m) => Math.floor(m / perClass));
  return { labels, z, keys, keyLabels };
}

function mask(
  z: number[][],
  labels: number[],
  keys: number[][],
  numClasses: number,
  perClass: number,
  numPositives: number,
  numNegatives: number,
): number[][] {
  const similarities = z.flatMap((a) => keys.map((k) => dot(a, k)));
  const mined = mineHardPairsFromSimilarities({
    numClasses,
    perClass,
    numPositives,
    numNegatives,
    similarities,
    labels,
  });
  return z.map((_, i) => Array.from(mined.keyMask.slice(i * keys.length, (i + 1) * keys.length)));
}

export const rescomStepSuite: HiddenSuite = {
  notebook: '10-rescom-step-by-hand',
  exercises: [
    {
      cell: 'ex-sbs',
      title: 'Siamese Balanced Softmax',
      points: 2,
      functions: ['sbsByHand'],
      forbidden: ['losses.*', 'contrast.*', 'models.*', 'train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, n: number, classes: number, scale: number, labelClasses = classes) => {
          const c = counts(rng, classes);
          const labels = Array.from(siameseLabels(Array.from({ length: n }, () => rng.int(labelClasses))));
          const logits = labels.map(() => uniformRow(rng, classes, -scale, scale));
          const expected = tf.tidy(
            () => siameseBalancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: c }).dataSync()[0],
          );
          cases.push({
            label,
            call: 'sbsByHand(args.logits, args.labels, args.counts)',
            args: { logits, labels, counts: c },
            expected,
            tolerance: { atol: scale > 100 ? 1e-3 : 1e-5, rtol: 1e-4 },
          });
        };
        add('10 classes, 2 x 16 rows', 16, 10, 5);
        add('large logits (|z| up to 1000)', 6, 5, 1000);
        add('classes absent from the batch', 8, 10, 3, 2);
        add('one image (2 rows)', 1, 4, 2);
        return cases;
      },
    },
    {
      cell: 'ex-mine',
      title: 'normalisation and mining mask',
      points: 3,
      functions: ['normalizeRows', 'miningMask'],
      forbidden: ['losses.*', 'contrast.*', 'models.*', 'train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const dim = intBetween(rng, 3, 12);
        const normRows = Array.from({ length: 6 }, () => uniformRow(rng, dim, -3, 3));
        normRows.push(new Array(dim).fill(0));
        const expectedNorm = tf.tidy(() => l2NormalizeRows(tf.tensor2d(normRows)).arraySync());
        cases.push({
          label: 'normalizeRows, with a zero row',
          call: 'normalizeRows(args.rows)',
          args: { rows: normRows },
          expected: expectedNorm,
          tolerance: { atol: 1e-6, rtol: 1e-5 },
        });
        const add = (
          label: string,
          classes: number,
          perClass: number,
          numPositives: number,
          numNegatives: number,
          labelClasses = classes,
        ) => {
          const { labels, z, keys, keyLabels } = stepInputs(
            rng,
            classes,
            perClass,
            intBetween(rng, 2, 6),
            intBetween(rng, 4, 12),
            labelClasses,
          );
          cases.push({
            label,
            call: 'miningMask(args.z, args.labels, args.keys, args.keyLabels, args.numPositives, args.numNegatives).map((r) => Array.from(r, Number))',
            args: { z, labels, keys, keyLabels, numPositives, numNegatives },
            expected: mask(z, labels, keys, classes, perClass, numPositives, numNegatives),
            tolerance: { exact: true },
          });
        };
        add('C 10, K 5, Q_p 1, Q_n 30', 10, 5, 1, 30);
        add('Q_p = K', 5, 4, 4, 6);
        add('Q_n = K(C-1)', 4, 3, 1, 9);
        add('classes absent from the batch', 8, 3, 2, 10, 2);
        return cases;
      },
    },
    {
      cell: 'ex-supcon',
      title: 'class weights and weighted SupCon with keys',
      points: 3,
      functions: ['classWeights', 'weightedSupConWithKeys'],
      forbidden: ['losses.*', 'contrast.*', 'models.*', 'train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        for (const [label, beta] of [
          ['class weights, beta 0.999', 0.999],
          ['class weights, beta near 1 (0.999999)', 0.999999],
          ['class weights, beta 0 (every weight 1)', 0],
        ] as [string, number][]) {
          const c = counts(rng, 10);
          cases.push({
            label,
            call: 'classWeights(args.counts, args.beta)',
            args: { counts: c, beta },
            expected: effectiveNumberWeights({ classCounts: c, beta }),
            tolerance: { atol: 1e-9, rtol: 1e-6 },
            edge: beta === 0,
          });
        }
        const add = (
          label: string,
          classes: number,
          perClass: number,
          numPositives: number,
          numNegatives: number,
          labelClasses = classes,
        ) => {
          const { labels, z, keys, keyLabels } = stepInputs(
            rng,
            classes,
            perClass,
            intBetween(rng, 3, 6),
            intBetween(rng, 4, 10),
            labelClasses,
          );
          const keyMask = mask(z, labels, keys, classes, perClass, numPositives, numNegatives);
          const weights = effectiveNumberWeights({ classCounts: counts(rng, classes), beta: 0.999 }).map(f32);
          const temperature = [0.1, 0.2, 0.5][rng.int(3)];
          const expected = tf.tidy(
            () =>
              supConLoss({
                anchors: tf.tensor2d(z),
                labels,
                keys: tf.tensor2d(keys),
                keyLabels,
                keyMask: Float32Array.from(keyMask.flat()),
                classWeights: weights,
                temperature,
              }).dataSync()[0],
          );
          cases.push({
            label,
            call: 'weightedSupConWithKeys(args.z, args.labels, args.keys, args.keyLabels, args.keyMask, args.weights, args.temperature)',
            args: { z, labels, keys, keyLabels, keyMask, weights, temperature },
            expected,
            tolerance: { atol: 1e-5, rtol: 1e-4 },
          });
        };
        add('weighted SupCon, C 6, K 4', 6, 4, 1, 12);
        add('weighted SupCon, Q_p = K', 5, 3, 3, 6);
        add('weighted SupCon, classes absent from the batch', 8, 2, 1, 8, 3);
        return cases;
      },
    },
    {
      cell: 'ex-enqueue',
      title: 'total loss and enqueue',
      points: 2,
      functions: ['totalLoss', 'enqueueByHand'],
      forbidden: ['losses.*', 'contrast.*', 'models.*', 'train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const [cls, con, w] = [rng.uniform(0.1, 5), rng.uniform(0.1, 8), rng.uniform(0.1, 2)];
        cases.push({
          label: 'total loss',
          call: 'totalLoss(args.cls, args.con, args.conWeight)',
          args: { cls, con, conWeight: w },
          expected: cls + w * con,
          tolerance: { atol: 1e-12, rtol: 1e-12 },
        });
        const add = (label: string, classes: number, perClass: number, view1: number[], dim: number) => {
          const labels = Array.from(siameseLabels(view1));
          const z = unitRows(rng, labels.length, dim);
          const state = {
            numClasses: classes,
            perClass,
            dim,
            keys: unitRows(rng, classes * perClass, dim),
            pointers: Array.from({ length: classes }, () => rng.int(perClass)),
          };
          const queue = new ClassBalancedQueue({ numClasses: classes, perClass, dim, rng: new Rng(0) });
          let expected: [number[][], number[]];
          try {
            queue.restore(state);
            queue.enqueue({ keys: Float32Array.from(z.slice(0, view1.length).flat()), labels: view1 });
            expected = [queue.keys().arraySync(), Array.from(queue.pointers())];
          } finally {
            queue.dispose();
          }
          cases.push({
            label,
            call: '((r) => [r.keys.map((k) => Array.from(k)), Array.from(r.pointers)])(enqueueByHand({ keys: args.keys, pointers: args.pointers, perClass: args.perClass }, args.z, args.labels))',
            args: { keys: state.keys, pointers: state.pointers, perClass, z, labels },
            expected,
            tolerance: { atol: 1e-6, rtol: 1e-5 },
          });
        };
        add(
          'enqueue, C 10, K 5',
          10,
          5,
          Array.from({ length: 8 }, () => rng.int(10)),
          8,
        );
        add('a class more than K times (the ring wraps)', 3, 2, [1, 1, 1, 0, 1], 4);
        add('K = 1', 4, 1, [0, 3, 3], 6);
        add('classes absent from the batch', 10, 3, [2, 2, 7], 5);
        return cases;
      },
    },
  ],
};
