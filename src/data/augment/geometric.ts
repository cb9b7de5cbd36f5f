/**
 * Geometric augmentations on HWC images (uint8 or float): random crop with padding, horizontal
 * flip, Cutout, and PIL-style affine warps (shear, translate, rotate) used by AutoAugment and
 * RandAugment. Ops return new images and never write to their input (it may be a view of a dataset).
 */
import type { Rng } from '../../util/rng';
import type { HwcImage } from '../types';
import { assertImage, emptyLike } from './convert';
import { nativePixels } from './native-pixels';

export interface RandomCropOptions {
  rng: Rng;
  /** Zero padding added on every side before cropping (torchvision RandomCrop(padding=4) for CIFAR). */
  padding: number;
  /** Output side; default the input's (so the size is kept). */
  height?: number;
  width?: number;
  /** Value of padded pixels (default 0, as torchvision). */
  fill?: number;
}

/** Pads by `padding` and takes a uniformly placed window: the offset is in 0..2*padding per axis for same-size output. */
export function randomCrop<I extends HwcImage>(image: I, options: RandomCropOptions): I {
  assertImage(image, 'randomCrop');
  const { rng, padding, fill = 0 } = options;
  const height = options.height ?? image.height;
  const width = options.width ?? image.width;
  if (!Number.isInteger(padding) || padding < 0) throw new Error(`randomCrop: padding must be a non-negative integer; got ${padding}`);
  const paddedH = image.height + 2 * padding;
  const paddedW = image.width + 2 * padding;
  if (height > paddedH || width > paddedW) throw new Error(`randomCrop: crop ${height}x${width} exceeds the padded image ${paddedH}x${paddedW}`);
  const top = rng.int(paddedH - height + 1) - padding;
  const left = rng.int(paddedW - width + 1) - padding;
  return cropWithFill(image, { top, left, height, width, fill });
}

/** The window at (top, left), which may hang over the image: outside pixels take `fill`. */
export function cropWithFill<I extends HwcImage>(image: I, box: { top: number; left: number; height: number; width: number; fill?: number }): I {
  const { top, left, height, width, fill = 0 } = box;
  const out = emptyLike(image, { height, width });
  const C = image.channels;
  if (fill !== 0) out.data.fill(fill);
  const x0 = Math.max(0, -left);
  const x1 = Math.min(width, image.width - left);
  if (x1 <= x0) return out;
  for (let y = 0; y < height; y++) {
    const sy = top + y;
    if (sy < 0 || sy >= image.height) continue;
    const from = (sy * image.width + left + x0) * C;
    out.data.set(image.data.subarray(from, from + (x1 - x0) * C), (y * width + x0) * C);
  }
  return out;
}

/** Mirror left-right. */
export function horizontalFlip<I extends HwcImage>(image: I): I {
  assertImage(image, 'horizontalFlip');
  const { height, width, channels: C, data } = image;
  const out = emptyLike(image);
  for (let y = 0; y < height; y++) {
    const row = y * width * C;
    for (let x = 0; x < width; x++) {
      const from = row + (width - 1 - x) * C;
      const to = row + x * C;
      for (let c = 0; c < C; c++) out.data[to + c] = data[from + c];
    }
  }
  return out;
}

/** Flips with probability p (default 0.5); otherwise returns the input itself. One rng draw. */
export function randomHorizontalFlip<I extends HwcImage>(image: I, options: { rng: Rng; p?: number }): I {
  const { rng, p = 0.5 } = options;
  return rng.next() < p ? horizontalFlip(image) : image;
}

export interface CutoutOptions {
  rng: Rng;
  /** Side of each square hole (16 for CIFAR, DeVries & Taylor 2017). */
  length: number;
  /** Number of holes (default 1). */
  holes?: number;
}

/**
 * Cutout: zeroes `holes` squares of side `length` centred on uniform pixels, clipped at the
 * border (so holes near an edge are smaller), as the reference's Cutout(n_holes=1, length=16).
 * Applied before normalisation, the hole is black.
 */
export function cutout<I extends HwcImage>(image: I, options: CutoutOptions): I {
  assertImage(image, 'cutout');
  const { rng, length, holes = 1 } = options;
  if (!Number.isInteger(length) || length < 0) throw new Error(`cutout: length must be a non-negative integer; got ${length}`);
  const out = { ...image, data: image.data.slice() } as I;
  const { height, width, channels: C } = image;
  const half = Math.floor(length / 2);
  for (let h = 0; h < holes; h++) {
    const cy = rng.int(height);
    const cx = rng.int(width);
    const y1 = Math.max(0, cy - half);
    const y2 = Math.min(height, cy + half);
    const x1 = Math.max(0, cx - half);
    const x2 = Math.min(width, cx + half);
    for (let y = y1; y < y2; y++) out.data.fill(0, (y * width + x1) * C, (y * width + x2) * C);
  }
  return out;
}

