/**
 * Hidden tests for the capstone assignment (assignments/12-capstone-rescom-step.ipynb): the whole
 * ResCom training loss written with tf ops (ResCom Sec. 3: Siamese Balanced Softmax, L2-normalised
 * projections, hard pair mining against the class-balanced queue, effective-number class weights,
 * SupCon over the batch and the mined keys, L = L_cls + lambda L_con), differentiated with tf.grads
 * in the student's process and compared, loss and both gradients, with `losses.ResComCriterion`
 * (the object the trainer calls) on hidden random steps. The criterion and every other loss, queue,
 * miner, model and trainer function are trapped for the student's code.
 * Edge cases of the chapters: Q_p = K, Q_n = K(C-1), beta 0 (no weights), beta near 1, classes
 * absent from the batch, logits up to 200. Draws whose mining would hinge on a near tie (two
 * similarities within 1e-4 at a cut) are redrawn, so float32 and float64 similarities mine alike.
 */
import * as tf from '@tensorflow/tfjs';
import { siameseLabels } from '../../losses/criterion';
import { ResComCriterion } from '../../losses/criterion';
import { Rng } from '../../util/rng';
import { f32, intBetween, uniformRow, type HiddenCase, type HiddenSuite, type JsonValue } from '../hidden-tests';

export interface CapstoneArgs {
  logits: number[][];
  projections: number[][];
  batch: {
    labels: number[];
    classCounts: number[];
    keys: number[][];
    keyLabels: number[];
    numPositives: number;
    numNegatives: number;
    temperature: number;
    conWeight: number;
    beta: number;
  };
}

const unit = (row: number[]) => {
  const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
  return row.map((v) => f32(v / norm));
};

/** True when every anchor's Q_p-th / Q_n-th similarity is at least `gap` from the next one. */
function clearCuts(args: CapstoneArgs, gap = 1e-4): boolean {
  const { keys, keyLabels, labels, numPositives, numNegatives } = args.batch;
  return args.projections.every((p, i) => {
    const f = unit(p);
    const sims = keys.map((k) => k.reduce((s, v, d) => s + v * f[d], 0));
    const own = sims.filter((_, k) => keyLabels[k] === labels[i]).sort((a, b) => a - b);
    const other = sims.filter((_, k) => keyLabels[k] !== labels[i]).sort((a, b) => b - a);
    const cut = (list: number[], q: number) => q <= 0 || q >= list.length || Math.abs(list[q - 1] - list[q]) > gap;
    return cut(own, numPositives) && cut(other, numNegatives);
  });
}

/** Random inputs of one step (C classes, K keys per class, N images, dimension d). */
export function capstoneArgs(
  rng: Rng,
  setting: { classes: number; perClass: number; images: number; dim: number; qp: number; qn: number; beta: number },
  options: { labelClasses?: number; logitScale?: number } = {},
): CapstoneArgs {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { classes, perClass, images, dim } = setting;
    const view1 = Array.from({ length: images }, () => rng.int(options.labelClasses ?? classes));
    const labels = Array.from(siameseLabels(view1));
    const scale = options.logitScale ?? 4;
    const args: CapstoneArgs = {
      logits: labels.map(() => uniformRow(rng, classes, -scale, scale)),
      projections: labels.map(() => Array.from({ length: dim }, () => f32(rng.normal() * 2))),
      batch: {
        labels,
        classCounts: Array.from({ length: classes }, (_, c) =>
          Math.max(1, Math.round(intBetween(rng, 500, 5000) * 100 ** (-c / Math.max(1, classes - 1)))),
        ),
        keys: Array.from({ length: classes * perClass }, () => unit(Array.from({ length: dim }, () => rng.normal()))),
        keyLabels: Array.from({ length: classes * perClass }, (_, m) => Math.floor(m / perClass)),
        numPositives: setting.qp,
        numNegatives: setting.qn,
        temperature: [0.1, 0.2, 0.5][rng.int(3)],
        conWeight: [0.5, 0.75, 2][rng.int(3)],
        beta: setting.beta,
      },
    };
    if (clearCuts(args)) return args;
  }
  throw new Error('capstoneArgs: no draw without a near tie in 200 attempts');
}

