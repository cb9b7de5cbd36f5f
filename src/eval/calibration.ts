/**
 * Expected calibration error with equal-width confidence bins (Guo et al. 2017, "On Calibration of
 * Modern Neural Networks", Eq. 3): ECE = sum_b |B_b| / N * |acc(B_b) - conf(B_b)|, where a sample's
 * confidence is its largest softmax probability and bin b holds confidences in (b/M, (b+1)/M]
 * (confidence 0 goes to the first bin).
 */
import { checkLabels, checkPositiveInt, invalid } from './check';
import { argmaxRows, softmaxRows, toScoreMatrix, type ScoreInput } from './scores';

export interface CalibrationOptions {
  /** Logits [N, C] (softmax applied here) or probabilities (set `probabilities: true`). */
  scores: ScoreInput;
  labels: ArrayLike<number>;
  numClasses: number;
  /** True when `scores` are already probabilities (rows summing to 1). Default false. */
  probabilities?: boolean;
  /** Number of equal-width bins M. Default 15 (Guo et al.). */
  numBins?: number;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the bin's samples; null for an empty bin. */
  confidence: number | null;
  /** Accuracy of the bin's samples; null for an empty bin. */
  accuracy: number | null;
}

export interface Calibration {
  /** Expected calibration error in [0, 1]; NaN for an empty set. */
  ece: number;
  /** Maximum calibration error over non-empty bins. */
  mce: number;
  bins: ReliabilityBin[];
}

export function expectedCalibrationError(options: CalibrationOptions): Calibration {
  const fn = 'expectedCalibrationError';
  const { labels, numClasses } = options;
  const numBins = checkPositiveInt(fn, 'numBins', options.numBins ?? 15);
  let m = toScoreMatrix(fn, options.scores, numClasses);
  if (labels.length !== m.rows) invalid(fn, 'labels', `an array of ${m.rows} labels (one per score row)`, labels);
  checkLabels(fn, 'labels', labels, numClasses);
  if (options.probabilities) {
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let c = 0; c < numClasses; c++) s += m.values[i * numClasses + c];
      if (Math.abs(s - 1) > 1e-3) invalid(fn, `scores[${i}]`, 'probabilities summing to 1 (probabilities: true)', s);
    }
  } else {
    m = softmaxRows(m);
  }
  const predictions = argmaxRows(m);
  const count = new Array<number>(numBins).fill(0);
  const confSum = new Array<number>(numBins).fill(0);
  const hitSum = new Array<number>(numBins).fill(0);
  for (let i = 0; i < m.rows; i++) {
    const conf = m.values[i * numClasses + predictions[i]];
    const b = Math.min(numBins - 1, Math.max(0, Math.ceil(conf * numBins) - 1));
    count[b]++;
    confSum[b] += conf;
    if (predictions[i] === labels[i]) hitSum[b]++;
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = count.map((n, b) => {
    const confidence = n ? confSum[b] / n : null;
    const accuracy = n ? hitSum[b] / n : null;
    if (n) {
      const gap = Math.abs(accuracy! - confidence!);
      ece += (n / m.rows) * gap;
      mce = Math.max(mce, gap);
    }
    return { lower: b / numBins, upper: (b + 1) / numBins, count: n, confidence, accuracy };
  });
  return { ece: m.rows ? ece : NaN, mce, bins };
}
