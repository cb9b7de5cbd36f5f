import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getConfig } from '../../src/configs';
import { loadFashionMnist, longTailedClassCounts, readSubsetList, rowsIdentity, subsetListPath } from '../../src/data';
import type { ImageSet } from '../../src/data/types';
import { prepareTrainingData } from '../../src/train';

test('rowsIdentity: sha256 of the rows joined by commas, in order (hand case from Python hashlib)', (t) => {
  // python3 -c "import hashlib;print(hashlib.sha256(b'12,7,40').hexdigest())"
  t.is(rowsIdentity([12, 7, 40]), 'bc54dad718bfb135acfba1779abfc15cc01ef6bf5d48fcc1c8d1b3005eefe0e6');
  t.not(rowsIdentity([7, 12, 40]), rowsIdentity([12, 7, 40]), 'order counts');
});

/** Labels of a 12-row stand-in split: classes 0, 1, 2 with 6, 4, 2 rows. */
const labels = [0, 1, 0, 2, 0, 1, 0, 1, 0, 2, 0, 1];
function writeList(dir: string, edit: (list: Record<string, unknown>) => void = () => {}): string {
  const rows = [0, 2, 4, 1, 5, 3];
  const list: Record<string, unknown> = { name: 'mini', dataset: 'fashion-mnist', rule: 'by hand', madeBy: 'this test', classCounts: [3, 2, 1], rows, rowsSha256: rowsIdentity(rows) };
  edit(list);
  const file = path.join(dir, `mini-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(list));
  return file;
}

test('readSubsetList: a valid list reads back; every defect is named with the file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subset-list-'));
  const expect = { dataset: 'fashion-mnist', labels, expectedCounts: [3, 2, 1] };
  t.deepEqual(readSubsetList(writeList(dir), expect).rows, [0, 2, 4, 1, 5, 3]);
  const bad = (edit: (l: Record<string, unknown>) => void, message: RegExp) => t.throws(() => readSubsetList(writeList(dir, edit), expect), { message });
  bad((l) => (l.dataset = 'cifar10'), /mini-.*\.json' lists rows of cifar10; the config trains on fashion-mnist/);
  bad((l) => (l.rows = [0, 2, 4, 1, 5, 99]), /rows\[5\] = 99 is not a row of the training split \(0\.\.11\)/);
  bad((l) => (l.rows = [0, 2, 2, 1, 5, 3]), /lists row 2 twice/);
  bad((l) => (l.classCounts = [2, 2, 2]), /says classCounts \[2,2,2\] but its rows hold \[3,2,1\]/);
  bad((l) => (l.rows = [0, 2, 4, 1, 5, 9]), /has rowsSha256 .* but its rows hash to .* \(edited\?\)/);
  bad((l) => delete l.madeBy, /must have a string 'madeBy'/);
  t.throws(() => readSubsetList(writeList(dir), { ...expect, expectedCounts: [4, 1, 1] }), { message: /holds \[3,2,1\] images per class; the config's imbalanceFactor, imbalanceProfile and nMax ask for \[4,1,1\]/ });
  t.throws(() => subsetListPath('../etc/passwd'), { message: /a name in data\/subsets\/ .* or a path ending in \.json/ });
  t.throws(() => readSubsetList('no-such-list', expect), { message: /no-such-list\.json' is missing; expected a subset list/ });
});

const FMNIST = '/usr/share/datasets/fashion-mnist';
(fs.existsSync(FMNIST) ? test : test.skip)("the authors' subset: the committed list reads against the real labels, and fashion-mnist-lt-authors trains on exactly its rows", async (t) => {
  const config = getConfig('fashion-mnist-lt-authors');
  const full = loadFashionMnist({ dir: FMNIST });
  const counts = longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 2000, imbalanceFactor: 100 });
  const list = readSubsetList(config.subsetList, { dataset: 'fashion-mnist', labels: full.train.labels, expectedCounts: counts });
  t.deepEqual(list.classCounts, [2000, 1198, 718, 430, 258, 154, 92, 55, 33, 20]);
  const data = await prepareTrainingData(config);
  t.is(data.subset!.trainSha256, list.rowsSha256);
  t.is(data.subset!.source, 'list fashion-mnist-lt-authors-if100-nmax2000');
  // Row k of the training subset is row list.rows[k] of the official split, pixel for pixel.
  const px = 28 * 28;
  for (const k of [0, 1999, 4957]) {
    const row = list.rows[k];
    t.deepEqual((data.train as ImageSet).pixels.subarray(k * px, (k + 1) * px), full.train.pixels.subarray(row * px, (row + 1) * px));
    t.is(data.train.labels[k], full.train.labels[row]);
  }
  // Validation: 100 per class from the rows outside the list.
  t.is(data.subset!.valRows, 1000);
});
