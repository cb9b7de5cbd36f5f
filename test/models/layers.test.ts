import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { GroupedConv2D, OptionAShortcut, PaddedConv2D, PaddedMaxPool2D, ResComBatchNorm, createResComModel } from '../../src/models';
import { Rng } from '../../src/util/rng';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > tol * Math.max(1, Math.abs(b[i]))) return false;
  return true;
}

test.serial('ResComBatchNorm: training uses batch statistics and updates running ones like PyTorch (momentum 0.1, unbiased variance)', async (t) => {
  await useTestBackend();
  const layer = new ResComBatchNorm({ momentum: 0.1, epsilon: 1e-5 });
  const x = tf.tensor2d([[1, 10], [3, 10], [5, 16]]);
  tf.dispose(layer.apply(x, { training: false }) as tf.Tensor); // builds the four weights; inference leaves statistics alone
  const before = tf.memory().numTensors;
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  // Batch mean [3, 12]; biased variance [8/3, 8]; unbiased [4, 12].
  const yv = y.dataSync();
  t.true(Math.abs(yv[0] + 2 / Math.sqrt(8 / 3 + 1e-5)) < 1e-4);
  const [, , movingMean, movingVariance] = layer.getWeights().map((w) => Array.from(w.dataSync()));
  t.true(close(movingMean, [0.3, 1.2]), `${movingMean}`);
  t.true(close(movingVariance, [0.9 + 0.4, 0.9 + 1.2]), `${movingVariance}`);
  y.dispose();
  t.is(tf.memory().numTensors, before, 'training call leaks nothing');
  // Inference: (x - running mean) / sqrt(running var + eps).
  const z = tf.tidy(() => (layer.apply(x, { training: false }) as tf.Tensor).dataSync());
  t.true(Math.abs(z[0] - (1 - 0.3) / Math.sqrt(1.3 + 1e-5)) < 1e-5);
  t.true(Math.abs(z[5] - (16 - 1.2) / Math.sqrt(2.1 + 1e-5)) < 1e-4);
  t.is(tf.memory().numTensors, before);
  x.dispose();
  layer.dispose();
});

test.serial('ResComBatchNorm rejects invalid momentum and epsilon', (t) => {
  t.throws(() => new ResComBatchNorm({ momentum: 1.5 }), { message: /ResComBatchNorm: momentum must be in \[0, 1\]; got 1.5/ });
  t.throws(() => new ResComBatchNorm({ epsilon: 0 }), { message: /ResComBatchNorm: epsilon must be > 0; got 0/ });
});

test.serial('OptionAShortcut equals x[:, ::2, ::2, :] with channels zero-padded on both sides (explicit loop), odd sizes too', async (t) => {
  await useTestBackend();
  for (const [h, w] of [
    [4, 6],
    [5, 3],
  ]) {
    const c = 2;
    const values = Array.from({ length: 2 * h * w * c }, (_, i) => i + 1);
    const x = tf.tensor4d(values, [2, h, w, c]);
    const y = new OptionAShortcut({ outChannels: 6 }).apply(x) as tf.Tensor;
    const h2 = Math.ceil(h / 2);
    const w2 = Math.ceil(w / 2);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < h2; i++)
        for (let j = 0; j < w2; j++)
          for (let k = 0; k < 6; k++) expected.push(k < 2 || k >= 4 ? 0 : values[((n * h + 2 * i) * w + 2 * j) * c + (k - 2)]);
    t.deepEqual(y.shape, [2, h2, w2, 6]);
    t.deepEqual(Array.from(y.dataSync()), expected);
    tf.dispose([x, y]);
  }
});