export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';

const INTERPOLATION_CODE = { nearest: 0, bilinear: 1, bicubic: 2 } as const;

const clampIndex = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);

/** Pillow's bilinear sample (Geometry.c, BILINEAR_BODY): rows and columns clamped at the border. */
function bilinearAt(d: ArrayLike<number>, W: number, H: number, C: number, k: number, x: number, y: number, dx: number, dy: number): number {
  const xa = clampIndex(x, W);
  const xb = clampIndex(x + 1, W);
  const ya = clampIndex(y, H);
  const yb = clampIndex(y + 1, H);
  const top = d[(ya * W + xa) * C + k] + (d[(ya * W + xb) * C + k] - d[(ya * W + xa) * C + k]) * dx;
  const bottom = d[(yb * W + xa) * C + k] + (d[(yb * W + xb) * C + k] - d[(yb * W + xa) * C + k]) * dx;
  return top + (bottom - top) * dy;
}

/** Pillow's cubic through four samples (Geometry.c, BICUBIC; a = -1). */
function cubic(v1: number, v2: number, v3: number, v4: number, t: number): number {
  const p2 = -v1 + v3;
  const p3 = 2 * (v1 - v2) + v3 - v4;
  const p4 = -v1 + v2 - v3 + v4;
  return v2 + t * (p2 + t * (p3 + t * p4));
}

/** Pillow's bicubic sample (Geometry.c, BICUBIC_BODY): a 4 x 4 neighbourhood, clamped at the border. */
function bicubicAt(d: ArrayLike<number>, W: number, H: number, C: number, k: number, x: number, y: number, dx: number, dy: number): number {
  // Written out without arrays or closures: this runs per pixel and channel in the AutoAugment hot path.
  const c0 = clampIndex(x - 1, W) * C + k;
  const c1 = clampIndex(x, W) * C + k;
  const c2 = clampIndex(x + 1, W) * C + k;
  const c3 = clampIndex(x + 2, W) * C + k;
  const r0 = clampIndex(y - 1, H) * W * C;
  const r1 = clampIndex(y, H) * W * C;
  const r2 = clampIndex(y + 1, H) * W * C;
  const r3 = clampIndex(y + 2, H) * W * C;
  const v0 = cubic(d[r0 + c0], d[r0 + c1], d[r0 + c2], d[r0 + c3], dx);
  const v1 = cubic(d[r1 + c0], d[r1 + c1], d[r1 + c2], d[r1 + c3], dx);
  const v2 = cubic(d[r2 + c0], d[r2 + c1], d[r2 + c2], d[r2 + c3], dx);
  const v3 = cubic(d[r3 + c0], d[r3 + c1], d[r3 + c2], d[r3 + c3], dx);
  return cubic(v0, v1, v2, v3, dy);
}

/** Affine map from OUTPUT pixel (x, y) to INPUT position (a x + b y + c, d x + e y + f), as PIL's Image.transform(AFFINE). */
export type AffineMatrix = [number, number, number, number, number, number];

export interface AffineOptions {
  matrix: AffineMatrix;
  /** 'nearest' (PIL's default), 'bilinear' or 'bicubic' (Pillow's a = -1 cubic, as AutoAugment's shear uses). */
  interpolation?: Interpolation;
  /** Colour of pixels mapped from outside the image, one value per channel (default zeros); in the image's own scale. */
  fill?: ArrayLike<number>;
}

