/**
 * Supervised contrastive loss (Khosla et al., NeurIPS 2020, "L_out"), in the form ResCom uses
 * (arXiv 2203.11506, Sec. 3.2-3.4, and docs/paper-notes.md):
 *
 *   l_i = -(1/|P_i|) sum_{p in P_i} log( exp(u_ip) / sum_{a in A_i} exp(u_ia) ),  u = s / tau,
 *   L   = (1/B) sum_i w_{y_i} l_i,
 *
 * with s the cosine similarity of L2-normalised projections. A_i holds the other B-1 batch rows
 * plus the reference keys (queue) that `keyMask` lets in; P_i the members of A_i with the anchor's
 * label. An anchor with no positive contributes 0 (it still counts in the mean over B, as in the
 * authors' code). Everything is masks and matMuls: no gather, so it differentiates on wasm.
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

/** Stand-in for -infinity on masked-out logits: far below any u = s / tau, yet finite (0 * it is 0). */
const MASKED_LOGIT = -1e9;

/** max over axis 1 `[B, 1]`, treated as a constant by autodiff (a stop-gradient). */
const rowMaxWithoutGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.max(x, 1, true),
  gradFunc: () => tf.zerosLike(x),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D) => tf.Tensor2D;

export interface SupConFromLogitsOptions {
  /** Contrastive logits u `[B, M]` (similarity / temperature) of every anchor against every candidate. */
  logits: tf.Tensor2D;
  /** `[B, M]` 1 where candidate a is a positive of anchor i (must be inside `candidateMask`). */
  positiveMask: tf.Tensor2D;
  /** `[B, M]` 1 where candidate a belongs to A_i (enters the softmax denominator). */
  candidateMask: tf.Tensor2D;
}

/** Per-anchor losses l_i `[B]` (0 for anchors without positives). */
export function supConPerAnchor(options: SupConFromLogitsOptions): tf.Tensor1D {
  const fn = 'supConPerAnchor';
  const { logits, positiveMask, candidateMask } = options;
  checkShape(fn, 'logits', logits, [null, null]);
  checkShape(fn, 'positiveMask', positiveMask, logits.shape);
  checkShape(fn, 'candidateMask', candidateMask, logits.shape);
  return tf.tidy(() => {
    // Masked log-sum-exp over A_i. The row max only stabilises: its gradient cancels exactly, so it
    // is taken without one (tf.max's gradient runs a broadcast Equal, measured ~30 ms on wasm here).
    const masked = tf.add(tf.mul(logits, candidateMask), tf.mul(tf.sub(1, candidateMask), MASKED_LOGIT));
    const rowMax = rowMaxWithoutGradient(masked as tf.Tensor2D);
    const sumExp = tf.sum(tf.mul(tf.exp(tf.sub(masked, rowMax)), candidateMask), 1);
    // max(., tiny) only matters for a row with an empty A_i, whose loss is zeroed below anyway.
    const logDenominator = tf.add(tf.log(tf.maximum(sumExp, 1e-30)), tf.squeeze(rowMax, [1]));
    const positives = tf.sum(positiveMask, 1);
    const meanPositiveLogit = tf.div(tf.sum(tf.mul(logits, positiveMask), 1), tf.maximum(positives, 1));
    const hasPositive = tf.minimum(positives, 1);
    return tf.mul(hasPositive, tf.sub(logDenominator, meanPositiveLogit)) as tf.Tensor1D;
  });
}

/** (1/B) sum_i w_i l_i; a scalar. `anchorWeights` `[B]` defaults to all 1. */
export function supConFromLogits(options: SupConFromLogitsOptions & { anchorWeights?: tf.Tensor1D }): tf.Scalar {
  return tf.tidy(() => {
    const perAnchor = supConPerAnchor(options);
    if (options.anchorWeights === undefined) return tf.mean(perAnchor) as tf.Scalar;
    checkShape('supConFromLogits', 'anchorWeights', options.anchorWeights, [perAnchor.shape[0]]);
    return tf.mean(tf.mul(options.anchorWeights, perAnchor)) as tf.Scalar;
  });
}

export interface SupConOptions {
  /** L2-normalised anchor projections z `[B, d]` (for a Siamese batch: view 1 rows, then view 2). */
  anchors: tf.Tensor2D;
  /** Anchor labels `[B]`. */
  labels: LabelsLike;
  /** Optional reference keys `[M, d]` (L2-normalised, e.g. queue keys; treated as constants). */
  keys?: tf.Tensor2D;
  /** Labels of the keys `[M]`; required with `keys`. */
  keyLabels?: LabelsLike;
  /** Optional `[B, M]` 0/1 mask of the keys each anchor uses (e.g. mined pairs); default all keys. */
  keyMask?: tf.Tensor2D | Float32Array;
  /** Optional per-class anchor weights `[C]` (w_{y_i}, e.g. effective-number weights); default all 1. */
  classWeights?: ClassVectorLike;
  /** Temperature tau > 0; default 0.2 (ResCom). */
  temperature?: number;
  /** Use the other batch rows as candidates; default true. */
  includeBatchPairs?: boolean;
}

