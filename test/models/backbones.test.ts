import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestBackend } from '../helpers/backend';
import { BACKBONES, buildBackbone, countParameters, createResComModel, type BackboneName } from '../../src/models';
import { Rng } from '../../src/util/rng';

/** Counts from the PyTorch reference models (bench/pytorch/param_counts.py). */
const reference = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'param-counts.json'), 'utf8')) as {
  backbones: Record<BackboneName, { parameters: number; featureDim: number }>;
  networks: { backbone: BackboneName; inChannels: number; numClasses: number; projectionDim: number; parameters: number }[];
};

function backboneParameters(name: BackboneName, inputShape: [number, number, number]): { parameters: number; featureDim: number } {
  const { input, features } = buildBackbone({ backbone: name, inputShape, rng: new Rng(1) });
  const model = tf.model({ inputs: input, outputs: features });
  const parameters = countParameters(model);
  model.dispose();
  return { parameters, featureDim: features.shape[1] as number };
}

for (const name of ['resnet8', 'resnet20', 'resnet32', 'resnet44', 'resnet56'] as const) {
  test.serial(`${name} backbone has the reference parameter count`, async (t) => {
    await useTestBackend();
    const { parameters, featureDim } = backboneParameters(name, [32, 32, 3]);
    t.is(parameters, reference.backbones[name].parameters);
    t.is(featureDim, BACKBONES[name].featureDim);
  });
}

test.serial('ResNet-32 has about 0.46M parameters (He et al. 2016, Table 6)', async (t) => {
  await useTestBackend();
  const n = backboneParameters('resnet32', [32, 32, 3]).parameters;
  t.true(n > 0.455e6 && n < 0.47e6, `${n}`);
});

// ImageNet models on tiny inputs only: parameters do not depend on the image size.
for (const name of ['resnet50', 'resnext50'] as const) {
  test.serial(`${name} backbone has the torchvision parameter count (without fc)`, async (t) => {
    await useTestBackend();
    const before = tf.memory().numTensors;
    const { parameters, featureDim } = backboneParameters(name, [32, 32, 3]);
    t.is(parameters, reference.backbones[name].parameters);
    t.is(featureDim, BACKBONES[name].featureDim);
    t.is(tf.memory().numTensors, before, 'dispose frees every weight');
  });
}

for (const ref of reference.networks) {
  test.serial(`ResCom network ${ref.backbone} (${ref.inChannels} ch, ${ref.numClasses} classes, dCon ${ref.projectionDim}) matches the reference count`, async (t) => {
    await useTestBackend();
    const size = ref.inChannels === 1 ? 28 : 32;
    const net = createResComModel({
      backbone: ref.backbone,
      inputShape: [size, size, ref.inChannels],
      numClasses: ref.numClasses,
      projectionDim: ref.projectionDim,
      rng: new Rng(2),
    });
    t.is(countParameters(net.model), ref.parameters);
    net.dispose();
  });
}

test.serial('createResComModel outputs features, logits and projections with the documented shapes', async (t) => {
  await useTestBackend();
  const before = tf.memory().numTensors;
  const net = createResComModel({ backbone: 'resnet8', inputShape: [28, 28, 1], numClasses: 7, projectionDim: 16, rng: new Rng(3) });
  t.is(net.featureDim, 64);
  t.is(net.numClasses, 7);
  t.is(net.projectionDim, 16);
  t.is(net.backbone, 'resnet8');
  const shapes = tf.tidy(() => {
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 5);
    const inference = (net.model.predict(x) as tf.Tensor[]).map((o) => o.shape);
    const training = (net.model.apply(x, { training: true }) as tf.Tensor[]).map((o) => o.shape);
    return { inference, training };
  });
  t.deepEqual(shapes.inference, [
    [3, 64],
    [3, 7],
    [3, 16],
  ]);
  t.deepEqual(shapes.training, shapes.inference);
  net.dispose();
  t.is(tf.memory().numTensors, before);
});

test.serial('the same seed gives the same weights; another seed different ones', async (t) => {
  await useTestBackend();
  const build = (seed: number) => createResComModel({ backbone: 'resnet8', inputShape: [8, 8, 3], numClasses: 3, projectionDim: 4, rng: new Rng(seed) });
  const [a, b, c] = [build(7), build(7), build(8)];
  const values = (n: typeof a) => n.model.getWeights().map((w) => Array.from(w.dataSync()));
  const [va, vb, vc] = [values(a), values(b), values(c)];
  t.deepEqual(va, vb);
  t.notDeepEqual(va[0], vc[0]);
  [a, b, c].forEach((n) => n.dispose());
});

test.serial('conv kernels are Kaiming normal (std sqrt(2 / fan_in)), BatchNorm starts at gamma 1, beta 0', async (t) => {
  await useTestBackend();
  const net = createResComModel({ backbone: 'resnet20', inputShape: [32, 32, 3], numClasses: 10, projectionDim: 32, rng: new Rng(4) });
  const kernel = net.model.getLayer('stage3_block2_conv1').getWeights()[0]; // [3, 3, 64, 64]
  const v = Array.from(kernel.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  const expected = Math.sqrt(2 / (3 * 3 * 64));
  t.true(Math.abs(std - expected) / expected < 0.03, `std ${std} vs ${expected}`);
  t.true(Math.abs(mean) < 0.01 * expected * 10);
  const [gamma, beta, movingMean, movingVariance] = net.model.getLayer('stage3_block2_bn1').getWeights().map((w) => Array.from(w.dataSync()));
  t.true(gamma.every((g) => g === 1) && beta.every((b) => b === 0));
  t.true(movingMean.every((m) => m === 0) && movingVariance.every((m) => m === 1));
  net.dispose();
});

test.serial('invalid options are errors naming the function and argument', async (t) => {
  await useTestBackend();
  const rng = new Rng(1);
  t.throws(() => createResComModel({ backbone: 'vgg' as BackboneName, inputShape: [8, 8, 3], numClasses: 3, projectionDim: 4, rng }), {
    message: /buildBackbone: backbone must be one of .*got 'vgg'/,
  });
  t.throws(() => createResComModel({ backbone: 'resnet8', inputShape: [8, 8] as never, numClasses: 3, projectionDim: 4, rng }), {
    message: /inputShape must be \[H, W, C\]/,
  });
  t.throws(() => createResComModel({ backbone: 'resnet8', inputShape: [8, 8, 3], numClasses: 1, projectionDim: 4, rng }), {
    message: /createResComModel: numClasses must be an integer >= 2; got 1/,
  });
});
