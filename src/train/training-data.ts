/**
 * What the trainer needs from the data side, whatever the dataset: the three splits, the training
 * class counts (Balanced Softmax prior, effective-number weights, shot groups), an epoch of
 * (augmented, two-view) batches and evaluation images. `prepareTrainingData` (data-for-config.ts)
 * builds it from a config; tests build tiny ones by hand.
 */
import type { ImageBatch, ImageSource, TwoViewBatch } from '../data/types';
import type { Rng } from '../util/rng';

export interface EvalImages {
  /** Float32 [N, H, W, C], normalised as the model expects. */
  data: Float32Array;
  shape: [number, number, number, number];
}

/**
 * Which images a run trains and validates on, recorded in its test results: the long-tailed subset's
 * rows of the dataset's full training split and the validation rows, each by its identity
 * (`rowsIdentity`: sha256 of the rows in order), and how they were chosen.
 */
export interface SubsetIdentity {
  /** e.g. "drawn with subsetSeed 0", "drawn with the run seed 2", "list fashion-mnist-lt-authors-if100-nmax2000". */
  source: string;
  trainRows: number;
  trainSha256: string;
  valRows: number;
  /** Null without a validation split. */
  valSha256: string | null;
}

export interface TrainingData {
  /** In memory (`ImageSet`) or streamed from disk (`ListImageSet`, image-list datasets). */
  train: ImageSource;
  /** Held-out part of the training data, evaluated every epoch (null: no validation). */
  val: ImageSource | null;
  /** Test set, evaluated once at the end of training (null: none). */
  test: ImageSource | null;
  /** Images per class in `train` [C]. */
  classCounts: number[];
  classNames?: string[];
  /** The subset's identity where the data side draws one from a full split (Fashion-MNIST, CIFAR); absent otherwise. */
  subset?: SubsetIdentity;
  /**
   * The rows themselves (of the full training split of `splitSize` images, in `train`'s order;
   * `val` null without a validation split), present with `subset`: what `data.makeSubsetList`
   * writes out, so another code can train on the very same images
   * (data-scripts/fashion-mnist/export-subset.ts).
   */
  subsetRows?: { train: Int32Array; val: Int32Array | null; splitSize: number };
  /**
   * One epoch of shuffled, augmented batches of `batchSize` images (the last partial batch dropped).
   * Every random choice comes from `rng`, drawn when this is called (before the first batch), so
   * that `startBatch` (resume mid-epoch) gives the batches an uninterrupted epoch would have given
   * from there. With `twoViews` false, `view2` may be left empty. Streamed sets give an async iterable.
   */
  epochBatches(options: {
    set: ImageSource;
    batchSize: number;
    twoViews: boolean;
    rng: Rng;
    startBatch?: number;
  }): Iterable<TwoViewBatch> | AsyncIterable<TwoViewBatch>;
  /** The images of an in-memory evaluation split, without augmentation (used when `evalBatches` is absent). */
  evalImages(set: ImageSource): EvalImages;
  /** Evaluation batches of a split in order (streamed sets: memory stays bounded); preferred over `evalImages` when present. */
  evalBatches?(set: ImageSource, batchSize: number): Iterable<ImageBatch> | AsyncIterable<ImageBatch>;
  /** Releases what the data side holds (worker threads of a streamed set). */
  dispose?(): Promise<void>;
}
