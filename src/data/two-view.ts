/**
 * Two-view batches for Siamese contrastive training (docs/paper-notes.md, "Notation": each image gets
 * two augmented views; the model sees rows 0..N-1 = view 1 and N..2N-1 = view 2), and plain
 * evaluation batches.
 *
 * Resuming: `twoViewBatches` makes all its draws from `rng` when it is called, before the first
 * batch (one permutation of the set, then one 32-bit seed); each image's augmentation then uses
 * its own generator derived from that seed and the image's position in the epoch. So a trainer
 *   1. saves `rng.state()` just before calling `twoViewBatches` at the start of each epoch (and the
 *      index of the next batch as it goes);
 *   2. on resume calls `twoViewBatches({ ..., rng: Rng.fromState(saved), startBatch: next })`:
 *      the remaining batches are identical to the uninterrupted run and `rng` ends up in the same
 *      state, so later epochs match too. `twoViewEpochs` does this bookkeeping over many epochs.
 */
import { Rng, type RngState } from '../util/rng';
import { augmentationPreset, type AugmentationPreset, type AugmentationPresetName } from './augment/presets';
import { normalizeInto } from './augment/normalize';
import { assertImageSet, imageAt } from './image-set';
import type { ImageBatch, ImageSet, TwoViewBatch } from './types';

export interface TwoViewBatchesOptions {
  set: ImageSet;
  /** N, images per batch (each gives two views). */
  batchSize: number;
  /** The per-view pipeline, or a preset name ('cifar', 'fashion-mnist', 'imagenet', 'none'). */
  augment: AugmentationPreset | AugmentationPresetName;
  /** Drawn from once per epoch at call time (see the file comment). */
  rng: Rng;
  /** Drop the last batch when it would hold fewer than batchSize images (default true). */
  dropLast?: boolean;
  /** First batch to produce (default 0): resume inside an epoch without redoing earlier batches. */
  startBatch?: number;
  /**
   * false: produce view 1 only (`view2` is an empty array), for single-view baselines such as
   * plain cross-entropy; view 1 is the same as with two views for the same rng. Default true.
   */
  twoViews?: boolean;
}

