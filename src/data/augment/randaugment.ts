/**
 * RandAugment (Cubuk et al. 2020) as timm's `rand-n{n}-m{m}-mstd{mstd}` transform, which the
 * ImageNet-LT / iNaturalist pipelines of ResCom and PaCo use (`rand-n2-m10-mstd0.5`): n operations
 * drawn with replacement from 15; each is applied with probability 0.5 at a magnitude drawn from
 * N(m, mstd) clipped to [0, 10]; signed operations get a random sign. Affine fills use `fill`
 * (the ImageNet mean colour by default, as in those pipelines).
 */
import type { Rng } from '../../util/rng';
import type { HwcImage } from '../types';
import { asUint8, restoreKind } from './convert';
import { rotate, shearX, shearY, translateX, translateY } from './geometric';
import { autoContrast, brightness, color, contrast, equalize, invert, posterize, sharpness, solarize, solarizeAdd } from './pixel-ops';

export const RAND_AUGMENT_OPS = [
  'AutoContrast', 'Equalize', 'Invert', 'Rotate', 'Posterize', 'Solarize', 'SolarizeAdd',
  'Color', 'Contrast', 'Brightness', 'Sharpness', 'ShearX', 'ShearY', 'TranslateXRel', 'TranslateYRel',
] as const;
export type RandAugmentOp = (typeof RAND_AUGMENT_OPS)[number];

/** ImageNet mean in 8-bit (round(255 * [0.485, 0.456, 0.406])). */
export const IMAGENET_MEAN_U8 = [124, 116, 104];

export interface RandAugmentOptions {
  rng: Rng;
  /** Operations per image (default 2). */
  n?: number;
  /** Magnitude on the 0..10 scale (default 10). */
  m?: number;
  /** Standard deviation of the per-operation magnitude (default 0.5; 0 = fixed). */
  mstd?: number;
  /** Probability that each drawn operation is applied (default 0.5). */
  p?: number;
  /** Fill colour of affine ops (default the ImageNet mean). */
  fill?: number[];
}

/** Operations whose argument gets a random sign (one draw each). */
const SIGNED_OPS: ReadonlySet<RandAugmentOp> = new Set<RandAugmentOp>(['Rotate', 'ShearX', 'ShearY', 'TranslateXRel', 'TranslateYRel']);

/**
 * One RandAugment operation at magnitude `level` (0..10). Draws: one sign for signed ops.
 * Arguments follow timm: rotate 30*l/10 deg; shear 0.3*l/10; translate 0.45*l/10 of the side;
 * enhance factor 1.8*l/10 + 0.1; posterize int(4*l/10) bits; solarize threshold int(256*l/10);
 * solarize-add int(110*l/10) below 128.
 */
export function randAugmentOp(image: HwcImage<Uint8Array>, op: RandAugmentOp, level: number, rng: Rng, fill: number[] = IMAGENET_MEAN_U8): HwcImage<Uint8Array> {
  const sign = SIGNED_OPS.has(op) ? (rng.next() < 0.5 ? -1 : 1) : 1;
  return applyRandAugmentOp(image, { op, level, sign }, fill);
}

/** One drawn RandAugment operation: which, at what magnitude (0..10), and its sign (1 for unsigned ops). */
export interface RandAugmentStep {
  op: RandAugmentOp;
  level: number;
  sign: 1 | -1;
}

/** `randAugmentOp` with its sign already drawn (no draws). */
export function applyRandAugmentOp(image: HwcImage<Uint8Array>, step: RandAugmentStep, fill: number[] = IMAGENET_MEAN_U8): HwcImage<Uint8Array> {
  const { op, sign } = step;
  const l = step.level / 10;
  const enhance = l * 1.8 + 0.1;
  switch (op) {
    case 'AutoContrast': return autoContrast(image);
    case 'Equalize': return equalize(image);
    case 'Invert': return invert(image);
    case 'Rotate': return rotate(image, { degrees: 30 * l * sign, fill });
    case 'Posterize': {
      const bits = Math.trunc(4 * l);
      return bits >= 8 ? image : posterize(image, { bits });
    }
    case 'Solarize': return solarize(image, { threshold: Math.min(256, Math.trunc(256 * l)) });
    case 'SolarizeAdd': return solarizeAdd(image, { add: Math.min(128, Math.trunc(110 * l)), threshold: 128 });
    case 'Color': return color(image, { factor: enhance });
    case 'Contrast': return contrast(image, { factor: enhance });
    case 'Brightness': return brightness(image, { factor: enhance });
    case 'Sharpness': return sharpness(image, { factor: enhance });
    case 'ShearX': return shearX(image, { factor: 0.3 * l * sign, fill });
    case 'ShearY': return shearY(image, { factor: 0.3 * l * sign, fill });
    case 'TranslateXRel': return translateX(image, { pixels: 0.45 * l * image.width * sign, fill });
    case 'TranslateYRel': return translateY(image, { pixels: 0.45 * l * image.height * sign, fill });
    default: throw new Error(`randAugmentOp: op must be one of ${RAND_AUGMENT_OPS.join(', ')}; got ${JSON.stringify(op)}`);
  }
}

/**
 * The draws of `randAugment` without the pixels (they never depend on the image): per operation,
 * one op index, one p draw, then (applied ops) the magnitude's normal and, for signed ops, a sign.
 * Returns the applied operations in order.
 */
export function drawRandAugment(options: RandAugmentOptions): RandAugmentStep[] {
  const { rng, n = 2, m = 10, mstd = 0.5, p = 0.5 } = options;
  if (!Number.isInteger(n) || n < 0) throw new Error(`randAugment: n must be a non-negative integer; got ${n}`);
  if (!(m >= 0 && m <= 10)) throw new Error(`randAugment: m must be in 0..10; got ${m}`);
  if (!(mstd >= 0)) throw new Error(`randAugment: mstd must be >= 0; got ${mstd}`);
  const steps: RandAugmentStep[] = [];
  for (let k = 0; k < n; k++) {
    const op = RAND_AUGMENT_OPS[rng.int(RAND_AUGMENT_OPS.length)];
    if (rng.next() >= p) continue;
    const level = Math.min(10, Math.max(0, mstd > 0 ? m + mstd * rng.normal() : m));
    const sign = SIGNED_OPS.has(op) && rng.next() < 0.5 ? -1 : 1;
    steps.push({ op, level, sign });
  }
  return steps;
}

/** RandAugment on one image (see the file comment for the sampling). */
export function randAugment<I extends HwcImage>(image: I, options: RandAugmentOptions): I {
  const steps = drawRandAugment(options);
  const fill = options.fill ?? IMAGENET_MEAN_U8;
  let out = asUint8(image);
  for (const step of steps) out = applyRandAugmentOp(out, step, fill);
  return restoreKind(out, image);
}
