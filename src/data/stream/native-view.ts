/**
 * The geometric part of an 'imagenet' training view (presets.ts) in libvips through sharp: the
 * RandomResizedCrop box (randomResizedCropBox, the same draws as the JS path), extract, resize to
 * size x size with libvips' linear kernel, and the horizontal flip (one draw, p 0.5) as a flop; the
 * colour operations then run in JS (imagenetColourOps). About 4x cheaper than the JS crop + resize.
 *
 * Difference from the JS path (and torchvision's PIL bilinear resize): when the box is at least
 * size x size (shrinking, most ImageNet views), libvips' linear reduce is a triangle filter widened
 * as PIL's but with its own fixed-point rounding: pixels within 3 levels of the JS resize, mean
 * ~0.2 (test/data/native-view.test.ts). When the box is smaller on a side (enlarging), libvips
 * interpolates with another pixel-centre convention (up to ~16 levels apart on textured images), so
 * those views take the JS crop + resize and are identical to the JS path. The draws and boxes are
 * always identical. Deterministic for a given sharp/libvips version.
 */
import type { Rng } from '../../util/rng';
import { horizontalFlip } from '../augment/geometric';
import { randomResizedCropBox } from '../augment/large-scale';
import { cropImage, resizeImage } from '../image-decode';
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
  if (box.height < size || box.width < size) {
    // Enlarging: libvips' upsampling is not PIL's triangle (several levels apart on textured
    // images), so these views take the JS crop + resize, identical to the JS path.
    const view = resizeImage(cropImage(image, box), { height: size, width: size });
    return flip ? horizontalFlip(view) : view;
  }
  const out = await sharp(data, { raw: { width, height, channels: 3 } })
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .flop(flip)
    .raw()
    .toBuffer();
  return { data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), height: size, width: size, channels: 3 };
}
