/**
 * Generated image trees in the official list-file layouts of ImageNet-LT, iNaturalist 2018 and
 * Places-LT: long-tailed (exp profile) training lists and balanced test lists over JPEGs written
 * by sharp (jpeg-js where sharp does not load). For tests (miniatures of a few hundred small images), the streaming benchmark
 * (ImageNet-like sizes, 300-500 px sides) and memory measurements (long lists repeating files).
 * The images are smooth colour fields with a class-dependent stripe, so a model can learn something.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../util/rng';
import { writeFileAtomic } from '../../util/atomic-write';
import { longTailedClassCounts } from '../imbalance';
import { encodeJpegBytes } from '../native-decode';

export type ListFormat = 'imagenet-lt' | 'inaturalist2018' | 'places-lt';

/** List file names as published (train / test; the trainer reads these two). */
export const LIST_FORMAT_FILES: Record<ListFormat, { train: string; test: string; val: string }> = {
  'imagenet-lt': { train: 'ImageNet_LT_train.txt', test: 'ImageNet_LT_test.txt', val: 'ImageNet_LT_val.txt' },
  inaturalist2018: { train: 'iNaturalist18_train.txt', test: 'iNaturalist18_val.txt', val: 'iNaturalist18_val.txt' },
  'places-lt': { train: 'Places_LT_train.txt', test: 'Places_LT_test.txt', val: 'Places_LT_val.txt' },
};

export interface SyntheticListOptions {
  dir: string;
  format: ListFormat;
  numClasses: number;
  /** Training images of the head class; the tail has round(nMax / imbalanceFactor). */
  nMax: number;
  imbalanceFactor: number;
  /** Test images per class (balanced, as the published test lists). Default 2. */
  testPerClass?: number;
  /** Range of image sides in pixels (each side drawn independently). Default [300, 500]. */
  sideRange?: [number, number];
  /** JPEG quality, default 90. */
  quality?: number;
  seed?: number;
}

export interface SyntheticListResult {
  trainList: string;
  testList: string;
  trainCounts: number[];
  images: number;
}

/** Writes the tree and its lists under `dir` (the config's dataDir); returns the list paths. */
export async function writeSyntheticImageLists(options: SyntheticListOptions): Promise<SyntheticListResult> {
  const { dir, format, numClasses, nMax, imbalanceFactor, testPerClass = 2, sideRange = [300, 500], quality = 90, seed = 0 } = options;
  const fn = 'writeSyntheticImageLists';
  if (!(format in LIST_FORMAT_FILES)) throw new Error(`${fn}: format must be one of ${Object.keys(LIST_FORMAT_FILES).join(', ')}; got ${JSON.stringify(format)}`);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`${fn}: numClasses must be a positive integer; got ${numClasses}`);
  if (!(sideRange[0] >= 8 && sideRange[1] >= sideRange[0])) throw new Error(`${fn}: sideRange must be [min >= 8, max >= min]; got ${JSON.stringify(sideRange)}`);
  const rng = new Rng(seed);
  const trainCounts = imbalanceFactor === 1 ? new Array<number>(numClasses).fill(nMax) : longTailedClassCounts({ profile: 'exp', numClasses, nMax, imbalanceFactor });
  const trainLines: string[] = [];
  const testLines: string[] = [];
  let images = 0;
  for (let c = 0; c < numClasses; c++) {
    for (let k = 0; k < trainCounts[c] + testPerClass; k++) {
      const isTest = k >= trainCounts[c];
      const rel = relativePath(format, c, k, isTest);
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const width = sideRange[0] + rng.int(sideRange[1] - sideRange[0] + 1);
      const height = sideRange[0] + rng.int(sideRange[1] - sideRange[0] + 1);
      fs.writeFileSync(file, await syntheticJpeg({ width, height, label: c, numClasses, rng, quality }));
      (isTest ? testLines : trainLines).push(`${rel} ${c}`);
      images++;
    }
  }
  const files = LIST_FORMAT_FILES[format];
  const trainList = path.join(dir, files.train);
  const testList = path.join(dir, files.test);
  writeFileAtomic(trainList, `${trainLines.join('\n')}\n`);
  writeFileAtomic(testList, `${testLines.join('\n')}\n`);
  return { trainList, testList, trainCounts, images };
}

/** Writes a list of `entries` lines cycling over the lines of `sourceList` (files repeat): for memory tests of long lists. */
export function writeRepeatedList(sourceList: string, outList: string, entries: number): void {
  const lines = fs.readFileSync(sourceList, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`writeRepeatedList: '${sourceList}' has no entries`);
  const out: string[] = new Array(entries);
  for (let i = 0; i < entries; i++) out[i] = lines[i % lines.length];
  writeFileAtomic(outList, `${out.join('\n')}\n`);
}

/** The published layouts: ImageNet `train/<wnid>/<wnid>_<n>.JPEG`, iNat `train_val2018/<kingdom>/<id>/<hash>.jpg`, Places `data_256/<l>/<name>/<n>.jpg`. */
function relativePath(format: ListFormat, c: number, k: number, isTest: boolean): string {
  const wnid = `n${String(1440764 + c * 7919).padStart(8, '0')}`;
  switch (format) {
    case 'imagenet-lt':
      return isTest ? `val/${wnid}/ILSVRC2012_val_${String(c * 1000 + k).padStart(8, '0')}.JPEG` : `train/${wnid}/${wnid}_${10000 + k}.JPEG`;
    case 'inaturalist2018': {
      const kingdom = ['Plantae', 'Insecta', 'Aves', 'Fungi'][c % 4];
      const hash = ((c * 2654435761 + k * 40503) >>> 0).toString(16).padStart(8, '0');
      return `train_val2018/${kingdom}/${c}/${hash}${isTest ? 'v' : 't'}${k}.jpg`;
    }
    case 'places-lt': {
      const name = `scene${String(c).padStart(3, '0')}`;
      return isTest ? `val_256/Places365_val_${String(c * 1000 + k).padStart(8, '0')}.jpg` : `data_256/${name[0]}/${name}/${String(k + 1).padStart(8, '0')}.jpg`;
    }
  }
}

function syntheticJpeg(options: { width: number; height: number; label: number; numClasses: number; rng: Rng; quality: number }): Promise<Buffer> {
  const { width, height, label, numClasses, rng, quality } = options;
  const data = new Uint8Array(width * height * 4);
  const hue = (label / numClasses) * 2 * Math.PI;
  const base = [128 + 90 * Math.cos(hue), 128 + 90 * Math.cos(hue + 2.1), 128 + 90 * Math.cos(hue + 4.2)];
  const gx = rng.uniform(-0.3, 0.3);
  const gy = rng.uniform(-0.3, 0.3);
  const period = 6 + (label % 7) * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const stripe = Math.floor((x + y * (label % 3)) / period) % 2 === 0 ? 30 : -30;
      const p = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[p + c] = Math.max(0, Math.min(255, Math.round(base[c] + gx * x + gy * y + stripe)));
      data[p + 3] = 255;
    }
  }
  return encodeJpegBytes({ data, width, height, channels: 4 }, quality);
}
