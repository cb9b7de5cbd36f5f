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

/** A direct reference of resizeImage's arithmetic: every tap of the triangle's window, zero-weight ones included. */
function referenceResize(image: HwcImage<Uint8Array>, outH: number, outW: number): Uint8Array {
  const weights = (inSize: number, outSize: number) =>
    Array.from({ length: outSize }, (_, i) => {
      const scale = inSize / outSize;
      const support = Math.max(1, scale);
      const center = (i + 0.5) * scale;
      const start = Math.max(0, Math.floor(center - support));
      const stop = Math.min(inSize, Math.ceil(center + support));
      const w = new Float32Array(stop - start);
      let sum = 0;
      for (let j = start; j < stop; j++) sum += w[j - start] = Math.max(0, 1 - Math.abs((j + 0.5 - center) / support));
      for (let k = 0; k < w.length; k++) w[k] /= sum;
      return { start, w };
    });
  const { height: H, width: W, data } = image;
  const hw = weights(W, outW);
  const vw = weights(H, outH);
  const temp = new Float32Array(H * outW * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < outW; x++)
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < hw[x].w.length; k++) acc += hw[x].w[k] * data[(y * W + hw[x].start + k) * 3 + c];
        temp[(y * outW + x) * 3 + c] = acc;
      }
  const out = new Uint8Array(outH * outW * 3);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++)
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < vw[y].w.length; k++) acc += vw[y].w[k] * temp[((vw[y].start + k) * outW + x) * 3 + c];
        out[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
  return out;
}

test('resizeImage drops only zero-weight taps: bit for bit the sums over the full triangle window, enlarging, shrinking and mixed', (t) => {
  const H = 41;
  const W = 67;
  const image = { data: new Uint8Array(H * W * 3).map((_, i) => (i * 53 + ((i * i) >> 5)) % 256), height: H, width: W, channels: 3 };
  for (const [h, w] of [[64, 100], [17, 30], [90, 23], [41, 67], [224, 224], [7, 150]]) {
    t.deepEqual(resizeImage(image, { height: h, width: w }).data, referenceResize(image, h, w), `${h}x${w}`);
  }
});
