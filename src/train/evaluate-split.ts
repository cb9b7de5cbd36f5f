/**
 * Evaluate a model on one split (validation each epoch, test once at the end) with the metrics of
 * src/eval: top-1, top-5, per-class and Many/Medium/Few by training counts. Inference uses the
 * classifier logits W f without the Balanced Softmax prior (paper Sec. 3.2) and BatchNorm's
 * running statistics.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../data/types';
import { evaluateClassifier, predict, type EvaluationResult } from '../eval';
import type { TrainingData } from './training-data';

export interface EvaluateSplitOptions {
  model: tf.LayersModel;
  data: Pick<TrainingData, 'evalImages' | 'classCounts' | 'classNames'>;
  set: ImageSet;
  /** Default 256. */
  batchSize?: number;
}

export async function evaluateSplit(options: EvaluateSplitOptions): Promise<EvaluationResult> {
  const { model, data, set } = options;
  const images = data.evalImages(set);
  const out = await predict(model as unknown as Parameters<typeof predict>[0], images, { batchSize: options.batchSize ?? 256, logitsOutput: 1 });
  return evaluateClassifier({
    scores: out.logits,
    labels: set.labels,
    numClasses: set.numClasses,
    trainCounts: data.classCounts,
    classNames: data.classNames ?? set.classNames,
  });
}

/** The few numbers of an evaluation worth a log line: accuracies in [0, 1], null where undefined. */
export function summarizeEvaluation(result: EvaluationResult): Record<string, number | null | string> {
  return {
    top1: result.top1,
    top5: result.top5,
    meanClassAccuracy: result.meanClassAccuracy,
    many: result.groups?.many.accuracy ?? null,
    medium: result.groups?.medium.accuracy ?? null,
    few: result.groups?.few.accuracy ?? null,
    grouping: result.groups?.grouping ?? 'none',
  };
}
