/**
 * The full ResCom loss (arXiv 2203.11506, Sec. 3, eq. for the total objective):
 *   L = L_cls + lambda * L_con,
 * L_cls = Siamese Balanced Softmax (Balanced Softmax on both views; on view 1 only for the
 * `rescom-no-sbs` ablation), L_con = class-balanced supervised contrastive loss over the Siamese
 * batch plus (mined) queue keys. Mining is NOT done here: pass its mask (`keyMask`), computed
 * outside the gradient tape (see `HardPairMiner`). Pure: no state, no async, one tidy.
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkNumber,
  checkShape,
  classCountArray,
  classVector,
  labelTensor,
  weightsPerRow,
  type ClassVectorLike,
  type LabelsLike,
} from './checks';
import { classifierLoss } from './classifier-loss';
import { supConFromLogits, supConLogits } from './supcon';

/** The loss and its parts (scalars, owned by the caller). */
export interface LossParts {
  /** Classification loss L_cls. */
  cls: tf.Scalar;
  /** Contrastive loss L_con (0 for methods without one). */
  con: tf.Scalar;
  /** L_cls + conWeight * L_con. */
  total: tf.Scalar;
}

export interface ResComLossOptions {
  /** Classifier logits W f `[B, C]` of the Siamese batch (rows 0..N-1 view 1, N..2N-1 view 2). */
  logits: tf.Tensor2D;
  /** L2-normalised projections z `[B, d]`, same row order. */
  features: tf.Tensor2D;
  /** Labels `[B]` (the N labels twice). */
  labels: LabelsLike;
  /** Training images per class `[C]` (Balanced Softmax prior). */
  classCounts: ArrayLike<number>;
  /** Contrastive temperature tau; default 0.2. */
  temperature?: number;
  /** lambda, the weight of L_con; default 0.5. */
  conWeight?: number;
  /** Per-class anchor weights `[C]` (effective-number weights); default all 1 (beta = 0). */
  classWeights?: ClassVectorLike;
  /** Queue keys `[M, d]` (L2-normalised constants); default none (batch-only contrast). */
  keys?: tf.Tensor2D;
  /** Labels of the keys `[M]`; required with `keys`. */
  keyLabels?: LabelsLike;
  /** `[B, M]` 0/1 mined-key mask (row-major values or tensor); default all keys. */
  keyMask?: tf.Tensor2D | Float32Array;
  /** Rows the classifier loss uses: `both-views` (SBS, default) or `first-view` (rows 0..B/2-1). */
  classifierRows?: 'both-views' | 'first-view';
  /** Add log(prior + 1e-9) to the logits (Balanced Softmax); default true. False gives plain CE. */
  balancedSoftmax?: boolean;
  /** Include L_con; default true. */
  contrastive?: boolean;
}

/** ResCom's loss and its parts. */
export function resComLoss(options: ResComLossOptions): LossParts {
  const fn = 'resComLoss';
  const { logits, features } = options;
  checkShape(fn, 'logits', logits, [null, null]);
  const [rows, numClasses] = logits.shape;
  checkShape(fn, 'features', features, [rows, null]);
  const counts = classCountArray(fn, options.classCounts, numClasses);
  const conWeight = checkNumber(fn, 'conWeight', options.conWeight ?? 0.5, (w) => w >= 0, 'a number >= 0');
  const rowsMode = options.classifierRows ?? 'both-views';
  if (rowsMode !== 'both-views' && rowsMode !== 'first-view') {
    throw new Error(`${fn}: classifierRows must be 'both-views' or 'first-view'; got '${String(rowsMode)}'`);
  }
  if (rowsMode === 'first-view' && rows % 2 !== 0)
    throw new Error(`${fn}: classifierRows 'first-view' needs an even number of rows [2N]; got ${rows}`);
  const contrastive = options.contrastive ?? true;
  return tf.tidy(() => {
    const labels = labelTensor(fn, options.labels, numClasses, rows);
    let clsLogits: tf.Tensor2D = logits;
    let clsLabels = labels;
    if (rowsMode === 'first-view') {
      clsLogits = tf.slice(logits, [0, 0], [rows / 2, numClasses]);
      clsLabels = tf.slice(labels, [0], [rows / 2]);
    }
    const cls = classifierLoss((options.balancedSoftmax ?? true) ? 'balanced-softmax' : 'ce', {
      logits: clsLogits,
      labels: clsLabels,
      classCounts: counts,
    });
    let con: tf.Scalar = tf.scalar(0);
    if (contrastive) {
      const parts = supConLogits({
        anchors: features,
        // The raw labels: plain arrays let supConLogits build its masks in JS (see sameLabelMask).
        labels: options.labels,
        keys: options.keys,
        keyLabels: options.keyLabels,
        keyMask: options.keyMask,
        temperature: options.temperature ?? 0.2,
      });
      const anchorWeights =
        options.classWeights === undefined
          ? undefined
          : weightsPerRow(labels, classVector(fn, 'classWeights', options.classWeights, numClasses));
      con = supConFromLogits({ ...parts, anchorWeights });
    }
    const total = tf.add(cls, tf.mul(con, conWeight)) as tf.Scalar;
    return { cls, con, total };
  });
}
