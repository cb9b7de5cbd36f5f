import test from 'ava';
import * as fs from 'node:fs';
import {
  augmentationPreset, CIFAR_NORMALIZATION, colorJitter, DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_NORMALIZATION, grayscale, IMAGENET_NORMALIZATION,
  loadFashionMnist, normalizeImage, randAugment, randAugmentOp, RAND_AUGMENT_OPS, randomGrayscale, randomResizedCrop, type HwcImage,
  autoAugmentCifar10, cutout, randomCrop, randomHorizontalFlip,
} from '../../src/data';
import { Rng } from '../../src/util/rng';

function image(H: number, W: number, C: number, f: (y: number, x: number, c: number) => number): HwcImage<Uint8Array> {
  const data = new Uint8Array(H * W * C);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) data[(y * W + x) * C + c] = f(y, x, c);
  return { data, height: H, width: W, channels: C };
}
const photo = image(40, 60, 3, (y, x, c) => (y * 5 + x * 3 + c * 70) % 256);

test('randomResizedCrop gives size x size; a full-area crop of a flat image stays flat', (t) => {
  const rng = new Rng(1);
  for (let i = 0; i < 30; i++) {
    const out = randomResizedCrop(photo, { rng, size: 24 });
    t.deepEqual([out.height, out.width, out.channels], [24, 24, 3]);
  }
  const flat = image(30, 30, 3, () => 77);
  const out = randomResizedCrop(flat, { rng, size: 16, scale: [1, 1], ratio: [1, 1] });
  t.true(out.data.every((v) => v === 77));
  // No box of ratio 100 fits in 10 tries: torchvision's fallback is the centre crop at the clamped ratio (60 x 40 -> whole width).
  const fallback = randomResizedCrop(photo, { rng, size: 8, scale: [0.01, 0.01], ratio: [100, 100] });
  t.deepEqual([fallback.height, fallback.width], [8, 8]);
});

test('colorJitter changes pixels but not shape, is seeded, and is identity when all strengths are 0', (t) => {
  const a = colorJitter(photo, { rng: new Rng(3), brightness: 0.4, contrast: 0.4, saturation: 0.4 });
  const b = colorJitter(photo, { rng: new Rng(3), brightness: 0.4, contrast: 0.4, saturation: 0.4 });
  t.deepEqual(a.data, b.data);
  t.notDeepEqual(a.data, photo.data);
  t.deepEqual(colorJitter(photo, { rng: new Rng(3) }).data, photo.data);
  t.throws(() => colorJitter(photo, { rng: new Rng(3), brightness: -1 }), { message: /brightness must be >= 0; got -1/ });
});

test('grayscale makes the three channels equal to the luma; randomGrayscale applies with p', (t) => {
  const g = grayscale(photo);
  for (let p = 0; p < 40 * 60; p++) {
    t.is(g.data[3 * p], g.data[3 * p + 1]);
    t.is(g.data[3 * p], g.data[3 * p + 2]);
    const [r, gg, b] = [photo.data[3 * p], photo.data[3 * p + 1], photo.data[3 * p + 2]];
    t.true(Math.abs(g.data[3 * p] - (0.299 * r + 0.587 * gg + 0.114 * b)) <= 1);
  }
  const rng = new Rng(8);
  let grey = 0;
  for (let i = 0; i < 500; i++) if (randomGrayscale(photo, { rng, p: 0.2 }) !== photo) grey++;
  t.true(grey > 70 && grey < 130, `${grey}/500`);
});

test('randAugment: every op runs at every level; n = 0 or p = 0 leaves the image alone; seeded', (t) => {
  for (const op of RAND_AUGMENT_OPS) {
    for (const level of [0, 5, 10]) {
      const out = randAugmentOp(photo, op, level, new Rng(level));
      t.deepEqual([out.height, out.width, out.channels], [40, 60, 3], `${op} at ${level}`);
    }
  }
  // Level 0 makes the affine and solarize ops identities; timm's enhance ops map level 0 to factor 0.1 (not identity).
  for (const op of ['Rotate', 'ShearX', 'ShearY', 'TranslateXRel', 'TranslateYRel', 'SolarizeAdd'] as const) {
    t.deepEqual(randAugmentOp(photo, op, 0, new Rng(1)).data, photo.data, op);
  }
  t.deepEqual(randAugment(photo, { rng: new Rng(1), n: 0 }).data, photo.data);
  t.deepEqual(randAugment(photo, { rng: new Rng(1), p: 0 }).data, photo.data);
  t.deepEqual(randAugment(photo, { rng: new Rng(5) }).data, randAugment(photo, { rng: new Rng(5) }).data);
  t.throws(() => randAugment(photo, { rng: new Rng(1), m: 11 }), { message: /m must be in 0..10; got 11/ });
});

