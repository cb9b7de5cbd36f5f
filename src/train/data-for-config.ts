/**
 * Builds the trainer's `TrainingData` from a config: reads the dataset, draws the long-tailed
 * training subset where the benchmark defines one (Fashion-MNIST, CIFAR: exp/step profile with the
 * config's imbalance factor, docs/paper-notes.md "Long-tailed benchmarks"), holds out a stratified
 * validation split of it (`valFraction`) or draws a balanced one from the images the subset left
 * unused (`valPerClass`), and wires the augmentation preset into two-view batches.
 * The test set is kept whole (balanced for CIFAR / Fashion-MNIST) and only used at the end.
 */
import * as path from 'node:path';
import type { ExperimentConfig } from '../configs';
import { verifyListFiles } from '../data/stream/verify-list-files';
import {
  DATASETS,
  augmentationPreset,
  classCounts,
  heldOutPerClass,
  imageBatches,
  describeRepeats,
  isListImageSet,
  loadListImageSet,
  pixelLoopsDescription,
  resolveDecoder,
  longTailedClassCounts,
  longTailedSubset,
  readSubsetList,
  rowsIdentity,
  subsetFromRows,
  selectListEntries,
  stratifiedSplit,
  stratifiedSplitIndices,
  streamImageBatches,
  streamTwoViewBatches,
  twoViewBatches,
  WorkerPool,
  type AugmentationPresetName,
  type ListImageSet,
} from '../data';
import type { ImageSet, ImageSource } from '../data/types';
import { Rng } from '../util/rng';
import { throttledProgress } from './progress';
import type { EvalImages, SubsetIdentity, TrainingData } from './training-data';

export interface PrepareDataOptions {
  log?: (line: string) => void;
  /** Image-list datasets: worker threads that read, decode and augment (default `defaultWorkerCount()`; 0 = inline). */
  workers?: number;
  /** Image-list datasets: batches in flight ahead of training (default max(2, 2 x workers)). */
  prefetch?: number;
  /**
   * The full train / test sets to use instead of reading the config's files (e.g. a generated
   * stand-in of the dataset's shape, `data.syntheticClassImages`, where the files are absent).
   * Everything after reading (long-tailed subset, validation split, augmentation) is unchanged.
   */
  source?: { train: ImageSet; test: ImageSet; classNames?: string[] };
}

/**
 * The data of a run; `data.train.numClasses` classes. Reads files (may take a while for big sets).
 * Image-list datasets (ImageNet-LT, iNaturalist 2018, Places-LT) are not read into memory: their
 * lists are indexed and the images streamed by worker threads (call `data.dispose()` at the end).
 */
