import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig } from '../../src/configs';
import { train, trainInMemory, type StepInfo } from '../../src/train';
import { useTestBackend } from '../helpers/backend';
import { tinyData, tinyModelFactory } from './tiny';

test.before(async () => {
  await useTestBackend();
});

const config = applyOverrides(getConfig('fashion-mnist-lt'), [
  ['epochs', '2'],
  ['batchSize', '6'],
  ['warmupEpochs', '1'],
  ['lr', '0.05'],
  ['projectionDim', '4'],
  ['queuePerClass', '2'],
  ['selectNumPos', '1'],
  ['selectNumNeg', '3'],
  ['seed', '11'],
]);

test.serial(
  'trainInMemory takes the same steps as train() on the same seed, writes nothing and leaks no tensors',
  async (t) => {
    const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-mem-')), 'run');
    const onDisk: StepInfo[] = [];
    const reference = await train({
      config,
      data: tinyData(),
      runDir,
      createModel: tinyModelFactory,
      progress: null,
      log: null,
      onStep: (s) => void onDisk.push(s),
    });
    const before = tf.memory().numTensors;
    const inMemory: StepInfo[] = [];
    const epochs: number[] = [];
    const result = await trainInMemory({
      config,
      data: tinyData(),
      createModel: tinyModelFactory,
      onStep: async (s) => {
        inMemory.push(s);
        await new Promise((resolve) => setTimeout(resolve, 0)); // a page yields here; the run must not change
      },
      onEpoch: (r) => void epochs.push(r.epoch),
    });
    t.deepEqual(epochs, [1, 2]);
    t.is(inMemory.length, onDisk.length);
    t.deepEqual(
      inMemory.map((s) => [s.epoch, s.step, s.learningRate, s.losses.total]),
      onDisk.map((s) => [s.epoch, s.step, s.learningRate, s.losses.total]),
      'same learning rates and losses, step by step',
    );
    t.is(result.test?.top1, reference.test?.top1);
    t.deepEqual(
      result.history.map((r) => r.loss),
      reference.history.map((r) => r.loss),
    );
    result.network.dispose();
    t.is(tf.memory().numTensors, before);
  },
);

test.serial('trainInMemory refuses a training split smaller than one batch, naming both numbers', async (t) => {
  const big = applyOverrides(config, [['batchSize', '500']]);
  await t.throwsAsync(trainInMemory({ config: big, data: tinyData(), createModel: tinyModelFactory }), {
    message: /trainInMemory: the training split has \d+ images, fewer than one batch \(batchSize 500\)/,
  });
});
