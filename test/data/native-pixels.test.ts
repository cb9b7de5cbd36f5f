import test from 'ava';
import {
  affineTransform,
  applyImagenetColour,
  cropImage,
  cropResizeFlip,
  drawCropFlip,
  drawImagenetColour,
  horizontalFlip,
  nativePixels,
  pixelAddonWanted,
  pixelLoopsDescription,
  resizeImage,
  sharpness,
  useNativePixels,
  writeImagenetColour,
  type HwcImage,
  type Interpolation,
} from '../../src/data';
import { Rng } from '../../src/util/rng';

// The pixel addon exists only where a C++ compiler ran at `npm run build`; CI has one and sets
// RESCOM_REQUIRE_PIXELS=1, so there an absent addon fails instead of skipping.
const absent = nativePixels() ? null : pixelLoopsDescription();
const required = process.env.RESCOM_REQUIRE_PIXELS === '1';
const addonTest = absent && !required ? test.skip : test.serial;
const suffix = absent && !required ? ` (skipped: ${absent})` : '';

/** `run` with the JS loops, then with the addon: both results (the addon left on). */
function bothWays<T>(t: { truthy: (v: unknown, m?: string) => void }, run: () => T): { js: T; native: T } {
  t.truthy(nativePixels(), `the pixel addon: ${pixelLoopsDescription()}`);
  useNativePixels(false);
  try {
    const js = run();
    useNativePixels(true);
    return { js, native: run() };
  } finally {
    useNativePixels(true);
  }
}

/** Noise, a smooth ramp with texture, or a narrow range: the cases where rounding paths differ. */
function randomImage(r: Rng, H: number, W: number, C: number): HwcImage<Uint8Array> {
  const kind = r.int(3);
  const data = new Uint8Array(H * W * C);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        const smooth = 127 + 90 * Math.sin(x / 7 + c) * Math.cos(y / 11) + 25 * Math.sin((x + y) / 2.5);
        data[(y * W + x) * C + c] = kind === 0 ? r.int(256) : kind === 1 ? Math.max(0, Math.min(255, Math.round(smooth))) : 120 + r.int(12);
      }
    }
  }
  return { data, height: H, width: W, channels: C };
}

addonTest(`resize: the addon's crop + resize (+ flip) equals resizeImage(cropImage) (+ horizontalFlip) in JS, bit for bit, shrinking and enlarging, 1 and 3 channels${suffix}`, (t) => {
  let shrink = 0;
  let enlarge = 0;
  for (let seed = 1; seed <= 160; seed++) {
    const r = new Rng(seed);
    const C = seed % 4 === 0 ? 1 : 3;
    const H = 8 + r.int(90);
    const W = 8 + r.int(90);
    const image = randomImage(r, H, W, C);
    const boxH = 1 + r.int(H);
    const boxW = 1 + r.int(W);
    const box = { top: r.int(H - boxH + 1), left: r.int(W - boxW + 1), height: boxH, width: boxW };
    const outH = 1 + r.int(64);
    const outW = 1 + r.int(64);
    const flip = r.next() < 0.5;
    if (boxH >= outH && boxW >= outW) shrink++;
    else enlarge++;
    const addon = nativePixels()!;
    const { js, native } = bothWays(t, () => {
      if (nativePixels()) {
        const out = new Uint8Array(outH * outW * C);
        addon.resize(image.data, H, W, C, box.top, box.left, boxH, boxW, outH, outW, flip ? 1 : 0, out);
        return out;
      }
      const resized = resizeImage(cropImage(image, box), { height: outH, width: outW });
      return (flip ? horizontalFlip(resized) : resized).data;
    });
    t.deepEqual(native, js, `seed ${seed}: ${H}x${W}x${C}, box ${JSON.stringify(box)} -> ${outH}x${outW}, flip ${flip}`);
  }
  t.true(shrink > 20 && enlarge > 20, `both directions covered (${shrink} shrinking, ${enlarge} enlarging)`);
});

addonTest(`resizeImage and cropResizeFlip (the streamed view) give the same pixels with and without the addon${suffix}`, (t) => {
  const r = new Rng(7);
  const photo = randomImage(r, 300, 420, 3);
  for (let seed = 1; seed <= 40; seed++) {
    const geometry = drawCropFlip(photo.height, photo.width, new Rng(seed));
    const { js, native } = bothWays(t, () => cropResizeFlip(photo, geometry, 64).data);
    t.deepEqual(native, js, `seed ${seed}: ${JSON.stringify(geometry)}`);
  }
  const { js, native } = bothWays(t, () => resizeImage(photo, { height: 73, width: 500 }).data);
  t.deepEqual(native, js, 'resizeImage of a whole image (one side shrinking, one enlarging)');
});

