/**
 * The 'imagenet' colour operations (ColorJitter, RandomGrayscale, RandAugment: presets.ts) on an
 * RGB uint8 view in fewer passes, with the same values as applying them one by one: an image is
 * kept as its pixels plus per-channel tables still to apply (`PendingRgb`). Operations that map
 * each value alone (Brightness, Contrast, Invert, Posterize, Solarize, SolarizeAdd, AutoContrast,
 * Equalize) compose into the tables without writing pixels; their statistics (Contrast's mean
 * luma, AutoContrast's and Equalize's histograms) are read through the tables, which gives the
 * statistics of the written image exactly (a histogram of the mapped values is the source
 * histogram pushed through the table). Color and grayscale apply the tables inside their own pass;
 * the geometric operations and Sharpness take the written image. The last tables are applied while
 * the view is copied into its batch (`writeInto`).
 */
import type { HwcImage } from '../types';
import { autoContrastTables, blendTable, equalizeTables, invertTable, posterizeTable, solarizeAddTable, solarizeTable, type EnhanceStep } from './pixel-ops';
import { nativePixels } from './native-pixels';
import { applyRandAugmentOp, IMAGENET_MEAN_U8, type RandAugmentStep } from './randaugment';

type U8 = HwcImage<Uint8Array>;

/**
 * An RGB uint8 image [H, W, 3] and per-channel tables still to apply to it: one Uint8Array(768),
 * channel c's map at [256 c, 256 c + 256) (null: none). The passes run in the pixel addon when it
 * is built (native-pixels.ts: the same values), else in the JS loops here.
 */
export class PendingRgb {
  private tables: Uint8Array | null = null;

  constructor(private image: U8) {
    if (image.channels !== 3 || !(image.data instanceof Uint8Array)) throw new Error(`PendingRgb: image must be RGB uint8; got ${image.channels} channels of ${image.data.constructor.name}`);
  }

  /** Composes a per-value map after the pending ones: one table for all channels, or one per channel. */
  map(tables: Uint8Array[]): void {
    const composed = new Uint8Array(768);
    const p = this.tables;
    for (let c = 0; c < 3; c++) {
      const t = tables[c % tables.length];
      const base = 256 * c;
      for (let v = 0; v < 256; v++) composed[base + v] = t[p ? p[base + v] : v];
    }
    this.tables = composed;
  }

  /** Pillow's rounded mean luma of the image as written (Contrast's base): one read pass. */
  meanLuma(): number {
    const d = this.image.data;
    const addon = nativePixels();
    if (addon) return addon.meanLuma(d, this.tables);
    const t = this.tables ?? IDENTITY3;
    let sum = 0;
    for (let i = 0; i < d.length; i += 3) sum += (t[d[i]] * 19595 + t[256 + d[i + 1]] * 38470 + t[512 + d[i + 2]] * 7471 + 0x8000) >>> 16;
    return Math.trunc(sum / (d.length / 3) + 0.5);
  }

  /** Per-channel histograms [3][256] of the image as written: one read pass. */
  histograms(): Uint32Array[] {
    const d = this.image.data;
    const addon = nativePixels();
    if (addon) {
      const all = new Uint32Array(768);
      addon.histograms(d, this.tables, all);
      return [all.subarray(0, 256), all.subarray(256, 512), all.subarray(512)];
    }
    const h = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
    const [h0, h1, h2] = h;
    for (let i = 0; i < d.length; i += 3) {
      h0[d[i]]++;
      h1[d[i + 1]]++;
      h2[d[i + 2]]++;
    }
    const t = this.tables;
    if (!t) return h;
    return h.map((src, c) => {
      const mapped = new Uint32Array(256);
      for (let v = 0; v < 256; v++) mapped[t[256 * c + v]] += src[v];
      return mapped;
    });
  }

  /** ImageEnhance.Color of the image as written (blendWithLuma's values): one pass, the tables applied inside it. */
  color(factor: number): void {
    const src = this.image.data;
    const out = new Uint8Array(src.length);
    const addon = nativePixels();
    if (addon) {
      addon.color(src, this.tables, factor, out);
      return this.replace(out);
    }
    const t = this.tables ?? IDENTITY3;
    const alpha = Math.fround(factor);
    // blendValue(grey, x, alpha) = fround(grey + fround(alpha (x - grey))), truncated to 0..255,
    // with fround(alpha d) looked up for d = x - grey in -255..255 (the same single-precision values).
    const scaled = new Float32Array(511);
    for (let d = -255; d <= 255; d++) scaled[d + 255] = Math.fround(alpha * d);
    for (let i = 0; i < src.length; i += 3) {
      const r = t[src[i]];
      const g = t[256 + src[i + 1]];
      const b = t[512 + src[i + 2]];
      const grey = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
      const o = 255 - grey;
      const vr = Math.fround(grey + scaled[r + o]);
      const vg = Math.fround(grey + scaled[g + o]);
      const vb = Math.fround(grey + scaled[b + o]);
      out[i] = vr <= 0 ? 0 : vr >= 255 ? 255 : Math.trunc(vr);
      out[i + 1] = vg <= 0 ? 0 : vg >= 255 ? 255 : Math.trunc(vg);
      out[i + 2] = vb <= 0 ? 0 : vb >= 255 ? 255 : Math.trunc(vb);
    }
    this.replace(out);
  }

