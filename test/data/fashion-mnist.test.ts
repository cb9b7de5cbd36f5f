import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildEmbeddedFashionMnistLT, classCounts, DEBIAN_FASHION_MNIST_DIR, embeddedFashionMnistDir, FASHION_MNIST_CLASS_NAMES,
  loadEmbeddedFashionMnistLT, loadFashionMnist, longTailedClassCounts,
} from '../../src/data';
import { verifyFashionMnistDir } from '../../data-scripts/fashion-mnist/prepare';
import { tempDir } from './tmp';

const haveDebian = fs.existsSync(DEBIAN_FASHION_MNIST_DIR);

test('the embedded Fashion-MNIST-LT loads offline with the exp IF 100 n_max 1000 counts and a balanced test set', (t) => {
  const data = loadEmbeddedFashionMnistLT();
  const expected = longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 1000, imbalanceFactor: 100 });
  t.deepEqual(data.classCounts, expected);
  t.deepEqual(data.classCounts, [1000, 599, 359, 215, 129, 77, 46, 27, 16, 10]);
  t.is(data.train.labels.length, 2478);
  t.deepEqual(classCounts(data.test), new Array(10).fill(200));
  t.deepEqual([data.train.height, data.train.width, data.train.channels, data.train.numClasses], [28, 28, 1, 10]);
  t.deepEqual(data.classNames, FASHION_MNIST_CLASS_NAMES);
  t.is(data.manifest.seed, 2203);
  t.true(fs.readFileSync(path.join(embeddedFashionMnistDir(), 'LICENSE'), 'utf8').includes('Zalando SE'));
  let total = 0;
  for (const file of fs.readdirSync(embeddedFashionMnistDir())) total += fs.statSync(path.join(embeddedFashionMnistDir(), file)).size;
  t.true(total < 4 * 2 ** 20, `stays a few MB: ${total} bytes`);
});

test('a damaged embedded file is refused with its name and digest', (t) => {
  const dir = tempDir(t);
  for (const file of fs.readdirSync(embeddedFashionMnistDir())) fs.copyFileSync(path.join(embeddedFashionMnistDir(), file), path.join(dir, file));
  const target = path.join(dir, 'train-labels-idx1-ubyte.gz');
  const bytes = fs.readFileSync(target);
  bytes[bytes.length - 5] ^= 0xff;
  fs.writeFileSync(target, bytes);
  t.throws(() => loadEmbeddedFashionMnistLT({ dir }), { message: /train-labels-idx1-ubyte.gz has sha256 [0-9a-f]{64}; the manifest expects/ });
  t.throws(() => loadEmbeddedFashionMnistLT({ dir: path.join(dir, 'nowhere') }), { message: /manifest.json not found/ });
});

test('loadFashionMnist explains how to get the files when they are absent', (t) => {
  const dir = tempDir(t);
  t.throws(() => loadFashionMnist({ dir }), { message: /not found .*apt-get install -y dataset-fashion-mnist/ });
  t.throws(() => verifyFashionMnistDir(dir), { message: /is missing/ });
});

test('regenerating from the real files reproduces the committed subset exactly (when installed)', (t) => {
  if (!haveDebian) {
    t.pass('dataset-fashion-mnist not installed: skipped');
    return;
  }
  const digests = verifyFashionMnistDir(DEBIAN_FASHION_MNIST_DIR);
  const full = loadFashionMnist();
  t.is(full.train.labels.length, 60000);
  t.is(full.test.labels.length, 10000);
  t.deepEqual(classCounts(full.train), new Array(10).fill(6000));
  const dir = tempDir(t);
  const manifest = buildEmbeddedFashionMnistLT({ source: full, sourceSha256: digests, outDir: dir });
  const committed = JSON.parse(fs.readFileSync(path.join(embeddedFashionMnistDir(), 'manifest.json'), 'utf8'));
  t.deepEqual(manifest.contentSha256, committed.contentSha256);
  t.deepEqual(manifest.trainClassCounts, committed.trainClassCounts);
  // Each embedded image is the recorded row of the official files, with its label.
  const embedded = loadEmbeddedFashionMnistLT();
  const rows = embedded.manifest.trainSourceIndices ?? [];
  t.is(rows.length, 2478);
  for (let k = 0; k < rows.length; k += 7) {
    t.is(embedded.train.labels[k], full.train.labels[rows[k]]);
    t.deepEqual(embedded.train.pixels.subarray(k * 784, (k + 1) * 784), full.train.pixels.subarray(rows[k] * 784, (rows[k] + 1) * 784));
  }
  const testRows = embedded.manifest.testSourceIndices ?? [];
  for (let k = 0; k < testRows.length; k += 7) t.is(embedded.test.labels[k], full.test.labels[testRows[k]]);
});
