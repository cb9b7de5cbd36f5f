/**
 * Decoding JPEG / PNG files (pure JS: jpeg-js, pngjs) to RGB or grey uint8 HWC images, and the
 * resize / centre-crop used to bring ImageNet-LT, iNaturalist and Places-LT images to a fixed size.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { nativePixels } from './augment/native-pixels';
import type { HwcImage } from './types';

/** Which format the bytes hold, from their magic number (not the file extension: some .jpg are PNGs). */
export function sniffImageFormat(bytes: Uint8Array): 'jpeg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return null;
}

export interface DecodeImageOptions {
  /** 3 (RGB, default; grey images are replicated) or 1 (luma, ITU-R 601-2 as PIL's convert('L')). */
  channels?: 1 | 3;
  /** Refuse images above this many megapixels (default 100), so one bad file cannot exhaust memory. */
  maxMegapixels?: number;
}

/** Decodes JPEG or PNG bytes; throws an Error (with the decoder's reason) on anything else or on corrupt data. */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): HwcImage<Uint8Array> {
  const { channels = 3, maxMegapixels = 100 } = options;
  const format = sniffImageFormat(bytes);
  let rgb: Uint8Array;
  let width: number;
  let height: number;
  if (format === 'jpeg') {
    const out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: maxMegapixels });
    ({ width, height } = out);
    rgb = out.data;
  } else if (format === 'png') {
    // The size from the IHDR header first: a tiny file may declare a huge image (decoded, ~0.7 GB).
    if (bytes.length >= 24 && Buffer.from(bytes.subarray(12, 16)).toString('latin1') === 'IHDR') {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const declaredW = view.getUint32(16);
      const declaredH = view.getUint32(20);
      if (declaredW * declaredH > maxMegapixels * 1e6) throw new Error(`PNG header declares ${declaredW}x${declaredH} pixels, above the ${maxMegapixels}-megapixel limit`);
    }
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    ({ width, height } = png);
    if (width * height > maxMegapixels * 1e6) throw new Error(`image of ${width}x${height} exceeds ${maxMegapixels} megapixels`);
    rgb = new Uint8Array(width * height * 3);
    const rgba = png.data; // pngjs always expands to 8-bit RGBA
    for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
      rgb[p] = rgba[q];
      rgb[p + 1] = rgba[q + 1];
      rgb[p + 2] = rgba[q + 2];
    }
  } else {
    const head = Buffer.from(bytes.subarray(0, 4)).toString('hex');
    throw new Error(`not a JPEG (ff d8 ff) or PNG (89 50 4e 47) file: starts with ${head || 'nothing'}`);
  }
  if (rgb.length !== width * height * 3) throw new Error(`decoder returned ${rgb.length} bytes for ${width}x${height} RGB`);
  if (channels === 3) return { data: rgb, height, width, channels: 3 };
  const grey = new Uint8Array(width * height);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = Math.round((rgb[3 * p] * 299 + rgb[3 * p + 1] * 587 + rgb[3 * p + 2] * 114) / 1000);
  }
  return { data: grey, height, width, channels: 1 };
}

/**
 * Resizes with a triangle (bilinear) filter whose support widens when shrinking, as PIL's
 * BILINEAR resize does, so that downscaling a large photo averages pixels instead of aliasing.
 * Separable: rows then columns. Output uint8 (rounded) for uint8 input, float32 otherwise.
 */
export function resizeImage<I extends HwcImage>(image: I, size: { height: number; width: number }): I {
  const { height: outH, width: outW } = size;
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH < 1 || outW < 1) {
    throw new Error(`resizeImage: size must be positive integers; got ${outH}x${outW}`);
  }
  const { height: inH, width: inW, channels: C, data } = image;
  if (inH === outH && inW === outW) return { ...image, data: data.slice() } as I;
  const addon = data instanceof Uint8Array && C <= 4 ? nativePixels() : null;
  if (addon) {
    // The same sums in C++ (the pixel addon): the same values.
    const out = new Uint8Array(outH * outW * C);
    addon.resize(data as Uint8Array, inH, inW, C, 0, 0, inH, inW, outH, outW, 0, out);
    return { data: out, height: outH, width: outW, channels: C } as I;
  }
  const horizontal = filterWeights(inW, outW);
  const vertical = filterWeights(inH, outH);
  const temp = new Float32Array(inH * outW * C);
  if (C === 3) return resizeRgb(image, horizontal, vertical, temp, outH, outW) as I;
  for (let y = 0; y < inH; y++) {
    for (let x = 0; x < outW; x++) {
      const { start, weights } = horizontal[x];
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < weights.length; k++) acc += weights[k] * data[(y * inW + start + k) * C + c];
        temp[(y * outW + x) * C + c] = acc;
      }
    }
  }
  const isUint8 = data instanceof Uint8Array;
  const out = isUint8 ? new Uint8Array(outH * outW * C) : new Float32Array(outH * outW * C);
  for (let y = 0; y < outH; y++) {
    const { start, weights } = vertical[y];
    for (let x = 0; x < outW; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < weights.length; k++) acc += weights[k] * temp[((start + k) * outW + x) * C + c];
        out[(y * outW + x) * C + c] = isUint8 ? Math.min(255, Math.max(0, Math.round(acc))) : acc;
      }
    }
  }
  return { data: out, height: outH, width: outW, channels: C } as I;
}

