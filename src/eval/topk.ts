/**
 * Top-k accuracy: the share of samples whose true class is among the k highest scores.
 */
import { checkLabels, checkPositiveInt, invalid } from './check';
import { toScoreMatrix, type ScoreInput } from './scores';

export interface TopKOptions {
  /** Logits or probabilities [N, C] (flat row-major or N rows). */
  scores: ScoreInput;
  /** True classes [N]. */
  labels: ArrayLike<number>;
  numClasses: number;
  /** Default 1. Must be <= numClasses. */
  k?: number;
}

/**
 * Fraction in [0, 1] of rows whose label ranks below k. Rank of the label = number of classes with a
 * strictly larger score plus tied classes with a lower index, so top-1 agrees with `argmaxRows`
 * and ties never count twice in the label's favour. Returns NaN for an empty set.
 */
export function topKAccuracy(options: TopKOptions): number {
  const fn = 'topKAccuracy';
  const { labels, numClasses } = options;
  const k = options.k ?? 1;
  checkPositiveInt(fn, 'k', k);
  if (k > numClasses) invalid(fn, 'k', `at most numClasses=${numClasses}`, k);
  const m = toScoreMatrix(fn, options.scores, numClasses);
  if (labels.length !== m.rows) invalid(fn, 'labels', `an array of ${m.rows} labels (one per score row)`, labels);
  checkLabels(fn, 'labels', labels, numClasses);
  if (m.rows === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < m.rows; i++) {
    const base = i * numClasses;
    const y = labels[i];
    const sy = m.values[base + y];
    let rank = 0;
    for (let c = 0; c < numClasses; c++) {
      const s = m.values[base + c];
      if (s > sy || (s === sy && c < y)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / m.rows;
}
