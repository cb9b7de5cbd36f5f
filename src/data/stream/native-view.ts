/**
 * The geometric part of an 'imagenet' training view (presets.ts): the RandomResizedCrop box
 * (randomResizedCropBox) and horizontal flip (one draw, p 0.5), drawn as the JS preset draws them,
 * then the crop, resize to size x size and mirror, in one of two ways:
 *
 * - `cropResizeFlip`: the Pillow-matching resize of the JS preset (resizeImage), the same values;
 *   in the pixel addon (native-pixels.ts, one pass from the source image) when it is built.
 * - `startNativeCropResizeFlip`: libvips through sharp, for machines without the pixel addon (about
 *   4x cheaper than the JS loops, off this thread). When the box is at least size x size
 *   (shrinking, most ImageNet views), libvips' linear reduce is a triangle filter widened as PIL's
 *   but with its own fixed-point rounding: pixels within 3 levels of resizeImage, mean ~0.2
 *   (test/data/native-view.test.ts). When the box is smaller on a side (enlarging), libvips
 *   interpolates with another pixel-centre convention (up to ~16 levels apart on textured images),
 *   so those views take `cropResizeFlip`. Deterministic for a given sharp/libvips version.
 */
import type { Rng } from '../../util/rng';
import { horizontalFlip } from '../augment/geometric';
import { randomResizedCropBox, type CropBox } from '../augment/large-scale';
import { cropImage, resizeImage } from '../image-decode';
import { nativePixels } from '../augment/native-pixels';
import { loadSharp } from '../native-decode';
import type { HwcImage } from '../types';

/** The draws of a RandomResizedCrop + HorizontalFlip view: the box (randomResizedCropBox), then the flip (p 0.5). */
export interface CropFlip {
  box: CropBox;
  flip: boolean;
}

/** Draws the box and flip of a view of a `height` x `width` image (the JS path's draws, in its order). */
export function drawCropFlip(height: number, width: number, rng: Rng): CropFlip {
  const box = randomResizedCropBox(height, width, { rng });
  return { box, flip: rng.next() < 0.5 };
}

/** One RandomResizedCrop(size) + HorizontalFlip view of an RGB uint8 image [H, W, 3] -> [size, size, 3], in libvips (enlarging: cropResizeFlip). */
export async function nativeCropResizeFlip(image: HwcImage<Uint8Array>, rng: Rng, size: number): Promise<HwcImage<Uint8Array>> {
  checkInput(image, size);
  const geometry = drawCropFlip(image.height, image.width, rng);
  return startNativeCropResizeFlip(image, geometry, size) ?? cropResizeFlip(image, geometry, size);
}

/**
 * The view of drawn `geometry` when libvips makes it (the box at least size x size): a promise
 * (libvips runs off this thread, so the caller can work meanwhile); else null, and the caller
 * uses `cropResizeFlip`.
 */
export function startNativeCropResizeFlip(image: HwcImage<Uint8Array>, geometry: CropFlip, size: number): Promise<HwcImage<Uint8Array>> | null {
  checkInput(image, size);
  const { box, flip } = geometry;
  // Enlarging: libvips' upsampling is not PIL's triangle (several levels apart on textured
  // images), so these views take the JS crop + resize, identical to the JS path.
  if (box.height < size || box.width < size) return null;
  const sharp = loadSharp()!;
  const { height, width, data } = image;
  return sharp(data, { raw: { width, height, channels: 3 } })
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .flop(flip)
    .raw()
    .toBuffer()
    .then((out) => ({ data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), height: size, width: size, channels: 3 }));
}

/**
 * The view of drawn `geometry` by the PIL-style crop + resize (resizeImage) and flip: the JS
 * preset's pixels. In the pixel addon when it is built (one pass from the source image, no crop
 * copy; the same values), else in JS.
 */
export function cropResizeFlip(image: HwcImage<Uint8Array>, geometry: CropFlip, size: number): HwcImage<Uint8Array> {
  const { box, flip } = geometry;
  const addon = nativePixels();
  if (addon) {
    const out = new Uint8Array(size * size * image.channels);
    addon.resize(image.data, image.height, image.width, image.channels, box.top, box.left, box.height, box.width, size, size, flip ? 1 : 0, out);
    return { data: out, height: size, width: size, channels: image.channels };
  }
  const view = resizeImage(cropImage(image, box), { height: size, width: size });
  return flip ? horizontalFlip(view) : view;
}

function checkInput(image: HwcImage<Uint8Array>, size: number): void {
  if (!loadSharp()) throw new Error('nativeCropResizeFlip: the sharp module does not load here (npm install sharp, or use the JS decoder)');
  if (!Number.isInteger(size) || size < 1) throw new Error(`nativeCropResizeFlip: size must be a positive integer; got ${size}`);
  const { height, width, channels, data } = image;
  if (channels !== 3 || data.length !== height * width * 3) throw new Error(`nativeCropResizeFlip: image must be RGB uint8 [H, W, 3]; got ${height}x${width}x${channels} with ${data.length} values`);
}
