/**
 * LDAM loss with deferred re-weighting (Cao et al., "Learning Imbalanced Datasets with
 * Label-Distribution-Aware Margin Loss", NeurIPS 2019, eq. 13 and Sec. 3.3), a long-tail baseline.
 * The true-class logit is lowered by a margin m_c proportional to n_c^(-1/4) (largest margin
 * `maxMargin`), logits are scaled by `scale`, then (optionally weighted) cross-entropy.
 * DRW: plain weights until `startEpoch`, then class-balanced weights (effective number, beta 0.9999).
 */
import * as tf from '@tensorflow/tfjs';
import { effectiveNumberWeights } from '../contrast/effective-number';
import {
  checkInteger,
  checkNumber,
  checkShape,
  classCountArray,
  classVector,
  labelTensor,
  weightsPerRow,
  type ClassVectorLike,
  type LabelsLike,
} from './checks';
import { crossEntropyPerRow } from './cross-entropy';

export interface LdamOptions {
  /** Classifier logits `[B, C]` (LDAM expects a cosine / normalised classifier, hence `scale`). */
  logits: tf.Tensor2D;
  /** Class indices `[B]`. */
  labels: LabelsLike;
  /** Training images per class `[C]`, all >= 1. */
  classCounts: ArrayLike<number>;
  /** Largest margin (given to the rarest class); default 0.5. */
  maxMargin?: number;
  /** Logit scale s; default 30. */
  scale?: number;
  /** Optional per-class weights `[C]` (e.g. from `drwClassWeights`); weighted mean as in PyTorch. */
  classWeights?: ClassVectorLike;
}

/** Per-class margins m_c = maxMargin * n_c^(-1/4) / max_k n_k^(-1/4). */
export function ldamMargins(classCounts: ArrayLike<number>, maxMargin = 0.5): number[] {
  const counts = classCountArray('ldamMargins', classCounts);
  counts.forEach((n, i) => {
    if (n < 1) throw new Error(`ldamMargins: classCounts[${i}] must be >= 1; got ${n}`);
  });
  const raw = counts.map((n) => 1 / Math.pow(n, 0.25));
  const largest = Math.max(...raw);
  return raw.map((m) => (m * maxMargin) / largest);
}

/** LDAM loss; a scalar. */
export function ldamLoss(options: LdamOptions): tf.Scalar {
  const fn = 'ldamLoss';
  const { logits } = options;
  checkShape(fn, 'logits', logits, [null, null]);
  const [rows, numClasses] = logits.shape;
  const maxMargin = checkNumber(fn, 'maxMargin', options.maxMargin ?? 0.5, (m) => m >= 0, 'a number >= 0');
  const scale = checkNumber(fn, 'scale', options.scale ?? 30, (s) => s > 0, 'a number > 0');
  const margins = ldamMargins(classCountArray(fn, options.classCounts, numClasses), maxMargin);
  return tf.tidy(() => {
    const labels = labelTensor(fn, options.labels, numClasses, rows);
    const oneHot = tf.oneHot(labels, numClasses).toFloat();
    const shifted = tf.sub(logits, tf.mul(oneHot, tf.tensor2d(margins, [1, numClasses])));
    const perRow = crossEntropyPerRow(tf.mul(shifted, scale) as tf.Tensor2D, labels);
    if (options.classWeights === undefined) return tf.mean(perRow) as tf.Scalar;
    const w = weightsPerRow(labels, classVector(fn, 'classWeights', options.classWeights, numClasses));
    return tf.div(tf.sum(tf.mul(w, perRow)), tf.sum(w)) as tf.Scalar;
  });
}

export interface DrwOptions {
  /** Training images per class `[C]`. */
  classCounts: ArrayLike<number>;
  /** Current epoch (0-based). */
  epoch: number;
  /** First epoch with re-weighting; default 160 (of 200, Cao et al.'s CIFAR schedule). */
  startEpoch?: number;
  /** Effective-number beta for the re-weighting; default 0.9999. */
  beta?: number;
}

/**
 * Deferred re-weighting schedule: all-ones weights before `startEpoch`, then class-balanced weights
 * w_c = C * (1/E_c) / sum_k (1/E_k) (Cui et al.'s normalisation, as in the LDAM-DRW code). `[C]` numbers.
 */
export function drwClassWeights(options: DrwOptions): number[] {
  const fn = 'drwClassWeights';
  const counts = classCountArray(fn, options.classCounts);
  const epoch = checkInteger(fn, 'epoch', options.epoch, 0);
  const startEpoch = checkInteger(fn, 'startEpoch', options.startEpoch ?? 160, 0);
  if (epoch < startEpoch) return counts.map(() => 1);
  return effectiveNumberWeights({ classCounts: counts, beta: options.beta ?? 0.9999, normalization: 'sum-to-classes' });
}
