/**
 * Per-channel normalisation (x / 255 - mean) / std, written straight into a batch buffer.
 */
import type { HwcImage } from '../types';

export interface Normalization {
  /** Per-channel mean on the 0..1 scale (length = channels, or 1 for all channels). */
  mean: number[];
  /** Per-channel standard deviation on the 0..1 scale. */
  std: number[];
}

/** CIFAR-10/100 (docs/paper-notes.md, the reference's CIFAR pipeline). */
export const CIFAR_NORMALIZATION: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] };
/** ImageNet statistics, used for ImageNet-LT, iNaturalist 2018 and Places-LT. */
export const IMAGENET_NORMALIZATION: Normalization = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
/** Fashion-MNIST training set (60,000 images): mean 0.2860, std 0.3530 (test/data checks them against the real files when present). */
export const FASHION_MNIST_NORMALIZATION: Normalization = { mean: [0.286], std: [0.353] };

/**
 * Writes the normalised image into `out` starting at `offset` (HWC order kept). uint8 input is
 * scaled by 1/255 first; float input is taken as 0..1. Uses a 256-entry table per channel for uint8.
 */
export function normalizeInto(image: HwcImage, normalization: Normalization, out: Float32Array, offset = 0): void {
  const C = image.channels;
  const { mean, std } = normalization;
  if ((mean.length !== C && mean.length !== 1) || (std.length !== C && std.length !== 1) || std.some((s) => !(s > 0))) {
    throw new Error(`normalizeInto: normalization must have ${C} (or 1) means and positive stds; got mean [${mean}] std [${std}]`);
  }
  const src = image.data;
  if (offset + src.length > out.length) throw new Error(`normalizeInto: out has ${out.length} values; the image needs ${src.length} from offset ${offset}`);
  if (src instanceof Uint8Array) {
    const lut = normalizationTable(normalization, C);
    if (C === 3) {
      for (let i = 0; i < src.length; i += 3) {
        out[offset + i] = lut[src[i]];
        out[offset + i + 1] = lut[256 + src[i + 1]];
        out[offset + i + 2] = lut[512 + src[i + 2]];
      }
    } else {
      for (let i = 0; i < src.length; i++) out[offset + i] = lut[(i % C) * 256 + src[i]];
    }
    return;
  }
  for (let i = 0; i < src.length; i++) {
    const c = i % C;
    out[offset + i] = (src[i] - mean[c % mean.length]) / std[c % std.length];
  }
}

const tables = new WeakMap<Normalization, Map<number, Float32Array>>();

// Cached per (normalisation object, channel count); the objects are module constants in practice.
function normalizationTable(n: Normalization, channels: number): Float32Array {
  let byChannels = tables.get(n);
  if (!byChannels) tables.set(n, (byChannels = new Map()));
  let lut = byChannels.get(channels);
  if (!lut) {
    lut = new Float32Array(256 * channels);
    for (let c = 0; c < channels; c++) {
      const mean = n.mean[c % n.mean.length];
      const std = n.std[c % n.std.length];
      for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - mean) / std;
    }
    byChannels.set(channels, lut);
  }
  return lut;
}

/** The normalised image as a new Float32Array. */
export function normalizeImage(image: HwcImage, normalization: Normalization): Float32Array {
  const out = new Float32Array(image.data.length);
  normalizeInto(image, normalization, out, 0);
  return out;
}
