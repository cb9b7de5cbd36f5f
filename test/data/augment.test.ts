import test from 'ava';
import {
  affineTransform, autoAugmentCifar10, applySubPolicy, autoAugmentOp, AUTOAUGMENT_RANGES, CIFAR10_POLICY, cutout, horizontalFlip,
  invert, randomCrop, randomHorizontalFlip, rotate, translateX, type HwcImage,
} from '../../src/data';
import { Rng } from '../../src/util/rng';

/** H x W x C image whose value at (y, x, c) is `f(y, x, c)`. */
function image(H: number, W: number, C: number, f: (y: number, x: number, c: number) => number): HwcImage<Uint8Array> {
  const data = new Uint8Array(H * W * C);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) data[(y * W + x) * C + c] = f(y, x, c);
  return { data, height: H, width: W, channels: C };
}
const at = (img: HwcImage, y: number, x: number, c = 0) => img.data[(y * img.width + x) * img.channels + c];
const ramp = image(6, 7, 3, (y, x, c) => 1 + y * 30 + x * 4 + c);

test('horizontalFlip mirrors columns and is its own inverse; float images too', (t) => {
  const flipped = horizontalFlip(ramp);
  for (let y = 0; y < 6; y++) for (let x = 0; x < 7; x++) for (let c = 0; c < 3; c++) t.is(at(flipped, y, x, c), at(ramp, y, 6 - x, c));
  t.deepEqual(horizontalFlip(flipped).data, ramp.data);
  const f = { data: Float32Array.from([0.1, 0.2, 0.3]), height: 1, width: 3, channels: 1 };
  t.deepEqual(Array.from(horizontalFlip(f).data), Array.from(Float32Array.from([0.3, 0.2, 0.1])));
  let flips = 0;
  const rng = new Rng(5);
  for (let i = 0; i < 400; i++) if (randomHorizontalFlip(ramp, { rng }) !== ramp) flips++;
  t.true(flips > 160 && flips < 240, `p = 0.5 flips about half: ${flips}/400`);
});

test('randomCrop keeps the size and shows a shifted window of the zero-padded image', (t) => {
  const rng = new Rng(11);
  const offsets = new Set<string>();
  for (let trial = 0; trial < 200; trial++) {
    const out = randomCrop(ramp, { rng, padding: 2 });
    t.deepEqual([out.height, out.width, out.channels], [6, 7, 3]);
    // Find the shift (dy, dx) in -2..2 that explains every pixel: out(y, x) = in(y + dy, x + dx) or 0 outside.
    let found = '';
    for (let dy = -2; dy <= 2 && !found; dy++) {
      for (let dx = -2; dx <= 2 && !found; dx++) {
        let ok = true;
        for (let y = 0; y < 6 && ok; y++) for (let x = 0; x < 7 && ok; x++) {
          const sy = y + dy;
          const sx = x + dx;
          const expected = sy < 0 || sy >= 6 || sx < 0 || sx >= 7 ? 0 : at(ramp, sy, sx, 1);
          ok = at(out, y, x, 1) === expected;
        }
        if (ok) found = `${dy},${dx}`;
      }
    }
    t.truthy(found, 'the crop is a shifted window');
    offsets.add(found);
  }
  t.is(offsets.size, 25, 'all 5 x 5 shifts occur');
});

test('cutout zeroes one clipped square of side `length` and nothing else', (t) => {
  const bright = image(20, 20, 3, () => 200);
  const rng = new Rng(3);
  for (let trial = 0; trial < 50; trial++) {
    const out = cutout(bright, { rng, length: 8 });
    let minY = 99, maxY = -1, minX = 99, maxX = -1, zeros = 0;
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) {
      if (at(out, y, x, 0) === 0) {
        zeros++;
        minY = Math.min(minY, y); maxY = Math.max(maxY, y); minX = Math.min(minX, x); maxX = Math.max(maxX, x);
        t.is(at(out, y, x, 2), 0, 'all channels');
      } else t.is(at(out, y, x, 0), 200);
    }
    t.is(zeros, (maxY - minY + 1) * (maxX - minX + 1), 'the zeros form a rectangle');
    t.true(maxY - minY + 1 <= 8 && maxX - minX + 1 <= 8, 'at most length x length');
    const inner = minY > 0 && maxY < 19 && minX > 0 && maxX < 19;
    if (inner) t.is(zeros, 64, 'a hole away from the border is a full 8 x 8 square');
  }
  t.is(bright.data.indexOf(0), -1, 'the input is untouched');
});

