import test from 'ava';
import { IMAGENET_NORMALIZATION, normalizeBytes, normalizeImage, twoViewBatchFromBytes, twoViewInput, type TwoViewBatch } from '../../src/data';

const shape: [number, number, number, number] = [2, 3, 4, 3];
const per = 2 * 3 * 4 * 3;
const view1 = Uint8Array.from({ length: per }, (_, i) => (i * 37) % 256);
const view2 = Uint8Array.from({ length: per }, (_, i) => (i * 101 + 7) % 256);
const labels = Int32Array.from([4, 1]);
// The reference: each view normalised by normalizeImage (the per-image transform of the in-memory sets).
const float1 = normalizeImage({ data: view1, height: 6, width: 4, channels: 3 }, IMAGENET_NORMALIZATION);
const float2 = normalizeImage({ data: view2, height: 6, width: 4, channels: 3 }, IMAGENET_NORMALIZATION);

test('a uint8 two-view batch reads as the normalised float views, and its model input is view 1 then view 2, equal to the float batch input', (t) => {
  const batch = twoViewBatchFromBytes({ view1, view2, normalization: IMAGENET_NORMALIZATION }, labels, shape);
  t.deepEqual(batch.view1, float1);
  t.deepEqual(batch.view2, float2);
  t.is(batch.view1, batch.view1, 'computed once, then kept');
  t.deepEqual(normalizeBytes(view2, 3, IMAGENET_NORMALIZATION), float2);
  const floats: TwoViewBatch = { view1: float1, view2: float2, labels, shape };
  const input = twoViewInput(batch, true);
  t.is(input.length, 2 * per);
  t.deepEqual(input, twoViewInput(floats, true));
  t.deepEqual(input.subarray(0, per), float1);
  t.deepEqual(input.subarray(per), float2);
  t.deepEqual(twoViewInput(batch, false), float1);
  // Into a reused buffer: the same values, in that buffer.
  const out = new Float32Array(3 * per).fill(Number.NaN);
  const written = twoViewInput(batch, true, 'test', out);
  t.is(written.buffer, out.buffer);
  t.deepEqual(written, input);
  t.true(Number.isNaN(out[2 * per]), 'nothing written past the input');
});

test('twoViewInput names a missing second view and a short output buffer', (t) => {
  const oneView = twoViewBatchFromBytes({ view1, view2: new Uint8Array(0), normalization: IMAGENET_NORMALIZATION }, labels, shape);
  t.throws(() => twoViewInput(oneView, true, 'trainStep'), { message: `trainStep: batch.view2 must hold ${per} values for a two-view method; got 0` });
  t.throws(() => twoViewInput(oneView, false, 'bench', new Float32Array(per - 1)), { message: `bench: out must hold at least ${per} values; got ${per - 1}` });
});
