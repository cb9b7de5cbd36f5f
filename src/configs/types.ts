/**
 * The experiment config: one flat, JSON-serialisable object per run. Flat on purpose: every field
 * can be overridden from the command line by its name (`--epochs 3` or `--set epochs=3`), stored in
 * a checkpoint and compared field by field on `--resume`.
 */
import { AUGMENTATION_PRESET_NAMES, type AugmentationPresetName } from '../data/augment/presets';
import { DATASETS, DATASET_NAMES, type DatasetName } from '../data/datasets';
import { METHOD_NAMES, type MethodName } from '../losses/methods';
import { BACKBONES, type BackboneName } from '../models/rescom-network';

/** Datasets a config can name: one record each in src/data/datasets.ts (classes, files, reader, augmentation). */
export { DATASET_NAMES, type DatasetName };

/** Number of classes of each dataset (used to check queue / mining sizes before any data is read). */
export const DATASET_NUM_CLASSES = Object.fromEntries(DATASET_NAMES.map((d) => [d, DATASETS[d].numClasses])) as Record<
  DatasetName,
  number
>;

/** Backbones of src/models (one source of truth: the model builder's table). */
export const BACKBONE_NAMES = Object.keys(BACKBONES) as BackboneName[];
export type { BackboneName };

/**
 * Training methods, all run by the same trainer with the same budget (src/losses `METHODS`):
 * `supcon-balsfx` is Balanced Softmax plus SupCon over the batch only (no queue, no mining, no class
 * weights); the `rescom-no-*` ablations switch off one of ResCom's four parts each.
 */
export { METHOD_NAMES };
export type { MethodName };

export const SCHEDULE_NAMES = ['step', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Augmentation presets (src/data/augment/presets.ts). */
export const AUGMENT_NAMES = AUGMENTATION_PRESET_NAMES;
export type AugmentName = AugmentationPresetName;

export const PROFILE_NAMES = ['exp', 'step'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ExperimentConfig {
  /** Config name this run started from (e.g. `cifar100-lt-if100`). */
  name: string;
  dataset: DatasetName;
  /** Folder with the dataset's files; '' for the embedded set. */
  dataDir: string;
  /** n_max / n_min of the long-tailed training subset (CIFAR, Fashion-MNIST); ignored by ImageNet-LT & co, whose lists are already long-tailed. */
  imbalanceFactor: number;
  imbalanceProfile: ProfileName;
  /**
   * Images of the largest (head) class in the long-tailed subset (CIFAR, Fashion-MNIST); 0: the whole
   * class of the full training split (5000 CIFAR-10, 500 CIFAR-100, 6000 Fashion-MNIST).
   */
  nMax: number;
  /** Side of the square input for image-list datasets (224); CIFAR / Fashion-MNIST keep their own size. */
  imageSize: number;
  backbone: BackboneName;
  method: MethodName;
  epochs: number;
  /** Images per batch (per view: a Siamese batch holds twice as many rows). */
  batchSize: number;
  /** Peak learning rate (reached after warm-up). */
  lr: number;
  momentum: number;
  /** L2 weight decay added to the gradient (PyTorch SGD's convention): g += weightDecay * w. */
  weightDecay: number;
  /** Linear warm-up length in epochs (0: none). */
  warmupEpochs: number;
  schedule: ScheduleName;
  /** `step` schedule: epochs (0-based) from which the factor of the same index applies. */
  stepEpochs: number[];
  /** `step` schedule: learning-rate multipliers, e.g. [0.1, 0.01]. */
  stepFactors: number[];
  /** `cosine` schedule: final learning rate as a fraction of `lr` (1e-5 in the paper's ImageNet runs). */
  minLrFactor: number;
  /** Contrastive temperature tau. */
  temperature: number;
  /** lambda in L = L_cls + lambda * L_con. */
  conWeight: number;
  /** beta of the effective-number class weights (0: all weights 1). */
  effectiveNumBeta: number;
  /** K: queue keys per class. */
  queuePerClass: number;
  /** Q_p: hard positives mined per anchor from its class's K keys. */
  selectNumPos: number;
  /** Q_n: hard negatives mined per anchor from the K*(C-1) other keys. */
  selectNumNeg: number;
  /** Output size of the projection MLP (dim_con). */
  projectionDim: number;
  augment: AugmentName;
  /** Fraction of each class of the training subset held out for per-epoch validation (at least one image per class is kept for training). */
  valFraction: number;
  /**
   * Validation images per class drawn from the full training split's images that are NOT in the
   * long-tailed subset (a balanced validation set, like the test set, that costs the subset nothing;
   * Fashion-MNIST / CIFAR only). 0 (default): hold out `valFraction` of the subset instead.
   * Setting both is an error.
   */
  valPerClass: number;
  /**
   * Seed of the long-tailed subset and of its validation split (Fashion-MNIST / CIFAR), apart from
   * the run seed, so that runs with different seeds train on the same images (common random numbers:
   * seeds then vary the initialisation, batch order and augmentation only). -1 (configs before
   * version 4): the run's `seed` draws the subset, so every seed is also another subset.
   */
  subsetSeed: number;
  /**
   * Take the long-tailed subset's rows from a list instead of drawing them: the name of a list in
   * `data/subsets/` (e.g. `fashion-mnist-lt-authors-if100-nmax2000`, the authors' code's subset, made
   * by data-scripts/fashion-mnist/authors-subset.py) or a path ending in `.json`. '' (default): draw them.
   * The list's class counts must equal the config's (imbalanceFactor, imbalanceProfile, nMax).
   */
  subsetList: string;
  /** Seed of every random choice: initial weights, queue keys, batch order, augmentation (and the subset when subsetSeed is -1). */
  seed: number;
  /** Batch size for validation and test passes (no gradients). */
  evalBatchSize: number;
}
