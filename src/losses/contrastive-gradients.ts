/**
 * Per-pair gradients of the supervised contrastive loss with respect to its logits u = s / tau:
 * the "gradient decoupling" view of ResCom (arXiv 2203.11506, Sec. 3.4, motivation figure):
 *   d l_i / d u_ip = sigma_ip - 1/|P_i|  (positives),   d l_i / d u_in = sigma_in  (negatives),
 * sigma_i = softmax of u_i over A_i. Easy positives (sigma near 1/|P_i|) and easy negatives
 * (sigma near 0) carry almost no gradient. Plain numbers, for plots and analysis.
 */
import * as tf from '@tensorflow/tfjs';
import { labelArray } from './checks';
import { supConLogits, type SupConOptions } from './supcon';

/** One anchor's pairs, each list sorted by logit, largest first. */
export interface AnchorPairGradients {
  /** Row of the anchor in the batch. */
  anchor: number;
  label: number;
  /** Logits u of the positives (in A_i with the anchor's label). */
  positiveLogits: number[];
  /** d l_i / d u for those positives (negative numbers: raising u lowers the loss). */
  positiveGradients: number[];
  /** Logits u of the negatives in A_i. */
  negativeLogits: number[];
  /** d l_i / d u for those negatives (>= 0). */
  negativeGradients: number[];
}

export type ContrastiveLogitGradientOptions = Omit<SupConOptions, 'classWeights'> & {
  /**
   * Which pairs to list: 'all' (default) or 'keys' (only the queue-key columns). Either way sigma is
   * the softmax over the anchor's whole candidate set A_i (batch rows included when
   * `includeBatchPairs` is true), i.e. the gradients of the loss training minimises.
   */
  report?: 'all' | 'keys';
};

/**
 * Gradients of each anchor's own loss l_i (unweighted, not divided by B) with respect to each of
 * its contrastive logits, split into positives and negatives. Anchors without positives are
 * listed with empty positive lists and zero negative gradients (their loss is 0).
 */
export function contrastiveLogitGradients(options: ContrastiveLogitGradientOptions): AnchorPairGradients[] {
  const fn = 'contrastiveLogitGradients';
  const labels = labelArray(fn, options.labels, Number.MAX_SAFE_INTEGER, options.anchors.shape[0]);
  const report = options.report ?? 'all';
  if (report !== 'all' && report !== 'keys')
    throw new Error(`${fn}: report must be 'all' or 'keys'; got ${JSON.stringify(report)}`);
  if (report === 'keys' && !options.keys) throw new Error(`${fn}: report 'keys' needs keys`);
  // Batch columns come first in the logits (supConLogits); 'keys' lists the columns after them.
  const firstListed = report === 'keys' && (options.includeBatchPairs ?? true) ? labels.length : 0;
  let u = new Float32Array(0);
  let pos = new Float32Array(0);
  let cand = new Float32Array(0);
  let width = 0;
  tf.tidy(() => {
    const parts = supConLogits(options);
    width = parts.logits.shape[1];
    u = parts.logits.dataSync() as Float32Array;
    pos = parts.positiveMask.dataSync() as Float32Array;
    cand = parts.candidateMask.dataSync() as Float32Array;
  });
  const result: AnchorPairGradients[] = [];
  for (let i = 0; i < labels.length; i++) {
    const base = i * width;
    let max = -Infinity;
    let numPositives = 0;
    for (let a = 0; a < width; a++) {
      if (cand[base + a] > 0) max = Math.max(max, u[base + a]);
      if (pos[base + a] > 0) numPositives++;
    }
    let denominator = 0;
    for (let a = 0; a < width; a++) if (cand[base + a] > 0) denominator += Math.exp(u[base + a] - max);
    const positives: [number, number][] = [];
    const negatives: [number, number][] = [];
    for (let a = firstListed; a < width; a++) {
      if (!(cand[base + a] > 0)) continue;
      const sigma = numPositives > 0 ? Math.exp(u[base + a] - max) / denominator : 0;
      if (pos[base + a] > 0) positives.push([u[base + a], sigma - 1 / numPositives]);
      else negatives.push([u[base + a], sigma]);
    }
    positives.sort((x, y) => y[0] - x[0]);
    negatives.sort((x, y) => y[0] - x[0]);
    result.push({
      anchor: i,
      label: labels[i],
      positiveLogits: positives.map((p) => p[0]),
      positiveGradients: positives.map((p) => p[1]),
      negativeLogits: negatives.map((p) => p[0]),
      negativeGradients: negatives.map((p) => p[1]),
    });
  }
  return result;
}
