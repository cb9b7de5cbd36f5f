/**
 * Decoding through `sharp` (libvips with mozjpeg / libpng, prebuilt binaries from npm) when it
 * loads, else the pure-JS decoders of image-decode.ts. Used by the streaming readers of the
 * large-scale lists; the small in-memory datasets keep the pure-JS path.
 * Output as `decodeImage`: RGB (3) or luma (1) uint8 HWC; EXIF orientation is not applied (as PIL).
 */
import * as jpeg from 'jpeg-js';
import { decodeImage } from './image-decode';
import { checkImageBytes, type ImageLimits } from './image-header';
import type { HwcImage } from './types';
import { readEnvironment } from '../util/environment';

export type DecoderName = 'auto' | 'sharp' | 'js';

/** The part of sharp's API used here (typed locally: sharp ships ESM and CJS typings). */
interface SharpPipeline {
  removeAlpha(): SharpPipeline;
  greyscale(): SharpPipeline;
  toColourspace(space: string): SharpPipeline;
  raw(): SharpPipeline;
  extract(box: { left: number; top: number; width: number; height: number }): SharpPipeline;
  resize(width: number, height: number, options: { fit: 'fill'; kernel: 'linear' }): SharpPipeline;
  flop(enabled?: boolean): SharpPipeline;
  jpeg(options: { quality: number }): SharpPipeline;
  toBuffer(): Promise<Buffer>;
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }>;
}
type SharpModule = ((input: Uint8Array, options?: { failOn?: string; limitInputPixels?: number; raw?: { width: number; height: number; channels: number } }) => SharpPipeline) & {
  cache(enabled: boolean): unknown;
  concurrency(threads: number): number;
};
let sharpModule: SharpModule | null | undefined;

/** The sharp module, or null when it cannot be loaded here (missing binary, unsupported platform). */
export function loadSharp(): SharpModule | null {
  if (sharpModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sharpModule = require('sharp') as SharpModule;
      sharpModule.cache(false);
      sharpModule.concurrency(1);
    } catch {
      sharpModule = null;
    }
  }
  return sharpModule;
}

/** The decoder `name` resolves to: 'auto' is sharp when it loads (and RESCOM_DECODER is not 'js'), else 'js'. */
export function resolveDecoder(name: DecoderName = 'auto'): 'sharp' | 'js' {
  if (name !== 'auto' && name !== 'sharp' && name !== 'js') throw new Error(`resolveDecoder: name must be 'auto', 'sharp' or 'js'; got ${JSON.stringify(name)}`);
  const wanted = name === 'auto' ? (readEnvironment('RESCOM_DECODER', 'resolveDecoder') ?? 'auto') : name;
  if (wanted === 'js') return 'js';
  if (loadSharp()) return 'sharp';
  if (wanted === 'sharp') throw new Error(`resolveDecoder: decoder 'sharp' was asked for (option or RESCOM_DECODER) but the sharp module does not load here (npm install sharp)`);
  return 'js';
}

/**
 * Checks the header against `limits` (before any pixel memory is spent), then decodes JPEG or PNG
 * bytes. Throws an Error with the reason for anything unreadable.
 */
export async function decodeImageBytes(
  bytes: Uint8Array,
  options: { channels?: 1 | 3; decoder?: DecoderName; limits?: ImageLimits } = {},
): Promise<HwcImage<Uint8Array>> {
  const { channels = 3, limits = {} } = options;
  checkImageBytes(bytes, limits);
  if (resolveDecoder(options.decoder) === 'js') return decodeImage(bytes, { channels, maxMegapixels: limits.maxMegapixels });
  const sharp = loadSharp()!;
  const pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: Math.floor((limits.maxMegapixels ?? 100) * 1e6) }).removeAlpha();
  const { data, info } = await (channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb')).raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels !== channels) {
    if (info.channels === 1 && channels === 3) {
      const rgb = new Uint8Array(width * height * 3);
      for (let p = 0; p < width * height; p++) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = pixels[p];
      pixels = rgb;
    } else {
      throw new Error(`sharp returned ${info.channels} channels for a ${channels}-channel decode`);
    }
  }
  return { data: pixels, height, width, channels };
}

/** Encodes RGB or RGBA uint8 pixels as a JPEG (sharp when it loads, else jpeg-js). For generated test and benchmark images. */
export async function encodeJpegBytes(image: HwcImage<Uint8Array>, quality = 90): Promise<Buffer> {
  const { data, width, height, channels } = image;
  if (channels !== 3 && channels !== 4) throw new Error(`encodeJpegBytes: image.channels must be 3 or 4; got ${channels}`);
  const sharp = loadSharp();
  if (sharp && readEnvironment('RESCOM_DECODER', 'encodeJpegBytes') !== 'js') return sharp(data, { raw: { width, height, channels } }).jpeg({ quality }).toBuffer();
  let rgba = data;
  if (channels === 3) {
    rgba = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) {
      rgba[4 * p] = data[3 * p];
      rgba[4 * p + 1] = data[3 * p + 1];
      rgba[4 * p + 2] = data[3 * p + 2];
      rgba[4 * p + 3] = 255;
    }
  }
  return jpeg.encode({ data: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height }, quality).data;
}
