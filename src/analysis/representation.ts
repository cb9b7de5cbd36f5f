/**
 * The representation analysis of a trained model in one call (paper Sec. 4.4): backbone features of
 * a training and a test set (src/eval `predict`), positive-pair cosine similarity per Many/Medium/Few
 * group on both, and a seeded 2-D UMAP embedding fitted on (a subsample of) the training features
 * with the test features placed into it.
 */
import { predict, type PredictableModel, type PredictImages, type PredictOptions } from '../eval/predict';
import { shotGroups, type ShotGrouping } from '../eval/shot-groups';
import type { Rng } from '../util/rng';
import { embedFeatures2d, type Embedding } from './embedding';
import { positiveSimilarities, type PositiveSimilarity } from './positive-similarity';

export interface LabelledImages {
  images: PredictImages;
  /** Labels [N]. */
  labels: ArrayLike<number>;
}

export interface RepresentationAnalysisOptions extends Pick<PredictOptions, 'batchSize' | 'transform' | 'onProgress'> {
  model: PredictableModel;
  train: LabelledImages;
  test: LabelledImages;
  /** Training images per class [C] (defines the shot groups). */
  trainCounts: ArrayLike<number>;
  /** Default 'auto' (rank thirds for <= 20 classes). */
  grouping?: ShotGrouping | 'auto';
  rng: Rng;
  /** Index of the features among the model outputs. Default 0 ([features, logits, projections]). */
  featuresOutput?: number;
  /** Points per set given to UMAP (random subsample). Default 1500: umap-js is O(n^2)-ish in plain JS. */
  maxEmbeddingPoints?: number;
  /** UMAP epochs. Default 150. */
  embeddingEpochs?: number;
  /** Pairs per class for the similarity distributions. Default 20000. */
  maxPairsPerClass?: number;
}

export interface RepresentationAnalysis {
  similarity: { train: PositiveSimilarity; test: PositiveSimilarity };
  embedding: Embedding;
}

function subsample(labels: ArrayLike<number>, max: number, rng: Rng): number[] {
  const all = Array.from({ length: labels.length }, (_, i) => i);
  if (all.length <= max) return all;
  return Array.from(rng.permutation(all.length).subarray(0, max)).sort((a, b) => a - b);
}

function pickRows(features: Float32Array, dim: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => out.set(features.subarray(r * dim, (r + 1) * dim), k * dim));
  return out;
}

export async function representationAnalysis(options: RepresentationAnalysisOptions): Promise<RepresentationAnalysis> {
  const { model, train, test, rng } = options;
  const groups = shotGroups({ trainCounts: options.trainCounts, grouping: options.grouping });
  const predictOptions: PredictOptions = {
    batchSize: options.batchSize,
    transform: options.transform,
    onProgress: options.onProgress,
    featuresOutput: options.featuresOutput ?? 0,
  };
  const trainOut = await predict(model, train.images, predictOptions);
  const testOut = await predict(model, test.images, predictOptions);
  const dim = trainOut.featureDim!;
  const similarity = {
    train: positiveSimilarities({
      features: trainOut.features!,
      dim,
      labels: train.labels,
      groups,
      maxPairsPerClass: options.maxPairsPerClass,
      rng: rng.fork(),
    }),
    test: positiveSimilarities({
      features: testOut.features!,
      dim,
      labels: test.labels,
      groups,
      maxPairsPerClass: options.maxPairsPerClass,
      rng: rng.fork(),
    }),
  };
  const max = options.maxEmbeddingPoints ?? 1500;
  const trainRows = subsample(train.labels, max, rng.fork());
  const testRows = subsample(test.labels, max, rng.fork());
  const embedding = embedFeatures2d({
    train: {
      features: pickRows(trainOut.features!, dim, trainRows),
      dim,
      labels: trainRows.map((r) => train.labels[r]),
    },
    test: { features: pickRows(testOut.features!, dim, testRows), dim, labels: testRows.map((r) => test.labels[r]) },
    rng: rng.fork(),
    nEpochs: options.embeddingEpochs ?? 150,
  });
  return { similarity, embedding };
}
