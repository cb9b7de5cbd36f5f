/**
 * What the trainer needs from the data side, whatever the dataset: the three splits, the training
 * class counts (Balanced Softmax prior, effective-number weights, shot groups), an epoch of
 * (augmented, two-view) batches and evaluation images. `prepareTrainingData` (data-for-config.ts)
 * builds it from a config; tests build tiny ones by hand.
 */
import type { ImageSet, TwoViewBatch } from '../data/types';
import type { Rng } from '../util/rng';

export interface EvalImages {
  /** Float32 [N, H, W, C], normalised as the model expects. */
  data: Float32Array;
  shape: [number, number, number, number];
}

export interface TrainingData {
  train: ImageSet;
  /** Held-out part of the training data, evaluated every epoch (null: no validation). */
  val: ImageSet | null;
  /** Test set, evaluated once at the end of training (null: none). */
  test: ImageSet | null;
  /** Images per class in `train` [C]. */
  classCounts: number[];
  classNames?: string[];
  /**
   * One epoch of shuffled, augmented batches of `batchSize` images (the last partial batch dropped).
   * Every random choice comes from `rng`. With `twoViews` false, `view2` may be left empty.
   */
  epochBatches(options: { set: ImageSet; batchSize: number; twoViews: boolean; rng: Rng }): Iterable<TwoViewBatch>;
  /** The images of an evaluation split, without augmentation. */
  evalImages(set: ImageSet): EvalImages;
}
