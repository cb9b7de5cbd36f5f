/**
 * Supervised hard pair mining over the class-balanced queue (ResCom, arXiv 2203.11506, Sec. 3.4):
 * for each anchor keep, among the K queue keys of its own class, the Q_p with the SMALLEST
 * similarity (hard positives) and, among the K*(C-1) keys of other classes, the Q_n with the
 * LARGEST similarity (hard negatives). In-batch pairs are not mined (the loss keeps them all).
 *
 * Selection needs sorting, which has no gradient (and `tf.topk` none on wasm), so it runs on
 * values read back from the anchors: the result is a plain 0/1 mask that the loss multiplies in.
 * Ties are broken towards the lower key index; tied keys have equal similarity, so the loss is the
 * same whichever is chosen.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInteger, checkShape, labelArray, type LabelsLike } from '../losses/checks';
import { mineHardPairsOnDevice } from './device-mining';

export interface HardPairMinerOptions {
  /** Number of classes C. */
  numClasses: number;
  /** Queue keys per class K (>= 1). */
  perClass: number;
  /** Q_p: hard positives per anchor, 0..K; ResCom CIFAR: 1. */
  numPositives: number;
  /** Q_n: hard negatives per anchor, 0..K*(C-1); ResCom CIFAR: 400. */
  numNegatives: number;
}

/** What the miner selected, for B anchors and M = C*K keys. */
export interface MinedPairs {
  numAnchors: number;
  numKeys: number;
  /** `[B * M]` row-major 0/1: key m is in A_i (mined positive or mined negative). */
  keyMask: Float32Array;
  /** `[B * Q_p]` row-major key indices of the hard positives (ascending key index). */
  positiveIndices: Int32Array;
  /** `[B * Q_n]` row-major key indices of the hard negatives (ascending key index). */
  negativeIndices: Int32Array;
}

/** Checks the options; throws an error naming the option and its range. */
function validate(fn: string, options: HardPairMinerOptions): Required<HardPairMinerOptions> {
  const numClasses = checkInteger(fn, 'numClasses', options.numClasses, 1);
  const perClass = checkInteger(fn, 'perClass (queue size per class K)', options.perClass, 1);
  const numPositives = checkInteger(
    fn,
    `numPositives (Q_p, at most K = ${perClass})`,
    options.numPositives,
    0,
    perClass,
  );
  const maxNeg = perClass * (numClasses - 1);
  const numNegatives = checkInteger(
    fn,
    `numNegatives (Q_n, at most K*(C-1) = ${maxNeg})`,
    options.numNegatives,
    0,
    maxNeg,
  );
  return { numClasses, perClass, numPositives, numNegatives };
}

export interface MineFromSimilaritiesOptions extends HardPairMinerOptions {
  /** `[B * C*K]` row-major anchor-key similarities (any monotone score works). */
  similarities: ArrayLike<number>;
  /** Anchor labels `[B]`. */
  labels: LabelsLike;
}

/** Mining on plain numbers (no tensors): per anchor, Q_p hardest own-class keys and Q_n hardest others. */
export function mineHardPairsFromSimilarities(options: MineFromSimilaritiesOptions): MinedPairs {
  const fn = 'mineHardPairsFromSimilarities';
  const { numClasses, perClass, numPositives, numNegatives } = validate(fn, options);
  const labels = labelArray(fn, options.labels, numClasses);
  const numAnchors = labels.length;
  const numKeys = numClasses * perClass;
  const sims = options.similarities;
  if (sims.length !== numAnchors * numKeys) {
    throw new Error(
      `${fn}: similarities must hold ${numAnchors}x${numKeys} = ${numAnchors * numKeys} values; got ${sims.length}`,
    );
  }
  const keyMask = new Float32Array(numAnchors * numKeys);
  const positiveIndices = new Int32Array(numAnchors * numPositives);
  const negativeIndices = new Int32Array(numAnchors * numNegatives);
  const negativeValues = new Float32Array(numKeys - perClass);
  const positiveValues = new Float32Array(perClass);
  for (let i = 0; i < numAnchors; i++) {
    const base = i * numKeys;
    const own = labels[i] * perClass;
    for (let k = 0; k < perClass; k++) positiveValues[k] = sims[base + own + k];
    let n = 0;
    for (let m = 0; m < numKeys; m++) if (m < own || m >= own + perClass) negativeValues[n++] = sims[base + m];
    // Hard positives: the Q_p smallest own-class similarities.
    const pos = selectExtreme(positiveValues, numPositives, 'smallest');
    for (let q = 0; q < numPositives; q++) {
      const key = own + pos[q];
      positiveIndices[i * numPositives + q] = key;
      keyMask[base + key] = 1;
    }
    // Hard negatives: the Q_n largest other-class similarities (negative slot j maps to key j or j + K).
    const neg = selectExtreme(negativeValues, numNegatives, 'largest');
    for (let q = 0; q < numNegatives; q++) {
      const key = neg[q] < own ? neg[q] : neg[q] + perClass;
      negativeIndices[i * numNegatives + q] = key;
      keyMask[base + key] = 1;
    }
  }
  return { numAnchors, numKeys, keyMask, positiveIndices, negativeIndices };
}

