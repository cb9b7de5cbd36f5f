/**
 * PIL's ImageOps / ImageEnhance operations as used by AutoAugment and RandAugment, on 8-bit HWC
 * images (float 0..1 images are quantised to 8 bits and back). They follow Pillow's integer
 * arithmetic (LUTs, truncating blends, the ITU-R 601-2 luma with Pillow's rounding) so that
 * magnitudes mean what they mean in the reference pipelines. Inputs are never modified.
 */
import type { HwcImage } from '../types';
import { assertImage, viaUint8 } from './convert';
import { nativePixels } from './native-pixels';

type U8 = HwcImage<Uint8Array>;

function applyLut(image: U8, luts: Uint8Array[]): U8 {
  const C = image.channels;
  const src = image.data;
  const data = new Uint8Array(src.length);
  for (let c = 0; c < C; c++) {
    const lut = luts[c % luts.length];
    for (let i = c; i < src.length; i += C) data[i] = lut[src[i]];
  }
  return { data, height: image.height, width: image.width, channels: C };
}

function histograms(image: U8): Uint32Array[] {
  const C = image.channels;
  const hists = Array.from({ length: C }, () => new Uint32Array(256));
  for (let c = 0; c < C; c++) {
    const h = hists[c];
    for (let i = c; i < image.data.length; i += C) h[image.data[i]]++;
  }
  return hists;
}

/** Pillow's luma: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 (ITU-R 601-2). Grey images are returned as they are. */
export function luma(image: U8): Uint8Array {
  if (image.channels === 1) return image.data;
  if (image.channels !== 3) throw new Error(`luma: image must have 1 or 3 channels; got ${image.channels}`);
  const n = image.height * image.width;
  const out = new Uint8Array(n);
  const d = image.data;
  for (let p = 0; p < n; p++) out[p] = (d[3 * p] * 19595 + d[3 * p + 1] * 38470 + d[3 * p + 2] * 7471 + 0x8000) >>> 16;
  return out;
}

/** The luma of a 3-channel image copied into all three channels (PIL's convert('L').convert('RGB')). */
function greyReplicated(image: U8): Uint8Array {
  const grey = luma(image);
  const out = new Uint8Array(grey.length * 3);
  for (let p = 0, q = 0; p < grey.length; p++, q += 3) {
    const v = grey[p];
    out[q] = v;
    out[q + 1] = v;
    out[q + 2] = v;
  }
  return out;
}

/** 255 - v. */
export function invert<I extends HwcImage>(image: I): I {
  assertImage(image, 'invert');
  const lut = invertTable();
  return viaUint8(image, (u8) => applyLut(u8, [lut]));
}

/** The per-value table of `invert`. */
export function invertTable(): Uint8Array {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = 255 - i;
  return lut;
}

/** Pixels >= threshold are inverted (ImageOps.solarize); threshold 256 leaves the image unchanged. */
export function solarize<I extends HwcImage>(image: I, options: { threshold: number }): I {
  assertImage(image, 'solarize');
  const lut = solarizeTable(options.threshold);
  return viaUint8(image, (u8) => applyLut(u8, [lut]));
}

/** The per-value table of `solarize`. */
export function solarizeTable(threshold: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i < threshold ? i : 255 - i;
  return lut;
}

/** Pixels below `threshold` (default 128) get `add` added, clipped at 255 (timm's solarize_add). */
export function solarizeAdd<I extends HwcImage>(image: I, options: { add: number; threshold?: number }): I {
  assertImage(image, 'solarizeAdd');
  const { add, threshold = 128 } = options;
  const lut = solarizeAddTable(add, threshold);
  return viaUint8(image, (u8) => applyLut(u8, [lut]));
}

/** The per-value table of `solarizeAdd`. */
export function solarizeAddTable(add: number, threshold = 128): Uint8Array {
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i < threshold ? Math.min(255, Math.max(0, i + add)) : i;
  return lut;
}

