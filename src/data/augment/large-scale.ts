/**
 * Augmentations of the large-scale (ImageNet-LT / iNaturalist / Places-LT) pipelines, following
 * torchvision: RandomResizedCrop, ColorJitter (on PIL images, i.e. ImageEnhance blends) and
 * RandomGrayscale.
 */
import type { Rng } from '../../util/rng';
import { cropImage, resizeImage } from '../image-decode';
import type { HwcImage } from '../types';
import { assertImage } from './convert';
import { brightness, contrast, color, enhanceChain, grayscale, type EnhanceStep } from './pixel-ops';

export interface RandomResizedCropOptions {
  rng: Rng;
  /** Output side (square), e.g. 224. */
  size: number;
  /** Range of the crop's share of the image area (default [0.08, 1]). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio w/h (default [3/4, 4/3]), sampled log-uniformly. */
  ratio?: [number, number];
}

/** The window of a RandomResizedCrop, in source pixels. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * torchvision RandomResizedCrop.get_params: up to 10 tries for a box of the drawn area and aspect
 * that fits in a `height` x `width` image, else a centre crop at the clamped ratio. Draws: two per
 * try, plus top and left for the box taken.
 */
export function randomResizedCropBox(height: number, width: number, options: Omit<RandomResizedCropOptions, 'size'>): CropBox {
  const { rng, scale = [0.08, 1], ratio = [3 / 4, 4 / 3] } = options;
  const H = height;
  const W = width;
  const area = H * W;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
    const w = Math.round(Math.sqrt(targetArea * aspect));
    const h = Math.round(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= W && h > 0 && h <= H) {
      const top = rng.int(H - h + 1);
      const left = rng.int(W - w + 1);
      return { top, left, height: h, width: w };
    }
  }
  const inRatio = W / H;
  let w = W;
  let h = H;
  if (inRatio < Math.min(...ratio)) h = Math.round(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) w = Math.round(h * Math.max(...ratio));
  return { top: Math.floor((H - h) / 2), left: Math.floor((W - w) / 2), height: h, width: w };
}

/** torchvision RandomResizedCrop: the box of `randomResizedCropBox`, then a bilinear resize (resizeImage) to size x size. */
export function randomResizedCrop<I extends HwcImage>(image: I, options: RandomResizedCropOptions): I {
  assertImage(image, 'randomResizedCrop');
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) throw new Error(`randomResizedCrop: size must be a positive integer; got ${size}`);
  const box = randomResizedCropBox(image.height, image.width, options);
  return resizeImage(cropImage(image, box), { height: size, width: size });
}

export interface ColorJitterOptions {
  rng: Rng;
  /** Factors drawn from [1 - v, 1 + v] (0 = off); ResCom's ImageNet pipeline uses 0.4 / 0.4 / 0.4. */
  brightness?: number;
  contrast?: number;
  saturation?: number;
}

/**
 * torchvision ColorJitter (hue 0) on 8-bit images: brightness, contrast and saturation with
 * uniformly drawn factors, applied in a random order (draws: a permutation of 4, then a factor per
 * enabled part in that order).
 */
export function colorJitter<I extends HwcImage>(image: I, options: ColorJitterOptions): I {
  assertImage(image, 'colorJitter');
  return applyColorJitter(image, drawColorJitter(options));
}

/** The draws of `colorJitter` (they never depend on the image): the blends to apply, in order. */
export function drawColorJitter(options: ColorJitterOptions): EnhanceStep[] {
  const { rng, brightness: b = 0, contrast: c = 0, saturation: s = 0 } = options;
  for (const [name, v] of Object.entries({ brightness: b, contrast: c, saturation: s })) {
    if (!(v >= 0)) throw new Error(`colorJitter: ${name} must be >= 0; got ${v}`);
  }
  // A permutation, then one factor per enabled part in that order; part 3 is hue, which these
  // pipelines leave at 0.
  const steps: EnhanceStep[] = [];
  for (const part of rng.permutation(4)) {
    if (part === 0 && b > 0) steps.push({ op: 'brightness', factor: rng.uniform(Math.max(0, 1 - b), 1 + b) });
    else if (part === 1 && c > 0) steps.push({ op: 'contrast', factor: rng.uniform(Math.max(0, 1 - c), 1 + c) });
    else if (part === 2 && s > 0) steps.push({ op: 'color', factor: rng.uniform(Math.max(0, 1 - s), 1 + s) });
  }
  return steps;
}

/** The blends of `drawColorJitter` applied in order (no draws). */
export function applyColorJitter<I extends HwcImage>(image: I, steps: EnhanceStep[]): I {
  if (steps.length === 0) return image;
  // RGB uint8 (the streamed pipeline): the same values in fewer passes (enhanceChain).
  if (image.channels === 3 && image.data instanceof Uint8Array) return enhanceChain(image as HwcImage<Uint8Array>, steps) as I;
  let out = image;
  for (const step of steps) out = step.op === 'brightness' ? brightness(out, step) : step.op === 'contrast' ? contrast(out, step) : color(out, step);
  return out;
}

/** Converts to grey (channels kept) with probability p (default 0.2). One draw. */
export function randomGrayscale<I extends HwcImage>(image: I, options: { rng: Rng; p?: number }): I {
  const { rng, p = 0.2 } = options;
  return rng.next() < p ? grayscale(image) : image;
}