  /** Grey with three channels (grayscale's values: Pillow's luma, replicated): one pass, the tables applied inside it. */
  grey(): void {
    const src = this.image.data;
    const out = new Uint8Array(src.length);
    const addon = nativePixels();
    if (addon) {
      addon.grey(src, this.tables, out);
      return this.replace(out);
    }
    const t = this.tables ?? IDENTITY3;
    for (let i = 0; i < src.length; i += 3) {
      const v = (t[src[i]] * 19595 + t[256 + src[i + 1]] * 38470 + t[512 + src[i + 2]] * 7471 + 0x8000) >>> 16;
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
    }
    this.replace(out);
  }

  /** The image as written (the tables applied; a new array unless there are none). */
  written(): U8 {
    if (!this.tables) return this.image;
    const out = new Uint8Array(this.image.data.length);
    this.writeInto(out, 0);
    this.replace(out);
    return this.image;
  }

  /** Takes `image` (the result of an operation on `written()`) as the new pixels. */
  set(image: U8): void {
    this.image = image;
    this.tables = null;
  }

  /** Writes the image as written into `out` at `offset` (the copy into a batch, the tables applied on the way). */
  writeInto(out: Uint8Array, offset: number): void {
    const d = this.image.data;
    const t = this.tables;
    if (!t) {
      out.set(d, offset);
      return;
    }
    const addon = nativePixels();
    if (addon) return addon.applyTables(d, t, out, offset);
    for (let i = 0, o = offset; i < d.length; i += 3, o += 3) {
      out[o] = t[d[i]];
      out[o + 1] = t[256 + d[i + 1]];
      out[o + 2] = t[512 + d[i + 2]];
    }
  }

  get height(): number {
    return this.image.height;
  }

  get width(): number {
    return this.image.width;
  }

  private replace(data: Uint8Array): void {
    this.image = { data, height: this.image.height, width: this.image.width, channels: 3 };
    this.tables = null;
  }
}

/** The identity map of each of the 3 channels. */
const IDENTITY3 = Uint8Array.from({ length: 768 }, (_, i) => i & 255);

/** ColorJitter's blends (enhanceChain's steps) in order on a pending image. */
export function pendingEnhance(p: PendingRgb, steps: EnhanceStep[]): void {
  for (const { op, factor } of steps) {
    if (op === 'brightness') p.map([blendTable(0, factor)]);
    else if (op === 'contrast') p.map([blendTable(p.meanLuma(), factor)]);
    else if (op === 'color') p.color(factor);
    else throw new Error(`pendingEnhance: step op must be 'brightness', 'contrast' or 'color'; got ${JSON.stringify(op)}`);
  }
}

/**
 * One drawn RandAugment operation on a pending image: the per-value operations as tables (with
 * applyRandAugmentOp's arguments), Color in one pass, the others on the written image.
 */
export function pendingRandAugmentOp(p: PendingRgb, step: RandAugmentStep, fill: number[] = IMAGENET_MEAN_U8): void {
  const l = step.level / 10;
  const enhance = l * 1.8 + 0.1;
  switch (step.op) {
    case 'AutoContrast': return p.map(autoContrastTables(p.histograms()));
    case 'Equalize': return p.map(equalizeTables(p.histograms()));
    case 'Invert': return p.map([invertTable()]);
    case 'Posterize': {
      const bits = Math.trunc(4 * l);
      return bits >= 8 ? undefined : p.map([posterizeTable(bits)]);
    }
    case 'Solarize': return p.map([solarizeTable(Math.min(256, Math.trunc(256 * l)))]);
    case 'SolarizeAdd': return p.map([solarizeAddTable(Math.min(128, Math.trunc(110 * l)), 128)]);
    case 'Color': return p.color(enhance);
    case 'Contrast': return p.map([blendTable(p.meanLuma(), enhance)]);
    case 'Brightness': return p.map([blendTable(0, enhance)]);
    default: return p.set(applyRandAugmentOp(p.written(), step, fill));
  }
}