test('invert inverts; translate and rotate 90 degrees move pixels where expected', (t) => {
  const inv = invert(ramp);
  for (let i = 0; i < ramp.data.length; i++) t.is(inv.data[i], 255 - ramp.data[i]);
  const square = image(5, 5, 1, (y, x) => 10 * y + x + 1);
  const shifted = translateX(square, { pixels: 2, fill: [0] });
  t.is(at(shifted, 3, 0), at(square, 3, 2));
  t.is(at(shifted, 3, 3), 0, 'content moved left; the right edge is filled');
  const rot = rotate(square, { degrees: 90 });
  // PIL rotates counter-clockwise: the top row becomes the left column (read bottom to top).
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) t.is(at(rot, y, x), at(square, x, 4 - y), `(${y}, ${x})`);
  const identity = affineTransform(square, { matrix: [1, 0, 0, 0, 1, 0], interpolation: 'bilinear' });
  t.deepEqual(identity.data, square.data);
});

test('the CIFAR-10 policy has the 25 published sub-policies over 13 operations (all but shearX)', (t) => {
  t.is(CIFAR10_POLICY.length, 25);
  const ops = new Set(CIFAR10_POLICY.flatMap((p) => [p[1], p[4]]));
  t.deepEqual([...ops].sort(), Object.keys(AUTOAUGMENT_RANGES).filter((op) => op !== 'shearX').sort());
  t.deepEqual(CIFAR10_POLICY[0], [0.1, 'invert', 7, 0.2, 'contrast', 6]);
  t.deepEqual(CIFAR10_POLICY[24], [0.7, 'translateY', 9, 0.9, 'autocontrast', 1]);
  t.deepEqual(AUTOAUGMENT_RANGES.posterize, [8, 8, 7, 7, 6, 6, 5, 5, 4, 4]);
  t.is(AUTOAUGMENT_RANGES.solarize[9], 0);
  t.is(AUTOAUGMENT_RANGES.rotate[9], 30);
});

test('every sub-policy runs on uint8 and float images, keeps the shape, and is seed-deterministic', (t) => {
  const img = image(12, 10, 3, (y, x, c) => (y * 19 + x * 23 + c * 50) % 256);
  const asFloat: HwcImage<Float32Array> = { ...img, data: Float32Array.from(img.data, (v) => v / 255) };
  for (let index = 0; index < 25; index++) {
    for (let seed = 0; seed < 4; seed++) {
      const a = applySubPolicy(img, { index, rng: new Rng(seed) });
      const b = applySubPolicy(img, { index, rng: new Rng(seed) });
      t.deepEqual(a.data, b.data);
      t.deepEqual([a.height, a.width, a.channels], [12, 10, 3]);
      t.true(a.data instanceof Uint8Array);
      const f = applySubPolicy(asFloat, { index, rng: new Rng(seed) });
      t.true(f.data instanceof Float32Array);
      for (let i = 0; i < f.data.length; i += 17) t.true(Math.abs(f.data[i] * 255 - a.data[i]) < 1e-3, 'float path = uint8 path');
    }
  }
});

test('a sub-policy applies its operations with their probabilities', (t) => {
  // Sub-policy 14: solarize p 0.5 (magnitude 2: threshold 199), invert p 0.0.
  const img = image(4, 4, 3, () => 220);
  let solarized = 0;
  const rng = new Rng(9);
  for (let i = 0; i < 1000; i++) {
    const out = applySubPolicy(img, { index: 14, rng });
    if (out.data[0] === 35) solarized++;
    else t.is(out.data[0], 220);
  }
  t.true(solarized > 440 && solarized < 560, `applied ${solarized}/1000 times`);
  // Operation magnitudes: solarize index 2 is threshold 256 - 2 * 256 / 9.
  const u = autoAugmentOp(image(1, 1, 1, () => 199), 'solarize', 2, new Rng(1));
  const threshold = 256 - (2 * 256) / 9;
  t.is(u.data[0], 199 >= threshold ? 56 : 199);
});

test('autoAugmentCifar10 is seed-deterministic and validates operations', (t) => {
  const img = image(8, 8, 3, (y, x) => y * 8 + x);
  t.deepEqual(autoAugmentCifar10(img, { rng: new Rng(42) }).data, autoAugmentCifar10(img, { rng: new Rng(42) }).data);
  t.throws(() => autoAugmentOp(img, 'blur' as 'invert', 1, new Rng(1)), { message: /op must be one of/ });
  t.throws(() => autoAugmentOp(img, 'invert', 10, new Rng(1)), { message: /magnitude must be an integer in 0..9; got 10/ });
});
