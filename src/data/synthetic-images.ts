/**
 * A generated, labelled stand-in for an image dataset of a given shape (e.g. CIFAR's 32x32x3) when
 * the real files are not available: each class has a fixed smooth random template (a coarse 4x4
 * grid of colours, bilinearly upsampled) and every image is its class's template plus per-pixel
 * noise. Learnable, seeded, and plainly not real data: use it to exercise code paths and measure
 * speed, never to report accuracy.
 */
import type { ImageSet } from './types';
import type { Rng } from '../util/rng';

export interface SyntheticImagesOptions {
  numClasses: number;
  /** Images per class: one number for all, or one per class. */
  perClass: number | number[];
  height: number;
  width: number;
  channels: number;
  /** Seeds the templates and the noise. */
  rng: Rng;
  /** Standard deviation of the per-pixel noise in grey levels; default 40. */
  noise?: number;
}

function positiveInt(fn: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${fn}: ${what} must be a positive integer; got ${String(value)}`);
  return value;
}

/** `[count, H, W, C]` uint8 images, class c's images contiguous (c = 0 first), labels in order. */
export function syntheticClassImages(options: SyntheticImagesOptions): ImageSet {
  const fn = 'syntheticClassImages';
  const C = positiveInt(fn, 'numClasses', options.numClasses);
  const H = positiveInt(fn, 'height', options.height);
  const W = positiveInt(fn, 'width', options.width);
  const channels = positiveInt(fn, 'channels', options.channels);
  const perClass = Array.isArray(options.perClass) ? options.perClass : new Array<number>(C).fill(options.perClass);
  if (perClass.length !== C) throw new Error(`${fn}: perClass must have ${C} entries (one per class); got ${perClass.length}`);
  perClass.forEach((n, c) => {
    if (!Number.isInteger(n) || n < 0) throw new Error(`${fn}: perClass[${c}] must be an integer >= 0; got ${n}`);
  });
  const noise = options.noise ?? 40;
  if (!(noise >= 0)) throw new Error(`${fn}: noise must be a number >= 0; got ${noise}`);
  const { rng } = options;
  const grid = 4;
  const templates = Array.from({ length: C }, () => {
    const coarse = Array.from({ length: grid * grid * channels }, () => 40 + rng.next() * 175);
    const t = new Float32Array(H * W * channels);
    for (let y = 0; y < H; y++) {
      const gy = (y / Math.max(1, H - 1)) * (grid - 1);
      const y0 = Math.floor(gy), y1 = Math.min(grid - 1, y0 + 1), fy = gy - y0;
      for (let x = 0; x < W; x++) {
        const gx = (x / Math.max(1, W - 1)) * (grid - 1);
        const x0 = Math.floor(gx), x1 = Math.min(grid - 1, x0 + 1), fx = gx - x0;
        for (let ch = 0; ch < channels; ch++) {
          const at = (yy: number, xx: number) => coarse[(yy * grid + xx) * channels + ch];
          t[(y * W + x) * channels + ch] = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
        }
      }
    }
    return t;
  });
  const count = perClass.reduce((a, b) => a + b, 0);
  const size = H * W * channels;
  const pixels = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  let i = 0;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < perClass[c]; k++, i++) {
      labels[i] = c;
      for (let p = 0; p < size; p++) pixels[i * size + p] = Math.max(0, Math.min(255, Math.round(templates[c][p] + noise * rng.normal())));
    }
  }
  return { pixels, labels, height: H, width: W, channels, numClasses: C };
}
