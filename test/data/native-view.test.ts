import test from 'ava';
import { cropImage, horizontalFlip, loadSharp, nativeCropResizeFlip, randomHorizontalFlip, randomResizedCrop, randomResizedCropBox, resizeImage, type HwcImage } from '../../src/data';
import { Rng } from '../../src/util/rng';

function image(H: number, W: number, f: (y: number, x: number, c: number) => number): HwcImage<Uint8Array> {
  const data = new Uint8Array(H * W * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = f(y, x, c);
  return { data, height: H, width: W, channels: 3 };
}
// A smooth "photo" (resampling differences show on edges, so include some texture too).
const photo = image(150, 200, (y, x, c) => Math.round(127 + 80 * Math.sin(x / 9 + c) * Math.cos(y / 13) + 30 * Math.sin((x + y) / 3)));

test('native crop + resize + flip: the same draws as the JS path, so the generator ends in the same state', async (t) => {
  t.truthy(loadSharp());
  for (let seed = 1; seed <= 20; seed++) {
    const a = new Rng(seed);
    const b = new Rng(seed);
    await nativeCropResizeFlip(photo, a, 32);
    randomHorizontalFlip(randomResizedCrop(photo, { rng: b, size: 32 }), { rng: b });
    t.is(a.nextUint32(), b.nextUint32(), `seed ${seed}`);
  }
});

test('native crop + resize + flip against the JS (Pillow-matching) resize of the same box, flip included: within 3 levels when shrinking, identical when enlarging', async (t) => {
  // Shrinking (box side >= size), the ImageNet case: libvips' linear reduce is PIL's widened triangle
  // up to rounding. Enlarging (small boxes) runs the JS resize itself.
  const stats = { shrink: { worst: 0, sum: 0, views: 0 }, enlarge: { worst: 0, sum: 0, views: 0 } };
  for (let seed = 1; seed <= 60; seed++) {
    const rng = new Rng(seed);
    const native = await nativeCropResizeFlip(photo, rng, 64);
    // The reference: the same box and flip draw, applied with the JS crop, resize and an explicit mirror.
    const ref = new Rng(seed);
    const box = randomResizedCropBox(photo.height, photo.width, { rng: ref });
    const flip = ref.next() < 0.5;
    let expected = resizeImage(cropImage(photo, box), { height: 64, width: 64 });
    if (flip) expected = horizontalFlip(expected);
    t.deepEqual([native.height, native.width, native.channels], [64, 64, 3]);
    const s = box.height >= 64 && box.width >= 64 ? stats.shrink : stats.enlarge;
    let sum = 0;
    for (let i = 0; i < expected.data.length; i++) {
      const d = Math.abs(native.data[i] - expected.data[i]);
      s.worst = Math.max(s.worst, d);
      sum += d;
    }
    s.sum += sum / expected.data.length;
    s.views++;
  }
  const { shrink, enlarge } = stats;
  t.log(`shrinking: ${shrink.views} views, max ${shrink.worst}, mean ${(shrink.sum / shrink.views).toFixed(3)}; enlarging: ${enlarge.views} views, max ${enlarge.worst}, mean ${(enlarge.sum / enlarge.views).toFixed(3)}`);
  t.true(shrink.views >= 10 && enlarge.views >= 5, `both kinds drawn: ${shrink.views} / ${enlarge.views}`);
  t.true(shrink.worst <= 3 && shrink.sum / shrink.views < 0.5, `shrinking: max ${shrink.worst}, mean ${shrink.sum / shrink.views}`);
  t.is(enlarge.worst, 0, 'enlarging views are the JS path exactly');
});

test('native crop + resize + flip: a flat image stays flat; a left-to-right ramp keeps or mirrors its direction with the flip draw', async (t) => {
  const flat = image(40, 50, () => 93);
  const out = await nativeCropResizeFlip(flat, new Rng(3), 16);
  t.true(out.data.every((v) => v === 93));
  const ramp = image(60, 60, (_, x) => x * 4);
  let flips = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const rng = new Rng(seed);
    const view = await nativeCropResizeFlip(ramp, rng, 24);
    const check = new Rng(seed);
    randomResizedCropBox(60, 60, { rng: check });
    const flipped = check.next() < 0.5;
    flips += flipped ? 1 : 0;
    const row = 12 * 24 * 3;
    const left = view.data[row];
    const right = view.data[row + 23 * 3];
    t.true(flipped ? left > right : left < right, `seed ${seed}: left ${left}, right ${right}, flipped ${flipped}`);
  }
  t.true(flips > 0 && flips < 16);
});

test('native crop + resize + flip names bad input', async (t) => {
  await t.throwsAsync(nativeCropResizeFlip(photo, new Rng(1), 0), { message: /size must be a positive integer; got 0/ });
  const grey = { data: new Uint8Array(100), height: 10, width: 10, channels: 1 };
  await t.throwsAsync(nativeCropResizeFlip(grey, new Rng(1), 8), { message: /image must be RGB uint8 \[H, W, 3\]; got 10x10x1/ });
});
