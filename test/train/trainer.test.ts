import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { METHOD_NAMES, applyOverrides, getConfig, type ExperimentConfig } from '../../src/configs';
import { METHODS } from '../../src/losses/methods';
import {
  defaultCriterionFactory,
  fileSystemHandler,
  findCheckpoint,
  readJsonl,
  train,
  type CriterionFactoryOptions,
  type TrainOptions,
} from '../../src/train';
import { currentBackend } from '../../src/backend';
import { useTestBackend } from '../helpers/backend';
import { tinyData, tinyModelFactory } from './tiny';

test.before(async () => {
  await useTestBackend();
});

function tinyConfig(overrides: Array<[string, string]> = []): ExperimentConfig {
  return applyOverrides(getConfig('fashion-mnist-lt'), [
    ['epochs', '3'],
    ['batchSize', '6'],
    ['warmupEpochs', '1'],
    ['lr', '0.05'],
    ['projectionDim', '4'],
    ['queuePerClass', '2'],
    ['selectNumPos', '1'],
    ['selectNumNeg', '3'],
    ['seed', '7'],
    ...overrides,
  ]);
}

function tmpRun(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-train-')), name);
}

function options(config: ExperimentConfig, runDir: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return { config, data: tinyData(), runDir, createModel: tinyModelFactory, progress: null, log: null, ...extra };
}

async function checkpointWeights(runDir: string): Promise<Float32Array[]> {
  const model = await tf.loadLayersModel(fileSystemHandler(findCheckpoint(runDir)!));
  const values = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  model.dispose();
  return values;
}

test.serial(
  'a run logs every epoch, checkpoints a loadable model, evaluates the test set once and leaks no tensors',
  async (t) => {
    const runDir = tmpRun('full');
    const before = tf.memory().numTensors;
    const result = await train(options(tinyConfig(), runDir));
    t.is(tf.memory().numTensors, before, 'no tensors left after training');
    t.true(result.finished);
    t.is(result.epochsCompleted, 3);
    const log = readJsonl(path.join(runDir, 'log.jsonl'));
    t.deepEqual(
      log.map((r) => r.epoch),
      [1, 2, 3],
    );
    for (const r of log) {
      t.true(Number.isFinite(r.loss as number) && (r.con as number) > 0, 'rescom logs a contrastive part');
      t.is(r.steps, 3);
      t.true(typeof (r.val as { top1: number }).top1 === 'number');
      t.is(r.backend, currentBackend()?.line, 'each epoch records the backend line it trained on');
      t.regex(String(r.backend), /^backend=\w+ .*threads=/);
    }
    t.truthy(result.test);
    t.is(result.test!.numSamples, 9);
    const saved = JSON.parse(fs.readFileSync(path.join(runDir, 'test-results.json'), 'utf8'));
    t.is(saved.epochs, 3);
    // The checkpoint is a TF.js layers model: loadable, and it predicts what the trained weights predict.
    const model = await tf.loadLayersModel(fileSystemHandler(result.checkpoint));
    const x = tf.zeros([2, 4, 4, 1]);
    const out = model.predict(x) as tf.Tensor[];
    t.is(out.length, 3);
    t.deepEqual(out[1].shape, [2, 3]);
    tf.dispose([x, ...out]);
    model.dispose();
    t.is(
      fs.readdirSync(path.join(runDir, 'checkpoints')).filter((f) => f.startsWith('epoch-')).length,
      2,
      'only the newest 2 checkpoints kept',
    );
  },
);

test.serial('the scheduled learning rate reaches the optimiser at every step', async (t) => {
  const config = tinyConfig([
    ['schedule', 'step'],
    ['stepEpochs', '2'],
    ['stepFactors', '0.1'],
    ['lr', '0.08'],
  ]);
  const seen: number[] = [];
  await train(options(config, tmpRun('lr'), { onStep: (s) => seen.push(s.learningRate) }));
  // Hand-computed: 3 warm-up steps 0.08 * k/3, then 0.08 for epoch 2, then 0.008 from epoch 3 (index 2).
  const expected = [0.08 / 3, 0.16 / 3, 0.08, 0.08, 0.08, 0.08, 0.008, 0.008, 0.008];
  t.is(seen.length, 9);
  seen.forEach((lr, i) => t.true(Math.abs(lr - expected[i]) < 1e-9, `step ${i}: ${lr} vs ${expected[i]}`));
});

