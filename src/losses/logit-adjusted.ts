/**
 * Prior-corrected softmax losses for long-tailed training.
 *
 * Logit adjustment (Menon et al., "Long-tail learning via logit adjustment", ICLR 2021, eq. 10):
 * CE(logits + tau * log(pi + eps), y) with class prior pi_c = n_c / sum n.
 * Balanced Softmax (Ren et al., NeurIPS 2020) is the tau = 1 case; it is the classification part of
 * ResCom. Siamese Balanced Softmax (ResCom Sec. 3.1) applies it to BOTH augmented views: with the
 * rows of the Siamese batch stacked, that is the same mean over 2N rows.
 * At test time the prior is NOT added: predict argmax(logits).
 */
import * as tf from '@tensorflow/tfjs';
import { checkNumber, checkShape, classCountArray, labelTensor, type LabelsLike } from './checks';
import { crossEntropyPerRow } from './cross-entropy';

export interface LogitAdjustedOptions {
  /** Classifier logits `[B, C]` (W f, without any prior). */
  logits: tf.Tensor2D;
  /** Class indices `[B]`. */
  labels: LabelsLike;
  /** Training images per class `[C]`; the prior is n_c / sum n. */
  classCounts: ArrayLike<number>;
  /** Scale of the log-prior; default 1 (Balanced Softmax). */
  tau?: number;
  /** Added to the prior before the log so that empty classes stay finite; default 1e-9 (ResCom's code). */
  epsilon?: number;
}

/** log(pi_c + eps) per class, in float64, for classes with counts `classCounts`. */
export function logPrior(classCounts: ArrayLike<number>, epsilon = 1e-9): number[] {
  const counts = classCountArray('logPrior', classCounts);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => Math.log(n / total + epsilon));
}

/** Mean logit-adjusted cross-entropy; a scalar. */
export function logitAdjustedLoss(options: LogitAdjustedOptions): tf.Scalar {
  const fn = 'logitAdjustedLoss';
  const { logits } = options;
  checkShape(fn, 'logits', logits, [null, null]);
  const [rows, numClasses] = logits.shape;
  const tau = checkNumber(fn, 'tau', options.tau ?? 1, () => true, 'a finite number');
  const epsilon = checkNumber(fn, 'epsilon', options.epsilon ?? 1e-9, (e) => e >= 0, 'a number >= 0');
  const counts = classCountArray(fn, options.classCounts, numClasses);
  const shift = logPrior(counts, epsilon).map((v) => tau * v);
  return tf.tidy(() => {
    const labels = labelTensor(fn, options.labels, numClasses, rows);
    const adjusted = tf.add(logits, tf.tensor2d(shift, [1, numClasses])) as tf.Tensor2D;
    return tf.mean(crossEntropyPerRow(adjusted, labels)) as tf.Scalar;
  });
}

export type BalancedSoftmaxOptions = Omit<LogitAdjustedOptions, 'tau'>;

/** Balanced Softmax: mean CE(logits + log(pi + eps), y) over the rows given; a scalar. */
export function balancedSoftmaxLoss(options: BalancedSoftmaxOptions): tf.Scalar {
  return logitAdjustedLoss({ ...options, tau: 1 });
}

export interface SiameseBalancedSoftmaxOptions extends BalancedSoftmaxOptions {
  /** Logits of the Siamese batch `[2N, C]`: rows 0..N-1 view 1, N..2N-1 view 2 of the same images. */
  logits: tf.Tensor2D;
  /** Labels `[2N]` (the N labels repeated). */
  labels: LabelsLike;
}

/**
 * Siamese Balanced Softmax (ResCom Sec. 3.1): Balanced Softmax over both views, i.e. the mean over
 * all 2N rows; a scalar. Checks that the batch has an even number of rows.
 */
export function siameseBalancedSoftmaxLoss(options: SiameseBalancedSoftmaxOptions): tf.Scalar {
  const rows = options.logits.shape[0];
  if (options.logits.rank !== 2 || rows % 2 !== 0) {
    throw new Error(
      `siameseBalancedSoftmaxLoss: logits must be [2N, C] (two views stacked); got [${options.logits.shape.join(', ')}]`,
    );
  }
  return balancedSoftmaxLoss(options);
}
