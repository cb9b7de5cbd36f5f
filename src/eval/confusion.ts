/**
 * Confusion matrix: rows are true classes, columns predicted classes.
 */
import { checkLabels, checkPositiveInt, checkSameLength } from './check';

export interface ConfusionOptions {
  /** Predicted classes [N]. */
  predictions: ArrayLike<number>;
  /** True classes [N]. */
  labels: ArrayLike<number>;
  numClasses: number;
}

export interface ConfusionMatrix {
  /** counts[true][predicted], [C][C]. */
  counts: number[][];
  /** Each row divided by its total [C][C]; a class with no test images has a row of nulls. */
  rowNormalized: (number | null)[][];
}

export function confusionMatrix(options: ConfusionOptions): ConfusionMatrix {
  const fn = 'confusionMatrix';
  const { predictions, labels, numClasses } = options;
  checkPositiveInt(fn, 'numClasses', numClasses);
  checkSameLength(fn, 'predictions', predictions, 'labels', labels);
  checkLabels(fn, 'labels', labels, numClasses);
  checkLabels(fn, 'predictions', predictions, numClasses);
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predictions[i]]++;
  const rowNormalized = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total === 0 ? null : v / total));
  });
  return { counts, rowNormalized };
}
