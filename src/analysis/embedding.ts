/**
 * A 2-D embedding of features for the train and test sets (paper Sec. 4.4 shows t-SNE; UMAP from the
 * maintained `umap-js` package is used here because it can place new points: it is fitted on the
 * training features and the test features are mapped into the same plane with `transform`).
 * Seeded: umap-js draws every random number from the `Rng` passed in.
 */
import { UMAP } from 'umap-js';
import type { Rng } from '../util/rng';

export interface FeatureSet {
  /** Row-major features [N * dim]. */
  features: ArrayLike<number>;
  dim: number;
  /** Labels [N]. */
  labels: ArrayLike<number>;
}

export interface EmbedOptions {
  train: FeatureSet;
  /** Optional test features, placed with the fitted map. */
  test?: FeatureSet;
  rng: Rng;
  /** UMAP neighbours. Default 15 (capped at train size - 1). */
  nNeighbors?: number;
  /** Default 0.1. */
  minDist?: number;
  /** Optimisation epochs, rounded up to a multiple of 3; default umap-js's choice (500 for small sets, 200 for large). */
  nEpochs?: number;
  /** Called with the epoch number while fitting. */
  onEpoch?: (epoch: number) => void;
}

export interface EmbeddedPoints {
  x: number[];
  y: number[];
  labels: number[];
}

export interface Embedding {
  method: 'umap';
  train: EmbeddedPoints;
  test?: EmbeddedPoints;
}

function rows(fn: string, arg: string, set: FeatureSet): number[][] {
  const { features, dim, labels } = set;
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${fn}: ${arg}.dim must be a positive integer; got ${dim}`);
  if (features.length !== labels.length * dim)
    throw new Error(
      `${fn}: ${arg}.features must hold labels.length * dim = ${labels.length * dim} values; got ${features.length}`,
    );
  return Array.from({ length: labels.length }, (_, i) => Array.from({ length: dim }, (_, k) => features[i * dim + k]));
}

function points(coords: number[][], labels: ArrayLike<number>): EmbeddedPoints {
  return { x: coords.map((p) => p[0]), y: coords.map((p) => p[1]), labels: Array.from(labels) };
}

export function embedFeatures2d(options: EmbedOptions): Embedding {
  const fn = 'embedFeatures2d';
  const train = rows(fn, 'train', options.train);
  if (train.length < 3) throw new Error(`${fn}: train must have at least 3 samples; got ${train.length}`);
  const rng = options.rng;
  if (!rng || typeof rng.next !== 'function')
    throw new Error(`${fn}: rng must be an Rng (src/util/rng.ts); got ${typeof rng}`);
  // umap-js 1.4.0's transform() optimises for nEpochs / 3 epochs and stops only when the epoch
  // counter EQUALS that number: a count that is not a multiple of 3 loops forever. Round up.
  const nEpochs = options.nEpochs === undefined ? undefined : 3 * Math.ceil(options.nEpochs / 3);
  if (nEpochs !== undefined && !(nEpochs >= 3))
    throw new Error(`${fn}: nEpochs must be a positive integer; got ${options.nEpochs}`);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors ?? 15, train.length - 1),
    minDist: options.minDist ?? 0.1,
    nEpochs,
    random: () => rng.next(),
  });
  const epochs = umap.initializeFit(train);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    options.onEpoch?.(e + 1);
  }
  const result: Embedding = { method: 'umap', train: points(umap.getEmbedding(), options.train.labels) };
  if (options.test) result.test = points(umap.transform(rows(fn, 'test', options.test)), options.test.labels);
  return result;
}
