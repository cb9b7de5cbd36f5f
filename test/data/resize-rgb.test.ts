import test from 'ava';
import { resizeImage, type HwcImage } from '../../src/data';

/** Channel `c` of an RGB image as a one-channel image (resized by the general path). */
function channel(image: HwcImage, c: number): HwcImage {
  const n = image.height * image.width;
  const data = image.data instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
  for (let p = 0; p < n; p++) data[p] = image.data[3 * p + c];
  return { data, height: image.height, width: image.width, channels: 1 };
}

test('resizeImage on RGB (its 3-channel fast path) equals resizing each channel alone (the general path), bit for bit', (t) => {
  const H = 37;
  const W = 53;
  const u8 = new Uint8Array(H * W * 3).map((_, i) => (i * 97 + ((i * i) >> 7)) % 256);
  const f32 = Float32Array.from(u8, (v) => v / 255);
  for (const image of [{ data: u8, height: H, width: W, channels: 3 }, { data: f32, height: H, width: W, channels: 3 }] as HwcImage[]) {
    for (const [h, w] of [[16, 20], [37, 100], [90, 11], [224, 224]]) {
      const rgb = resizeImage(image, { height: h, width: w });
      t.deepEqual([rgb.height, rgb.width, rgb.channels], [h, w, 3]);
      for (let c = 0; c < 3; c++) {
        const alone = resizeImage(channel(image, c), { height: h, width: w });
        t.deepEqual(channel(rgb, c).data, alone.data, `${image.data.constructor.name} ${h}x${w} channel ${c}`);
      }
    }
  }
});
