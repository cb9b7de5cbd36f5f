/**
 * Named per-dataset augmentation pipelines for one view; the two-view batcher runs one twice per
 * image with a shared generator (so the views differ).
 */
import type { Rng } from '../../util/rng';
import { resizeAndCenterCrop } from '../image-decode';
import type { HwcImage } from '../types';
import { autoAugmentCifar10 } from './autoaugment';
import { cutout, randomCrop, randomHorizontalFlip } from './geometric';
import { asUint8, restoreKind } from './convert';
import { applyColorJitter, drawColorJitter, randomResizedCrop } from './large-scale';
import { CIFAR_NORMALIZATION, FASHION_MNIST_NORMALIZATION, IMAGENET_NORMALIZATION, type Normalization } from './normalize';
import { PendingRgb, pendingEnhance, pendingRandAugmentOp } from './pending-colour';
import { grayscale, type EnhanceStep } from './pixel-ops';
import { applyRandAugmentOp, drawRandAugment, type RandAugmentStep } from './randaugment';

/** The presets' names (a config's `augment` field takes one). */
export const AUGMENTATION_PRESET_NAMES = [
  'cifar',
  'fashion-mnist',
  'fashion-mnist-crop-flip',
  'fashion-mnist-autoaugment',
  'imagenet',
  'none',
] as const;
export type AugmentationPresetName = (typeof AUGMENTATION_PRESET_NAMES)[number];

export interface AugmentationPreset {
  name: string;
  /** What the pipeline does, for logs and reports. */
  description: string;
  /** One random training view of an image (never modifies its input). */
  augment: (image: HwcImage<Uint8Array>, rng: Rng) => HwcImage;
  /** The deterministic evaluation transform (identity, or resize + centre crop). */
  evaluate: (image: HwcImage<Uint8Array>) => HwcImage;
  normalization: Normalization;
  /** Output [height, width] when it differs from the input's; null keeps the input size. */
  outputSize: { height: number; width: number } | null;
}

export interface PresetOptions {
  /** 'imagenet': output side (default 224). */
  size?: number;
  /** Override the normalisation (e.g. dataset-specific statistics). */
  normalization?: Normalization;
}

/**
 * - 'cifar': RandomCrop 32 pad 4, horizontal flip, AutoAugment CIFAR-10 policy, Cutout 1x16; CIFAR
 *   mean/std (the reference's CIFAR-LT pipeline, both views).
 * - 'fashion-mnist': RandomCrop 28 pad 2, horizontal flip, Cutout 1x8; Fashion-MNIST mean/std.
 *   Why: AutoAugment's colour operations do little on grey images, garments are left-right
 *   symmetric classes (flip keeps the label), and objects fill the centre of a small frame, so the
 *   shift (2 px, ~7%) and hole (8 px, ~8% of the area) are scaled down from CIFAR's so that a short
 *   CPU training run still learns (the two views must still differ for the contrastive loss).
 * - 'fashion-mnist-crop-flip': RandomCrop 28 pad 2 and horizontal flip only; Fashion-MNIST mean/std.
 *   The reference protocol's views (config `fashion-mnist-lt-ref`): the same as the authors' CIFAR
 *   recipe minus its colour policy and Cutout, so the comparison with a PyTorch run is like for like.
 * - 'fashion-mnist-autoaugment': RandomCrop 28 pad 2, horizontal flip, AutoAugment's CIFAR-10 policy,
 *   Cutout 1x8; Fashion-MNIST mean/std. The paper's recipe for its contrastive methods (crop, flip,
 *   AutoAugment, Cutout; docs/paper-notes.md "Hyper-parameters") as far as grey images allow: the
 *   policy's 25 sub-policies and probabilities are unchanged, and of its 14 operations 13 act on a
 *   grey image (shears, translations, rotation, posterize, solarize, contrast, sharpness, brightness,
 *   autocontrast, equalize, invert) while Color is the identity (a grey image has no saturation, as
 *   in PIL on an 'L' image); Cutout is 8 px as in 'fashion-mnist'. The long-budget protocol's views
 *   (config `fashion-mnist-lt-long`).
 * - 'imagenet': RandomResizedCrop(size, 0.08-1), flip, ColorJitter 0.4/0.4/0.4/0, Grayscale p 0.2,
 *   RandAugment n2 m10 mstd0.5; ImageNet mean/std; evaluation: resize to size/0.875 + centre crop.
 * - 'none': normalisation only (evaluation-style views).
 */
/**
 * The 'imagenet' view after its crop, resize and flip: ColorJitter(0.4, 0.4, 0.4, 0), then
 * RandomGrayscale(0.2), then RandAugment(n2, m10, mstd0.5). The streamed pipeline runs the crop,
 * resize and flip natively (stream/native-view.ts) and then this.
 */
export function imagenetColourOps<I extends HwcImage>(image: I, rng: Rng): I {
  return applyImagenetColour(image, drawImagenetColour(rng));
}

/** The draws of `imagenetColourOps` (none depends on the pixels), made ahead of the pixel work. */
export interface ImagenetColourPlan {
  jitter: EnhanceStep[];
  grey: boolean;
  randAugment: RandAugmentStep[];
}

/** The draws of `imagenetColourOps`, in its order: ColorJitter's, RandomGrayscale's one, RandAugment's. */
export function drawImagenetColour(rng: Rng): ImagenetColourPlan {
  const jitter = drawColorJitter({ rng, brightness: 0.4, contrast: 0.4, saturation: 0.4 });
  const grey = rng.next() < 0.2;
  return { jitter, grey, randAugment: drawRandAugment({ rng, n: 2, m: 10, mstd: 0.5 }) };
}

