import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig } from '../../src/configs';
import {
  SHIPPED_MODELS_DIR,
  evaluateShippedModel,
  findShippedModel,
  listShippedModels,
  loadShippedModel,
  shipRun,
  train,
  trainCommandFor,
} from '../../src/train';
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
  ['seed', '5'],
  ['method', 'sbs'],
]);

test.serial(
  'shipRun -> evaluateShippedModel reproduces the recorded test results exactly and leaks no tensors',
  async (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-shipped-'));
    const runDir = path.join(root, 'run');
    const modelsDir = path.join(root, 'models');
    await t.throwsAsync(shipRun({ runDir, modelsDir }), {
      message: /shipRun: options.runDir '.*' is not a finished run/,
    });
    const data = tinyData();
    await train({ config, data, runDir, createModel: tinyModelFactory, progress: null, log: null, stopAfterEpochs: 1 });
    await t.throwsAsync(
      shipRun({ runDir, modelsDir }),
      { message: /not a finished run/ },
      'an interrupted run is not shipped',
    );
    await train({ config, data, runDir, createModel: tinyModelFactory, progress: null, log: null, resume: true });
    const shipped = await shipRun({ runDir, modelsDir });
    t.is(shipped.id, 'fashion-mnist-lt/sbs-s5');
    t.is(shipped.recorded.epochs, 2);
    t.deepEqual(
      listShippedModels(modelsDir).map((m) => m.id),
      ['fashion-mnist-lt/sbs-s5'],
    );
    const before = tf.memory().numTensors;
    const evaluation = await evaluateShippedModel({
      modelsDir,
      config: 'fashion-mnist-lt',
      method: 'sbs',
      seed: 5,
      data,
    });
    t.is(tf.memory().numTensors, before);
    t.true(evaluation.reproduced, evaluation.differences.join(', '));
    t.is(evaluation.summary.top1, shipped.recorded.top1);
    const { model } = await loadShippedModel({ modelsDir, config: 'fashion-mnist-lt', method: 'sbs', seed: 5 });
    t.is(model.outputs.length, 3, 'outputs [features, logits, projections]');
    model.dispose();
    // Shipping again replaces the copy (no leftovers).
    await shipRun({ runDir, modelsDir });
    t.deepEqual(fs.readdirSync(path.join(modelsDir, 'fashion-mnist-lt')), ['sbs-s5']);
    t.throws(() => findShippedModel({ modelsDir, config: 'fashion-mnist-lt', method: 'rescom', seed: 5 }), {
      message: /no shipped model fashion-mnist-lt\/rescom-s5 .*shipped: fashion-mnist-lt\/sbs-s5/,
    });
    fs.rmSync(root, { recursive: true, force: true });
  },
);

test('trainCommandFor names the config, method, seed and every field that differs from the named config', (t) => {
  t.is(
    trainCommandFor(getConfig('fashion-mnist-lt-ref')),
    'npx rescom train --config fashion-mnist-lt-ref --method rescom --seed 0 --run-dir runs/fashion-mnist-lt-ref-rescom-s0',
  );
  const c = applyOverrides(getConfig('fashion-mnist-lt-ref'), [
    ['method', 'balsfx'],
    ['seed', '2'],
    ['epochs', '8'],
  ]);
  t.is(
    trainCommandFor(c),
    'npx rescom train --config fashion-mnist-lt-ref --method balsfx --seed 2 --set epochs=8 --run-dir runs/fashion-mnist-lt-ref-balsfx-s2',
  );
  t.true(SHIPPED_MODELS_DIR.endsWith(`${path.sep}models`));
  // A config read back from a saved file carries its format stamp; it is not a field to set.
  t.is(
    trainCommandFor({ ...getConfig('fashion-mnist-lt-ref'), method: 'sbs', version: 3 } as never),
    'npx rescom train --config fashion-mnist-lt-ref --method sbs --seed 0 --run-dir runs/fashion-mnist-lt-ref-sbs-s0',
  );
});

test('every model shipped in the repository passes its checksums and names its train command', async (t) => {
  const shipped = listShippedModels();
  for (const m of shipped) {
    const { model } = await loadShippedModel({ config: m.config.name, method: m.method, seed: m.seed });
    model.dispose();
    t.regex(m.trainCommand, new RegExp(`--method ${m.method} --seed ${m.seed}`));
  }
  t.pass(`${shipped.length} shipped model(s) checked`);
});