/** PIL-compatible affine warp (pixel centres at +0.5, as Pillow's ImagingTransformAffine / ImagingGenericTransform). */
export function affineTransform<I extends HwcImage>(image: I, options: AffineOptions): I {
  assertImage(image, 'affineTransform');
  const { matrix, interpolation = 'nearest' } = options;
  const [a, b, c, d, e, f] = matrix;
  const { height: H, width: W, channels: C, data } = image;
  const out = emptyLike(image);
  const o = out.data;
  const fill = new Float32Array(C);
  if (options.fill) for (let k = 0; k < C; k++) fill[k] = options.fill[k % options.fill.length];
  const round = data instanceof Uint8Array;
  const addon = round && C <= 4 ? nativePixels() : null;
  if (addon) {
    // The same loop in C++ (native-pixels.ts): the same values.
    addon.affine(data as Uint8Array, H, W, C, Float64Array.from(matrix), INTERPOLATION_CODE[interpolation], fill, o as Uint8Array);
    return out;
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const xin = a * (x + 0.5) + b * (y + 0.5) + c;
      const yin = d * (x + 0.5) + e * (y + 0.5) + f;
      const to = (y * W + x) * C;
      if (interpolation === 'nearest') {
        const sx = Math.floor(xin);
        const sy = Math.floor(yin);
        if (sx < 0 || sy < 0 || sx >= W || sy >= H) {
          for (let k = 0; k < C; k++) o[to + k] = fill[k];
        } else {
          const from = (sy * W + sx) * C;
          for (let k = 0; k < C; k++) o[to + k] = data[from + k];
        }
        continue;
      }
      // PIL treats a sample whose position is off the image as outside (fill), whatever the filter.
      // (Below, bicubic with dy or dx exactly 0 uses that cubic(v0, v1, v2, v3, 0) is exactly v1: the
      // 4 x 4 neighbourhood reduces to one row or column, the same value as the full formula.)
      if (xin < 0 || yin < 0 || xin >= W || yin >= H) {
        for (let k = 0; k < C; k++) o[to + k] = fill[k];
        continue;
      }
      const fx = xin - 0.5;
      const fy = yin - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const dx = fx - x0;
      const dy = fy - y0;
      if (interpolation === 'bicubic' && (dy === 0 || dx === 0)) {
        // Shears: one cubic per channel along the row (dy 0) or column (dx 0), indices computed once per pixel.
        const step = dy === 0 ? C : W * C;
        const n = dy === 0 ? W : H;
        const i = dy === 0 ? x0 : y0;
        const base = dy === 0 ? clampIndex(y0, H) * W * C : clampIndex(x0, W) * C;
        const t = dy === 0 ? dx : dy;
        const p0 = base + clampIndex(i - 1, n) * step;
        const p1 = base + clampIndex(i, n) * step;
        const p2 = base + clampIndex(i + 1, n) * step;
        const p3 = base + clampIndex(i + 2, n) * step;
        for (let k = 0; k < C; k++) {
          const v = cubic(data[p0 + k], data[p1 + k], data[p2 + k], data[p3 + k], t);
          o[to + k] = round ? (v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v)) : v;
        }
        continue;
      }
      for (let k = 0; k < C; k++) {
        const v = interpolation === 'bilinear' ? bilinearAt(data, W, H, C, k, x0, y0, dx, dy) : bicubicAt(data, W, H, C, k, x0, y0, dx, dy);
        // Pillow truncates after clamping (its (UINT8) cast); float images keep the value.
        o[to + k] = round ? (v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v)) : v;
      }
    }
  }
  return out;
}

/** Shear along x by `factor` (PIL: AFFINE (1, factor, 0, 0, 1, 0)); bicubic by default, as the reference AutoAugment. */
export function shearX<I extends HwcImage>(image: I, options: { factor: number; fill?: ArrayLike<number>; interpolation?: Interpolation }): I {
  return affineTransform(image, { matrix: [1, options.factor, 0, 0, 1, 0], fill: options.fill, interpolation: options.interpolation ?? 'bicubic' });
}

/** Shear along y by `factor` (PIL: AFFINE (1, 0, 0, factor, 1, 0)); bicubic by default. */
export function shearY<I extends HwcImage>(image: I, options: { factor: number; fill?: ArrayLike<number>; interpolation?: Interpolation }): I {
  return affineTransform(image, { matrix: [1, 0, 0, options.factor, 1, 0], fill: options.fill, interpolation: options.interpolation ?? 'bicubic' });
}

/** Output pixel (x, y) shows input (x + pixels, y): positive moves the content left (PIL's convention). */
export function translateX<I extends HwcImage>(image: I, options: { pixels: number; fill?: ArrayLike<number> }): I {
  return affineTransform(image, { matrix: [1, 0, options.pixels, 0, 1, 0], fill: options.fill });
}

/** Output pixel (x, y) shows input (x, y + pixels): positive moves the content up. */
export function translateY<I extends HwcImage>(image: I, options: { pixels: number; fill?: ArrayLike<number> }): I {
  return affineTransform(image, { matrix: [1, 0, 0, 0, 1, options.pixels], fill: options.fill });
}

/** Rotates counter-clockwise by `degrees` about the centre, keeping the size (PIL Image.rotate, nearest). */
export function rotate<I extends HwcImage>(image: I, options: { degrees: number; fill?: ArrayLike<number> }): I {
  const theta = -(options.degrees * Math.PI) / 180;
  const cx = image.width / 2;
  const cy = image.height / 2;
  const a = Math.cos(theta);
  const b = Math.sin(theta);
  const d = -Math.sin(theta);
  const e = Math.cos(theta);
  const c = a * -cx + b * -cy + cx;
  const f = d * -cx + e * -cy + cy;
  return affineTransform(image, { matrix: [a, b, c, d, e, f], fill: options.fill });
}
