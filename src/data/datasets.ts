/**
 * One record per dataset a config can name: its classes, the head-class size of the full training
 * split that long-tailed subsets are drawn from, its files, its reader and its default augmentation.
 * Configs (names, class counts for validation), data preparation and the config files all read this
 * table; a new dataset is one new entry here.
 */
import * as path from 'node:path';
import type { AugmentationPresetName } from './augment/presets';
import { loadCifar } from './cifar';
import { loadEmbeddedFashionMnistLT, loadFashionMnist } from './fashion-mnist';
import { loadImageList } from './image-list';
import type { ImageSet } from './types';

/** What a reader needs from the config. */
export interface DatasetReadOptions {
  /** Folder with the dataset's files; '' for the embedded set. */
  dataDir: string;
  /** Input side for image-list datasets. */
  imageSize: number;
  /** The config's imbalance factor (the embedded set exists for one only). */
  imbalanceFactor: number;
  log?: (line: string) => void;
}

export interface DatasetSplits {
  train: ImageSet;
  test: ImageSet;
  classNames?: string[];
}

export interface DatasetRecord {
  numClasses: number;
  /**
   * Images per class of the full, balanced training split that the long-tailed subset is drawn
   * from (config `nMax` 0 uses it); undefined where the published training list is already
   * long-tailed (the embedded set, ImageNet-LT & co).
   */
  fullHeadClass?: number;
  /** "relative/path label" list files inside `dataDir` (image-list datasets), as published. */
  files?: { train: string; test: string };
  /** The augmentation preset its configs use. */
  augment: AugmentationPresetName;
  /** Reads the training and test splits. */
  read(options: DatasetReadOptions): Promise<DatasetSplits>;
}

/** Datasets a config can name. The first is embedded in the package (runs offline). */
export const DATASET_NAMES = ['fashion-mnist-lt-embedded', 'fashion-mnist', 'cifar10', 'cifar100', 'imagenet-lt', 'inaturalist2018', 'places-lt'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const DATASETS: Readonly<Record<DatasetName, DatasetRecord>> = {
  'fashion-mnist-lt-embedded': { numClasses: 10, augment: 'fashion-mnist', read: readEmbedded },
  'fashion-mnist': {
    numClasses: 10,
    fullHeadClass: 6000,
    augment: 'fashion-mnist',
    read: async (o) => {
      const set = loadFashionMnist(o.dataDir ? { dir: o.dataDir } : {});
      return { train: set.train, test: set.test, classNames: set.classNames };
    },
  },
  cifar10: { numClasses: 10, fullHeadClass: 5000, augment: 'cifar', read: (o) => readCifar('cifar10', o) },
  cifar100: { numClasses: 100, fullHeadClass: 500, augment: 'cifar', read: (o) => readCifar('cifar100', o) },
  'imagenet-lt': imageListDataset(1000, { train: 'ImageNet_LT_train.txt', test: 'ImageNet_LT_test.txt' }),
  inaturalist2018: imageListDataset(8142, { train: 'iNaturalist18_train.txt', test: 'iNaturalist18_val.txt' }),
  'places-lt': imageListDataset(365, { train: 'Places_LT_train.txt', test: 'Places_LT_test.txt' }),
};

/** The record of a dataset name; throws listing the valid names. */
export function datasetRecord(name: string): DatasetRecord {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) throw new Error(`datasetRecord: dataset must be one of ${DATASET_NAMES.join(', ')}; got '${name}'`);
  return DATASETS[name as DatasetName];
}

async function readEmbedded(o: DatasetReadOptions): Promise<DatasetSplits> {
  const embedded = loadEmbeddedFashionMnistLT(o.dataDir ? { dir: o.dataDir } : {});
  if (embedded.manifest.imbalanceFactor !== o.imbalanceFactor) {
    throw new Error(
      `prepareTrainingData: the embedded Fashion-MNIST-LT has imbalance factor ${embedded.manifest.imbalanceFactor}; config asks for ${o.imbalanceFactor} (use --config fashion-mnist-lt-if${o.imbalanceFactor} with the full files)`,
    );
  }
  return { train: embedded.train, test: embedded.test, classNames: embedded.classNames };
}

async function readCifar(variant: 'cifar10' | 'cifar100', o: DatasetReadOptions): Promise<DatasetSplits> {
  const train = await loadCifar({ dir: o.dataDir, variant, split: 'train' });
  const test = await loadCifar({ dir: o.dataDir, variant, split: 'test' });
  return { train, test, classNames: train.classNames };
}

function imageListDataset(numClasses: number, files: { train: string; test: string }): DatasetRecord {
  return {
    numClasses,
    files,
    augment: 'imagenet',
    read: async (o) => {
      const load = (list: string) =>
        loadImageList({
          listFile: path.join(o.dataDir, list),
          root: o.dataDir,
          numClasses,
          size: o.imageSize,
          onProgress: o.log ? (done) => o.log!(`${list}: ${done} images decoded`) : undefined,
        });
      return { train: await load(files.train), test: await load(files.test) };
    },
  };
}
