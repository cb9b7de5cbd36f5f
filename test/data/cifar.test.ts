import test from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { loadCifar, readCifarBinary } from '../../src/data';
import { prepareCifar } from '../../data-scripts/cifar/prepare';
import { tempDir } from './tmp';

/** One record in the official layout: label byte(s), then 1024 R, 1024 G, 1024 B values. */
function record(labels: number[], seed: number): { bytes: Buffer; rgbAt: (y: number, x: number) => number[] } {
  const value = (c: number, p: number) => (seed * 31 + c * 101 + p * 7) % 256;
  const bytes = Buffer.alloc(labels.length + 3072);
  labels.forEach((l, k) => (bytes[k] = l));
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) bytes[labels.length + c * 1024 + p] = value(c, p);
  return { bytes, rgbAt: (y, x) => [0, 1, 2].map((c) => value(c, y * 32 + x)) };
}

test('CIFAR-10 records become HWC images with their labels, across several files', async (t) => {
  const dir = tempDir(t);
  const recs = [record([3], 1), record([9], 2), record([0], 3)];
  fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.concat([recs[0].bytes, recs[1].bytes]));
  fs.writeFileSync(path.join(dir, 'b.bin'), recs[2].bytes);
  const set = await readCifarBinary({ files: [path.join(dir, 'a.bin'), path.join(dir, 'b.bin')], variant: 'cifar10' });
  t.deepEqual(Array.from(set.labels), [3, 9, 0]);
  t.deepEqual([set.height, set.width, set.channels, set.numClasses], [32, 32, 3, 10]);
  t.is(set.classNames?.[3], 'cat');
  for (const [i, rec] of recs.entries()) {
    for (const [y, x] of [[0, 0], [5, 17], [31, 31]]) {
      const at = ((i * 32 + y) * 32 + x) * 3;
      t.deepEqual(Array.from(set.pixels.subarray(at, at + 3)), rec.rgbAt(y, x), `image ${i} pixel (${y}, ${x})`);
    }
  }
});

test('CIFAR-100 keeps coarse and fine labels; labelKind picks which is the class', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'train.bin'), Buffer.concat([record([19, 99], 1).bytes, record([4, 37], 2).bytes]));
  const fine = await readCifarBinary({ files: [path.join(dir, 'train.bin')], variant: 'cifar100' });
  t.deepEqual(Array.from(fine.labels), [99, 37]);
  t.deepEqual(Array.from(fine.coarseLabels ?? []), [19, 4]);
  t.is(fine.numClasses, 100);
  const coarse = await readCifarBinary({ files: [path.join(dir, 'train.bin')], variant: 'cifar100', labelKind: 'coarse' });
  t.deepEqual(Array.from(coarse.labels), [19, 4]);
  t.is(coarse.numClasses, 20);
  t.deepEqual(coarse.pixels, fine.pixels);
});

test('a file streamed in many chunks (700 records) is read completely', async (t) => {
  const dir = tempDir(t);
  const recs = Array.from({ length: 700 }, (_, i) => record([i % 10], i));
  fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.concat(recs.map((r) => r.bytes)));
  const set = await readCifarBinary({ files: [path.join(dir, 'big.bin')], variant: 'cifar10' });
  t.is(set.labels.length, 700);
  t.is(set.labels[699], 9);
  const at = ((699 * 32 + 7) * 32 + 9) * 3;
  t.deepEqual(Array.from(set.pixels.subarray(at, at + 3)), recs[699].rgbAt(7, 9));
});

test('corrupt CIFAR files: truncated record, labels out of range', async (t) => {
  const dir = tempDir(t);
  const cut = path.join(dir, 'cut.bin');
  fs.writeFileSync(cut, Buffer.concat([record([1], 1).bytes, record([2], 2).bytes.subarray(0, 1000)]));
  await t.throwsAsync(readCifarBinary({ files: [cut], variant: 'cifar10' }),
    { message: /cut.bin: at byte 3073 \(record 1\): expected a whole number of 3073-byte cifar10 records; got 4073 bytes/ });
  const bad10 = path.join(dir, 'bad10.bin');
  fs.writeFileSync(bad10, Buffer.concat([record([1], 1).bytes, record([10], 2).bytes]));
  await t.throwsAsync(readCifarBinary({ files: [bad10], variant: 'cifar10' }), { message: /bad10.bin: at byte 3073 \(record 1\): expected a CIFAR-10 label in 0..9; got 10/ });
  const bad100 = path.join(dir, 'bad100.bin');
  fs.writeFileSync(bad100, record([3, 100], 1).bytes);
  await t.throwsAsync(readCifarBinary({ files: [bad100], variant: 'cifar100' }), { message: /bad100.bin: at byte 1 \(record 0\): expected a CIFAR-100 fine label in 0..99; got 100/ });
  const badCoarse = path.join(dir, 'badc.bin');
  fs.writeFileSync(badCoarse, record([20, 1], 1).bytes);
  await t.throwsAsync(readCifarBinary({ files: [badCoarse], variant: 'cifar100' }), { message: /badc.bin: at byte 0 \(record 0\): expected a CIFAR-100 coarse label in 0..19; got 20/ });
});

/** A miniature CIFAR-10 archive in the official layout (cifar-10-batches-bin/...). */
async function miniCifar10Archive(dir: string): Promise<string> {
  const src = path.join(dir, 'src', 'cifar-10-batches-bin');
  fs.mkdirSync(src, { recursive: true });
  for (let k = 1; k <= 5; k++) fs.writeFileSync(path.join(src, `data_batch_${k}.bin`), Buffer.concat([record([k], k).bytes, record([0], 10 + k).bytes]));
  fs.writeFileSync(path.join(src, 'test_batch.bin'), record([7], 99).bytes);
  fs.writeFileSync(path.join(src, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
  const archive = path.join(dir, 'cifar-10-binary.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: path.join(dir, 'src') }, ['cifar-10-batches-bin']);
  return archive;
}

test('loadCifar finds the split files inside an extracted archive; prepareCifar verifies, extracts, reads', async (t) => {
  const dir = tempDir(t);
  const archive = await miniCifar10Archive(dir);
  const md5 = createHash('md5').update(fs.readFileSync(archive)).digest('hex');
  const out = path.join(dir, 'raw');
  const lines: string[] = [];
  const result = await prepareCifar({ variant: 'cifar10', out, from: archive, md5, log: (l) => lines.push(l) });
  t.deepEqual(result, { dir: path.join(out, 'cifar10'), train: 10, test: 1 });
  const train = await loadCifar({ dir: result.dir, variant: 'cifar10', split: 'train' });
  t.deepEqual(Array.from(train.labels), [1, 0, 2, 0, 3, 0, 4, 0, 5, 0]);
  t.deepEqual(train.classNames, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  t.deepEqual(fs.readdirSync(out), ['cifar10'], 'archive removed, no temporary files');
  t.true(lines.some((l) => l.includes('train 10 images')));
});

test('prepareCifar refuses an archive whose MD5 differs and leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  const archive = await miniCifar10Archive(dir);
  const out = path.join(dir, 'raw');
  await t.throwsAsync(prepareCifar({ variant: 'cifar10', out, from: archive, log: () => {} }),
    { message: /has md5 [0-9a-f]{32}; expected c32a1d4ab5d03f1284b67883e8d87530/ });
  t.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
});

test('loadCifar says what to run when files are missing', async (t) => {
  const dir = tempDir(t);
  await t.throwsAsync(loadCifar({ dir, variant: 'cifar100', split: 'test' }), { message: /missing .*test.bin; run data-scripts\/cifar\/prepare.ts/ });
});
