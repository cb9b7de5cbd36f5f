/**
 * A tiny stand-in for the embedded Fashion-MNIST-LT folder (same file names, IDX format and
 * manifest with sha256), 8x8 grey images of 10 classes whose class shows in the pixels, so the CLI
 * runs the real data path, the real ResNet-8 and the real criterion in seconds.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeIdxSync } from '../../src/data/idx';
import { FASHION_MNIST_FILES } from '../../src/data/fashion-mnist';
import { Rng } from '../../src/util/rng';

export const TINY_TRAIN_COUNTS = [10, 8, 6, 5, 4, 3, 3, 3, 2, 2];
const SIDE = 8;

function images(counts: number[], rng: Rng): { pixels: Uint8Array; labels: Uint8Array } {
  const n = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(n * SIDE * SIDE);
  const labels = new Uint8Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let p = 0; p < SIDE * SIDE; p++)
        pixels[i * SIDE * SIDE + p] = rng.int(50) + (Math.floor(p / 6) % 10 === c ? 200 : 0);
    }
  });
  return { pixels, labels };
}

/** Writes the folder and returns its path; another `seed` gives other pixels of the same shapes. */
export function writeTinyEmbedded(seed = 11): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-tiny-fmnist-'));
  const rng = new Rng(seed);
  const testCounts = TINY_TRAIN_COUNTS.map(() => 2);
  const train = images(TINY_TRAIN_COUNTS, rng);
  const test = images(testCounts, rng);
  const write = (file: string, dims: number[], data: Uint8Array) =>
    writeIdxSync(path.join(dir, file), { dims, data }, { gzip: true });
  write(FASHION_MNIST_FILES.trainImages, [train.labels.length, SIDE, SIDE], train.pixels);
  write(FASHION_MNIST_FILES.trainLabels, [train.labels.length], train.labels);
  write(FASHION_MNIST_FILES.testImages, [test.labels.length, SIDE, SIDE], test.pixels);
  write(FASHION_MNIST_FILES.testLabels, [test.labels.length], test.labels);
  const sha256: Record<string, string> = {};
  for (const file of Object.values(FASHION_MNIST_FILES))
    sha256[file] = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, file)))
      .digest('hex');
  const manifest = {
    name: 'tiny-fashion-mnist-lt',
    source: 'synthetic (test fixture)',
    licence: 'n/a',
    profile: 'exp',
    imbalanceFactor: 100,
    nMax: TINY_TRAIN_COUNTS[0],
    testPerClass: 2,
    seed,
    trainClassCounts: TINY_TRAIN_COUNTS,
    testClassCounts: testCounts,
    classNames: TINY_TRAIN_COUNTS.map((_, c) => `class${c}`),
    sha256,
    sourceSha256: {},
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** Overrides that make a `fashion-mnist-lt` run tiny: the fixture folder, batch 8, 3 epochs. */
export function tinyOverrides(dataDir: string): string[] {
  return [
    '--dataDir',
    dataDir,
    '--epochs',
    '3',
    '--batchSize',
    '8',
    '--warmupEpochs',
    '1',
    '--valFraction',
    '0.2',
    '--evalBatchSize',
    '16',
    '--queuePerClass',
    '2',
    '--selectNumPos',
    '1',
    '--selectNumNeg',
    '6',
    '--projectionDim',
    '8',
  ];
}
