/**
 * Evaluate a model on one split (validation each epoch, test once at the end) with the metrics of
 * src/eval: top-1, top-5, per-class and Many/Medium/Few by training counts. Inference uses the
 * classifier logits W f without the Balanced Softmax prior (paper Sec. 3.2) and BatchNorm's
 * running statistics.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageSource } from '../data/types';
import { evaluateClassifier, predict, type EvaluationResult } from '../eval';
import type { TrainingData } from './training-data';

export interface EvaluateSplitOptions {
  model: tf.LayersModel;
  data: Pick<TrainingData, 'evalImages' | 'evalBatches' | 'classCounts' | 'classNames'>;
  set: ImageSource;
  /** Default 256. */
  batchSize?: number;
  /** Called after each batch with the images done and the split's size (progress lines of a long evaluation). */
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateSplit(options: EvaluateSplitOptions): Promise<EvaluationResult> {
  const { model, data, set } = options;
  const batchSize = options.batchSize ?? 256;
  const predictable = model as unknown as Parameters<typeof predict>[0];
  let logits: Float32Array;
  if (data.evalBatches) {
    // Streamed: only the logits [N, numClasses] are kept, never the images.
    const chunks: Float32Array[] = [];
    let done = 0;
    for await (const batch of data.evalBatches(set, batchSize)) {
      chunks.push(
        (await predict(predictable, { data: batch.images, shape: batch.shape }, { batchSize, logitsOutput: 1 })).logits,
      );
      done += batch.shape[0];
      options.onProgress?.(done, set.labels.length);
    }
    logits = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      logits.set(c, offset);
      offset += c.length;
    }
  } else {
    logits = (
      await predict(predictable, data.evalImages(set), { batchSize, logitsOutput: 1, onProgress: options.onProgress })
    ).logits;
  }
  return evaluateClassifier({
    scores: logits,
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