test.serial('a run stopped after epoch 1 and resumed ends with the same weights as an uninterrupted run', async (t) => {
  const config = tinyConfig();
  const whole = tmpRun('whole');
  const parted = tmpRun('parted');
  await train(options(config, whole));
  const first = await train(options(config, parted, { stopAfterEpochs: 1 }));
  t.false(first.finished);
  t.is(first.test, null);
  t.is(readJsonl(path.join(parted, 'log.jsonl')).length, 1);
  const resumed = await train(options(config, parted, { resume: true }));
  t.true(resumed.finished);
  const a = await checkpointWeights(whole);
  const b = await checkpointWeights(parted);
  t.is(a.length, b.length);
  a.forEach((w, i) => t.deepEqual(Array.from(b[i]), Array.from(w), `weight ${i}`));
  const logA = readJsonl(path.join(whole, 'log.jsonl'));
  const logB = readJsonl(path.join(parted, 'log.jsonl'));
  t.deepEqual(
    logB.map((r) => r.loss),
    logA.map((r) => r.loss),
  );
  // Same seed, same run; another seed, another run.
  const other = tmpRun('other');
  await train(options(tinyConfig([['seed', '8']]), other));
  const c = await checkpointWeights(other);
  t.notDeepEqual(Array.from(c[1]), Array.from(a[1]));
});

test.serial(
  'a run killed mid-epoch resumes from its mid-epoch checkpoint with the same weights and log as an uninterrupted run',
  async (t) => {
    const config = tinyConfig();
    const whole = tmpRun('whole-mid');
    const parted = tmpRun('parted-mid');
    await train(options(config, whole));
    // tinyData: 21 training images, batch size from tinyConfig; kill (throw) one step after the checkpoint at step 2 of epoch 2.
    const kill = new Error('killed');
    await t.throwsAsync(
      train(
        options(config, parted, {
          checkpointEvery: 2,
          onStep: (s) => {
            if (s.epoch === 2 && s.step === 3) throw kill;
          },
        }),
      ),
      { is: kill },
    );
    const dirs = fs
      .readdirSync(path.join(parted, 'checkpoints'))
      .filter((d) => d.startsWith('epoch-'))
      .sort();
    t.is(dirs[dirs.length - 1], 'epoch-0001-step-000002', dirs.join(', '));
    t.is(readJsonl(path.join(parted, 'log.jsonl')).length, 1);
    const resumed = await train(options(config, parted, { resume: true, checkpointEvery: 2 }));
    t.true(resumed.finished);
    const a = await checkpointWeights(whole);
    const b = await checkpointWeights(parted);
    a.forEach((w, i) => t.deepEqual(Array.from(b[i]), Array.from(w), `weight ${i}`));
    const logA = readJsonl(path.join(whole, 'log.jsonl'));
    const logB = readJsonl(path.join(parted, 'log.jsonl'));
    t.deepEqual(
      logB.map((r) => [r.loss, r.cls, r.con, r.lrFirst, r.lrLast, r.steps]),
      logA.map((r) => [r.loss, r.cls, r.con, r.lrFirst, r.lrLast, r.steps]),
    );
    await t.throwsAsync(train(options(config, tmpRun('bad-every'), { checkpointEvery: 1.5 })), {
      message: /checkpointEvery must be a non-negative integer/,
    });
  },
);

test.serial(
  'resuming with another config is refused naming the fields; an existing run is not overwritten',
  async (t) => {
    const runDir = tmpRun('refuse');
    await train(options(tinyConfig(), runDir, { stopAfterEpochs: 1 }));
    const before = tf.memory().numTensors;
    await t.throwsAsync(
      train(
        options(
          tinyConfig([
            ['lr', '0.1'],
            ['temperature', '0.1'],
          ]),
          runDir,
          { resume: true },
        ),
      ),
      {
        message:
          /cannot resume .*another config \(lr: checkpoint 0\.05, requested 0\.1; temperature: checkpoint 0\.2, requested 0\.1\)/,
      },
    );
    await t.throwsAsync(train(options(tinyConfig(), runDir)), { message: /already holds a checkpoint.*--resume/ });
    t.is(tf.memory().numTensors, before);
  },
);