/** Contrastive logits u `[B, M']` and the positive / candidate masks, from anchors and keys. */
export interface ContrastiveLogits {
  /** `[B, B + M]` (batch columns first, then keys), or `[B, M]` without batch pairs. */
  logits: tf.Tensor2D;
  positiveMask: tf.Tensor2D;
  candidateMask: tf.Tensor2D;
}

/** Builds the contrastive logits and masks of `supConLoss` (tensors owned by the caller). */
export function supConLogits(options: SupConOptions): ContrastiveLogits {
  const fn = 'supConLoss';
  const { anchors, keys } = options;
  checkShape(fn, 'anchors', anchors, [null, null]);
  const [rows, dim] = anchors.shape;
  const temperature = checkNumber(fn, 'temperature', options.temperature ?? 0.2, (t) => t > 0, 'a number > 0');
  const includeBatch = options.includeBatchPairs ?? true;
  if (!includeBatch && !keys) throw new Error(`${fn}: keys must be given when includeBatchPairs is false`);
  const anyClass = Number.MAX_SAFE_INTEGER;
  return tf.tidy((): tf.TensorContainer => {
    const labels = labelTensor(fn, options.labels, anyClass, rows);
    const parts: ContrastiveLogits[] = [];
    if (includeBatch) {
      const notSelf = tf.sub(1, tf.eye(rows));
      const same = sameLabelMask(options.labels, labels, options.labels, labels);
      parts.push({
        logits: tf.div(tf.matMul(anchors, anchors, false, true), temperature) as tf.Tensor2D,
        positiveMask: tf.mul(same, notSelf) as tf.Tensor2D,
        candidateMask: notSelf as tf.Tensor2D,
      });
    }
    if (keys) {
      checkShape(fn, 'keys', keys, [null, dim]);
      const numKeys = keys.shape[0];
      if (options.keyLabels === undefined) throw new Error(`${fn}: keyLabels [${numKeys}] must be given with keys`);
      const keyLabels = labelTensor(fn, options.keyLabels, anyClass, numKeys);
      let keyMask: tf.Tensor2D;
      if (options.keyMask === undefined) keyMask = tf.ones([rows, numKeys]);
      else if (options.keyMask instanceof tf.Tensor) {
        checkShape(fn, 'keyMask', options.keyMask, [rows, numKeys]);
        keyMask = options.keyMask.toFloat().clone();
      } else {
        if (options.keyMask.length !== rows * numKeys) {
          throw new Error(
            `${fn}: keyMask must hold ${rows}x${numKeys} = ${rows * numKeys} values; got ${options.keyMask.length}`,
          );
        }
        keyMask = tf.tensor2d(options.keyMask, [rows, numKeys]);
      }
      const same = sameLabelMask(options.labels, labels, options.keyLabels, keyLabels);
      parts.push({
        logits: tf.div(tf.matMul(anchors, keys, false, true), temperature) as tf.Tensor2D,
        positiveMask: tf.mul(same, keyMask) as tf.Tensor2D,
        candidateMask: keyMask,
      });
    }
    if (parts.length === 1) return { ...parts[0] };
    return {
      logits: tf.concat(
        parts.map((p) => p.logits),
        1,
      ) as tf.Tensor2D,
      positiveMask: tf.concat(
        parts.map((p) => p.positiveMask),
        1,
      ) as tf.Tensor2D,
      candidateMask: tf.concat(
        parts.map((p) => p.candidateMask),
        1,
      ) as tf.Tensor2D,
    };
  }) as unknown as ContrastiveLogits;
}

/**
 * `[R, S]` 1 where row label equals column label. Built in JS when both label sets are plain arrays
 * (wasm's broadcasting int32 Equal was measured at ~70 ms for 128 x 1000), else with tf.equal.
 */
function sameLabelMask(
  rowRaw: LabelsLike,
  rowTensor: tf.Tensor1D,
  colRaw: LabelsLike,
  colTensor: tf.Tensor1D,
): tf.Tensor2D {
  const r = rowTensor.shape[0];
  const c = colTensor.shape[0];
  if (rowRaw instanceof tf.Tensor || colRaw instanceof tf.Tensor) {
    return tf.equal(rowTensor.reshape([r, 1]), colTensor.reshape([1, c])).toFloat() as tf.Tensor2D;
  }
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) {
    const y = rowRaw[i];
    for (let j = 0; j < c; j++) if (colRaw[j] === y) out[i * c + j] = 1;
  }
  return tf.tensor2d(out, [r, c]);
}

/** Supervised contrastive loss with optional reference keys, key mask and class weights; a scalar. */
export function supConLoss(options: SupConOptions): tf.Scalar {
  return tf.tidy(() => {
    const parts = supConLogits(options);
    let anchorWeights: tf.Tensor1D | undefined;
    if (options.classWeights !== undefined) {
      const numClasses =
        options.classWeights instanceof tf.Tensor ? options.classWeights.shape[0] : options.classWeights.length;
      const labels = labelTensor('supConLoss', options.labels, numClasses, options.anchors.shape[0]);
      anchorWeights = weightsPerRow(
        labels,
        classVector('supConLoss', 'classWeights', options.classWeights, numClasses),
      );
    }
    return supConFromLogits({ ...parts, anchorWeights });
  });
}
