/**
 * UnsortedSegmentSum for the wasm backend (missing in 4.22; `tf.gather`'s gradient needs it):
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] == s. Ids outside [0, numSegments) are
 * dropped, as in TensorFlow. A single pass over x on the wasm heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackendLike } from './kernel-context';

export function unsortedSegmentSum(
  backend: tf.KernelBackend,
  x: TensorInfo,
  segmentIds: TensorInfo,
  numSegments: number,
): TensorInfo {
  const wasm = backend as WasmBackendLike;
  const idCount = segmentIds.shape.reduce((a, b) => a * b, 1);
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(
      `UnsortedSegmentSum (wasm training kernels): segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm training kernels): x must be float32 or int32; got ${x.dtype}`);
  }
  const inner = idCount === 0 ? 0 : size / idCount;
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const outValues = wasm.typedArrayFromHeap(out);
  outValues.fill(0);
  const values = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  for (let i = 0; i < idCount; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) outValues[dst + k] += values[src + k];
  }
  return out;
}
