/**
 * Small helpers on `ImageSet`: validation, class counts, selecting rows, viewing one image.
 */
import type { HwcImage, ImageSet } from './types';

/** Throws unless `set` is a consistent ImageSet (sizes agree, labels in 0..numClasses-1). */
export function assertImageSet(set: ImageSet, fn: string, arg = 'set'): void {
  if (!set || !(set.pixels instanceof Uint8Array) || !(set.labels instanceof Int32Array)) {
    throw new Error(`${fn}: ${arg} must be an ImageSet with Uint8Array pixels and Int32Array labels; got ${describe(set)}`);
  }
  const { height, width, channels, numClasses } = set;
  for (const [name, v] of Object.entries({ height, width, channels, numClasses })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${fn}: ${arg}.${name} must be a positive integer; got ${v}`);
  }
  const expected = set.labels.length * height * width * channels;
  if (set.pixels.length !== expected) {
    throw new Error(`${fn}: ${arg}.pixels must hold ${set.labels.length} x ${height} x ${width} x ${channels} = ${expected} values; got ${set.pixels.length}`);
  }
  for (let i = 0; i < set.labels.length; i++) {
    const y = set.labels[i];
    if (y < 0 || y >= numClasses) throw new Error(`${fn}: ${arg}.labels[${i}] must be in 0..${numClasses - 1}; got ${y}`);
  }
}

/** Number of images of each class, length numClasses. */
export function classCounts(set: Pick<ImageSet, 'labels' | 'numClasses'>): number[] {
  const counts = new Array<number>(set.numClasses).fill(0);
  for (let i = 0; i < set.labels.length; i++) counts[set.labels[i]]++;
  return counts;
}

/** A new ImageSet holding rows `indices` of `set`, in that order (pixels are copied). */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.labels.length) {
      throw new Error(`selectImages: indices[${k}] must be an integer in 0..${set.labels.length - 1}; got ${i}`);
    }
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i];
  }
  const out: ImageSet = { pixels, labels, height: set.height, width: set.width, channels: set.channels, numClasses: set.numClasses };
  if (set.classNames) out.classNames = set.classNames.slice();
  return out;
}

/** Image `index` of `set` as an HWC view (no copy: writing to it writes to the set). */
export function imageAt(set: ImageSet, index: number): HwcImage<Uint8Array> {
  const size = set.height * set.width * set.channels;
  return { data: set.pixels.subarray(index * size, (index + 1) * size), height: set.height, width: set.width, channels: set.channels };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return typeof value;
  return `{ ${Object.keys(value as object).join(', ')} }`;
}
