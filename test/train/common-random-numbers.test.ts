/**
 * The fixed-subset protocol's two properties (#23): one long-tailed subset (and validation split)
 * for every run seed, and common random numbers across methods: one seed gives every method the
 * same initial network, the same batches and the same augmented views, so a paired difference
 * measures the method. Each is checked so that it could fail: other seeds must give other draws.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig, type ExperimentConfig } from '../../src/configs';
import { syntheticClassImages } from '../../src/data';
import type { ImageSet, TwoViewBatch } from '../../src/data/types';
import { defaultModelFactory, prepareTrainingData, train, type TrainingData } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';

test.before(async () => {
  await useTestBackend();
});

/** A stand-in for the 60k split: 8x8 grey images, 120 per class, and a balanced test set. */
function source() {
  const rng = new Rng(11);
  const train = syntheticClassImages({ numClasses: 10, height: 8, width: 8, channels: 1, perClass: 120, rng });
  const test = syntheticClassImages({ numClasses: 10, height: 8, width: 8, channels: 1, perClass: 5, rng });
  return { train, test };
}

/** A protocol config at miniature size (head class 60, IF 10, 10 validation images per class). */
function miniConfig(name: string, seed: number, extra: Array<[string, string]> = []): ExperimentConfig {
  return applyOverrides(getConfig(name), [
    ['nMax', '60'],
    ['imbalanceFactor', '10'],
    ['valPerClass', '10'],
    ['seed', String(seed)],
    ...extra,
  ]);
}

const sha = (...parts: ArrayLike<number>[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(Buffer.from(Float64Array.from(p).buffer));
  return h.digest('hex');
};

test('fixed-subset protocol: every run seed trains and validates on the same images; the per-seed protocol draws a new subset per seed', async (t) => {
  const src = source();
  const data = async (config: ExperimentConfig) => prepareTrainingData(config, { source: src });
  const fixed = await Promise.all([0, 1, 5].map((seed) => data(miniConfig('fashion-mnist-lt-fixed', seed))));
  for (const d of fixed) {
    t.deepEqual(d.subset, fixed[0].subset);
    t.is(
      sha(d.train.labels, (d.train as ImageSet).pixels),
      sha(fixed[0].train.labels, (fixed[0].train as ImageSet).pixels),
    );
  }
  t.is(fixed[0].subset!.source, 'drawn with subsetSeed 0');
  t.is(fixed[0].subset!.valRows, 100);
  const perSeed = await Promise.all([0, 1].map((seed) => data(miniConfig('fashion-mnist-lt-ref', seed))));
  t.not(
    perSeed[0].subset!.trainSha256,
    perSeed[1].subset!.trainSha256,
    'the per-seed protocol draws another subset for another seed',
  );
  t.not(perSeed[0].subset!.valSha256, perSeed[1].subset!.valSha256);
  t.is(perSeed[1].subset!.source, 'drawn with the run seed 1');
  // subsetSeed s draws what the run seed s drew in the per-seed protocol (old runs keep their meaning).
  t.deepEqual(perSeed[0].subset!.trainSha256, fixed[0].subset!.trainSha256);
  const subsetSeed1 = await data(miniConfig('fashion-mnist-lt-fixed', 0, [['subsetSeed', '1']]));
  t.is(subsetSeed1.subset!.trainSha256, perSeed[1].subset!.trainSha256);
  t.is(subsetSeed1.subset!.valSha256, perSeed[1].subset!.valSha256);
});

/** What a run starts from and sees: its initial weights and, per batch of its first epoch, view 1 with the labels, and view 2. */
async function firstEpochDraws(
  method: string,
  seed: number,
): Promise<{ weights: string; view1: string[]; view2: string[] }> {
  const config = miniConfig('fashion-mnist-lt-fixed', seed, [
    ['method', method],
    ['epochs', '2'],
    ['warmupEpochs', '0'],
    ['batchSize', '64'],
    ['backbone', 'resnet8'],
  ]);
  const real = await prepareTrainingData(config, { source: source() });
  const view1: string[] = [];
  const view2: string[] = [];
  const data: TrainingData = {
    ...real,
    epochBatches: (o) => {
      const out = [...(real.epochBatches(o) as Iterable<TwoViewBatch>)];
      for (const b of out) {
        view1.push(sha(b.view1, b.labels));
        view2.push(sha(b.view2));
      }
      return out;
    },
  };
  let weights = '';
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crn-'));
  await train({
    config,
    data,
    runDir,
    log: null,
    progress: null,
    stopAfterEpochs: 1,
    createModel: (o) => {
      const network = defaultModelFactory(o);
      weights = sha(...network.model.getWeights().map((w) => w.dataSync()));
      return network;
    },
  });
  fs.rmSync(runDir, { recursive: true, force: true });
  return { weights, view1, view2 };
}

test('common random numbers: one seed gives rescom, sbs, supcon-balsfx and balsfx the same initial network, batches and augmented views', async (t) => {
  const rescom = await firstEpochDraws('rescom', 3);
  t.true(rescom.view1.length >= 3);
  for (const method of ['sbs', 'supcon-balsfx', 'balsfx']) {
    const other = await firstEpochDraws(method, 3);
    t.is(other.weights, rescom.weights, `${method}: same initial weights as rescom`);
    t.deepEqual(other.view1, rescom.view1, `${method}: same batches (images, order, labels) and first views as rescom`);
    // balsfx trains on one view: its second view is never drawn into the batch.
    if (method !== 'balsfx') t.deepEqual(other.view2, rescom.view2, `${method}: same second views as rescom`);
  }
  const otherSeed = await firstEpochDraws('rescom', 4);
  t.not(otherSeed.weights, rescom.weights, 'another seed starts from other weights');
  t.notDeepEqual(otherSeed.view1, rescom.view1, 'another seed draws other batches and views');
  t.notDeepEqual(otherSeed.view2, rescom.view2);
});