/** Keeps the top `bits` bits of each value (ImageOps.posterize); bits 0..8. */
export function posterize<I extends HwcImage>(image: I, options: { bits: number }): I {
  assertImage(image, 'posterize');
  const { bits } = options;
  if (!Number.isInteger(bits) || bits < 0 || bits > 8) throw new Error(`posterize: bits must be an integer in 0..8; got ${bits}`);
  const lut = posterizeTable(bits);
  return viaUint8(image, (u8) => applyLut(u8, [lut]));
}

/** The per-value table of `posterize` (bits 0..8). */
export function posterizeTable(bits: number): Uint8Array {
  const mask = ~(2 ** (8 - bits) - 1) & 0xff;
  const lut = new Uint8Array(256);
  for (let i = 0; i < 256; i++) lut[i] = i & mask;
  return lut;
}

/** Stretches each channel so its min maps to 0 and max to 255 (ImageOps.autocontrast, cutoff 0); flat channels stay. */
export function autoContrast<I extends HwcImage>(image: I): I {
  assertImage(image, 'autoContrast');
  return viaUint8(image, (u8) => applyLut(u8, autoContrastTables(histograms(u8))));
}

/** The per-channel tables of `autoContrast`, from the channels' histograms. */
export function autoContrastTables(hists: Uint32Array[]): Uint8Array[] {
  return hists.map((h) => {
    let lo = 0;
    while (lo < 256 && h[lo] === 0) lo++;
    let hi = 255;
    while (hi >= 0 && h[hi] === 0) hi--;
    const lut = new Uint8Array(256);
    if (hi <= lo) {
      for (let i = 0; i < 256; i++) lut[i] = i;
      return lut;
    }
    const scale = 255 / (hi - lo);
    const offset = -lo * scale;
    for (let i = 0; i < 256; i++) lut[i] = Math.min(255, Math.max(0, Math.trunc(i * scale + offset)));
    return lut;
  });
}

/** Histogram equalisation per channel, with Pillow's step rule (ImageOps.equalize). */
export function equalize<I extends HwcImage>(image: I): I {
  assertImage(image, 'equalize');
  return viaUint8(image, (u8) => applyLut(u8, equalizeTables(histograms(u8))));
}

/** The per-channel tables of `equalize`, from the channels' histograms (Pillow's step rule). */
export function equalizeTables(hists: Uint32Array[]): Uint8Array[] {
  return hists.map((h) => {
    const lut = new Uint8Array(256);
    let last = -1;
    let total = 0;
    let nonZero = 0;
    for (let i = 0; i < 256; i++) {
      if (h[i] > 0) {
        nonZero++;
        last = i;
        total += h[i];
      }
    }
    const step = nonZero <= 1 ? 0 : Math.floor((total - h[last]) / 255);
    if (step === 0) {
      for (let i = 0; i < 256; i++) lut[i] = i;
      return lut;
    }
    let n = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      lut[i] = Math.min(255, Math.floor(n / step));
      n += h[i];
    }
    return lut;
  });
}

/**
 * Pillow's Image.blend(degenerate, image, factor): degenerate + factor * (image - degenerate),
 * truncated to 0..255. Pillow computes in single precision (a C float), and so does this
 * (Math.fround), or 100 * 1.3 would land on 130 here and 129 there.
 */
function blend(image: U8, degenerate: Uint8Array | number, factor: number): U8 {
  const src = image.data;
  const data = new Uint8Array(src.length);
  const alpha = Math.fround(factor);
  if (typeof degenerate === 'number') {
    // A constant base: the blend is a function of the value alone, so one 256-entry table.
    const lut = blendTable(degenerate, factor);
    for (let i = 0; i < src.length; i++) data[i] = lut[src[i]];
  } else {
    for (let i = 0; i < src.length; i++) data[i] = blendValue(degenerate[i], src[i], alpha);
  }
  return { data, height: image.height, width: image.width, channels: image.channels };
}

