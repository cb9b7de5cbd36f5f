/**
 * Softmax cross-entropy, the plain baseline (method `ce`) and the building block of the re-balanced
 * losses.
 */
import * as tf from '@tensorflow/tfjs';
import { checkShape, classVector, labelTensor, weightsPerRow, type ClassVectorLike, type LabelsLike } from './checks';

export interface CrossEntropyOptions {
  /** Classifier logits `[B, C]`. */
  logits: tf.Tensor2D;
  /** Class indices `[B]` in 0..C-1. */
  labels: LabelsLike;
  /**
   * Optional per-class weights `[C]`. With weights the result is sum_i w_{y_i} l_i / sum_i w_{y_i},
   * PyTorch's `F.cross_entropy(weight=w)` convention. Default: none (plain mean).
   */
  classWeights?: ClassVectorLike;
}

/** Per-row negative log-likelihood `[B]` of `labels` under softmax(`logits`). */
export function crossEntropyPerRow(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const oneHot = tf.oneHot(labels, numClasses).toFloat();
    return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits, 1)), 1)) as tf.Tensor1D;
  });
}

/** Mean (or class-weighted mean) softmax cross-entropy; a scalar. */
export function crossEntropyLoss(options: CrossEntropyOptions): tf.Scalar {
  const fn = 'crossEntropyLoss';
  const { logits } = options;
  checkShape(fn, 'logits', logits, [null, null]);
  const [rows, numClasses] = logits.shape;
  return tf.tidy(() => {
    const labels = labelTensor(fn, options.labels, numClasses, rows);
    const perRow = crossEntropyPerRow(logits, labels);
    if (options.classWeights === undefined) return tf.mean(perRow) as tf.Scalar;
    const w = weightsPerRow(labels, classVector(fn, 'classWeights', options.classWeights, numClasses));
    return tf.div(tf.sum(tf.mul(w, perRow)), tf.sum(w)) as tf.Scalar;
  });
}
