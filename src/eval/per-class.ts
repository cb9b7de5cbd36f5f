/**
 * Per-class accuracy (recall of each class) from predictions and labels.
 */
import { checkLabels, checkPositiveInt, checkSameLength } from './check';

export interface PerClassOptions {
  /** Predicted classes [N]. */
  predictions: ArrayLike<number>;
  /** True classes [N]. */
  labels: ArrayLike<number>;
  numClasses: number;
}

export interface PerClassAccuracy {
  /** Test images of each class [C]. */
  testCounts: number[];
  /** Correctly classified test images of each class [C]. */
  correct: number[];
  /** correct / testCounts per class [C]; null for a class with no test images (not 0: it was never tested). */
  accuracy: (number | null)[];
}

export function perClassAccuracy(options: PerClassOptions): PerClassAccuracy {
  const fn = 'perClassAccuracy';
  const { predictions, labels, numClasses } = options;
  checkPositiveInt(fn, 'numClasses', numClasses);
  checkSameLength(fn, 'predictions', predictions, 'labels', labels);
  checkLabels(fn, 'labels', labels, numClasses);
  checkLabels(fn, 'predictions', predictions, numClasses);
  const testCounts = new Array<number>(numClasses).fill(0);
  const correct = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    testCounts[labels[i]]++;
    if (predictions[i] === labels[i]) correct[labels[i]]++;
  }
  const accuracy = testCounts.map((n, c) => (n === 0 ? null : correct[c] / n));
  return { testCounts, correct, accuracy };
}
