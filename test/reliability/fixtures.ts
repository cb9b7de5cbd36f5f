/**
 * Small dataset folders for the bad-input suite: full Fashion-MNIST IDX files, CIFAR binary batches
 * and an ImageNet-LT style image list, each a few images, written so that one case can then damage
 * one thing in them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { writeIdxSync } from '../../src/data/idx';
import { FASHION_MNIST_FILES } from '../../src/data/fashion-mnist';

/** Fashion-MNIST files (plain IDX, not gzip, so a case can cut them) with `perClass` images per class. */
export function writeFashionMnist(
  dir: string,
  options: { side?: number; testSide?: number; perClass?: number } = {},
): Record<keyof typeof FASHION_MNIST_FILES, string> {
  const { side = 8, testSide = side, perClass = 3 } = options;
  fs.mkdirSync(dir, { recursive: true });
  const files = Object.fromEntries(
    Object.entries(FASHION_MNIST_FILES).map(([k, v]) => [k, path.join(dir, v.replace(/\.gz$/, ''))]),
  ) as Record<keyof typeof FASHION_MNIST_FILES, string>;
  const write = (images: string, labels: string, s: number) => {
    const n = perClass * 10;
    writeIdxSync(images, { dims: [n, s, s], data: new Uint8Array(n * s * s).map((_, i) => i % 251) });
    writeIdxSync(labels, { dims: [n], data: new Uint8Array(n).map((_, i) => i % 10) });
  };
  write(files.trainImages, files.trainLabels, side);
  write(files.testImages, files.testLabels, testSide);
  return files;
}

const CIFAR_RECORD = 1 + 3072;

/** CIFAR-10 batches: data_batch_1..5.bin and test_batch.bin, `records` each. */
export function writeCifar10(dir: string, records = 4): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const names = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`).concat('test_batch.bin');
  for (const name of names) {
    const bytes = new Uint8Array(records * CIFAR_RECORD).map((_, i) => i % 200);
    for (let r = 0; r < records; r++) bytes[r * CIFAR_RECORD] = r % 10;
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return names.map((n) => path.join(dir, n));
}

/** CIFAR-100 train.bin / test.bin with the given fine label in record 0. */
export function writeCifar100(dir: string, fineLabel0 = 3): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['train.bin', 'test.bin']) {
    const record = 2 + 3072;
    const bytes = new Uint8Array(4 * record);
    for (let r = 0; r < 4; r++) {
      bytes[r * record] = r;
      bytes[r * record + 1] = r;
    }
    bytes[1] = fineLabel0;
    fs.writeFileSync(path.join(dir, name), bytes);
  }
}

/** A small RGB PNG. */
export function pngBytes(width = 12, height = 10): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(128);
  return PNG.sync.write(png);
}

/** A valid-looking PNG of a few hundred bytes whose header declares width x height pixels. */
export function hugePngBytes(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  const idat = zlib.deflateSync(Buffer.alloc(1000));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ImageNet-LT list files and images: `lines` for the train list (default two good entries). */
export function writeImageList(dir: string, trainLines?: string[]): { train: string; test: string } {
  fs.mkdirSync(path.join(dir, 'train'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'train', 'a.png'), pngBytes());
  fs.writeFileSync(path.join(dir, 'train', 'b.png'), pngBytes());
  const train = path.join(dir, 'ImageNet_LT_train.txt');
  const test = path.join(dir, 'ImageNet_LT_test.txt');
  fs.writeFileSync(train, `${(trainLines ?? ['train/a.png 0', 'train/b.png 1']).join('\n')}\n`);
  fs.writeFileSync(test, 'train/a.png 0\n');
  return { train, test };
}
