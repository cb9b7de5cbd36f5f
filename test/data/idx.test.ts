import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataFormatError, readIdx, readIdxImageSet, readIdxImageSetSync, readIdxSync, writeIdxSync } from '../../src/data';
import { tempDir } from './tmp';

/** Hand-built IDX bytes: header 00 00 08 ndims, dims big-endian, data. */
function idxBytes(dims: number[], data: number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('reads plain and gzip IDX, sync and streaming, to the same bytes', async (t) => {
  const dir = tempDir(t);
  const data = Array.from({ length: 3 * 2 * 2 }, (_, i) => (i * 37) % 256);
  fs.writeFileSync(path.join(dir, 'a.idx'), idxBytes([3, 2, 2], data));
  fs.writeFileSync(path.join(dir, 'a.idx.gz'), zlib.gzipSync(idxBytes([3, 2, 2], data)));
  for (const name of ['a.idx', 'a.idx.gz']) {
    const sync = readIdxSync(path.join(dir, name));
    const streamed = await readIdx(path.join(dir, name));
    t.deepEqual(sync.dims, [3, 2, 2]);
    t.deepEqual(Array.from(sync.data), data);
    t.deepEqual(streamed, sync);
  }
});

test('a streamed file larger than one chunk is read whole', async (t) => {
  const dir = tempDir(t);
  const n = 300_000; // several 64 KiB stream chunks
  const data = Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) % 256);
  fs.writeFileSync(path.join(dir, 'big.gz'), zlib.gzipSync(idxBytes([n], data)));
  const out = await readIdx(path.join(dir, 'big.gz'));
  t.is(out.data.length, n);
  t.is(out.data[n - 1], data[n - 1]);
  t.is(out.data[123_457], data[123_457]);
});

test('writeIdxSync round-trips and its gzip output is byte-identical run to run', (t) => {
  const dir = tempDir(t);
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
  writeIdxSync(path.join(dir, 'x.gz'), { dims: [2, 3, 4], data }, { gzip: true });
  const first = fs.readFileSync(path.join(dir, 'x.gz'));
  writeIdxSync(path.join(dir, 'x.gz'), { dims: [2, 3, 4], data }, { gzip: true });
  t.deepEqual(fs.readFileSync(path.join(dir, 'x.gz')), first);
  t.deepEqual(readIdxSync(path.join(dir, 'x.gz')), { dims: [2, 3, 4], data });
  t.deepEqual(fs.readdirSync(dir), ['x.gz'], 'no temporary file left');
});

test('image + label files make an ImageSet; grey images get 1 channel', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'img.gz'), zlib.gzipSync(idxBytes([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])));
  fs.writeFileSync(path.join(dir, 'lab'), idxBytes([2], [4, 0]));
  const options = { imagesFile: path.join(dir, 'img.gz'), labelsFile: path.join(dir, 'lab'), numClasses: 5 };
  const set = readIdxImageSetSync(options);
  t.deepEqual([set.height, set.width, set.channels, set.numClasses], [2, 3, 1, 5]);
  t.deepEqual(Array.from(set.labels), [4, 0]);
  t.deepEqual(Array.from(set.pixels.subarray(6)), [7, 8, 9, 10, 11, 12]);
  t.deepEqual(await readIdxImageSet(options), set);
});

test('corrupt IDX files throw naming the file, the position and what was expected', async (t) => {
  const dir = tempDir(t);
  const cases: [string, Buffer, RegExp][] = [
    ['magic.idx', Buffer.from([0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 1, 5]), /magic.idx: at byte 0: expected IDX magic number 0x0000 in the first two bytes; got 0x1f00/],
    ['type.idx', idxBytes([1], [5], 0x0d), /type.idx: at byte 2: expected IDX data type 0x08 \(unsigned byte\); got 0x0d/],
    ['truncated.idx', idxBytes([4, 2], [1, 2, 3, 4, 5]), /truncated.idx: at byte 17: expected 8 data bytes after the header \(dims \[4, 2\]\); got the end of the file after 5 \(truncated\)/],
    ['header.idx', Buffer.from([0, 0, 8, 3, 0, 0]), /header.idx: at byte 6: expected a complete IDX header \(16 bytes\)/],
    ['extra.idx', idxBytes([2], [1, 2, 3]), /extra.idx: at byte 10: expected the end of the data/],
  ];
  for (const [name, bytes, message] of cases) {
    fs.writeFileSync(path.join(dir, name), bytes);
    fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(bytes));
    const error = t.throws(() => readIdxSync(path.join(dir, name)), { message });
    t.true(error instanceof DataFormatError);
    t.is((error as DataFormatError).file, path.join(dir, name));
    await t.throwsAsync(readIdx(path.join(dir, name)), { message });
    await t.throwsAsync(readIdx(path.join(dir, `${name}.gz`)), { message: new RegExp(message.source.replace(`${name}:`, `${name}.gz:`)) });
  }
});

test('a truncated gzip stream is reported as such, with the compressed position', async (t) => {
  const dir = tempDir(t);
  const gz = zlib.gzipSync(idxBytes([1000], Array.from({ length: 1000 }, (_, i) => (i * 97) % 256)));
  const file = path.join(dir, 'cut.gz');
  fs.writeFileSync(file, gz.subarray(0, gz.length - 40));
  t.throws(() => readIdxSync(file), { message: /cut.gz: at compressed byte \d+: expected a complete, valid gzip stream; got unexpected end of file/ });
  await t.throwsAsync(readIdx(file), { message: /cut.gz: at compressed byte \d+: expected a complete, valid gzip stream/ });
});

test('labels out of range and count mismatches name the labels file', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'img'), idxBytes([3, 1, 1], [1, 2, 3]));
  fs.writeFileSync(path.join(dir, 'lab'), idxBytes([3], [0, 9, 10]));
  fs.writeFileSync(path.join(dir, 'lab2'), idxBytes([2], [0, 1]));
  t.throws(() => readIdxImageSetSync({ imagesFile: path.join(dir, 'img'), labelsFile: path.join(dir, 'lab'), numClasses: 10 }),
    { message: /lab: at byte 10 \(label 2\): expected a label in 0..9; got 10/ });
  t.throws(() => readIdxImageSetSync({ imagesFile: path.join(dir, 'img'), labelsFile: path.join(dir, 'lab2'), numClasses: 10 }),
    { message: /lab2: at byte 4: expected 3 labels \(the image count of .*img\); got 2/ });
});
