/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence, Zalando SE): the full set from its IDX
 * files, and the small long-tailed subset embedded in this repository (data/fashion-mnist-lt/,
 * made by data-scripts/fashion-mnist/prepare.ts) so that the default job runs offline.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFileChecked, readJsonFile } from '../util/read-file';
import { DataFormatError } from './format-error';
import { idxToImageSet, readIdxImageSetSync, readIdxSync, type IdxArray } from './idx';
import { classCounts } from './image-set';
import type { ImageSet } from './types';

export const FASHION_MNIST_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Where Debian's dataset-fashion-mnist package puts the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The four official file names (gzip), by role. */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export interface FashionMnist {
  /** [60000, 28, 28, 1] for the full set. */
  train: ImageSet;
  /** [10000, 28, 28, 1] for the full set. */
  test: ImageSet;
  classNames: string[];
}

/**
 * Reads the full Fashion-MNIST from `dir` (default the Debian package's folder), accepting each
 * file gzip-compressed (`*.gz`) or plain. Throws, saying how to get the files, when they are absent.
 */
export function loadFashionMnist(options: { dir?: string } = {}): FashionMnist {
  const dir = options.dir ?? DEBIAN_FASHION_MNIST_DIR;
  const find = (name: string): string => {
    for (const candidate of [path.join(dir, name), path.join(dir, name.replace(/\.gz$/, ''))]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    throw new Error(`loadFashionMnist: ${path.join(dir, name)} not found (nor its uncompressed form); install Debian's dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist) or run data-scripts/fashion-mnist/prepare.ts --download`);
  };
  const read = (images: string, labels: string) =>
    readIdxImageSetSync({ imagesFile: find(images), labelsFile: find(labels), numClasses: 10, classNames: FASHION_MNIST_CLASS_NAMES });
  const train = read(FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels);
  const test = read(FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels);
  sameImageSize(train, test, find(FASHION_MNIST_FILES.testImages), find(FASHION_MNIST_FILES.trainImages));
  return { train, test, classNames: FASHION_MNIST_CLASS_NAMES.slice() };
}

/** Throws a DataFormatError naming the test file when its images differ in size from the training ones. */
function sameImageSize(train: ImageSet, test: ImageSet, testFile: string, trainFile: string): void {
  if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
    throw new DataFormatError(testFile, 'byte 8', `${train.height}x${train.width}x${train.channels} images, as in ${trainFile}`, `${test.height}x${test.width}x${test.channels}`);
  }
}

/** data/fashion-mnist-lt/manifest.json. */
export interface EmbeddedManifest {
  name: string;
  source: string;
  licence: string;
  profile: 'exp';
  imbalanceFactor: number;
  nMax: number;
  testPerClass: number;
  seed: number;
  trainClassCounts: number[];
  testClassCounts: number[];
  classNames: string[];
  /** File name -> sha256 of its bytes. */
  sha256: Record<string, string>;
  /** sha256 of the source files it was drawn from. */
  sourceSha256: Record<string, string>;
  /** sha256 of each file's decompressed content (independent of the gzip implementation). */
  contentSha256?: Record<string, string>;
  /** Row of the official training / test file for each embedded row (provenance). */
  trainSourceIndices?: number[];
  testSourceIndices?: number[];
}

export interface EmbeddedFashionMnistLT extends FashionMnist {
  /** Training images per class (head class 0 first): the prior of Balanced Softmax. */
  classCounts: number[];
  manifest: EmbeddedManifest;
}

/**
 * The folder of the embedded subset: `<package root>/data/fashion-mnist-lt`. This file sits at
 * src/data/ (tsx) or lib/data/ (compiled), both two levels below the package root.
 */
export function embeddedFashionMnistDir(): string {
  return path.resolve(__dirname, '..', '..', 'data', 'fashion-mnist-lt');
}

/**
 * The embedded long-tailed Fashion-MNIST: train = exp profile, IF 100, n_max 1000 (2,478 images,
 * 1000..10 per class); test = balanced, 200 per class. Works offline; checks every file against
 * the manifest's sha256 so that a damaged checkout fails loudly instead of training on garbage.
 */
export function loadEmbeddedFashionMnistLT(options: { dir?: string } = {}): EmbeddedFashionMnistLT {
  const dir = options.dir ?? embeddedFashionMnistDir();
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`loadEmbeddedFashionMnistLT: ${manifestPath} not found; the embedded dataset ships in the repository's data/ folder (regenerate it with data-scripts/fashion-mnist/prepare.ts --embedded)`);
  }
  const manifest = readJsonFile<EmbeddedManifest>(manifestPath, 'loadEmbeddedFashionMnistLT', 'the manifest of the embedded dataset');
  if (!manifest.sha256 || typeof manifest.sha256 !== 'object' || !Array.isArray(manifest.trainClassCounts) || !Array.isArray(manifest.classNames)) {
    throw new Error(`loadEmbeddedFashionMnistLT: '${manifestPath}' lacks sha256, trainClassCounts or classNames; expected the manifest of the embedded dataset`);
  }
  for (const [file, expected] of Object.entries(manifest.sha256)) {
    const actual = createHash('sha256').update(readFileChecked(path.join(dir, file), 'loadEmbeddedFashionMnistLT', 'a file listed in the manifest')).digest('hex');
    if (actual !== expected) throw new Error(`loadEmbeddedFashionMnistLT: ${path.join(dir, file)} has sha256 ${actual}; the manifest expects ${expected}`);
  }
  const idx = (name: string) => readIdxSync(path.join(dir, name));
  return embeddedFashionMnistFromIdx({
    manifest,
    where: dir,
    trainImages: idx(FASHION_MNIST_FILES.trainImages),
    trainLabels: idx(FASHION_MNIST_FILES.trainLabels),
    testImages: idx(FASHION_MNIST_FILES.testImages),
    testLabels: idx(FASHION_MNIST_FILES.testLabels),
  });
}

/**
 * The embedded set from its four parsed IDX files and its manifest (checksums already verified by
 * the caller): the file-reading `loadEmbeddedFashionMnistLT` and the browser book's
 * `fetchEmbeddedFashionMnistLT` (fashion-mnist-fetch.ts) both end here. `where` (a folder or URL)
 * names the files in errors.
 */
export function embeddedFashionMnistFromIdx(o: {
  manifest: EmbeddedManifest;
  where: string;
  trainImages: IdxArray;
  trainLabels: IdxArray;
  testImages: IdxArray;
  testLabels: IdxArray;
}): EmbeddedFashionMnistLT {
  const { manifest, where } = o;
  const at = (name: string) => `${where.replace(/\/$/, '')}/${name}`;
  const set = (images: IdxArray, labels: IdxArray, imagesFile: string, labelsFile: string) =>
    idxToImageSet(images, labels, { imagesFile: at(imagesFile), labelsFile: at(labelsFile), numClasses: 10, classNames: manifest.classNames });
  const train = set(o.trainImages, o.trainLabels, FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels);
  const test = set(o.testImages, o.testLabels, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels);
  sameImageSize(train, test, at(FASHION_MNIST_FILES.testImages), at(FASHION_MNIST_FILES.trainImages));
  const counts = classCounts(train);
  if (counts.join() !== manifest.trainClassCounts.join()) {
    throw new Error(`loadEmbeddedFashionMnistLT: train class counts [${counts}] differ from the manifest's [${manifest.trainClassCounts}]`);
  }
  return { train, test, classNames: manifest.classNames.slice(), classCounts: counts, manifest };
}
