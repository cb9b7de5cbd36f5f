/**
 * Builds the embedded long-tailed Fashion-MNIST (data/fashion-mnist-lt/) from the real files,
 * deterministically: same source files and seed, same images in the same order.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Rng } from '../util/rng';
import { FASHION_MNIST_FILES, type EmbeddedManifest, type FashionMnist } from './fashion-mnist';
import { writeIdxSync } from './idx';
import { longTailedClassCounts } from './imbalance';
import { longTailedSubset } from './subset';
import { writeFileAtomic } from '../util/atomic-write';

export interface BuildEmbeddedOptions {
  /** The full Fashion-MNIST (from `loadFashionMnist`). */
  source: FashionMnist;
  /** sha256 of the decompressed source files, recorded in the manifest. */
  sourceSha256: Record<string, string>;
  outDir: string;
  /** Default 2203 (the paper's arXiv number). */
  seed?: number;
  /** Head-class count, default 1000 (2,478 training images in all at IF 100). */
  nMax?: number;
  /** Default 100. */
  imbalanceFactor?: number;
  /** Balanced test images per class, default 200. */
  testPerClass?: number;
}

export const FASHION_MNIST_LICENCE = `Fashion-MNIST
Copyright (c) 2017 Zalando SE, https://tech.zalando.com
Source: https://github.com/zalandoresearch/fashion-mnist (Xiao, Rasul & Vollgraf, arXiv:1708.07747)

The files in this folder are a subset of Fashion-MNIST, selected by data-scripts/fashion-mnist/prepare.ts.

The MIT License (MIT)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;

/**
 * Draws train = exp-profile LT subset of the 60k training images (per class, seeded shuffle) and
 * test = testPerClass images of each class of the 10k test images, then writes gzip IDX files, the
 * licence and manifest.json (counts, seed, sha256 of each file and of its decompressed content).
 */
export function buildEmbeddedFashionMnistLT(options: BuildEmbeddedOptions): EmbeddedManifest {
  const { source, sourceSha256, outDir, seed = 2203, nMax = 1000, imbalanceFactor = 100, testPerClass = 200 } = options;
  const rng = new Rng(seed);
  const counts = longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax, imbalanceFactor });
  const train = longTailedSubset(source.train, { counts, rng: rng.fork() });
  const test = longTailedSubset(source.test, { counts: new Array(10).fill(testPerClass), rng: rng.fork() });
  const files: [string, Uint8Array, number[]][] = [
    [FASHION_MNIST_FILES.trainImages, train.set.pixels, [train.set.labels.length, 28, 28]],
    [FASHION_MNIST_FILES.trainLabels, Uint8Array.from(train.set.labels), [train.set.labels.length]],
    [FASHION_MNIST_FILES.testImages, test.set.pixels, [test.set.labels.length, 28, 28]],
    [FASHION_MNIST_FILES.testLabels, Uint8Array.from(test.set.labels), [test.set.labels.length]],
  ];
  const sha256: Record<string, string> = {};
  const contentSha256: Record<string, string> = {};
  for (const [name, data, dims] of files) {
    const file = path.join(outDir, name);
    writeIdxSync(file, { dims, data }, { gzip: true });
    const bytes = fs.readFileSync(file);
    sha256[name] = createHash('sha256').update(bytes).digest('hex');
    contentSha256[name] = createHash('sha256').update(zlib.gunzipSync(bytes)).digest('hex');
  }
  writeFileAtomic(path.join(outDir, 'LICENSE'), FASHION_MNIST_LICENCE);
  sha256.LICENSE = createHash('sha256').update(FASHION_MNIST_LICENCE).digest('hex');
  const manifest: EmbeddedManifest = {
    name: 'fashion-mnist-lt',
    source: 'Fashion-MNIST (Zalando SE), github.com/zalandoresearch/fashion-mnist',
    licence: 'MIT (see LICENSE)',
    profile: 'exp',
    imbalanceFactor,
    nMax,
    testPerClass,
    seed,
    trainClassCounts: train.classCounts,
    testClassCounts: test.classCounts,
    classNames: source.classNames.slice(),
    sha256,
    contentSha256,
    sourceSha256,
    trainSourceIndices: Array.from(train.indices),
    testSourceIndices: Array.from(test.indices),
  };
  // Number arrays on one line each, so the manifest stays readable.
  const text = JSON.stringify(manifest, null, 2).replace(/\[\s*(-?\d[\d,\s-]*?)\s*\]/g, (_m, inner: string) => `[${inner.replace(/\s+/g, '')}]`);
  writeFileAtomic(path.join(outDir, 'manifest.json'), `${text}\n`);
  return manifest;
}
