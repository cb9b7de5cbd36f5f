/**
 * Hard pair mining (ResCom, arXiv 2203.11506, Sec. 3.4) computed on the device, for backends that
 * cannot read tensors back synchronously: the tfjs WebGPU backend's `dataSync()` needs a browser's
 * OffscreenCanvas and throws in Node, so `HardPairMiner` (which mines on values read back) cannot
 * run inside a webgpu training step.
 *
 * Same selection as `mineHardPairsFromSimilarities` (src/contrast/hard-pair-miner.ts): per anchor,
 * among its own class's K keys the Q_p LEAST similar (hard positives), among the K*(C-1) others the
 * Q_n MOST similar (hard negatives). Here the k-th extreme value comes from `tf.topk` and every key
 * at least as extreme is kept: identical for distinct similarities; with exact ties (measure zero for
 * float similarities of distinct keys) this keeps all tied keys where the value miner keeps the
 * lower indices.
 *
 * The mask is a constant for the gradient: it is computed inside `tf.customGrad`'s forward function,
 * where TensorFlow.js records nothing on the tape (so `topk`, which has no gradient, never meets
 * backpropagation), and its gradient is declared zero (selection is piecewise constant).
 */
import * as tf from '@tensorflow/tfjs';
import type { HardPairMinerOptions } from './hard-pair-miner';

/** The miner's options: C, K, Q_p (0..K) and Q_n (0..K*(C-1)); key row r belongs to class floor(r / K). */
export type DeviceMiningOptions = HardPairMinerOptions;

/** Larger than any |cosine similarity|: pushes excluded keys out of a top-k. */
const EXCLUDED = 1e4;

/**
 * The 0/1 mask `[B, C*K]` of mined keys for L2-normalised `anchors [B, d]`, queue `keys [C*K, d]`
 * (normalised, class-major rows) and anchor `labels [B]` (int32 tensor). No gradient flows through it.
 */
export function mineHardPairsOnDevice(
  anchors: tf.Tensor2D,
  keys: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: DeviceMiningOptions,
): tf.Tensor2D {
  const fn = 'mineHardPairsOnDevice';
  const { numClasses, perClass, numPositives, numNegatives } = options;
  const numKeys = numClasses * perClass;
  for (const [name, value, max] of [
    ['numClasses', numClasses, Infinity],
    ['perClass', perClass, Infinity],
    ['numPositives', numPositives, perClass],
    ['numNegatives', numNegatives, perClass * (numClasses - 1)],
  ] as const) {
    const min = name === 'numClasses' || name === 'perClass' ? 1 : 0;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${fn}: options.${name} must be an integer in ${min}..${max}; got ${value}`);
    }
  }
  if (anchors.rank !== 2 || keys.rank !== 2 || anchors.shape[1] !== keys.shape[1] || keys.shape[0] !== numKeys) {
    throw new Error(
      `${fn}: anchors must be [B, d] and keys [C*K = ${numKeys}, d]; got anchors [${anchors.shape}] and keys [${keys.shape}]`,
    );
  }
  if (labels.rank !== 1 || labels.shape[0] !== anchors.shape[0] || labels.dtype !== 'int32') {
    throw new Error(
      `${fn}: labels must be an int32 [B = ${anchors.shape[0]}] tensor; got ${labels.dtype} [${labels.shape}]`,
    );
  }
  const mine = tf.customGrad<tf.Tensor2D>((...inputs) => {
    const [a, k] = inputs as tf.Tensor2D[];
    const value = tf.tidy(() => selectionMask(a, k, labels, options));
    return { value, gradFunc: () => [tf.zerosLike(a), tf.zerosLike(k)] };
  });
  return mine(anchors, keys) as tf.Tensor2D;
}

function selectionMask(
  anchors: tf.Tensor2D,
  keys: tf.Tensor2D,
  labels: tf.Tensor1D,
  o: DeviceMiningOptions,
): tf.Tensor2D {
  const numKeys = o.numClasses * o.perClass;
  const similarities = tf.matMul(anchors, keys, false, true);
  // own[i, m] = 1 when key m belongs to anchor i's class: one-hot labels times the key-class indicator.
  const keyClasses = tf.floorDiv(tf.range(0, numKeys, 1, 'int32'), tf.scalar(o.perClass, 'int32'));
  const own = tf.matMul(
    tf.oneHot(labels, o.numClasses).toFloat(),
    tf.oneHot(keyClasses, o.numClasses).toFloat(),
    false,
    true,
  );
  const other = tf.sub(1, own);
  let mask = tf.zerosLike(similarities);
  if (o.numPositives > 0) {
    // Least similar own-class keys = largest of -similarity; other classes' keys pushed far below.
    const score: tf.Tensor2D = tf.sub(tf.mul(tf.neg(similarities), own), tf.mul(other, EXCLUDED));
    mask = tf.add(mask, keepTopK(score, o.numPositives));
  }
  if (o.numNegatives > 0) {
    const score: tf.Tensor2D = tf.sub(tf.mul(similarities, other), tf.mul(own, EXCLUDED));
    mask = tf.add(mask, keepTopK(score, o.numNegatives));
  }
  return mask as tf.Tensor2D;
}

/** 1 where `score` is at least its row's k-th largest value, else 0. */
function keepTopK(score: tf.Tensor2D, k: number): tf.Tensor2D {
  const { values, indices } = tf.topk(score, k, true);
  indices.dispose();
  const kth = tf.slice(values, [0, k - 1], [-1, 1]);
  return tf.greaterEqual(score, kth).toFloat() as tf.Tensor2D;
}
