/**
 * Every classification metric of a test set in one plain, JSON-serialisable object: top-1, top-5,
 * per-class accuracy, Many/Medium/Few (grouping named in the result), confusion matrix and
 * calibration. At test time ResCom predicts argmax(W f) without the Balanced Softmax prior
 * (paper Sec. 3.2), so pass the raw classifier logits.
 */
import { invalid } from './check';
import { expectedCalibrationError, type Calibration } from './calibration';
import { confusionMatrix } from './confusion';
import { manyMediumFewAccuracy, type GroupAccuracy } from './group-accuracy';
import { perClassAccuracy } from './per-class';
import { argmaxRows, toScoreMatrix, type ScoreInput } from './scores';
import { shotGroups, type ShotGroup, type ShotGrouping } from './shot-groups';
import { topKAccuracy } from './topk';

export interface EvaluateOptions {
  /** Classifier logits [N, C] (flat row-major or N rows). */
  scores: ScoreInput;
  /** True classes [N]. */
  labels: ArrayLike<number>;
  numClasses: number;
  /** Training images per class [C]; needed for the shot groups. Without it, groups are omitted. */
  trainCounts?: ArrayLike<number>;
  /** Shot grouping; default 'auto' (rank thirds for <= 20 classes, else count thresholds). */
  grouping?: ShotGrouping | 'auto';
  /** Class names [C]; default "0", "1", ... */
  classNames?: string[];
  /** Reliability bins for the calibration error. Default 15. */
  calibrationBins?: number;
}

export interface PerClassRow {
  class: number;
  name: string;
  /** null when trainCounts was not given. */
  trainCount: number | null;
  testCount: number;
  correct: number;
  /** null when the class has no test images. */
  accuracy: number | null;
  /** null when trainCounts was not given. */
  group: ShotGroup | null;
}

export interface EvaluationResult {
  numSamples: number;
  numClasses: number;
  top1: number;
  /** null when there are fewer than 5 classes. */
  top5: number | null;
  /** Mean of per-class accuracies over classes with test images. */
  meanClassAccuracy: number | null;
  perClass: PerClassRow[];
  /** Many/Medium/Few; null when trainCounts was not given. */
  groups: GroupAccuracy | null;
  /** counts[true][predicted]. */
  confusion: number[][];
  calibration: Calibration;
  /** Classes with no test images (their accuracy is null and they are left out of every mean). */
  classesWithoutTestImages: number[];
}

export function evaluateClassifier(options: EvaluateOptions): EvaluationResult {
  const fn = 'evaluateClassifier';
  const { labels, numClasses, trainCounts, classNames } = options;
  const m = toScoreMatrix(fn, options.scores, numClasses);
  if (m.rows === 0) invalid(fn, 'scores', 'at least one row', options.scores);
  if (trainCounts && trainCounts.length !== numClasses)
    invalid(fn, 'trainCounts', `an array of ${numClasses} counts`, trainCounts);
  if (classNames && classNames.length !== numClasses)
    invalid(fn, 'classNames', `an array of ${numClasses} names`, classNames);
  const predictions = argmaxRows(m);
  const top1 = topKAccuracy({ scores: m.values, labels, numClasses, k: 1 });
  const top5 = numClasses >= 5 ? topKAccuracy({ scores: m.values, labels, numClasses, k: 5 }) : null;
  const pc = perClassAccuracy({ predictions, labels, numClasses });
  const groups = trainCounts ? shotGroups({ trainCounts, grouping: options.grouping }) : null;
  const tested = pc.accuracy.filter((a): a is number => a !== null);
  const perClass: PerClassRow[] = pc.accuracy.map((accuracy, c) => ({
    class: c,
    name: classNames ? classNames[c] : String(c),
    trainCount: trainCounts ? trainCounts[c] : null,
    testCount: pc.testCounts[c],
    correct: pc.correct[c],
    accuracy,
    group: groups ? groups.groupOf[c] : null,
  }));
  return {
    numSamples: m.rows,
    numClasses,
    top1,
    top5,
    meanClassAccuracy: tested.length ? tested.reduce((a, b) => a + b, 0) / tested.length : null,
    perClass,
    groups: groups ? manyMediumFewAccuracy({ accuracy: pc.accuracy, groups }) : null,
    confusion: confusionMatrix({ predictions, labels, numClasses }).counts,
    calibration: expectedCalibrationError({ scores: m.values, labels, numClasses, numBins: options.calibrationBins }),
    classesWithoutTestImages: pc.testCounts.flatMap((n, c) => (n === 0 ? [c] : [])),
  };
}
