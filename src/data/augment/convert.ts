/**
 * The PIL-style pixel operations are defined on 8-bit images. Float images (0..1) go through them
 * by quantising to uint8 and back, so every op accepts both kinds and returns the kind it was given.
 */
import type { HwcImage, PixelArray } from '../types';

/** The image as uint8 (the same object when it already is). */
export function asUint8(image: HwcImage): HwcImage<Uint8Array> {
  if (image.data instanceof Uint8Array) return image as HwcImage<Uint8Array>;
  const src = image.data;
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(src[i] * 255)));
  return { data, height: image.height, width: image.width, channels: image.channels };
}

/** `out` converted back to the pixel type of `like` (float 0..1 when `like` is float). */
export function restoreKind<I extends HwcImage>(out: HwcImage<Uint8Array>, like: I): I {
  if (like.data instanceof Uint8Array) return out as unknown as I;
  const data = new Float32Array(out.data.length);
  for (let i = 0; i < data.length; i++) data[i] = out.data[i] / 255;
  return { data, height: out.height, width: out.width, channels: out.channels } as I;
}

/** Runs a uint8 operation on any image, returning the input's pixel kind. */
export function viaUint8<I extends HwcImage>(image: I, op: (u8: HwcImage<Uint8Array>) => HwcImage<Uint8Array>): I {
  return restoreKind(op(asUint8(image)), image);
}

/** A zero-filled image of the same kind and size. */
export function emptyLike<I extends HwcImage>(image: I, size?: { height: number; width: number }): I {
  const height = size?.height ?? image.height;
  const width = size?.width ?? image.width;
  const n = height * width * image.channels;
  const data: PixelArray = image.data instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
  return { data, height, width, channels: image.channels } as I;
}

/** Throws unless `image` is a consistent HWC image. */
export function assertImage(image: HwcImage, fn: string): void {
  const ok = image && (image.data instanceof Uint8Array || image.data instanceof Float32Array)
    && Number.isInteger(image.height) && Number.isInteger(image.width) && Number.isInteger(image.channels)
    && image.height > 0 && image.width > 0 && image.channels > 0
    && image.data.length === image.height * image.width * image.channels;
  if (!ok) {
    const got = image && image.data ? `${image.data.constructor.name}(${image.data.length}) as ${image.height}x${image.width}x${image.channels}` : String(image);
    throw new Error(`${fn}: image must be an HWC image with Uint8Array or Float32Array data of height*width*channels values; got ${got}`);
  }
}