/**
 * Indices of the `count` smallest (or largest) of `values`, in index order, ties to the lower index. A native sort of the values finds the threshold, one pass collects the winners: a comparator
 * sort per anchor was measured ~10x slower (128 anchors x 990 keys).
 */
export function selectExtreme(values: Float32Array, count: number, which: 'smallest' | 'largest'): Int32Array {
  const n = values.length;
  if (count === 0) return new Int32Array(0);
  const sign = which === 'smallest' ? 1 : -1;
  const sorted = new Float32Array(n);
  for (let j = 0; j < n; j++) sorted[j] = sign * values[j];
  sorted.sort();
  const threshold = sorted[count - 1];
  let strictlyBetter = 0;
  while (strictlyBetter < count && sorted[strictlyBetter] < threshold) strictlyBetter++;
  let tiesAllowed = count - strictlyBetter;
  const picked: number[] = [];
  for (let j = 0; j < n; j++) {
    const v = sign * values[j];
    if (v < threshold) picked.push(j);
    else if (v === threshold && tiesAllowed > 0) {
      picked.push(j);
      tiesAllowed--;
    }
  }
  return Int32Array.from(picked);
}

/**
 * Miner with its options checked once at construction (Q_p > K, Q_n > K*(C-1) or K < 1 throw).
 */
export class HardPairMiner {
  readonly numClasses: number;
  readonly perClass: number;
  readonly numPositives: number;
  readonly numNegatives: number;

  constructor(options: HardPairMinerOptions) {
    const checked = validate('HardPairMiner', options);
    this.numClasses = checked.numClasses;
    this.perClass = checked.perClass;
    this.numPositives = checked.numPositives;
    this.numNegatives = checked.numNegatives;
  }

  /**
   * Mines against the queue keys.
   * @param options.anchors L2-normalised anchors `[B, d]` (tensor or row-major values); only their
   *   values are read, so calling this inside a gradient tape adds nothing to the gradient.
   * @param options.labels anchor labels `[B]`
   * @param options.keys queue keys `[C*K, d]`, class c in rows c*K..c*K+K-1
   */
  mine(options: { anchors: tf.Tensor2D | Float32Array; labels: LabelsLike; keys: tf.Tensor2D }): MinedPairs {
    const fn = 'HardPairMiner.mine';
    const numKeys = this.numClasses * this.perClass;
    checkShape(fn, 'keys', options.keys, [numKeys, null]);
    const dim = options.keys.shape[1];
    const labels = labelArray(fn, options.labels, this.numClasses);
    const rows = labels.length;
    const values = options.anchors instanceof tf.Tensor ? options.anchors.dataSync() : options.anchors;
    if (values.length !== rows * dim)
      throw new Error(`${fn}: anchors must be [${rows}, ${dim}] (one row per label); got ${values.length} values`);
    let similarities: ArrayLike<number> = new Float32Array(0);
    // Not returned from tidy: tidy walks an iterable result element by element (slow for big arrays).
    tf.tidy(() => {
      // A fresh tensor from the values: detached from any tape the anchors may be on.
      const detached = tf.tensor2d(values as Float32Array, [rows, dim]);
      similarities = tf.matMul(detached, options.keys, false, true).dataSync();
    });
    return mineHardPairsFromSimilarities({ ...this.options(), similarities, labels });
  }

  /**
   * The same selection computed on the device (`mineHardPairsOnDevice`), for backends that cannot
   * read tensors back synchronously (WebGPU in Node): the 0/1 mask `[B, C*K]` as a tensor (caller
   * owns it), a constant for the gradient. Same arguments as `mine`, with `anchors` a tensor.
   */
  mineOnDevice(options: { anchors: tf.Tensor2D; labels: LabelsLike; keys: tf.Tensor2D }): tf.Tensor2D {
    const labels = labelArray('HardPairMiner.mineOnDevice', options.labels, this.numClasses, options.anchors.shape[0]);
    return tf.tidy(() =>
      mineHardPairsOnDevice(options.anchors, options.keys, tf.tensor1d(labels, 'int32'), this.options()),
    );
  }

  private options(): HardPairMinerOptions {
    return {
      numClasses: this.numClasses,
      perClass: this.perClass,
      numPositives: this.numPositives,
      numNegatives: this.numNegatives,
    };
  }
}