test.serial(
  'a non-finite loss stops the run naming epoch, step and loss part, and keeps the last good checkpoint',
  async (t) => {
    const runDir = tmpRun('nan');
    let calls = 0;
    const poisoned = (o: CriterionFactoryOptions) => {
      const inner = defaultCriterionFactory(o);
      return {
        usesSecondView: inner.usesSecondView,
        loss(inputs: Parameters<typeof inner.loss>[0]) {
          const parts = inner.loss(inputs);
          calls++;
          if (calls !== 5) return parts; // epoch 2, step 2
          parts.con.dispose();
          return { ...parts, con: tf.scalar(Number.NaN) };
        },
        afterStep: () => inner.afterStep(),
        state: () => inner.state(),
        restore: (s: never) => inner.restore(s),
        dispose: () => inner.dispose(),
      };
    };
    const before = tf.memory().numTensors;
    const error = await t.throwsAsync(train(options(tinyConfig(), runDir, { createCriterion: poisoned })));
    t.regex(error!.message, /con = NaN at epoch 2 step 2\/3/);
    t.regex(error!.message, /last good checkpoint is .*epoch-0001/);
    t.is(tf.memory().numTensors, before);
    t.regex(findCheckpoint(runDir)!, /epoch-0001$/);
    t.is(readJsonl(path.join(runDir, 'log.jsonl')).length, 1);
  },
);

test.serial(
  'every method name trains with the same trainer; only contrastive methods have a contrastive loss',
  async (t) => {
    const before = tf.memory().numTensors;
    for (const method of METHOD_NAMES) {
      const runDir = tmpRun(method);
      const result = await train(
        options(
          tinyConfig([
            ['method', method],
            ['epochs', '2'],
          ]),
          runDir,
        ),
      );
      t.true(result.finished, method);
      const log = readJsonl(path.join(runDir, 'log.jsonl'));
      const contrastive = METHODS[method].contrastive;
      t.is((log[0].con as number) > 0, contrastive, `${method}: con ${log[0].con}`);
      const state = JSON.parse(fs.readFileSync(path.join(result.checkpoint, 'state.json'), 'utf8')).state;
      t.is(state.criterion.method, method);
      t.is(
        state.criterion.queue !== null,
        method.startsWith('rescom') && method !== 'rescom-no-queue',
        `${method} queue`,
      );
    }
    t.is(tf.memory().numTensors, before);
  },
);

test.serial(
  "a checkpoint written before nMax, valPerClass and the subset fields existed (config version 1) resumes to the uninterrupted run's weights",
  async (t) => {
    const config = tinyConfig();
    const whole = tmpRun('whole-v1');
    const parted = tmpRun('parted-v1');
    await train(options(config, whole));
    await train(options(config, parted, { stopAfterEpochs: 1 }));
    // Rewrite the checkpoint's config as version 1 wrote it: no version, no nMax, valPerClass, subsetSeed, subsetList.
    const file = path.join(findCheckpoint(parted)!, 'state.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    t.is(saved.state.config.version, 4);
    delete saved.state.config.version;
    delete saved.state.config.nMax;
    delete saved.state.config.valPerClass;
    delete saved.state.config.subsetSeed;
    delete saved.state.config.subsetList;
    // Checkpoints of that time carried no checksum of state.json either (an edited one is refused).
    delete saved.stateSha256;
    fs.writeFileSync(file, JSON.stringify(saved));
    const resumed = await train(options(config, parted, { resume: true }));
    t.true(resumed.finished);
    const a = await checkpointWeights(whole);
    const b = await checkpointWeights(parted);
    a.forEach((w, i) => t.deepEqual(Array.from(b[i]), Array.from(w), `weight ${i}`));
  },
);
