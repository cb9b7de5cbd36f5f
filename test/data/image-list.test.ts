import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { checkImageList, decodeImage, loadImageList, readImageList, resizeAndCenterCrop, centerCrop } from '../../src/data';
import { tempDir } from './tmp';

/** A PNG whose left half is red and right half blue (so crops and resizes are checkable by colour). */
function twoColourPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const left = x < width / 2;
      png.data[i] = left ? 250 : 5;
      png.data[i + 1] = 10;
      png.data[i + 2] = left ? 5 : 250;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function flatJpeg(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], p * 4);
  return jpeg.encode({ data, width, height }, 95).data;
}

function makeRoot(dir: string): string {
  const root = path.join(dir, 'images');
  fs.mkdirSync(path.join(root, 'n01'), { recursive: true });
  fs.mkdirSync(path.join(root, 'n02'), { recursive: true });
  fs.writeFileSync(path.join(root, 'n01', 'a.png'), twoColourPng(40, 20));
  fs.writeFileSync(path.join(root, 'n02', 'b.jpg'), flatJpeg(30, 50, [30, 200, 90]));
  // A PNG saved with a .jpg name, as happens in ImageNet: decoded by its bytes.
  fs.writeFileSync(path.join(root, 'n02', 'c.jpg'), twoColourPng(16, 16));
  return root;
}

test('decodeImage reads PNG and JPEG to RGB (and grey on request)', (t) => {
  const png = decodeImage(twoColourPng(4, 2));
  t.deepEqual([png.height, png.width, png.channels], [2, 4, 3]);
  t.deepEqual(Array.from(png.data.subarray(0, 3)), [250, 10, 5]);
  t.deepEqual(Array.from(png.data.subarray(9, 12)), [5, 10, 250]);
  const jpg = decodeImage(flatJpeg(8, 8, [30, 200, 90]));
  t.true(Math.abs(jpg.data[0] - 30) <= 3 && Math.abs(jpg.data[1] - 200) <= 3 && Math.abs(jpg.data[2] - 90) <= 3, `JPEG colour ${Array.from(jpg.data.subarray(0, 3))}`);
  const grey = decodeImage(twoColourPng(4, 2), { channels: 1 });
  t.is(grey.channels, 1);
  t.is(grey.data[0], Math.round((250 * 299 + 10 * 587 + 5 * 114) / 1000));
  t.throws(() => decodeImage(Buffer.from('GIF89a....')), { message: /not a JPEG .* or PNG .* file: starts with 47494638/ });
});

test('resizeAndCenterCrop: shorter side first, then the centre window', (t) => {
  const image = decodeImage(twoColourPng(40, 20)); // 20 high, 40 wide
  const out = resizeAndCenterCrop(image, { shorter: 10, crop: 8 }); // -> 10x20, then centre 8x8
  t.deepEqual([out.height, out.width], [8, 8]);
  t.true(out.data[0] > 200, 'left of the centre crop is red'); // column 6 of 20 -> red half
  t.true(out.data[(8 - 1) * 3 + 2] > 200, 'right of the centre crop is blue');
  const crop = centerCrop({ data: Uint8Array.from({ length: 5 * 5 }, (_, i) => i), height: 5, width: 5, channels: 1 }, { height: 3, width: 3 });
  t.deepEqual(Array.from(crop.data), [6, 7, 8, 11, 12, 13, 16, 17, 18]);
});

test('loadImageList decodes, resizes and crops every listed image', async (t) => {
  const dir = tempDir(t);
  const root = makeRoot(dir);
  const list = path.join(dir, 'train.txt');
  fs.writeFileSync(list, 'n01/a.png 0\n\nn02/b.jpg 2\r\nn02/c.jpg 1\n');
  const set = await loadImageList({ listFile: list, root, numClasses: 3, size: 8 });
  t.deepEqual(Array.from(set.labels), [0, 2, 1]);
  t.deepEqual([set.height, set.width, set.channels], [8, 8, 3]);
  t.is(set.pixels.length, 3 * 8 * 8 * 3);
  const second = set.pixels.subarray(8 * 8 * 3, 8 * 8 * 3 + 3);
  t.true(Math.abs(second[1] - 200) <= 4, 'the JPEG keeps its colour');
  const entries = [];
  for await (const e of readImageList(list)) entries.push(e);
  t.deepEqual(entries.map((e) => e.line), [1, 3, 4]);
});

test('bad list lines, labels out of range, missing and corrupt images name file and line', async (t) => {
  const dir = tempDir(t);
  const root = makeRoot(dir);
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const badLine = write('bad.txt', 'n01/a.png 0\nn02/b.jpg two\n');
  await t.throwsAsync(loadImageList({ listFile: badLine, root, numClasses: 3, size: 8 }), { message: /bad.txt: at line 2: expected "<relative\/path> <integer label>"; got "n02\/b.jpg two"/ });
  const range = write('range.txt', 'n01/a.png 3\n');
  await t.throwsAsync(loadImageList({ listFile: range, root, numClasses: 3, size: 8 }), { message: /range.txt: at line 1: expected a label in 0..2; got 3/ });
  const escape = write('escape.txt', '../secret.png 0\n');
  await t.throwsAsync(loadImageList({ listFile: escape, root, numClasses: 3, size: 8 }), { message: /escape.txt: at line 1: expected a path relative to the image root/ });
  const missing = write('missing.txt', 'n01/a.png 0\nn01/zzz.jpg 1\n');
  await t.throwsAsync(loadImageList({ listFile: missing, root, numClasses: 3, size: 8 }), { message: /missing.txt: at line 2: expected a readable image at .*n01\/zzz.jpg; got ENOENT/ });
  fs.writeFileSync(path.join(root, 'n01', 'broken.jpg'), flatJpeg(16, 16, [1, 2, 3]).subarray(0, 120));
  const corrupt = write('corrupt.txt', 'n01/broken.jpg 0\n');
  await t.throwsAsync(loadImageList({ listFile: corrupt, root, numClasses: 3, size: 8 }), { message: /broken.jpg: at byte 0: expected a valid JPEG or PNG image \(listed at .*corrupt.txt line 1\)/ });
});

test('checkImageList reports missing and unreadable images without stopping', async (t) => {
  const dir = tempDir(t);
  const root = makeRoot(dir);
  fs.writeFileSync(path.join(root, 'n01', 'text.jpg'), 'not an image');
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, 'n01/a.png 0\nn01/gone.jpg 0\nn01/text.jpg 1\nn02/b.jpg 2\n');
  const report = await checkImageList({ listFile: list, root });
  t.is(report.total, 4);
  t.deepEqual(report.missing, [{ line: 2, path: 'n01/gone.jpg' }]);
  t.is(report.unreadable.length, 1);
  t.is(report.unreadable[0].line, 3);
  t.deepEqual(report.classCounts, [1, 0, 1]);
  const quick = await checkImageList({ listFile: list, root, decode: false });
  t.is(quick.unreadable.length, 0, 'without decoding only existence is checked');
});