addonTest(`the imagenet colour operations (tables, Color, grey, AutoContrast, Equalize, affine ops, Sharpness) give the same pixels with and without the addon${suffix}`, (t) => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 500; seed++) {
    const r = new Rng(seed * 31 + 7);
    const image = randomImage(r, 6 + r.int(30), 6 + r.int(30), 3);
    const plan = drawImagenetColour(new Rng(seed));
    for (const step of plan.randAugment) seen.add(step.op);
    const { js, native } = bothWays(t, () => {
      const batch = new Uint8Array(image.data.length + 6).fill(9);
      writeImagenetColour(image, plan, batch, 3);
      return { written: batch, applied: applyImagenetColour(image, plan).data };
    });
    t.deepEqual(native, js, `seed ${seed}: ${JSON.stringify(plan)}`);
  }
  t.is(seen.size, 15, `every RandAugment op drawn: ${[...seen].join(', ')}`);
});

addonTest(`affineTransform: the addon equals the JS warp for nearest, bilinear and bicubic, general matrices and shears, 1 to 4 channels${suffix}`, (t) => {
  const interpolations: Interpolation[] = ['nearest', 'bilinear', 'bicubic'];
  for (let seed = 1; seed <= 120; seed++) {
    const r = new Rng(seed);
    const C = 1 + (seed % 4);
    const image = randomImage(r, 4 + r.int(40), 4 + r.int(40), C);
    const interpolation = interpolations[seed % 3];
    const shear = r.int(3); // 0: a general matrix, 1: a shear along x (dy 0), 2: along y (dx 0)
    const a = r.uniform(-0.6, 0.6);
    const matrix: [number, number, number, number, number, number] =
      shear === 1 ? [1, a, r.uniform(-3, 3), 0, 1, 0] : shear === 2 ? [1, 0, 0, a, 1, r.uniform(-3, 3)] : [1 + a, r.uniform(-0.5, 0.5), r.uniform(-5, 5), r.uniform(-0.5, 0.5), 1 - a, r.uniform(-5, 5)];
    const fill = [r.int(256), r.int(256), r.int(256)];
    const { js, native } = bothWays(t, () => affineTransform(image, { matrix, interpolation, fill }).data);
    t.deepEqual(native, js, `seed ${seed}: ${interpolation}, ${C} channels, matrix ${matrix.map((v) => v.toFixed(3)).join(' ')}`);
  }
});

addonTest(`sharpness: the addon equals the JS filter and blend, factors below and above 1, 1 and 3 channels${suffix}`, (t) => {
  for (let seed = 1; seed <= 60; seed++) {
    const r = new Rng(seed);
    const image = randomImage(r, 1 + r.int(30), 1 + r.int(30), seed % 2 === 0 ? 1 : 3);
    const factor = r.uniform(0, 2);
    const { js, native } = bothWays(t, () => sharpness(image, { factor }).data);
    t.deepEqual(native, js, `seed ${seed}: ${image.height}x${image.width}x${image.channels}, factor ${factor}`);
  }
});

addonTest(`the addon names what is wrong with its arguments${suffix}`, (t) => {
  const addon = nativePixels()!;
  const src = new Uint8Array(4 * 4 * 3);
  t.throws(() => addon.resize(src, 4, 4, 3, 0, 0, 5, 4, 2, 2, 0, new Uint8Array(12)), { message: 'rescom_pixels.resize: the box must lie inside the image' });
  t.throws(() => addon.resize(src, 4, 4, 3, 0, 0, 4, 4, 2, 2, 0, new Uint8Array(11)), { message: 'rescom_pixels.resize: out must hold outH * outW * C values' });
  t.throws(() => addon.color(src, new Uint8Array(10), 1, new Uint8Array(48)), { message: 'rescom_pixels.color: tables must have 768 values (3 x 256)' });
  t.throws(() => addon.grey(new Float32Array(48) as unknown as Uint8Array, null, new Uint8Array(48)), { message: 'rescom_pixels.grey: src must be a Uint8Array' });
  t.throws(() => addon.applyTables(src, null, new Uint8Array(50), 3), { message: 'rescom_pixels.applyTables: out is too short for src at offset' });
  t.throws(() => (addon.meanLuma as unknown as (s: Uint8Array) => number)(src), { message: /rescom_pixels.meanLuma: expected \(src, tables\)/ });
});

test('RESCOM_PIXELS must be 0 or 1; the description says which loops run', (t) => {
  t.true(pixelAddonWanted({}));
  t.true(pixelAddonWanted({ RESCOM_PIXELS: '1' }));
  t.false(pixelAddonWanted({ RESCOM_PIXELS: '0' }));
  t.throws(() => pixelAddonWanted({ RESCOM_PIXELS: 'yes' }), { message: "nativePixels: RESCOM_PIXELS must be 0 or 1; got 'yes'" });
  t.regex(pixelLoopsDescription(), /^(C\+\+ \(pixel addon\)|JavaScript \(pixel addon .+\))$/);
  useNativePixels(false);
  t.regex(pixelLoopsDescription(), /^JavaScript \(pixel addon (turned off|.+)\)$/);
  useNativePixels(true);
});
