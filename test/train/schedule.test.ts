import test from 'ava';
import { learningRateAt } from '../../src/train/schedule';

const at = (s: Parameters<typeof learningRateAt>[0], epoch: number, step: number, stepsPerEpoch = 4) =>
  learningRateAt(s, { epoch, step, stepsPerEpoch });

test('linear warm-up rises step by step to the peak, then the step schedule multiplies by 0.1 and 0.01', (t) => {
  const s = {
    lr: 0.1,
    epochs: 10,
    warmupEpochs: 2,
    schedule: 'step' as const,
    stepEpochs: [6, 8],
    stepFactors: [0.1, 0.01],
  };
  // 2 warm-up epochs of 4 steps: 0.1 * k / 8 for k = 1..8 (hand-computed).
  const warm = [0, 1].flatMap((e) => [0, 1, 2, 3].map((st) => at(s, e, st)));
  t.deepEqual(
    warm.map((v) => +v.toFixed(10)),
    [0.0125, 0.025, 0.0375, 0.05, 0.0625, 0.075, 0.0875, 0.1],
  );
  t.is(at(s, 2, 0), 0.1);
  t.is(at(s, 5, 3), 0.1);
  t.is(+at(s, 6, 0).toFixed(12), 0.01);
  t.is(+at(s, 7, 3).toFixed(12), 0.01);
  t.is(+at(s, 8, 0).toFixed(12), 0.001);
  t.is(+at(s, 9, 3).toFixed(12), 0.001);
});

test("the paper's CIFAR schedule: 0.1 until epoch 320, 0.01 from 320, 0.001 from 360", (t) => {
  const s = {
    lr: 0.1,
    epochs: 400,
    warmupEpochs: 10,
    schedule: 'step' as const,
    stepEpochs: [320, 360],
    stepFactors: [0.1, 0.01],
  };
  t.is(at(s, 319, 3), 0.1);
  t.true(Math.abs(at(s, 320, 0) - 0.01) < 1e-12);
  t.true(Math.abs(at(s, 360, 0) - 0.001) < 1e-12);
});

test('cosine decays from lr after warm-up to lr * minLrFactor at the last step', (t) => {
  const s = { lr: 0.2, epochs: 5, warmupEpochs: 1, schedule: 'cosine' as const, minLrFactor: 0.01 };
  t.is(at(s, 1, 0), 0.2);
  t.true(Math.abs(at(s, 4, 3) - 0.002) < 1e-12);
  // 16 post-warm-up steps; the middle of the cosine (progress 1/2, i.e. step 7.5) is the mean of both ends.
  const step7 = at(s, 1 + Math.floor(7 / 4), 7 % 4);
  const expected7 = 0.002 + 0.5 * (0.2 - 0.002) * (1 + Math.cos((Math.PI * 7) / 15));
  t.true(Math.abs(step7 - expected7) < 1e-12);
  for (let g = 4; g < 19; g++) t.true(at(s, Math.floor(g / 4), g % 4) >= at(s, Math.floor((g + 1) / 4), (g + 1) % 4));
});

test('bad positions and mismatched step lists are errors naming the argument', (t) => {
  const s = { lr: 0.1, epochs: 3 };
  t.throws(() => at(s, 0, 4), { message: /position .*step/ });
  t.throws(() => learningRateAt(s, { epoch: 0, step: 0, stepsPerEpoch: 0 }), { message: /stepsPerEpoch/ });
  t.throws(() => at({ ...s, stepEpochs: [1], stepFactors: [] }, 0, 0), { message: /same length/ });
});