/** The per-value table of a blend with a constant base (`brightness`: base 0; `contrast`: the mean luma). */
export function blendTable(base: number, factor: number): Uint8Array {
  const alpha = Math.fround(factor);
  const lut = new Uint8Array(256);
  for (let x = 0; x < 256; x++) lut[x] = blendValue(base, x, alpha);
  return lut;
}

/** One value of `blend`: base + alpha * (x - base) in single precision, truncated to 0..255. */
function blendValue(base: number, x: number, alpha: number): number {
  const v = Math.fround(base + Math.fround(alpha * (x - base)));
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
}

/** `blend` of an RGB image with its own luma (ImageEnhance.Color), the luma computed per pixel instead of stored. */
function blendWithLuma(image: U8, factor: number): U8 {
  const src = image.data;
  const data = new Uint8Array(src.length);
  const alpha = Math.fround(factor);
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i];
    const g = src[i + 1];
    const b = src[i + 2];
    const grey = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    data[i] = blendValue(grey, r, alpha);
    data[i + 1] = blendValue(grey, g, alpha);
    data[i + 2] = blendValue(grey, b, alpha);
  }
  return { data, height: image.height, width: image.width, channels: 3 };
}

/** One step of `enhanceChain`. */
export interface EnhanceStep {
  op: 'brightness' | 'contrast' | 'color';
  factor: number;
}

/**
 * `brightness`, `contrast` and `color` applied in the given order to an RGB uint8 image, with the
 * same values as applying them one by one, in fewer passes: Brightness and Contrast map each value
 * alone, so runs of them compose into one 256-entry table (Contrast's mean luma is read through the
 * pending table, without writing the image), and the table is applied inside the next Color pass
 * or at the end.
 */
export function enhanceChain(image: HwcImage<Uint8Array>, steps: EnhanceStep[]): HwcImage<Uint8Array> {
  assertImage(image, 'enhanceChain');
  if (image.channels !== 3 || !(image.data instanceof Uint8Array)) throw new Error(`enhanceChain: image must be RGB uint8; got ${image.channels} channels of ${image.data.constructor.name}`);
  let src = image.data;
  let lut: Uint8Array | null = null; // pending per-value map, applied to `src` lazily
  for (const { op, factor } of steps) {
    const alpha = Math.fround(factor);
    if (op === 'brightness' || op === 'contrast') {
      let base = 0;
      if (op === 'contrast') {
        let sum = 0;
        const m = lut;
        if (m) for (let i = 0; i < src.length; i += 3) sum += (m[src[i]] * 19595 + m[src[i + 1]] * 38470 + m[src[i + 2]] * 7471 + 0x8000) >>> 16;
        else for (let i = 0; i < src.length; i += 3) sum += (src[i] * 19595 + src[i + 1] * 38470 + src[i + 2] * 7471 + 0x8000) >>> 16;
        base = Math.trunc(sum / (src.length / 3) + 0.5);
      }
      const next = new Uint8Array(256);
      for (let x = 0; x < 256; x++) next[x] = blendValue(base, lut ? lut[x] : x, alpha);
      lut = next;
    } else if (op === 'color') {
      const out = new Uint8Array(src.length);
      const m = lut ?? IDENTITY;
      for (let i = 0; i < src.length; i += 3) {
        const r = m[src[i]];
        const g = m[src[i + 1]];
        const b = m[src[i + 2]];
        const grey = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
        out[i] = blendValue(grey, r, alpha);
        out[i + 1] = blendValue(grey, g, alpha);
        out[i + 2] = blendValue(grey, b, alpha);
      }
      src = out;
      lut = null;
    } else {
      throw new Error(`enhanceChain: step op must be 'brightness', 'contrast' or 'color'; got ${JSON.stringify(op)}`);
    }
  }
  let data: Uint8Array;
  if (lut) {
    data = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) data[i] = lut[src[i]];
  } else {
    data = src === image.data ? src.slice() : src;
  }
  return { data, height: image.height, width: image.width, channels: 3 };
}

