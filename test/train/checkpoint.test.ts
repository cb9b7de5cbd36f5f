import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getConfig } from '../../src/configs';
import { createResComModel } from '../../src/models';
import {
  decodeState,
  encodeState,
  fileSystemHandler,
  findCheckpoint,
  loadTrainingState,
  loadWeightsInto,
  saveCheckpoint,
} from '../../src/train';
import { writeDirAtomic } from '../../src/util/atomic-write';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';

test.before(async () => {
  await useTestBackend();
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-ckpt-'));

test.serial(
  'a ResNet-8 saved with fileSystemHandler loads with tf.loadLayersModel and predicts the same',
  async (t) => {
    const net = createResComModel({
      backbone: 'resnet8',
      inputShape: [8, 8, 1],
      numClasses: 3,
      projectionDim: 4,
      rng: new Rng(1),
    });
    const dir = path.join(tmp(), 'model');
    await net.model.save(fileSystemHandler(dir));
    t.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 3);
    const a = net.model.predict(x) as tf.Tensor[];
    const b = loaded.predict(x) as tf.Tensor[];
    for (let i = 0; i < 3; i++) t.deepEqual(Array.from(await b[i].data()), Array.from(await a[i].data()));
    // loadWeightsInto copies by position into another instance of the same architecture.
    const other = createResComModel({
      backbone: 'resnet8',
      inputShape: [8, 8, 1],
      numClasses: 3,
      projectionDim: 4,
      rng: new Rng(2),
    });
    await loadWeightsInto(other.model, dir);
    const c = other.model.predict(x) as tf.Tensor[];
    t.deepEqual(Array.from(await c[1].data()), Array.from(await a[1].data()));
    const wrong = createResComModel({
      backbone: 'resnet8',
      inputShape: [8, 8, 1],
      numClasses: 5,
      projectionDim: 4,
      rng: new Rng(2),
    });
    await t.throwsAsync(loadWeightsInto(wrong.model, dir), {
      message: /shape \[64,3\] in .* but \[64,5\] in the model/,
    });
    tf.dispose([x, ...a, ...b, ...c]);
    [net, other, wrong].forEach((n) => n.dispose());
    loaded.dispose();
  },
);

test.serial('state trees with tensors, typed arrays and non-finite numbers round-trip exactly', async (t) => {
  const before = tf.memory().numTensors;
  const tensor = tf.tensor2d([
    [1.5, -2.25],
    [Math.fround(1 / 3), 7],
  ]);
  const encoded = await encodeState({
    a: [tensor, { k: new Int32Array([3, -4]) }],
    b: Number.NaN,
    c: -Infinity,
    d: 'x',
  });
  // The JSON part goes through text, as in a checkpoint's state.json.
  const decoded = decodeState({ ...encoded, json: JSON.parse(JSON.stringify(encoded.json)) }) as {
    a: [tf.Tensor, { k: Int32Array }];
    b: number;
    c: number;
    d: string;
  };
  t.deepEqual(Array.from(await decoded.a[0].data()), Array.from(await tensor.data()));
  t.deepEqual(decoded.a[0].shape, [2, 2]);
  t.true(decoded.a[1].k instanceof Int32Array);
  t.deepEqual(Array.from(decoded.a[1].k), [3, -4]);
  t.true(Number.isNaN(decoded.b));
  t.is(decoded.c, -Infinity);
  t.is(decoded.d, 'x');
  tf.dispose([tensor, decoded.a[0]]);
  t.is(tf.memory().numTensors, before);
});

test.serial(
  'checkpoints: one folder per epoch, latest.json points to the newest, only `keep` stay, state round-trips',
  async (t) => {
    const runDir = tmp();
    const net = createResComModel({
      backbone: 'resnet8',
      inputShape: [8, 8, 1],
      numClasses: 3,
      projectionDim: 4,
      rng: new Rng(1),
    });
    const config = getConfig('fashion-mnist-lt');
    for (let epoch = 1; epoch <= 3; epoch++) {
      const buffers = [tf.fill([2], epoch)];
      await saveCheckpoint({
        runDir,
        model: net.model,
        keep: 2,
        state: {
          epoch,
          config,
          rng: [1, 2, 3, epoch],
          optimizer: { iterations: 10 * epoch, buffers },
          criterion: { queue: [[epoch]] },
          history: [],
        },
      });
      tf.dispose(buffers);
    }
    const root = path.join(runDir, 'checkpoints');
    t.deepEqual(fs.readdirSync(root).sort(), ['epoch-0002', 'epoch-0003', 'latest.json']);
    t.is(findCheckpoint(runDir), path.join(root, 'epoch-0003'));
    const state = loadTrainingState(findCheckpoint(runDir)!);
    t.is(state.epoch, 3);
    t.deepEqual(state.rng, [1, 2, 3, 3]);
    t.is(state.optimizer.iterations, 30);
    t.deepEqual(Array.from(await state.optimizer.buffers[0].data()), [3, 3]);
    t.deepEqual(state.criterion, { queue: [[3]] });
    t.deepEqual(state.config, config);
    tf.dispose(state.optimizer.buffers);
    // A temporary folder left by a crash is never taken for a checkpoint.
    fs.mkdirSync(path.join(root, '.epoch-0004.tmp-abc'));
    fs.rmSync(path.join(root, 'latest.json'));
    t.is(findCheckpoint(runDir), path.join(root, 'epoch-0003'));
    net.dispose();
  },
);

test('writeDirAtomic leaves nothing under the final name when filling fails', async (t) => {
  const parent = tmp();
  const final = path.join(parent, 'out');
  await t.throwsAsync(
    writeDirAtomic(final, async (dir) => {
      fs.writeFileSync(path.join(dir, 'half'), 'x');
      throw new Error('disk full');
    }),
    { message: 'disk full' },
  );
  t.false(fs.existsSync(final));
  t.deepEqual(fs.readdirSync(parent), []);
});