/** The library's loss and gradients (logits, projections) for these inputs: [loss, dLogits, dProjections]. */
export function capstoneExpected(args: CapstoneArgs): JsonValue {
  const { batch } = args;
  const classes = batch.classCounts.length;
  const perClass = batch.keys.length / classes;
  const dim = args.projections[0].length;
  const criterion = new ResComCriterion({
    method: 'rescom',
    numClasses: classes,
    classCounts: batch.classCounts,
    projectionDim: dim,
    queuePerClass: perClass,
    selectNumPos: batch.numPositives,
    selectNumNeg: batch.numNegatives,
    temperature: batch.temperature,
    conWeight: batch.conWeight,
    effectiveNumBeta: batch.beta,
    rng: new Rng(0),
  });
  try {
    criterion.queue!.restore({
      numClasses: classes,
      perClass,
      dim,
      keys: batch.keys,
      pointers: new Array(classes).fill(0),
    });
    return tf.tidy(() => {
      const loss = (logits: tf.Tensor, projections: tf.Tensor) => {
        const parts = criterion.loss({
          logits: logits as tf.Tensor2D,
          projections: projections as tf.Tensor2D,
          labels: batch.labels,
        });
        return parts.total;
      };
      const { value, grads } = tf.valueAndGrads(loss)([tf.tensor2d(args.logits), tf.tensor2d(args.projections)]);
      return [value.dataSync()[0], grads[0].arraySync() as number[][], grads[1].arraySync() as number[][]];
    });
  } finally {
    criterion.dispose();
  }
}

/** The student's `rescomStepLoss`, differentiated with tf.grads in the student's process. */
export const CAPSTONE_CALL =
  'tf.tidy(() => { const f = (l, p) => rescomStepLoss(l, p, args.batch); ' +
  'const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(args.logits), tf.tensor2d(args.projections)]); ' +
  'return [value.dataSync()[0], grads[0].arraySync(), grads[1].arraySync()]; })';

export const capstoneSuite: HiddenSuite = {
  notebook: '12-capstone-rescom-step',
  exercises: [
    {
      cell: 'capstone-step',
      title: 'ResCom step in tf ops (loss and gradients)',
      points: 10,
      functions: ['rescomStepLoss'],
      forbidden: ['losses.*', 'contrast.*', 'models.*', 'train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (
          label: string,
          setting: Parameters<typeof capstoneArgs>[1],
          options: Parameters<typeof capstoneArgs>[2] = {},
        ) => {
          const args = capstoneArgs(rng, setting, options);
          cases.push({
            label,
            call: CAPSTONE_CALL,
            args: args as unknown as JsonValue,
            expected: capstoneExpected(args),
            // float32 on both sides; gradients are small numbers, so an absolute floor too.
            tolerance: { atol: 2e-5, rtol: 1e-3 },
          });
        };
        add('C 10, K 5, Q_p 1, Q_n 20, beta 0.999', {
          classes: 10,
          perClass: 5,
          images: 6,
          dim: 8,
          qp: 1,
          qn: 20,
          beta: 0.999,
        });
        add('Q_p = K', { classes: 5, perClass: 3, images: 5, dim: 6, qp: 3, qn: intBetween(rng, 2, 8), beta: 0.999 });
        add('Q_n = K(C-1): every other key', { classes: 4, perClass: 3, images: 4, dim: 5, qp: 1, qn: 9, beta: 0.99 });
        add('beta 0 (every class weight 1)', { classes: 6, perClass: 2, images: 5, dim: 7, qp: 1, qn: 6, beta: 0 });
        add('beta near 1 (0.999999)', { classes: 8, perClass: 2, images: 6, dim: 8, qp: 2, qn: 10, beta: 0.999999 });
        add(
          'classes absent from the batch',
          { classes: 10, perClass: 2, images: 4, dim: 6, qp: 1, qn: 12, beta: 0.999 },
          { labelClasses: 3 },
        );
        add(
          'large logits (|z| up to 200)',
          { classes: 5, perClass: 2, images: 4, dim: 4, qp: 1, qn: 5, beta: 0.999 },
          { logitScale: 200 },
        );
        return cases;
      },
    },
  ],
};