test('normalisation: (v / 255 - mean) / std per channel, uint8 and float alike', (t) => {
  const px = image(1, 2, 3, (_y, x, c) => (x === 0 ? [0, 128, 255][c] : 51));
  const out = normalizeImage(px, CIFAR_NORMALIZATION);
  const expected = [0, 128, 255, 51, 51, 51].map((v, i) => (v / 255 - CIFAR_NORMALIZATION.mean[i % 3]) / CIFAR_NORMALIZATION.std[i % 3]);
  expected.forEach((e, i) => t.true(Math.abs(out[i] - e) < 1e-6));
  const asFloat = { ...px, data: Float32Array.from(px.data, (v) => v / 255) };
  normalizeImage(asFloat, CIFAR_NORMALIZATION).forEach((v, i) => t.true(Math.abs(v - expected[i]) < 1e-5));
  t.deepEqual(IMAGENET_NORMALIZATION.mean, [0.485, 0.456, 0.406]);
  t.throws(() => normalizeImage(px, FASHION_MNIST_NORMALIZATION.mean.length === 1 ? { mean: [0, 0], std: [1, 1] } : FASHION_MNIST_NORMALIZATION), { message: /must have 3 \(or 1\) means/ });
});

test('the Fashion-MNIST mean/std constants match the real training set (when installed)', (t) => {
  if (!fs.existsSync(DEBIAN_FASHION_MNIST_DIR)) {
    t.pass('dataset-fashion-mnist not installed: skipped');
    return;
  }
  const { train } = loadFashionMnist();
  let sum = 0;
  let sq = 0;
  for (const v of train.pixels) {
    sum += v;
    sq += v * v;
  }
  const n = train.pixels.length;
  const mean = sum / n / 255;
  const std = Math.sqrt(sq / n / 255 ** 2 - mean * mean);
  t.true(Math.abs(mean - FASHION_MNIST_NORMALIZATION.mean[0]) < 5e-4, `mean ${mean}`);
  t.true(Math.abs(std - FASHION_MNIST_NORMALIZATION.std[0]) < 5e-4, `std ${std}`);
});

test('presets: output sizes, seeded views that differ, names checked', (t) => {
  const cifar = augmentationPreset('cifar');
  const img = image(32, 32, 3, (y, x, c) => (y * 8 + x * 4 + c * 60) % 256);
  const v1 = cifar.augment(img, new Rng(1));
  t.deepEqual([v1.height, v1.width, v1.channels], [32, 32, 3]);
  t.deepEqual(cifar.augment(img, new Rng(1)).data, v1.data);
  t.notDeepEqual(cifar.augment(img, new Rng(2)).data, v1.data);
  const fm = augmentationPreset('fashion-mnist');
  const grey = image(28, 28, 1, (y, x) => (x > 8 && x < 20 ? 200 : 0));
  t.deepEqual([fm.augment(grey, new Rng(1)).height, fm.augment(grey, new Rng(1)).channels], [28, 1]);
  const imagenet = augmentationPreset('imagenet', { size: 16 });
  const big = image(24, 30, 3, (y, x, c) => (x * 9 + c * 40 + y) % 256);
  t.deepEqual([imagenet.augment(big, new Rng(1)).height, imagenet.augment(big, new Rng(1)).width], [16, 16]);
  t.deepEqual([imagenet.evaluate(big).height, imagenet.evaluate(big).width], [16, 16]);
  t.throws(() => augmentationPreset('mnist' as 'cifar'), { message: /name must be one of cifar, fashion-mnist, fashion-mnist-crop-flip, fashion-mnist-autoaugment, imagenet, none; got "mnist"/ });
});

test("'fashion-mnist-autoaugment': crop, flip, the CIFAR-10 AutoAugment policy and an 8 px Cutout on grey images, in that order", (t) => {
  const preset = augmentationPreset('fashion-mnist-autoaugment');
  const grey = image(28, 28, 1, (y, x) => (x * 7 + y * 3) % 256);
  // The same draws composed by hand from the preset's parts, in the documented order.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const rng = new Rng(seed);
    let expected: HwcImage = randomCrop(grey, { rng, padding: 2 });
    expected = randomHorizontalFlip(expected, { rng });
    expected = autoAugmentCifar10(expected, { rng });
    expected = cutout(expected, { rng, length: 8 });
    const view = preset.augment(grey, new Rng(seed));
    t.deepEqual([view.height, view.width, view.channels], [28, 28, 1]);
    t.deepEqual(view.data, expected.data, `seed ${seed}`);
  }
  // Stronger than the protocol's crop + flip: on a two-level image (0 and 200) crop and flip give only
  // those two values; over 200 views the policy's operations (contrast, brightness, posterize, solarize,
  // bicubic shears, grey fill...) give many others.
  const twoLevel = image(28, 28, 1, (y, x) => (x > 8 && x < 20 && y > 4 ? 200 : 0));
  const cropFlip = augmentationPreset('fashion-mnist-crop-flip');
  const values = (p: typeof preset, s: number) => new Set(Array.from(p.augment(twoLevel, new Rng(s)).data));
  const plain = new Set<number>();
  const strong = new Set<number>();
  for (let s = 0; s < 200; s++) {
    values(cropFlip, s).forEach((v) => plain.add(v));
    values(preset, s).forEach((v) => strong.add(v));
  }
  t.deepEqual([...plain].sort((a, b) => a - b), [0, 200]);
  t.true([...strong].filter((v) => !plain.has(v)).length > 20);
  t.is(preset.normalization, FASHION_MNIST_NORMALIZATION);
});
