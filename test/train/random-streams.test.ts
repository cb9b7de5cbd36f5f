import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig } from '../../src/configs';
import {
  defaultCriterionFactory,
  forkEpochStream,
  forkRunStreams,
  readCheckpointConfig,
  findCheckpoint,
  train,
  type TrainingData,
} from '../../src/train';
import { Rng, type RngState } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { tinyData, tinyModelFactory } from './tiny';

test.before(async () => {
  await useTestBackend();
});

test('the run streams are forked from the seed in the documented order: model, criterion, then one per epoch', (t) => {
  // The order written out by hand, independently of forkRunStreams.
  const root = new Rng(11);
  const model = root.fork();
  const criterion = root.fork();
  const epoch0 = root.fork();
  const epoch1 = root.fork();
  const streams = forkRunStreams(11);
  t.deepEqual(streams.model.state(), model.state());
  t.deepEqual(streams.criterion.state(), criterion.state());
  t.deepEqual(forkEpochStream(streams.epochs).state(), epoch0.state());
  const saved = streams.epochs.state();
  t.deepEqual(forkEpochStream(streams.epochs).state(), epoch1.state());
  // Resuming from the state saved after epoch 0: same model and criterion streams, epoch 1 continues.
  const resumed = forkRunStreams(11, saved);
  t.deepEqual(resumed.model.state(), model.state());
  t.deepEqual(resumed.criterion.state(), criterion.state());
  t.deepEqual(forkEpochStream(resumed.epochs).state(), epoch1.state());
  // All distinct.
  const all = [model, criterion, epoch0, epoch1].map((r) => JSON.stringify(r.state()));
  t.is(new Set(all).size, 4);
});

test.serial(
  'train() hands the model, criterion and every epoch the streams of that order, also when resumed',
  async (t) => {
    const config = applyOverrides(getConfig('fashion-mnist-lt'), [
      ['epochs', '3'],
      ['batchSize', '6'],
      ['warmupEpochs', '1'],
      ['projectionDim', '4'],
      ['queuePerClass', '2'],
      ['selectNumPos', '1'],
      ['selectNumNeg', '3'],
      ['seed', '5'],
    ]);
    const seen: { model: RngState[]; criterion: RngState[]; epochs: RngState[] } = {
      model: [],
      criterion: [],
      epochs: [],
    };
    const base = tinyData();
    const data: TrainingData = {
      ...base,
      epochBatches: (o) => {
        seen.epochs.push(o.rng.state());
        return base.epochBatches(o);
      },
    };
    const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-streams-')), 'run');
    const common = {
      config,
      data,
      runDir,
      progress: null,
      log: null,
      createModel: (o: Parameters<typeof tinyModelFactory>[0]) => {
        seen.model.push(o.rng.state());
        return tinyModelFactory(o);
      },
      createCriterion: (o: Parameters<typeof defaultCriterionFactory>[0]) => {
        seen.criterion.push(o.rng.state());
        return defaultCriterionFactory(o);
      },
    };
    await train({ ...common, stopAfterEpochs: 1 });
    t.deepEqual(readCheckpointConfig(findCheckpoint(runDir)!).seed, 5);
    await train({ ...common, resume: true });
    const root = new Rng(5);
    const model = root.fork().state();
    const criterion = root.fork().state();
    const epochs = [root.fork().state(), root.fork().state(), root.fork().state()];
    t.deepEqual(seen.model, [model, model], 'the model stream, in the first run and again on resume');
    t.deepEqual(seen.criterion, [criterion, criterion]);
    t.deepEqual(seen.epochs, epochs, 'one stream per epoch, continued across the resume');
  },
);