/**
 * `resizeImage` for 3 channels: the same sums in the same order (so the same values, bit for bit),
 * with the three channels accumulated together and the indices stepped instead of recomputed.
 */
function resizeRgb(
  image: HwcImage,
  horizontal: { start: number; weights: Float32Array }[],
  vertical: { start: number; weights: Float32Array }[],
  temp: Float32Array,
  outH: number,
  outW: number,
): HwcImage {
  const { height: inH, width: inW, data } = image;
  for (let y = 0, t = 0; y < inH; y++) {
    const row = y * inW * 3;
    for (let x = 0; x < outW; x++, t += 3) {
      const { start, weights } = horizontal[x];
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      for (let k = 0, p = row + start * 3; k < weights.length; k++, p += 3) {
        const w = weights[k];
        a0 += w * data[p];
        a1 += w * data[p + 1];
        a2 += w * data[p + 2];
      }
      temp[t] = a0;
      temp[t + 1] = a1;
      temp[t + 2] = a2;
    }
  }
  const isUint8 = data instanceof Uint8Array;
  const out = isUint8 ? new Uint8Array(outH * outW * 3) : new Float32Array(outH * outW * 3);
  const stride = outW * 3;
  for (let y = 0, o = 0; y < outH; y++) {
    const { start, weights } = vertical[y];
    for (let x = 0; x < outW; x++, o += 3) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      for (let k = 0, p = start * stride + x * 3; k < weights.length; k++, p += stride) {
        const w = weights[k];
        a0 += w * temp[p];
        a1 += w * temp[p + 1];
        a2 += w * temp[p + 2];
      }
      if (isUint8) {
        out[o] = Math.min(255, Math.max(0, Math.round(a0)));
        out[o + 1] = Math.min(255, Math.max(0, Math.round(a1)));
        out[o + 2] = Math.min(255, Math.max(0, Math.round(a2)));
      } else {
        out[o] = a0;
        out[o + 1] = a1;
        out[o + 2] = a2;
      }
    }
  }
  return { data: out, height: outH, width: outW, channels: 3 };
}

function filterWeights(inSize: number, outSize: number): { start: number; weights: Float32Array }[] {
  const scale = inSize / outSize;
  const support = Math.max(1, scale); // triangle of half-width 1 in output pixels
  const result: { start: number; weights: Float32Array }[] = [];
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const start = Math.max(0, Math.floor(center - support));
    const stop = Math.min(inSize, Math.ceil(center + support));
    const weights = new Float32Array(stop - start);
    let sum = 0;
    for (let j = start; j < stop; j++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - center) / support));
      weights[j - start] = w;
      sum += w;
    }
    for (let k = 0; k < weights.length; k++) weights[k] /= sum;
    // Taps of weight 0 at either end (the triangle's window is rounded outwards) are dropped: a
    // sum of non-negative products gains exactly nothing from them, so the values are unchanged.
    let first = 0;
    let last = weights.length;
    while (first < last - 1 && weights[first] === 0) first++;
    while (last > first + 1 && weights[last - 1] === 0) last--;
    result.push(first === 0 && last === weights.length ? { start, weights } : { start: start + first, weights: weights.slice(first, last) });
  }
  return result;
}

/** The centre `height` x `width` window (as torchvision's CenterCrop, offsets rounded). */
export function centerCrop<I extends HwcImage>(image: I, size: { height: number; width: number }): I {
  const { height, width } = size;
  if (height > image.height || width > image.width) {
    throw new Error(`centerCrop: crop ${height}x${width} must fit in the image ${image.height}x${image.width}`);
  }
  const top = Math.round((image.height - height) / 2);
  const left = Math.round((image.width - width) / 2);
  return cropImage(image, { top, left, height, width });
}

/** Copies the window at (top, left) of size height x width (it must lie inside the image). */
export function cropImage<I extends HwcImage>(image: I, box: { top: number; left: number; height: number; width: number }): I {
  const { top, left, height, width } = box;
  const C = image.channels;
  const out = new (image.data.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(height * width * C);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * C;
    out.set(image.data.subarray(from, from + width * C), y * width * C);
  }
  return { data: out, height, width, channels: C } as I;
}

/** Resize so the shorter side is `shorter` (aspect kept), then centre-crop `crop` x `crop`: torchvision's Resize + CenterCrop. */
export function resizeAndCenterCrop<I extends HwcImage>(image: I, options: { shorter: number; crop: number }): I {
  const { shorter, crop } = options;
  if (crop > shorter) throw new Error(`resizeAndCenterCrop: crop ${crop} must not exceed shorter ${shorter}`);
  const scale = shorter / Math.min(image.height, image.width);
  const height = image.height <= image.width ? shorter : Math.max(shorter, Math.round(image.height * scale));
  const width = image.width < image.height ? shorter : Math.max(shorter, Math.round(image.width * scale));
  return centerCrop(resizeImage(image, { height, width }), { height: crop, width: crop });
}
