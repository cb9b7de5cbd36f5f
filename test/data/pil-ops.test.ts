// The PIL-style operations against Pillow 9.4's own output (fixture: test/fixtures/data/make_pil_fixtures.py).
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  autoContrast, brightness, color, contrast, equalize, grayscale, invert, posterize, resizeImage, rotate,
  sharpness, shearX, shearY, solarize, translateX, translateY, type HwcImage,
} from '../../src/data';

interface Fixture {
  height: number;
  width: number;
  channels: number;
  input: number[];
  cases: Record<string, { height: number; width: number; data: number[] }>;
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/data/pil-ops.json'), 'utf8')) as Fixture;
const input: HwcImage<Uint8Array> = { data: Uint8Array.from(fixture.input), height: fixture.height, width: fixture.width, channels: 3 };
const GREY = [128, 128, 128];

const ops: Record<string, [(img: HwcImage<Uint8Array>) => HwcImage, number]> = {
  // [operation, largest allowed difference per value]: 0 = bit-exact with Pillow.
  invert: [(i) => invert(i), 0],
  solarize_128: [(i) => solarize(i, { threshold: 128 }), 0],
  solarize_77: [(i) => solarize(i, { threshold: 77 }), 0],
  posterize_3: [(i) => posterize(i, { bits: 3 }), 0],
  posterize_6: [(i) => posterize(i, { bits: 6 }), 0],
  autocontrast: [(i) => autoContrast(i), 0],
  equalize: [(i) => equalize(i), 0],
  'brightness_1.3': [(i) => brightness(i, { factor: 1.3 }), 0],
  'brightness_0.4': [(i) => brightness(i, { factor: 0.4 }), 0],
  'color_1.7': [(i) => color(i, { factor: 1.7 }), 0],
  'color_0.2': [(i) => color(i, { factor: 0.2 }), 0],
  'contrast_1.5': [(i) => contrast(i, { factor: 1.5 }), 0],
  'contrast_0.3': [(i) => contrast(i, { factor: 0.3 }), 0],
  'sharpness_1.9': [(i) => sharpness(i, { factor: 1.9 }), 0],
  'sharpness_0.1': [(i) => sharpness(i, { factor: 0.1 }), 0],
  grayscale: [(i) => grayscale(i), 0],
  'shearX_0.3_bilinear': [(i) => shearX(i, { factor: 0.3, fill: GREY, interpolation: 'bilinear' }), 0],
  'shearY_-0.2_bilinear': [(i) => shearY(i, { factor: -0.2, fill: GREY, interpolation: 'bilinear' }), 0],
  'shearX_0.3': [(i) => shearX(i, { factor: 0.3, fill: GREY }), 0],
  'shearY_-0.2': [(i) => shearY(i, { factor: -0.2, fill: GREY }), 0],
  'translateX_3.4': [(i) => translateX(i, { pixels: 3.4, fill: GREY }), 0],
  'translateY_-2.6': [(i) => translateY(i, { pixels: -2.6, fill: GREY }), 0],
  rotate_17: [(i) => rotate(i, { degrees: 17, fill: GREY }), 0],
  'rotate_-30': [(i) => rotate(i, { degrees: -30, fill: GREY }), 0],
  resize_5x7: [(i) => resizeImage(i, { height: 5, width: 7 }), 1],
  resize_15x18: [(i) => resizeImage(i, { height: 15, width: 18 }), 1],
};

for (const [name, [op, tolerance]] of Object.entries(ops)) {
  test(`${name} matches Pillow${tolerance ? ` within ${tolerance}` : ' exactly'}`, (t) => {
    const expected = fixture.cases[name];
    t.truthy(expected, `fixture case ${name}`);
    const before = input.data.slice();
    const out = op(input);
    t.deepEqual(input.data, before, 'the input is not modified');
    t.is(out.height, expected.height);
    t.is(out.width, expected.width);
    let worst = 0;
    let mismatches = 0;
    for (let i = 0; i < expected.data.length; i++) {
      const d = Math.abs(out.data[i] - expected.data[i]);
      worst = Math.max(worst, d);
      if (d > 0) mismatches++;
    }
    t.true(worst <= tolerance, `${name}: largest difference ${worst} (${mismatches} values differ)`);
  });
}

test('every fixture case is checked', (t) => {
  t.deepEqual(Object.keys(fixture.cases).sort(), Object.keys(ops).sort());
});
