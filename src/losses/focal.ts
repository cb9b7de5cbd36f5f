/**
 * Focal loss (Lin et al., "Focal Loss for Dense Object Detection", 2017, eq. 5), a long-tail baseline:
 * FL_i = -alpha_{y_i} (1 - p_{i,y_i})^gamma log p_{i,y_i}, averaged over the batch.
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkNumber,
  checkShape,
  classVector,
  labelTensor,
  weightsPerRow,
  type ClassVectorLike,
  type LabelsLike,
} from './checks';

export interface FocalLossOptions {
  /** Classifier logits `[B, C]`. */
  logits: tf.Tensor2D;
  /** Class indices `[B]`. */
  labels: LabelsLike;
  /** Focusing parameter gamma >= 0; default 2 (gamma = 0 is cross-entropy). */
  gamma?: number;
  /** Optional per-class factors alpha `[C]`; default none (all 1). The result stays a plain mean. */
  alpha?: ClassVectorLike;
}

/** Mean focal loss; a scalar. */
export function focalLoss(options: FocalLossOptions): tf.Scalar {
  const fn = 'focalLoss';
  const { logits } = options;
  const gamma = checkNumber(fn, 'gamma', options.gamma ?? 2, (g) => g >= 0, 'a number >= 0');
  checkShape(fn, 'logits', logits, [null, null]);
  const [rows, numClasses] = logits.shape;
  return tf.tidy(() => {
    const labels = labelTensor(fn, options.labels, numClasses, rows);
    const oneHot = tf.oneHot(labels, numClasses).toFloat();
    const logPt = tf.sum(tf.mul(oneHot, tf.logSoftmax(logits, 1)), 1);
    // (1 - p_t)^gamma written as exp(gamma * log1p(-p_t)) would be unstable at p_t = 1; pow with a
    // clamp at 0 keeps the gradient finite for every gamma >= 0.
    const oneMinusPt = tf.relu(tf.sub(1, tf.exp(logPt)));
    const modulator = gamma === 0 ? tf.onesLike(oneMinusPt) : tf.pow(oneMinusPt, gamma);
    let perRow = tf.neg(tf.mul(modulator, logPt));
    if (options.alpha !== undefined)
      perRow = tf.mul(weightsPerRow(labels, classVector(fn, 'alpha', options.alpha, numClasses)), perRow);
    return tf.mean(perRow) as tf.Scalar;
  });
}
