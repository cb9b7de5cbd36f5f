import test from 'ava';
import { syntheticClassImages } from '../../src/data/synthetic-images';
import { prepareTrainingData } from '../../src/train/data-for-config';
import { applyOverrides, getConfig } from '../../src/configs';
import { longTailedClassCounts } from '../../src/data/imbalance';
import { Rng } from '../../src/util/rng';

test('syntheticClassImages: shape, labels in class order, seeded', (t) => {
  const set = syntheticClassImages({ numClasses: 3, perClass: [4, 2, 0], height: 5, width: 6, channels: 3, rng: new Rng(1) });
  t.is(set.pixels.length, 6 * 5 * 6 * 3);
  t.deepEqual(Array.from(set.labels), [0, 0, 0, 0, 1, 1]);
  t.is(set.numClasses, 3);
  const again = syntheticClassImages({ numClasses: 3, perClass: [4, 2, 0], height: 5, width: 6, channels: 3, rng: new Rng(1) });
  t.deepEqual(again.pixels, set.pixels);
  const other = syntheticClassImages({ numClasses: 3, perClass: [4, 2, 0], height: 5, width: 6, channels: 3, rng: new Rng(2) });
  t.notDeepEqual(other.pixels, set.pixels);
  t.throws(() => syntheticClassImages({ numClasses: 3, perClass: [1, 2], height: 5, width: 6, channels: 3, rng: new Rng(1) }), { message: /perClass must have 3 entries/ });
  t.throws(() => syntheticClassImages({ numClasses: 3, perClass: 1, height: 0, width: 6, channels: 3, rng: new Rng(1) }), { message: /height must be a positive integer; got 0/ });
});

test('syntheticClassImages: classes are separable (nearest class mean on the generated set)', (t) => {
  const size = 8 * 8 * 3;
  const fit = syntheticClassImages({ numClasses: 5, perClass: 20, height: 8, width: 8, channels: 3, rng: new Rng(3) });
  const means = Array.from({ length: 5 }, (_, c) => {
    const m = new Float64Array(size);
    for (let i = 0; i < fit.labels.length; i++) if (fit.labels[i] === c) for (let p = 0; p < size; p++) m[p] += fit.pixels[i * size + p] / 20;
    return m;
  });
  let correct = 0;
  for (let i = 0; i < fit.labels.length; i++) {
    const d = means.map((m) => m.reduce((s, v, p) => s + (v - fit.pixels[i * size + p]) ** 2, 0));
    if (d.indexOf(Math.min(...d)) === fit.labels[i]) correct++;
  }
  t.true(correct / fit.labels.length > 0.95, `nearest-mean accuracy ${correct / fit.labels.length}`);
});

test('prepareTrainingData with a source: the CIFAR-10-LT config draws its long-tailed subset from the stand-in', async (t) => {
  const config = applyOverrides(getConfig('cifar10-lt-if100'), [['nMax', '200']]);
  const source = {
    train: syntheticClassImages({ numClasses: 10, perClass: 200, height: 32, width: 32, channels: 3, rng: new Rng(4) }),
    test: syntheticClassImages({ numClasses: 10, perClass: 5, height: 32, width: 32, channels: 3, rng: new Rng(5) }),
  };
  const data = await prepareTrainingData(config, { source });
  const wanted = longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 200, imbalanceFactor: 100 });
  const total = data.classCounts.map((n, c) => n + (data.val ? Array.from(data.val.labels).filter((y) => y === c).length : 0));
  t.deepEqual(total, Array.from(wanted));
  t.is(data.test!.labels.length, 50);
  t.deepEqual(data.evalImages(data.test!).shape, [50, 32, 32, 3]);
});
