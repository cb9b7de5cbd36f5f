/**
 * AutoAugment's CIFAR-10 policy (Cubuk et al. 2019), as the PIL implementation the ResCom / PaCo
 * CIFAR pipelines use (DeepVoltaire's `CIFAR10Policy`): pick one of 25 sub-policies uniformly;
 * each applies two operations, each with its own probability; magnitudes 0..9 index fixed ranges;
 * shear / translate / enhance magnitudes get a random sign (rotate does not, as in that code);
 * shear resamples bicubic, translate and rotate nearest; empty areas are grey (128).
 */
import type { Rng } from '../../util/rng';
import type { HwcImage } from '../types';
import { asUint8, restoreKind } from './convert';
import { rotate, shearX, shearY, translateX, translateY } from './geometric';
import { autoContrast, brightness, color, contrast, equalize, invert, posterize, sharpness, solarize } from './pixel-ops';

export type AutoAugmentOp =
  | 'shearX' | 'shearY' | 'translateX' | 'translateY' | 'rotate' | 'color' | 'posterize' | 'solarize'
  | 'contrast' | 'sharpness' | 'brightness' | 'autocontrast' | 'equalize' | 'invert';

/** [probability 1, op 1, magnitude 1, probability 2, op 2, magnitude 2]. */
export type SubPolicy = [number, AutoAugmentOp, number, number, AutoAugmentOp, number];

/** The 25 CIFAR-10 sub-policies, in the published order. */
export const CIFAR10_POLICY: readonly SubPolicy[] = [
  [0.1, 'invert', 7, 0.2, 'contrast', 6],
  [0.7, 'rotate', 2, 0.3, 'translateX', 9],
  [0.8, 'sharpness', 1, 0.9, 'sharpness', 3],
  [0.5, 'shearY', 8, 0.7, 'translateY', 9],
  [0.5, 'autocontrast', 8, 0.9, 'equalize', 2],
  [0.2, 'shearY', 7, 0.3, 'posterize', 7],
  [0.4, 'color', 3, 0.6, 'brightness', 7],
  [0.3, 'sharpness', 9, 0.7, 'brightness', 9],
  [0.6, 'equalize', 5, 0.5, 'equalize', 1],
  [0.6, 'contrast', 7, 0.6, 'sharpness', 5],
  [0.7, 'color', 7, 0.5, 'translateX', 8],
  [0.3, 'equalize', 7, 0.4, 'autocontrast', 8],
  [0.4, 'translateY', 3, 0.2, 'sharpness', 6],
  [0.9, 'brightness', 6, 0.2, 'color', 8],
  [0.5, 'solarize', 2, 0.0, 'invert', 3],
  [0.2, 'equalize', 0, 0.6, 'autocontrast', 0],
  [0.2, 'equalize', 8, 0.6, 'equalize', 4],
  [0.9, 'color', 9, 0.6, 'equalize', 6],
  [0.8, 'autocontrast', 4, 0.2, 'solarize', 8],
  [0.1, 'brightness', 3, 0.7, 'color', 0],
  [0.4, 'solarize', 5, 0.9, 'autocontrast', 3],
  [0.9, 'translateY', 9, 0.7, 'translateY', 9],
  [0.9, 'autocontrast', 2, 0.8, 'solarize', 3],
  [0.8, 'equalize', 8, 0.1, 'invert', 3],
  [0.7, 'translateY', 9, 0.9, 'autocontrast', 1],
];

const linspace = (a: number, b: number, n = 10) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Magnitude index 0..9 -> operation argument (np.linspace ranges of the reference). */
export const AUTOAUGMENT_RANGES: Readonly<Record<AutoAugmentOp, readonly number[]>> = {
  shearX: linspace(0, 0.3),
  shearY: linspace(0, 0.3),
  translateX: linspace(0, 150 / 331), // fraction of the width
  translateY: linspace(0, 150 / 331),
  rotate: linspace(0, 30), // degrees
  color: linspace(0, 0.9), // enhance factor 1 +- value
  posterize: linspace(8, 4).map((v) => Math.round(v)), // bits kept (np.round: halves to even; none occur here)
  solarize: linspace(256, 0), // threshold
  contrast: linspace(0, 0.9),
  sharpness: linspace(0, 0.9),
  brightness: linspace(0, 0.9),
  autocontrast: new Array(10).fill(0),
  equalize: new Array(10).fill(0),
  invert: new Array(10).fill(0),
};

const GREY = [128, 128, 128];

/**
 * One AutoAugment operation at magnitude index 0..9 on a uint8 image. `rng` draws the sign of
 * signed operations (one draw for those, none otherwise).
 */
export function autoAugmentOp(image: HwcImage<Uint8Array>, op: AutoAugmentOp, magnitude: number, rng: Rng): HwcImage<Uint8Array> {
  const range = AUTOAUGMENT_RANGES[op];
  if (!range) throw new Error(`autoAugmentOp: op must be one of ${Object.keys(AUTOAUGMENT_RANGES).join(', ')}; got ${JSON.stringify(op)}`);
  if (!Number.isInteger(magnitude) || magnitude < 0 || magnitude > 9) throw new Error(`autoAugmentOp: magnitude must be an integer in 0..9; got ${magnitude}`);
  const m = range[magnitude];
  const sign = () => (rng.next() < 0.5 ? -1 : 1);
  switch (op) {
    case 'shearX': return shearX(image, { factor: m * sign(), fill: GREY });
    case 'shearY': return shearY(image, { factor: m * sign(), fill: GREY });
    case 'translateX': return translateX(image, { pixels: m * image.width * sign(), fill: GREY });
    case 'translateY': return translateY(image, { pixels: m * image.height * sign(), fill: GREY });
    // The reference's rotate_with_fill takes no random sign: always counter-clockwise.
    case 'rotate': return rotate(image, { degrees: m, fill: GREY });
    case 'color': return color(image, { factor: 1 + m * sign() });
    case 'posterize': return posterize(image, { bits: m });
    case 'solarize': return solarize(image, { threshold: m });
    case 'contrast': return contrast(image, { factor: 1 + m * sign() });
    case 'sharpness': return sharpness(image, { factor: 1 + m * sign() });
    case 'brightness': return brightness(image, { factor: 1 + m * sign() });
    case 'autocontrast': return autoContrast(image);
    case 'equalize': return equalize(image);
    case 'invert': return invert(image);
  }
}

/** Applies sub-policy `index` (two probability draws, plus sign draws). */
export function applySubPolicy<I extends HwcImage>(image: I, options: { index: number; rng: Rng }): I {
  const { index, rng } = options;
  const policy = CIFAR10_POLICY[index];
  if (!policy) throw new Error(`applySubPolicy: index must be an integer in 0..${CIFAR10_POLICY.length - 1}; got ${index}`);
  const [p1, op1, m1, p2, op2, m2] = policy;
  let out = asUint8(image);
  if (rng.next() < p1) out = autoAugmentOp(out, op1, m1, rng);
  if (rng.next() < p2) out = autoAugmentOp(out, op2, m2, rng);
  return restoreKind(out, image);
}

/** AutoAugment CIFAR-10 policy: a uniformly chosen sub-policy applied to the image. */
export function autoAugmentCifar10<I extends HwcImage>(image: I, options: { rng: Rng }): I {
  const { rng } = options;
  return applySubPolicy(image, { index: rng.int(CIFAR10_POLICY.length), rng });
}
