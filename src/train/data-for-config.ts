/**
 * Builds the trainer's `TrainingData` from a config: reads the dataset, draws the long-tailed
 * training subset where the benchmark defines one (Fashion-MNIST, CIFAR: exp/step profile with the
 * config's imbalance factor, docs/paper-notes.md "Long-tailed benchmarks"), holds out a stratified
 * validation split of it (`valFraction`) or draws a balanced one from the images the subset left
 * unused (`valPerClass`), and wires the augmentation preset into two-view batches.
 * The test set is kept whole (balanced for CIFAR / Fashion-MNIST) and only used at the end.
 */
import type { ExperimentConfig } from '../configs';
import { DATASETS, augmentationPreset, classCounts, heldOutPerClass, imageBatches, longTailedClassCounts, longTailedSubset, stratifiedSplit, twoViewBatches } from '../data';
import type { ImageSet } from '../data/types';
import { Rng } from '../util/rng';
import type { EvalImages, TrainingData } from './training-data';

/** The data of a run; `data.train.numClasses` classes. Reads files (may take a while for big sets). */
export async function prepareTrainingData(config: ExperimentConfig, options: { log?: (line: string) => void } = {}): Promise<TrainingData> {
  // A stream of its own, so that adding a draw elsewhere never changes the subset or the split.
  const rng = new Rng((config.seed ^ 0x44415441) >>> 0);
  const dataset = DATASETS[config.dataset];
  const { train: full, test, classNames } = await dataset.read({ dataDir: config.dataDir, imageSize: config.imageSize, imbalanceFactor: config.imbalanceFactor, log: options.log });
  checkSplitsAgree(config, full, test);
  let train = full;
  let val: ImageSet | null = null;
  const fullHead = dataset.fullHeadClass;
  if (config.valPerClass > 0 && fullHead === undefined) {
    throw new Error(
      `prepareTrainingData: config.valPerClass needs a dataset with a full training split to draw from (fashion-mnist, cifar10, cifar100); ${config.dataset} has none: use valFraction`,
    );
  }
  if (fullHead !== undefined) {
    if (config.nMax > fullHead) {
      throw new Error(`prepareTrainingData: config.nMax must be <= ${fullHead} (images per class of the full ${config.dataset} training split) or 0; got ${config.nMax}`);
    }
    const counts = longTailedClassCounts({
      profile: config.imbalanceProfile,
      numClasses: full.numClasses,
      nMax: config.nMax > 0 ? config.nMax : fullHead,
      imbalanceFactor: config.imbalanceFactor,
    });
    const subset = longTailedSubset(full, { counts, rng });
    train = subset.set;
    if (config.valPerClass > 0) val = heldOutPerClass(full, { exclude: subset.indices, perClass: config.valPerClass, rng }).set;
  }
  if (config.valFraction > 0) {
    const split = stratifiedSplit(train, { fraction: config.valFraction, rng });
    train = split.train;
    val = split.validation;
  }
  const preset = augmentationPreset(config.augment, { size: config.imageSize });
  return {
    train,
    val,
    test,
    classCounts: classCounts(train),
    classNames,
    epochBatches: ({ set, batchSize, twoViews, rng: epochRng }) => twoViewBatches({ set, batchSize, twoViews, augment: preset, rng: epochRng, dropLast: true }),
    evalImages: (set: ImageSet): EvalImages => {
      const chunks: Float32Array[] = [];
      let shape: [number, number, number, number] = [0, set.height, set.width, set.channels];
      for (const batch of imageBatches({ set, batchSize: 1024, augment: preset })) {
        chunks.push(batch.images);
        shape = [shape[0] + batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3]];
      }
      const data = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
      let offset = 0;
      for (const c of chunks) {
        data.set(c, offset);
        offset += c.length;
      }
      return { data, shape };
    },
  };
}

/** Both splits must be non-empty and hold images of one size, or training fails late (at evaluation). */
function checkSplitsAgree(config: ExperimentConfig, train: ImageSet, test: ImageSet): void {
  const where = `prepareTrainingData: ${config.dataset} in '${config.dataDir || '(embedded)'}'`;
  if (train.labels.length === 0) throw new Error(`${where}: the training split has no images`);
  if (test.labels.length === 0) throw new Error(`${where}: the test split has no images`);
  const shape = (s: ImageSet) => `${s.height}x${s.width}x${s.channels}`;
  if (shape(train) !== shape(test)) {
    throw new Error(`${where}: the test images are ${shape(test)} but the training images ${shape(train)}; expected one image size in both splits`);
  }
}