/** Number of batches in one epoch. */
export function batchesPerEpoch(options: { count: number; batchSize: number; dropLast?: boolean }): number {
  const { count, batchSize, dropLast = true } = options;
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * One epoch of two-view batches in a seeded random order: view1, view2 [N, H, W, C] float32,
 * normalised; labels [N]. A fresh buffer per batch (the consumer may keep it).
 */
export function twoViewBatches(options: TwoViewBatchesOptions): IterableIterator<TwoViewBatch> {
  const { set, batchSize, rng, dropLast = true, startBatch = 0, twoViews = true } = options;
  const fn = 'twoViewBatches';
  assertImageSet(set, fn);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${fn}: batchSize must be a positive integer; got ${batchSize}`);
  if (!(rng instanceof Rng)) throw new Error(`${fn}: rng must be an Rng (src/util/rng.ts); got ${typeof rng}`);
  const preset = typeof options.augment === 'string' ? augmentationPreset(options.augment) : options.augment;
  if (!preset || typeof preset.augment !== 'function') throw new Error(`${fn}: augment must be an AugmentationPreset or a preset name; got ${JSON.stringify(options.augment)}`);
  const total = batchesPerEpoch({ count: set.labels.length, batchSize, dropLast });
  if (!Number.isInteger(startBatch) || startBatch < 0 || startBatch > total) throw new Error(`${fn}: startBatch must be an integer in 0..${total}; got ${startBatch}`);
  // All of the epoch's draws from `rng` happen here, eagerly (resumability depends on it).
  const order = rng.permutation(set.labels.length);
  const epochSeed = rng.nextUint32();
  return generate();

  function* generate(): IterableIterator<TwoViewBatch> {
    const H = preset.outputSize?.height ?? set.height;
    const W = preset.outputSize?.width ?? set.width;
    const C = set.channels;
    const size = H * W * C;
    for (let b = startBatch; b < total; b++) {
      const start = b * batchSize;
      const n = Math.min(batchSize, set.labels.length - start);
      const view1 = new Float32Array(n * size);
      const view2 = new Float32Array(twoViews ? n * size : 0);
      const labels = new Int32Array(n);
      const views = twoViews ? ([[1, view1], [2, view2]] as const) : ([[1, view1]] as const);
      for (let k = 0; k < n; k++) {
        const index = order[start + k];
        const image = imageAt(set, index);
        labels[k] = set.labels[index];
        // One generator per position in the epoch: view 1 then view 2 draw from it, so view 1 is the
        // same with or without view 2, and skipping batches (resume) skips no draws.
        const imageRng = positionGenerator(epochSeed, start + k);
        for (const [view, out] of views) {
          const augmented = preset.augment(image, imageRng);
          if (augmented.height !== H || augmented.width !== W || augmented.channels !== C) {
            throw new Error(`${fn}: preset '${preset.name}' produced ${augmented.height}x${augmented.width}x${augmented.channels} for view ${view}; expected ${H}x${W}x${C}`);
          }
          normalizeInto(augmented, preset.normalization, out, k * size);
        }
      }
      yield { view1, view2, labels, shape: [n, H, W, C] };
    }
  }
}

/** The generator of the image at `position` of the epoch's order. */
function positionGenerator(epochSeed: number, position: number): Rng {
  return new Rng(positionSeed(epochSeed, position));
}

/** Seed of the generator of the image at `position` of an epoch whose seed is `epochSeed` (also used by the streaming batcher). */
export function positionSeed(epochSeed: number, position: number): number {
  return (epochSeed ^ Math.imul(position + 1, 0x9e3779b9)) >>> 0;
}

export interface TwoViewEpochsOptions extends Omit<TwoViewBatchesOptions, 'startBatch'> {
  /** Epochs to run, counting from 0 (the loop stops before `epochs`). */
  epochs: number;
  /** Resume point: epoch and batch to start at (default 0, 0); pass the rng restored from the state saved at that epoch's start. */
  startEpoch?: number;
  startBatch?: number;
}

export interface TwoViewStep {
  epoch: number;
  /** Index of this batch inside its epoch. */
  batchIndex: number;
  batch: TwoViewBatch;
  /** rng.state() at the start of this epoch: with (epoch, batchIndex + 1) it is all a checkpoint needs to resume after this batch. */
  epochRngState: RngState;
}

/** Many epochs of `twoViewBatches`, carrying what a checkpoint needs in each step. */
export function* twoViewEpochs(options: TwoViewEpochsOptions): IterableIterator<TwoViewStep> {
  const { epochs, startEpoch = 0, startBatch = 0, ...rest } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`twoViewEpochs: epochs must be a non-negative integer; got ${epochs}`);
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochRngState = rest.rng.state();
    const first = epoch === startEpoch ? startBatch : 0;
    let batchIndex = first;
    for (const batch of twoViewBatches({ ...rest, startBatch: first })) {
      yield { epoch, batchIndex, batch, epochRngState };
      batchIndex++;
    }
  }
}

export interface ImageBatchesOptions {
  set: ImageSet;
  batchSize: number;
  /** Its `evaluate` transform and normalisation are used (default preset 'none' needs `normalization`). */
  augment: AugmentationPreset | AugmentationPresetName;
}

/** Evaluation batches in set order, no randomness, the last partial batch kept. images [N, H, W, C]. */
export function* imageBatches(options: ImageBatchesOptions): IterableIterator<ImageBatch> {
  const { set, batchSize } = options;
  assertImageSet(set, 'imageBatches');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`imageBatches: batchSize must be a positive integer; got ${batchSize}`);
  const preset = typeof options.augment === 'string' ? augmentationPreset(options.augment) : options.augment;
  const H = preset.outputSize?.height ?? set.height;
  const W = preset.outputSize?.width ?? set.width;
  const C = set.channels;
  const size = H * W * C;
  for (let start = 0; start < set.labels.length; start += batchSize) {
    const n = Math.min(batchSize, set.labels.length - start);
    const images = new Float32Array(n * size);
    for (let k = 0; k < n; k++) normalizeInto(preset.evaluate(imageAt(set, start + k)), preset.normalization, images, k * size);
    yield { images, labels: set.labels.slice(start, start + n), shape: [n, H, W, C] };
  }
}