test.serial('GroupedConv2D equals a convolution with a block-diagonal kernel', async (t) => {
  await useTestBackend();
  const groups = 2;
  const layer = new GroupedConv2D({ filters: 4, kernelSize: 3, groups, padding: 'same', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) });
  const x = tf.randomNormal([2, 5, 5, 6], 0, 1, 'float32', 2);
  const y = layer.apply(x) as tf.Tensor;
  const [kernel] = layer.getWeights(); // [3, 3, 3, 4]
  t.deepEqual(kernel.shape, [3, 3, 3, 4]);
  // Dense equivalent: input channel c (group c / 3) feeds only output channels of its group (o / 2).
  const k = kernel.arraySync() as number[][][][];
  const dense = tf.tensor4d(
    Array.from({ length: 3 }, (_, i) =>
      Array.from({ length: 3 }, (_, j) =>
        Array.from({ length: 6 }, (_, c) => Array.from({ length: 4 }, (_, o) => (Math.floor(c / 3) === Math.floor(o / 2) ? k[i][j][c % 3][o] : 0))),
      ),
    ),
  );
  const expected = tf.conv2d(x as tf.Tensor4D, dense, 1, 'same');
  t.true(close(y.dataSync(), expected.dataSync(), 1e-4));
  tf.dispose([x, y, dense, expected]);
  layer.dispose();
});

test.serial('a ResCom model saves in TF.js format and tf.loadLayersModel restores it with identical outputs', async (t) => {
  await useTestBackend();
  const net = createResComModel({ backbone: 'resnet8', inputShape: [8, 8, 3], numClasses: 3, projectionDim: 4, rng: new Rng(9) });
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3);
  // One training-mode call so that running statistics differ from their initial values.
  tf.dispose(net.model.apply(x, { training: true }) as tf.Tensor[]);
  let artifacts: tf.io.ModelArtifacts | null = null;
  await net.model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  const a = net.model.predict(x) as tf.Tensor[];
  const b = loaded.predict(x) as tf.Tensor[];
  a.forEach((out, i) => t.true(close(out.dataSync(), b[i].dataSync(), 1e-6), `output ${i}`));
  t.is(loaded.layers.filter((l) => l instanceof ResComBatchNorm).length, net.model.layers.filter((l) => l instanceof ResComBatchNorm).length);
  tf.dispose([x, ...a, ...b]);
  loaded.dispose();
  net.dispose();
});

test.serial('PaddedConv2D pads symmetrically like PyTorch (= valid conv of the zero-padded input), odd sizes and stride 2', async (t) => {
  await useTestBackend();
  const layer = new PaddedConv2D({ filters: 3, kernelSize: 3, strides: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 4 }) });
  const x = tf.randomNormal([2, 7, 8, 2], 0, 1, 'float32', 5);
  tf.dispose(layer.apply(x) as tf.Tensor); // builds the kernel
  const before = tf.memory().numTensors;
  const y = layer.apply(x) as tf.Tensor;
  const [kernel] = layer.getWeights();
  const expected = tf.conv2d(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]) as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'valid');
  t.deepEqual(y.shape, [2, 4, 4, 3]); // PyTorch: floor((7 + 2 - 3) / 2) + 1 = 4, floor((8 + 2 - 3) / 2) + 1 = 4
  t.deepEqual(layer.computeOutputShape([null, 7, 8, 2]), [null, 4, 4, 3]);
  t.true(close(y.dataSync(), expected.dataSync(), 1e-5));
  tf.dispose([y, expected]);
  t.true(tf.memory().numTensors <= before + 1, 'no leaks beyond the weight value getWeights returned');
  x.dispose();
  layer.dispose();
});

