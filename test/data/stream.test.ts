import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import {
  augmentationPreset, checkImageBytes, decodeImage, decodeImageBytes, imageBatches, loadListImageSet, loadSharp, normalizeImage, readImageHeader,
  resolveDecoder, selectListEntries, streamImageBatches, streamTwoViewBatches, WorkerPool, writeSyntheticImageLists, type ListImageSet,
} from '../../src/data';
import { Rng } from '../../src/util/rng';
import { tempDir } from './tmp';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function miniature(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; set: ListImageSet; test: ListImageSet }> {
  const dir = tempDir(t, 'rescom-stream-');
  const made = await writeSyntheticImageLists({ dir, format: 'imagenet-lt', numClasses: 5, nMax: 8, imbalanceFactor: 4, testPerClass: 2, sideRange: [20, 40], seed: 3 });
  const set = await loadListImageSet({ listFile: made.trainList, root: dir, numClasses: 5, size: 16 });
  const test = await loadListImageSet({ listFile: made.testList, root: dir, numClasses: 5, size: 16 });
  return { dir, set, test };
}

const preset = { name: 'imagenet' as const, size: 16 };

test('readImageHeader reads JPEG and PNG sizes; checkImageBytes enforces the limits before decoding', (t) => {
  const data = Buffer.alloc(37 * 23 * 4, 128);
  const bytes = jpeg.encode({ data, width: 37, height: 23 }, 80).data;
  t.deepEqual(readImageHeader(bytes), { format: 'jpeg', width: 37, height: 23, components: 3 });
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000001f4000000c80806000000', 'hex');
  t.like(readImageHeader(png), { format: 'png', width: 500, height: 200, components: 4 });
  t.throws(() => checkImageBytes(bytes, { maxMegapixels: 0.0005 }), { message: /37x23 exceeds 0.0005 megapixels/ });
  t.throws(() => checkImageBytes(bytes, { maxBytes: 10 }), { message: /exceeds the limit of 10 bytes/ });
  t.throws(() => readImageHeader(Buffer.from('GIF89a')), { message: /not a JPEG .* starts with 47494638/ });
  t.throws(() => readImageHeader(bytes.subarray(0, 20)), { message: /no frame header/ });
});

test('sharp loads here and decodes a JPEG within a few levels of jpeg-js; a grey decode has one channel', async (t) => {
  t.truthy(loadSharp(), 'sharp 0.35 is a dependency and should load');
  t.is(resolveDecoder('auto'), process.env.RESCOM_DECODER === 'js' ? 'js' : 'sharp');
  const W = 41, H = 29;
  const data = Buffer.alloc(W * H * 4);
  for (let p = 0; p < W * H; p++) { data[4 * p] = (p * 3) % 256; data[4 * p + 1] = (p >> 2) % 256; data[4 * p + 2] = 90; data[4 * p + 3] = 255; }
  const bytes = jpeg.encode({ data, width: W, height: H }, 95).data;
  const native = await decodeImageBytes(bytes, { decoder: 'sharp' });
  const js = decodeImage(bytes);
  t.deepEqual([native.height, native.width, native.channels], [H, W, 3]);
  let maxDiff = 0;
  for (let i = 0; i < js.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js.data[i] - native.data[i]));
  t.true(maxDiff <= 8, `max |sharp - jpeg-js| = ${maxDiff}`);
  t.is((await decodeImageBytes(bytes, { decoder: 'sharp', channels: 1 })).channels, 1);
  await t.throwsAsync(decodeImageBytes(Buffer.from('not an image')), { message: /not a JPEG/ });
});

test('streamed batches do not depend on the worker count, and startBatch resumes bit-identically', async (t) => {
  const { set } = await miniature(t);
  const inline = new WorkerPool({ workers: 0 });
  const pool = new WorkerPool({ workers: 2 });
  t.teardown(() => pool.dispose());
  const a = await collect(streamTwoViewBatches({ set, batchSize: 4, rng: new Rng(7), pool: inline, preset }));
  const b = await collect(streamTwoViewBatches({ set, batchSize: 4, rng: new Rng(7), pool, preset, prefetch: 3 }));
  t.is(a.length, Math.floor(set.labels.length / 4));
  t.deepEqual(a[0].shape, [4, 16, 16, 3]);
  for (let i = 0; i < a.length; i++) {
    t.deepEqual(b[i].labels, a[i].labels);
    t.deepEqual(b[i].view1, a[i].view1);
    t.deepEqual(b[i].view2, a[i].view2);
  }
  t.notDeepEqual(a[0].view1, a[0].view2, 'two different views');
  const resumed = await collect(streamTwoViewBatches({ set, batchSize: 4, rng: new Rng(7), pool, preset, startBatch: 3 }));
  t.is(resumed.length, a.length - 3);
  t.deepEqual(resumed[0].view1, a[3].view1);
  t.deepEqual(resumed[resumed.length - 1].view2, a[a.length - 1].view2);
  const other = await collect(streamTwoViewBatches({ set, batchSize: 4, rng: new Rng(8), pool, preset }));
  t.notDeepEqual(other[0].view1, a[0].view1, 'another seed, another epoch');
  // every entry appears once per epoch (the last partial batch dropped)
  const seen = a.flatMap((x) => Array.from(x.labels));
  t.is(seen.length, 4 * a.length);
});

test('streamed evaluation equals the in-memory evaluate transform of the same decoded images', async (t) => {
  const { test: testSet } = await miniature(t);
  const pool = new WorkerPool({ workers: 1 });
  t.teardown(() => pool.dispose());
  const batches = await collect(streamImageBatches({ set: testSet, batchSize: 4, pool, preset, decoder: 'js' }));
  t.is(batches.reduce((a, b) => a + b.labels.length, 0), testSet.labels.length);
  t.deepEqual(Array.from(batches[0].labels), Array.from(testSet.labels.slice(0, 4)));
  const p = augmentationPreset('imagenet', { size: 16 });
  const first = decodeImage(fs.readFileSync(path.join(testSet.root, testSet.paths[0])));
  const expected = normalizeImage(p.evaluate(first), p.normalization);
  t.deepEqual(batches[0].images.subarray(0, expected.length), expected);
  t.truthy(imageBatches);
});

test('a missing or corrupt listed image fails the batch with the list line and path', async (t) => {
  const { set, dir } = await miniature(t);
  fs.writeFileSync(path.join(dir, set.paths[2]), 'garbage');
  const bad = selectListEntries(set, [0, 1, 2, 3]);
  const pool = new WorkerPool({ workers: 1 });
  t.teardown(() => pool.dispose());
  await t.throwsAsync(collect(streamImageBatches({ set: bad, batchSize: 4, pool, preset })), { message: new RegExp(`${set.paths[2].replace(/[.]/g, '\\.')}.*line ${set.lines[2]}.*not a JPEG`) });
  fs.rmSync(path.join(dir, set.paths[1]));
  await t.throwsAsync(collect(streamImageBatches({ set: selectListEntries(set, [1]), batchSize: 1, pool, preset })), { message: /line \d+: expected a readable image at .*; got ENOENT/ });
});
