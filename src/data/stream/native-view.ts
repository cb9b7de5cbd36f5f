/**
 * The geometric part of an 'imagenet' training view (presets.ts) in libvips through sharp: the
 * RandomResizedCrop box (randomResizedCropBox, the same draws as the JS path), extract, resize to
 * size x size with libvips' linear kernel, and the horizontal flip (one draw, p 0.5) as a flop; the
 * colour operations then run in JS (imagenetColourOps). About 4x cheaper than the JS crop + resize.
 *
 * Difference from the JS path (and torchvision's PIL bilinear resize): libvips' linear reduce is a
 * triangle filter widened when shrinking, as PIL's, but with its own fixed-point rounding, so
 * pixels differ by a few levels (test/data/native-view.test.ts bounds the difference); the draws
 * and boxes are identical. Deterministic for a given sharp/libvips version.
 */
import type { Rng } from '../../util/rng';
import { randomResizedCropBox } from '../augment/large-scale';
import { loadSharp } from '../native-decode';
import type { HwcImage } from '../types';

/** One RandomResizedCrop(size) + HorizontalFlip view of an RGB uint8 image [H, W, 3] -> [size, size, 3], in libvips. */
export async function nativeCropResizeFlip(image: HwcImage<Uint8Array>, rng: Rng, size: number): Promise<HwcImage<Uint8Array>> {
  const sharp = loadSharp();
  if (!sharp) throw new Error('nativeCropResizeFlip: the sharp module does not load here (npm install sharp, or use the JS decoder)');
  if (!Number.isInteger(size) || size < 1) throw new Error(`nativeCropResizeFlip: size must be a positive integer; got ${size}`);
  const { height, width, channels, data } = image;
  if (channels !== 3 || data.length !== height * width * 3) throw new Error(`nativeCropResizeFlip: image must be RGB uint8 [H, W, 3]; got ${height}x${width}x${channels} with ${data.length} values`);
  const box = randomResizedCropBox(height, width, { rng });
  const flip = rng.next() < 0.5;
  const out = await sharp(data, { raw: { width, height, channels: 3 } })
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .flop(flip)
    .raw()
    .toBuffer();
  return { data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), height: size, width: size, channels: 3 };
}