export async function prepareTrainingData(
  config: ExperimentConfig,
  options: PrepareDataOptions = {},
): Promise<TrainingData> {
  const dataset = DATASETS[config.dataset];
  if (dataset.files && !options.source) return prepareListData(config, options);
  const rng = subsetRng(config);
  const {
    train: full,
    test,
    classNames,
  } = options.source ??
  (await dataset.read({
    dataDir: config.dataDir,
    imageSize: config.imageSize,
    imbalanceFactor: config.imbalanceFactor,
    log: options.log,
  }));
  checkSplitsAgree(config, full, test);
  let train = full;
  let val: ImageSet | null = null;
  // Rows of `full` that train and validate (null: all of `full` trains / no validation).
  let trainRows: Int32Array | null = null;
  let valRows: Int32Array | null = null;
  const fullHead = dataset.fullHeadClass;
  if ((config.valPerClass > 0 || config.subsetList !== '') && fullHead === undefined) {
    throw new Error(
      `prepareTrainingData: config.${config.valPerClass > 0 ? 'valPerClass' : 'subsetList'} needs a dataset with a full training split to draw from (fashion-mnist, cifar10, cifar100); ${config.dataset} has none${config.valPerClass > 0 ? ': use valFraction' : ''}`,
    );
  }
  if (fullHead !== undefined) {
    if (config.nMax > fullHead) {
      throw new Error(
        `prepareTrainingData: config.nMax must be <= ${fullHead} (images per class of the full ${config.dataset} training split) or 0; got ${config.nMax}`,
      );
    }
    const counts = longTailedClassCounts({
      profile: config.imbalanceProfile,
      numClasses: full.numClasses,
      nMax: config.nMax > 0 ? config.nMax : fullHead,
      imbalanceFactor: config.imbalanceFactor,
    });
    const subset =
      config.subsetList === ''
        ? longTailedSubset(full, { counts, rng })
        : subsetFromRows(
            full,
            readSubsetList(config.subsetList, { dataset: config.dataset, labels: full.labels, expectedCounts: counts })
              .rows,
          );
    train = subset.set;
    trainRows = subset.indices;
    if (config.valPerClass > 0) {
      const held = heldOutPerClass(full, { exclude: subset.indices, perClass: config.valPerClass, rng });
      val = held.set;
      valRows = held.indices;
    }
  }
  if (config.valFraction > 0) {
    const split = stratifiedSplit(train, { fraction: config.valFraction, rng });
    const rowsOf = (positions: Int32Array) => (trainRows ? positions.map((p) => trainRows![p]) : positions);
    valRows = rowsOf(split.validationIndices);
    trainRows = rowsOf(split.trainIndices);
    train = split.train;
    val = split.validation;
  }
  const subset: SubsetIdentity | undefined =
    trainRows === null
      ? undefined
      : {
          source:
            config.subsetList !== ''
              ? `list ${config.subsetList}`
              : config.subsetSeed >= 0
                ? `drawn with subsetSeed ${config.subsetSeed}`
                : `drawn with the run seed ${config.seed}`,
          trainRows: trainRows.length,
          trainSha256: rowsIdentity(trainRows),
          valRows: valRows?.length ?? 0,
          valSha256: valRows ? rowsIdentity(valRows) : null,
        };
  const preset = augmentationPreset(config.augment, { size: config.imageSize });
  return {
    train,
    val,
    test,
    classCounts: classCounts(train),
    classNames,
    subset,
    subsetRows: trainRows === null ? undefined : { train: trainRows, val: valRows, splitSize: full.labels.length },
    epochBatches: ({ set, batchSize, twoViews, rng: epochRng, startBatch }) =>
      twoViewBatches({
        set: set as ImageSet,
        batchSize,
        twoViews,
        augment: preset,
        rng: epochRng,
        dropLast: true,
        startBatch,
      }),
    evalImages: (source: ImageSource): EvalImages => {
      const set = source as ImageSet;
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

/**
 * The stream of the subset and validation draws: its own, so that adding a draw elsewhere never
 * changes them, seeded by `subsetSeed` (one subset for every run seed) or, where it is -1 (configs
 * before version 4), by the run seed. subsetSeed s draws what the run seed s drew before.
 */
function subsetRng(config: ExperimentConfig): Rng {
  const seed = config.subsetSeed >= 0 ? config.subsetSeed : config.seed;
  return new Rng((seed ^ 0x44415441) >>> 0);
}

/** Both splits must be non-empty and hold images of one size, or training fails late (at evaluation). */
function checkSplitsAgree(config: ExperimentConfig, train: ImageSet, test: ImageSet): void {
  const where = `prepareTrainingData: ${config.dataset} in '${config.dataDir || '(embedded)'}'`;
  if (train.labels.length === 0) throw new Error(`${where}: the training split has no images`);
  if (test.labels.length === 0) throw new Error(`${where}: the test split has no images`);
  const shape = (s: ImageSet) => `${s.height}x${s.width}x${s.channels}`;
  if (shape(train) !== shape(test)) {
    throw new Error(
      `${where}: the test images are ${shape(test)} but the training images ${shape(train)}; expected one image size in both splits`,
    );
  }
}

/**
 * Image-list datasets, streamed. The model gets one output per class of the training list: the
 * published lists cover all classes (1000 / 8142 / 365); a list covering only classes 0..K-1 (a
 * subset, or a generated miniature) gives K outputs. A class in 0..K-1 without training images is
 * refused (its Balanced Softmax prior would be log 0).
 */
async function prepareListData(config: ExperimentConfig, options: PrepareDataOptions): Promise<TrainingData> {
  if (config.subsetList !== '')
    throw new Error(
      `prepareTrainingData: config.subsetList needs a dataset with a full training split (fashion-mnist, cifar10, cifar100); ${config.dataset}'s list is the training set: leave subsetList ''`,
    );
  const rng = subsetRng(config);
  const record = DATASETS[config.dataset];
  const lists = { ...record.files!, numClasses: record.numClasses };
  const size = config.imageSize;
  const load = (list: string, numClasses: number) =>
    loadListImageSet({ listFile: path.join(config.dataDir, list), root: config.dataDir, numClasses, size });
  const full = await load(lists.train, lists.numClasses);
  if (full.labels.length === 0)
    throw new Error(
      `prepareTrainingData: ${path.join(config.dataDir, lists.train)} lists no images; expected "<relative/path> <label>" lines`,
    );
  let numClasses = 0;
  for (let i = 0; i < full.labels.length; i++) numClasses = Math.max(numClasses, full.labels[i] + 1);
  const counts = classCounts({ labels: full.labels, numClasses });
  const empty = counts.flatMap((c, k) => (c === 0 ? [k] : []));
  if (empty.length > 0) {
    throw new Error(
      `prepareTrainingData: ${path.join(config.dataDir, lists.train)} has no images of class(es) ${empty.slice(0, 20).join(', ')}${empty.length > 20 ? ', ...' : ''} (labels must cover 0..${numClasses - 1})`,
    );
  }
  full.numClasses = numClasses;
  if (numClasses < lists.numClasses)
    options.log?.(
      `${lists.train}: labels 0..${numClasses - 1} (${numClasses} of ${config.dataset}'s ${lists.numClasses} classes): the model gets ${numClasses} outputs`,
    );
  const test = await load(lists.test, numClasses);
  if (test.labels.length === 0)
    throw new Error(
      `prepareTrainingData: ${path.join(config.dataDir, lists.test)} lists no images; expected "<relative/path> <label>" lines`,
    );
  for (const set of [full, test]) if (describeRepeats(set)) options.log?.(describeRepeats(set));
  // Missing files, links out of the root, non-images and oversized headers are refused now, not mid-epoch.
  // Minutes for the published lists on a cold disk: a progress line every 10 s.
  const tick = throttledProgress(options.log);
  for (const set of [full, test])
    verifyListFiles(set, {}, (done, total) => tick(() => `${set.listFile}: checked ${done}/${total} listed files`));
  let train: ListImageSet = full;
  let val: ListImageSet | null = null;
  if (config.valFraction > 0) {
    const split = stratifiedSplitIndices(full, { fraction: config.valFraction, rng });
    train = selectListEntries(full, split.trainIndices);
    val = selectListEntries(full, split.validationIndices);
  }
  options.log?.(
    `${lists.train}: ${full.labels.length} entries streamed from ${config.dataDir} at ${size} px (${config.augment} augmentation; ` +
      `decoder ${resolveDecoder()}, pixel loops ${pixelLoopsDescription()})`,
  );
  let pool: WorkerPool | null = null;
  const getPool = () => (pool ??= new WorkerPool({ workers: options.workers }));
  const preset = { name: config.augment as AugmentationPresetName, size };
  const asList = (set: ImageSource, fn: string): ListImageSet => {
    if (!isListImageSet(set))
      throw new Error(`${fn}: set must be a split of this data (a ListImageSet); got an in-memory set`);
    return set;
  };
  return {
    train,
    val,
    test,
    classCounts: classCounts({ labels: train.labels, numClasses }),
    classNames: undefined,
    epochBatches: ({ set, batchSize, twoViews, rng: epochRng, startBatch }) =>
      streamTwoViewBatches({
        set: asList(set, 'epochBatches'),
        batchSize,
        twoViews,
        rng: epochRng,
        startBatch,
        pool: getPool(),
        preset,
        prefetch: options.prefetch,
      }),
    evalImages: () => {
      throw new Error('evalImages: image-list datasets are evaluated in streamed batches (evalBatches)');
    },
    evalBatches: (set, batchSize) =>
      streamImageBatches({
        set: asList(set, 'evalBatches'),
        batchSize,
        pool: getPool(),
        preset,
        prefetch: options.prefetch,
      }),
    dispose: async () => {
      await pool?.dispose();
      pool = null;
    },
  };
}