const IDENTITY = Uint8Array.from({ length: 256 }, (_, i) => i);

/** ImageEnhance.Brightness: blend with black; factor 1 keeps the image, 0 gives black. */
export function brightness<I extends HwcImage>(image: I, options: { factor: number }): I {
  assertImage(image, 'brightness');
  return viaUint8(image, (u8) => blend(u8, 0, options.factor));
}

/** ImageEnhance.Color (saturation): blend with the image's grey version; grey images are unchanged. */
export function color<I extends HwcImage>(image: I, options: { factor: number }): I {
  assertImage(image, 'color');
  return viaUint8(image, (u8) => {
    if (u8.channels === 1) return { ...u8, data: u8.data.slice() };
    if (u8.channels === 3) return blendWithLuma(u8, options.factor);
    return blend(u8, greyReplicated(u8), options.factor);
  });
}

/** ImageEnhance.Contrast: blend with a flat image at the rounded mean luma. */
export function contrast<I extends HwcImage>(image: I, options: { factor: number }): I {
  assertImage(image, 'contrast');
  return viaUint8(image, (u8) => {
    let sum = 0;
    let count = u8.height * u8.width;
    if (u8.channels === 3) {
      // The luma of each pixel summed without storing it (same values as luma()).
      const d = u8.data;
      for (let i = 0; i < d.length; i += 3) sum += (d[i] * 19595 + d[i + 1] * 38470 + d[i + 2] * 7471 + 0x8000) >>> 16;
    } else {
      const grey = luma(u8);
      count = grey.length;
      for (let p = 0; p < grey.length; p++) sum += grey[p];
    }
    const mean = Math.trunc(sum / count + 0.5);
    return blend(u8, mean, options.factor);
  });
}

/**
 * ImageEnhance.Sharpness: blend with the image smoothed by PIL's SMOOTH kernel
 * [[1,1,1],[1,5,1],[1,1,1]] / 13; border pixels of the smoothed image are the original ones.
 * The smoothing follows Pillow's ImagingFilter3x3: single-precision sums, row below first, rounded.
 */
export function sharpness<I extends HwcImage>(image: I, options: { factor: number }): I {
  assertImage(image, 'sharpness');
  return viaUint8(image, (u8) => {
    const { height: H, width: W, channels: C, data } = u8;
    const addon = nativePixels();
    if (addon) {
      // The same filter and blend in C++ (native-pixels.ts): the same values.
      const out = new Uint8Array(data.length);
      addon.sharpness(data, H, W, C, options.factor, out);
      return { data: out, height: H, width: W, channels: C };
    }
    const degenerate = data.slice();
    const row = W * C;
    const k1 = Math.fround(1 / 13);
    const k5 = Math.fround(5 / 13);
    const f = Math.fround;
    const line = (i: number, centre: number) => f(f(f(data[i - C] * k1) + f(data[i] * centre)) + f(data[i + C] * k1));
    for (let y = 1; y < H - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        for (let c = 0; c < C; c++) {
          const i = y * row + x * C + c;
          let ss = 0;
          ss = f(ss + line(i + row, k1));
          ss = f(ss + line(i, k5));
          ss = f(ss + line(i - row, k1));
          degenerate[i] = ss <= 0 ? 0 : ss >= 255 ? 255 : Math.trunc(ss + 0.5);
        }
      }
    }
    return blend(u8, degenerate, options.factor);
  });
}

/** Grey version with the same channel count (PIL convert('L') then back to RGB), as torchvision's Grayscale(3). */
export function grayscale<I extends HwcImage>(image: I): I {
  assertImage(image, 'grayscale');
  return viaUint8(image, (u8) => {
    if (u8.channels === 1) return { ...u8, data: u8.data.slice() };
    return { data: greyReplicated(u8), height: u8.height, width: u8.width, channels: u8.channels };
  });
}
