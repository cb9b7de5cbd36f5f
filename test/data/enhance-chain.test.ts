import test from 'ava';
import { brightness, color, colorJitter, contrast, enhanceChain, type EnhanceStep, type HwcImage } from '../../src/data';
import { Rng } from '../../src/util/rng';

const H = 23;
const W = 31;
const photo: HwcImage<Uint8Array> = { data: new Uint8Array(H * W * 3).map((_, i) => (i * 37 + ((i * i) >> 5)) % 256), height: H, width: W, channels: 3 };

/** The reference: each Pillow-matching op applied on its own, in order. */
function oneByOne(image: HwcImage<Uint8Array>, steps: EnhanceStep[]): HwcImage<Uint8Array> {
  let out = image;
  for (const s of steps) out = s.op === 'brightness' ? brightness(out, s) : s.op === 'contrast' ? contrast(out, s) : color(out, s);
  return out;
}

test('enhanceChain gives the values of brightness / contrast / color applied one by one, in every order, runs and repeats included', (t) => {
  const rng = new Rng(5);
  const ops: EnhanceStep['op'][] = ['brightness', 'contrast', 'color'];
  for (let trial = 0; trial < 60; trial++) {
    const steps: EnhanceStep[] = Array.from({ length: 1 + rng.int(4) }, () => ({ op: ops[rng.int(3)], factor: rng.uniform(0, 2.2) }));
    t.deepEqual(enhanceChain(photo, steps).data, oneByOne(photo, steps).data, JSON.stringify(steps));
  }
  // Hand case: brightness 0 makes black, whatever follows; contrast then has mean 0.
  const black = enhanceChain(photo, [{ op: 'brightness', factor: 0 }, { op: 'contrast', factor: 1.5 }]);
  t.true(black.data.every((v) => v === 0));
  // The input is never modified, and an empty chain copies.
  const before = photo.data.slice();
  const copy = enhanceChain(photo, []);
  t.deepEqual(photo.data, before);
  t.not(copy.data, photo.data);
  t.deepEqual(copy.data, photo.data);
  t.throws(() => enhanceChain({ ...photo, data: new Uint8Array(H * W), channels: 1 }, []), { message: /enhanceChain: image must be RGB uint8; got 1 channels/ });
});

test('colorJitter on RGB uint8 (through enhanceChain) equals the ops one by one with the same draws', (t) => {
  for (let seed = 1; seed <= 30; seed++) {
    const got = colorJitter(photo, { rng: new Rng(seed), brightness: 0.4, contrast: 0.4, saturation: 0.4 });
    const rng = new Rng(seed);
    const steps: EnhanceStep[] = [];
    for (const part of rng.permutation(4)) {
      if (part < 3) steps.push({ op: (['brightness', 'contrast', 'color'] as const)[part], factor: rng.uniform(0.6, 1.4) });
    }
    t.deepEqual(got.data, oneByOne(photo, steps).data, `seed ${seed}`);
  }
});