test.serial('ResComBatchNorm with residual: relu(BN(x) + shortcut) in training and inference; one input is refused', async (t) => {
  await useTestBackend();
  const fused = new ResComBatchNorm({ relu: true, residual: true, name: 'fused_tail' });
  const plain = new ResComBatchNorm({ name: 'plain_bn' });
  const x = tf.randomNormal([6, 3, 3, 4], 1, 2, 'float32', 11);
  const shortcut = tf.randomNormal([6, 3, 3, 4], 0, 1, 'float32', 12);
  tf.dispose([fused.apply([x, shortcut], { training: false }) as tf.Tensor, plain.apply(x, { training: false }) as tf.Tensor]);
  const before = tf.memory().numTensors;
  for (const training of [true, false]) {
    const got = tf.tidy(() => (fused.apply([x, shortcut], { training }) as tf.Tensor).dataSync());
    const want = tf.tidy(() => tf.relu(tf.add(plain.apply(x, { training }) as tf.Tensor, shortcut)).dataSync());
    t.true(close(got, want, 1e-5), `training ${training}`);
  }
  t.deepEqual(
    fused.getWeights().map((w) => Array.from(w.dataSync())),
    plain.getWeights().map((w) => Array.from(w.dataSync())),
    'same running statistics after one training call each',
  );
  t.is(tf.memory().numTensors, before);
  t.throws(() => fused.apply(x, { training: true }), { message: /ResComBatchNorm 'fused_tail': expected \[x, shortcut\]; got 1 inputs/ });
  tf.dispose([x, shortcut]);
  fused.dispose();
  plain.dispose();
});

test.serial('every backbone keeps its weight order (checkpoints load weights by position)', async (t) => {
  await useTestBackend();
  const file = path.join(__dirname, 'fixtures', 'weight-order.json');
  const expected = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[] | string>;
  const actual: Record<string, string[] | string> = { note: expected.note };
  for (const backbone of ['resnet8', 'resnet32', 'resnet50', 'resnext50'] as const) {
    const size = backbone.endsWith('50') ? 32 : 16;
    const net = createResComModel({ backbone, inputShape: [size, size, 3], numClasses: 4, projectionDim: 8, rng: new Rng(1) });
    // Variable names get a _<n> suffix when a name repeats in the process; the layer/weight part is what counts.
    actual[backbone] = net.model.weights.map((w) => `${w.name.replace(/_\d+$/, '')}:${w.shape.join(',')}`);
    net.dispose();
  }
  if (process.env.RESCOM_UPDATE_FIXTURES === '1') fs.writeFileSync(file, `${JSON.stringify(actual, null, 1)}\n`);
  for (const backbone of ['resnet8', 'resnet32', 'resnet50', 'resnext50']) t.deepEqual(actual[backbone], expected[backbone], backbone);
});

test.serial('PaddedMaxPool2D equals zero padding + valid max pooling on non-negative inputs (forward and gradient), odd sizes; bad sizes are refused', async (t) => {
  await useTestBackend();
  const pool = new PaddedMaxPool2D({ poolSize: 3, strides: 2, padding: 1 });
  const old = tf.sequential({
    layers: [tf.layers.zeroPadding2d({ padding: 1, inputShape: [9, 11, 4] }), tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' })],
  });
  const x = tf.relu(tf.randomNormal([2, 9, 11, 4], 0, 1, 'float32', 41));
  const r = tf.randomNormal([2, 5, 6, 4], 0, 1, 'float32', 42);
  const before = tf.memory().numTensors;
  const run = (f: (a: tf.Tensor) => tf.Tensor) =>
    tf.tidy(() => [f(x).dataSync(), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), r)))(x).dataSync()].map((v) => Array.from(v)));
  const got = run((a) => pool.apply(a) as tf.Tensor);
  const want = run((a) => old.apply(a) as tf.Tensor);
  t.deepEqual(got, want);
  t.deepEqual(pool.computeOutputShape([null, 9, 11, 4]), [null, 5, 6, 4]);
  t.is(tf.memory().numTensors, before);
  t.throws(() => new PaddedMaxPool2D({ poolSize: 3, strides: 2, padding: 2 }), { message: /PaddedMaxPool2D: padding must be an integer in 0..1; got 2/ });
  t.throws(() => new PaddedMaxPool2D({ poolSize: 0, strides: 2, padding: 0 }), { message: /PaddedMaxPool2D: poolSize must be a positive integer; got 0/ });
  tf.dispose([x, r]);
  old.dispose();
});
