/**
 * Streamed batches carry their views as uint8 pixels (`TwoViewBytes`): a quarter of the float32
 * bytes to allocate, transfer and hold, and the normalisation (x / 255 - mean) / std is done once,
 * by whoever turns the batch into model input, straight into that input.
 */
import { normalizeInto, type Normalization } from './augment/normalize';
import type { TwoViewBatch, TwoViewBytes } from './types';

/** `bytes` [n, H, W, C] uint8 normalised into a new float32 array (same layout); the values of `normalizeInto`. */
export function normalizeBytes(bytes: Uint8Array, channels: number, normalization: Normalization): Float32Array {
  const out = new Float32Array(bytes.length);
  normalizeInto({ data: bytes, height: bytes.length / channels, width: 1, channels }, normalization, out, 0);
  return out;
}

/**
 * A TwoViewBatch over uint8 views: `bytes` as given, and `view1` / `view2` the normalised float32
 * views, computed on first read (then kept), for consumers that want floats.
 */
export function twoViewBatchFromBytes(bytes: TwoViewBytes, labels: Int32Array, shape: [number, number, number, number]): TwoViewBatch {
  const c = shape[3];
  let view1: Float32Array | null = null;
  let view2: Float32Array | null = null;
  return {
    bytes,
    labels,
    shape,
    get view1(): Float32Array {
      return (view1 ??= normalizeBytes(bytes.view1, c, bytes.normalization));
    },
    get view2(): Float32Array {
      return (view2 ??= normalizeBytes(bytes.view2, c, bytes.normalization));
    },
  };
}

/**
 * The model input of a two-view batch, [rows, H, W, C] float32 with rows = n (view 1) or 2n (view 1
 * then view 2, `twoViews`). From `batch.bytes` when present: one normalising pass into the input;
 * else a copy of the float views. `fn` names the caller in errors. `out` (at least rows x H x W x C
 * values) is written instead of a new array, for a consumer that reuses its input buffer (a fresh
 * 38 MB array per view of a 64 x 224 px batch costs more to fault in than the normalising pass).
 */
export function twoViewInput(batch: TwoViewBatch, twoViews: boolean, fn = 'twoViewInput', out?: Float32Array): Float32Array {
  const [n, h, w, c] = batch.shape;
  const per = n * h * w * c;
  const bytes = batch.bytes;
  const second = bytes ? bytes.view2.length : batch.view2.length;
  if (twoViews && second !== per) throw new Error(`${fn}: batch.view2 must hold ${per} values for a two-view method; got ${second}`);
  const size = twoViews ? 2 * per : per;
  if (out && out.length < size) throw new Error(`${fn}: out must hold at least ${size} values; got ${out.length}`);
  const images = out ? out.subarray(0, size) : new Float32Array(size);
  if (bytes) {
    const fill = (view: Uint8Array, offset: number) => {
      if (view.length < per) throw new Error(`${fn}: batch.bytes views must hold ${per} values; got ${view.length}`);
      normalizeInto({ data: view.subarray(0, per), height: per / c, width: 1, channels: c }, bytes.normalization, images, offset);
    };
    fill(bytes.view1, 0);
    if (twoViews) fill(bytes.view2, per);
  } else {
    images.set(batch.view1.subarray(0, per));
    if (twoViews) images.set(batch.view2, per);
  }
  return images;
}
