import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig } from '../../src/configs';
import {
  loadFashionMnist,
  longTailedClassCounts,
  makeSubsetList,
  readSubsetList,
  rowsIdentity,
  subsetListPath,
  syntheticClassImages,
  writeSubsetList,
} from '../../src/data';
import type { ImageSet } from '../../src/data/types';
import { prepareTrainingData } from '../../src/train';
import { Rng } from '../../src/util/rng';

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
(fs.existsSync(FMNIST) ? test : test.skip)('the fixed subset: the committed list (export-subset.ts) is what fashion-mnist-lt-fixed draws', async (t) => {
  const config = getConfig('fashion-mnist-lt-fixed');
  const full = loadFashionMnist({ dir: FMNIST });
  const counts = longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 2000, imbalanceFactor: 100 });
  const list = readSubsetList('fashion-mnist-lt-fixed-if100-nmax2000', { dataset: 'fashion-mnist', labels: full.train.labels, expectedCounts: counts });
  const data = await prepareTrainingData(config);
  t.is(data.subset!.trainSha256, list.rowsSha256);
  t.deepEqual(Array.from(data.subsetRows!.train), list.rows);
  // The identity every fixed-subset run records (bench/results/protocol/fashion-mnist-lt-fixed-*).
  t.true(list.rowsSha256.startsWith('5437aee0303f'));
});

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

test('makeSubsetList: counts and identity from the rows (hand case); writeSubsetList writes what readSubsetList accepts; bad rows are named', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subset-list-'));
  const rows = [4, 0, 2, 1, 5, 3];
  const fields = { name: 'mini', dataset: 'fashion-mnist', rule: 'by hand', madeBy: 'this test', splitSize: 12, numClasses: 3 };
  const list = makeSubsetList({ ...fields, rows, rowLabels: rows.map((r) => labels[r]) });
  // labels[4, 0, 2, 1, 5, 3] = 0, 0, 0, 1, 1, 2
  t.deepEqual(list.classCounts, [3, 2, 1]);
  // python3 -c "import hashlib;print(hashlib.sha256(b'4,0,2,1,5,3').hexdigest())"
  t.is(list.rowsSha256, '8b2792438ae64e28ffd7266b1838a86e3aa6908f96a1a757e941d7af22598f4b');
  const file = path.join(dir, 'mini.json');
  writeSubsetList(file, list);
  t.deepEqual(readSubsetList(file, { dataset: 'fashion-mnist', labels, expectedCounts: [3, 2, 1] }), list);
  t.throws(() => makeSubsetList({ ...fields, rows: [0, 12], rowLabels: [0, 0] }), { message: /rows\[1\] = 12 is not a row of the training split \(0\.\.11\)/ });
  t.throws(() => makeSubsetList({ ...fields, rows: [3, 3], rowLabels: [2, 2] }), { message: /row 3 is listed twice/ });
  t.throws(() => makeSubsetList({ ...fields, rows: [3, 1], rowLabels: [2] }), { message: /1 labels for 2 rows/ });
  t.throws(() => makeSubsetList({ ...fields, rows: [3], rowLabels: [7] }), { message: /the label of rows\[0\] is 7; expected a class 0\.\.2/ });
});

test('a drawn subset written out as a list trains on the very same images as the draw (export round trip)', async (t) => {
  const rng = new Rng(3);
  const source = {
    train: syntheticClassImages({ numClasses: 10, height: 8, width: 8, channels: 1, perClass: 80, rng }),
    test: syntheticClassImages({ numClasses: 10, height: 8, width: 8, channels: 1, perClass: 2, rng }),
  };
  const mini: Array<[string, string]> = [['nMax', '60'], ['imbalanceFactor', '10'], ['valPerClass', '5']];
  const drawn = await prepareTrainingData(applyOverrides(getConfig('fashion-mnist-lt-fixed'), mini), { source });
  t.is(drawn.subsetRows!.splitSize, 800);
  t.is(rowsIdentity(drawn.subsetRows!.train), drawn.subset!.trainSha256);
  t.is(rowsIdentity(drawn.subsetRows!.val!), drawn.subset!.valSha256!);
  const list = makeSubsetList({
    name: 'drawn',
    dataset: 'fashion-mnist',
    rule: 'test',
    madeBy: 'this test',
    rows: drawn.subsetRows!.train,
    rowLabels: drawn.train.labels,
    splitSize: drawn.subsetRows!.splitSize,
    numClasses: 10,
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'subset-list-')), 'drawn.json');
  writeSubsetList(file, list);
  const listed = await prepareTrainingData(applyOverrides(getConfig('fashion-mnist-lt-fixed'), [...mini, ['subsetList', file]]), { source });
  t.is(listed.subset!.trainSha256, drawn.subset!.trainSha256);
  t.deepEqual(listed.train.labels, drawn.train.labels);
  t.deepEqual((listed.train as ImageSet).pixels, (drawn.train as ImageSet).pixels);
  t.is(listed.subset!.source, `list ${file}`);
});