/** `imagenetColourOps` with its draws made (`drawImagenetColour`): the same pixels. */
export function applyImagenetColour<I extends HwcImage>(image: I, plan: ImagenetColourPlan): I {
  if (image.channels === 3 && image.data instanceof Uint8Array) {
    // RGB uint8 (the streamed pipeline): the same values in fewer passes (pending-colour.ts).
    const pending = new PendingRgb(image as HwcImage<Uint8Array>);
    pendingImagenetColour(pending, plan);
    return pending.written() as I;
  }
  let out = applyColorJitter(image, plan.jitter);
  if (plan.grey) out = grayscale(out);
  let u8 = asUint8(out);
  for (const step of plan.randAugment) u8 = applyRandAugmentOp(u8, step);
  return restoreKind(u8, image);
}

/**
 * `applyImagenetColour` of an RGB uint8 [size, size, 3] view written straight into a batch of
 * such views at `offset` (the last per-value tables applied while copying).
 */
export function writeImagenetColour(image: HwcImage<Uint8Array>, plan: ImagenetColourPlan, out: Uint8Array, offset: number): void {
  if (offset < 0 || offset + image.data.length > out.length) throw new Error(`writeImagenetColour: out has ${out.length} values; the view needs ${image.data.length} from offset ${offset}`);
  const pending = new PendingRgb(image);
  pendingImagenetColour(pending, plan);
  pending.writeInto(out, offset);
}

function pendingImagenetColour(pending: PendingRgb, plan: ImagenetColourPlan): void {
  pendingEnhance(pending, plan.jitter);
  if (plan.grey) pending.grey();
  for (const step of plan.randAugment) pendingRandAugmentOp(pending, step);
}

export function augmentationPreset(name: AugmentationPresetName, options: PresetOptions = {}): AugmentationPreset {
  switch (name) {
    case 'cifar':
      return {
        name,
        description: 'RandomCrop(32, padding 4) + HorizontalFlip + AutoAugment(CIFAR-10 policy) + Cutout(1 x 16), CIFAR mean/std',
        augment: (image, rng) => {
          let out: HwcImage = randomCrop(image, { rng, padding: 4 });
          out = randomHorizontalFlip(out, { rng });
          out = autoAugmentCifar10(out, { rng });
          return cutout(out, { rng, length: 16 });
        },
        evaluate: (image) => image,
        normalization: options.normalization ?? CIFAR_NORMALIZATION,
        outputSize: null,
      };
    case 'fashion-mnist':
      return {
        name,
        description: 'RandomCrop(28, padding 2) + HorizontalFlip + Cutout(1 x 8), Fashion-MNIST mean/std',
        augment: (image, rng) => {
          let out: HwcImage = randomCrop(image, { rng, padding: 2 });
          out = randomHorizontalFlip(out, { rng });
          return cutout(out, { rng, length: 8 });
        },
        evaluate: (image) => image,
        normalization: options.normalization ?? FASHION_MNIST_NORMALIZATION,
        outputSize: null,
      };
    case 'fashion-mnist-crop-flip':
      return {
        name,
        description: 'RandomCrop(28, padding 2) + HorizontalFlip, Fashion-MNIST mean/std',
        augment: (image, rng) => randomHorizontalFlip(randomCrop(image, { rng, padding: 2 }), { rng }),
        evaluate: (image) => image,
        normalization: options.normalization ?? FASHION_MNIST_NORMALIZATION,
        outputSize: null,
      };
    case 'fashion-mnist-autoaugment':
      return {
        name,
        description:
          'RandomCrop(28, padding 2) + HorizontalFlip + AutoAugment(CIFAR-10 policy; Color is the identity on grey) + Cutout(1 x 8), Fashion-MNIST mean/std',
        augment: (image, rng) => {
          let out: HwcImage = randomCrop(image, { rng, padding: 2 });
          out = randomHorizontalFlip(out, { rng });
          out = autoAugmentCifar10(out, { rng });
          return cutout(out, { rng, length: 8 });
        },
        evaluate: (image) => image,
        normalization: options.normalization ?? FASHION_MNIST_NORMALIZATION,
        outputSize: null,
      };
    case 'imagenet': {
      const size = options.size ?? 224;
      return {
        name,
        description: `RandomResizedCrop(${size}, scale 0.08-1) + HorizontalFlip + ColorJitter(0.4, 0.4, 0.4, 0) + RandomGrayscale(0.2) + RandAugment(n2, m10, mstd0.5), ImageNet mean/std`,
        augment: (image, rng) => imagenetColourOps(randomHorizontalFlip(randomResizedCrop(image, { rng, size }), { rng }), rng),
        evaluate: (image) =>
          image.height === size && image.width === size ? image : resizeAndCenterCrop(image, { shorter: Math.round(size / 0.875), crop: size }),
        normalization: options.normalization ?? IMAGENET_NORMALIZATION,
        outputSize: { height: size, width: size },
      };
    }
    case 'none':
      return {
        name,
        description: 'no augmentation (normalisation only)',
        augment: (image) => image,
        evaluate: (image) => image,
        normalization: options.normalization ?? { mean: [0], std: [1] },
        outputSize: null,
      };
    default:
      throw new Error(`augmentationPreset: name must be one of ${AUGMENTATION_PRESET_NAMES.join(', ')}; got ${JSON.stringify(name)}`);
  }
}
