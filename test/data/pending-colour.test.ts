import test from 'ava';
import { applyImagenetColour, applyRandAugmentOp, brightness, color, contrast, drawImagenetColour, grayscale, writeImagenetColour, type HwcImage } from '../../src/data';
import { Rng } from '../../src/util/rng';

/** The reference: each drawn operation applied alone, one pass each (the in-memory ops). */
function oneByOne(image: HwcImage<Uint8Array>, plan: ReturnType<typeof drawImagenetColour>): HwcImage<Uint8Array> {
  let out = image;
  for (const step of plan.jitter) out = step.op === 'brightness' ? brightness(out, step) : step.op === 'contrast' ? contrast(out, step) : color(out, step);
  if (plan.grey) out = grayscale(out);
  for (const step of plan.randAugment) out = applyRandAugmentOp(out, step);
  return out;
}

test('the imagenet colour operations with pending tables (applyImagenetColour, writeImagenetColour) equal the operations applied one by one, on every RandAugment op', (t) => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 600; seed++) {
    const r = new Rng(seed * 13 + 1);
    const H = 5 + r.int(20);
    const W = 5 + r.int(20);
    const kind = seed % 3; // noise, a narrow range (AutoContrast / Equalize stretch it), one saturated channel
    const data = Uint8Array.from({ length: H * W * 3 }, (_, i) => (kind === 0 ? r.int(256) : kind === 1 ? 100 + r.int(40) : i % 3 === 0 ? 200 : r.int(60)));
    const image = { data, height: H, width: W, channels: 3 };
    const plan = drawImagenetColour(new Rng(seed));
    for (const step of plan.randAugment) seen.add(step.op);
    const expected = oneByOne(image, plan).data;
    t.deepEqual(applyImagenetColour(image, plan).data, expected, `seed ${seed}`);
    const batch = new Uint8Array(H * W * 3 + 9).fill(7);
    writeImagenetColour(image, plan, batch, 5);
    t.deepEqual(batch.subarray(5, 5 + H * W * 3), expected, `seed ${seed}, written into a batch`);
    t.true(batch.subarray(0, 5).every((v) => v === 7) && batch.subarray(5 + H * W * 3).every((v) => v === 7), 'nothing written outside the view');
  }
  t.is(seen.size, 15, `every op drawn: ${[...seen].join(', ')}`);
});

test('writeImagenetColour names a batch too small for the view', (t) => {
  const image = { data: new Uint8Array(4 * 4 * 3), height: 4, width: 4, channels: 3 };
  t.throws(() => writeImagenetColour(image, drawImagenetColour(new Rng(1)), new Uint8Array(40), 0), { message: 'writeImagenetColour: out has 40 values; the view needs 48 from offset 0' });
});
