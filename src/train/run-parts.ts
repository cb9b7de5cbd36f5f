/**
 * Step 1 of a run, shared by `train` (trainer.ts, with a run folder) and `trainInMemory`
 * (train-in-memory.ts, no files: the browser book): the model, the criterion and the optimiser,
 * built from the run's random streams in the order random-streams.ts writes down, so that both
 * start from the same weights and queue on the same seed.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../configs';
import {
  defaultCriterionFactory,
  defaultModelFactory,
  type CriterionFactoryOptions,
  type ModelFactoryOptions,
} from './factories';
import type { RunStreams } from './random-streams';
import { SgdWithWeightDecay } from './sgd';
import type { TrainingCriterion } from './train-step';
import type { TrainingData } from './training-data';

export interface RunParts {
  network: { model: tf.LayersModel; dispose(): void };
  criterion: TrainingCriterion;
  optimizer: SgdWithWeightDecay;
  /** Disposes all three. */
  dispose(): void;
}

/** Builds the parts of a run; `createModel` / `createCriterion` default to the config's factories. */
export function createRunParts(o: {
  config: ExperimentConfig;
  data: TrainingData;
  streams: RunStreams;
  createModel?: (options: ModelFactoryOptions) => { model: tf.LayersModel; dispose(): void };
  createCriterion?: (options: CriterionFactoryOptions) => TrainingCriterion;
}): RunParts {
  const { config, data, streams } = o;
  const { train: trainSet } = data;
  const network = (o.createModel ?? defaultModelFactory)({
    config,
    inputShape: [trainSet.height, trainSet.width, trainSet.channels],
    numClasses: trainSet.numClasses,
    rng: streams.model,
  });
  const criterion = (o.createCriterion ?? defaultCriterionFactory)({
    config,
    numClasses: trainSet.numClasses,
    classCounts: data.classCounts,
    rng: streams.criterion,
  });
  const optimizer = new SgdWithWeightDecay({
    lr: config.lr,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
  });
  return {
    network,
    criterion,
    optimizer,
    dispose() {
      network.dispose();
      criterion.dispose();
      optimizer.dispose();
    },
  };
}
