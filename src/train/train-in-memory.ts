/**
 * The trainer without a run folder: the same parts (run-parts.ts), random streams and epochs
 * (epoch.ts) as `train`, so the same config and seed give the same steps, but no checkpoint, log
 * file or resume. For a page that trains in the browser (the book's live training cell) and for
 * notebooks that only want the numbers. `train` (trainer.ts) is the one to use for real runs.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import { trainEpoch, type EpochContext, type EpochRecord, type StepInfo } from './epoch';
import { evaluateSplit } from './evaluate-split';
import { forkEpochStream, forkRunStreams } from './random-streams';
import { createRunParts } from './run-parts';
import type { TrainingData } from './training-data';
import type { TrainOptions } from './trainer';

export interface TrainInMemoryOptions {
  config: ExperimentConfig;
  data: TrainingData;
  /** After every applied step (learning rate read back from the optimiser, the step's losses). */
  onStep?: (info: StepInfo) => void | Promise<void>;
  /** After every epoch (its record, validation included). */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** As in `TrainOptions`: the network and criterion factories (default from the config). */
  createModel?: TrainOptions['createModel'];
  createCriterion?: TrainOptions['createCriterion'];
}

export interface TrainInMemoryResult {
  history: EpochRecord[];
  /** Test metrics of the final model (null without a test set). */
  test: EvaluationResult | null;
  /** The trained network (call `dispose()` when done), e.g. to evaluate it further. */
  network: { model: tf.LayersModel; dispose(): void };
}

/** Trains `config.epochs` epochs in memory and tests the final model once. */
export async function trainInMemory(options: TrainInMemoryOptions): Promise<TrainInMemoryResult> {
  const { config, data } = options;
  const stepsPerEpoch = Math.floor((data?.train?.labels?.length ?? 0) / config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(
      `trainInMemory: the training split has ${data?.train?.labels?.length ?? 0} images, fewer than one batch (batchSize ${config.batchSize})`,
    );
  }
  const streams = forkRunStreams(config.seed);
  const parts = createRunParts({
    config,
    data,
    streams,
    createModel: options.createModel,
    createCriterion: options.createCriterion,
  });
  const history: EpochRecord[] = [];
  const context: EpochContext = {
    config,
    data,
    model: parts.network.model,
    criterion: parts.criterion,
    optimizer: parts.optimizer,
    stepsPerEpoch,
    progress: null,
    // Awaited by the epoch: a page yields to the browser here so that its curve can repaint.
    onStep: options.onStep,
    runStart: Date.now(),
    firstEpoch: 0,
    stopEpoch: config.epochs,
    lastCheckpoint: () => '',
  };
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const record = await trainEpoch(context, epoch, forkEpochStream(streams.epochs));
      history.push(record);
      await options.onEpoch?.(record);
    }
    const test =
      data.test && data.test.labels.length > 0
        ? await evaluateSplit({ model: parts.network.model, data, set: data.test, batchSize: config.evalBatchSize })
        : null;
    parts.criterion.dispose();
    parts.optimizer.dispose();
    return { history, test, network: parts.network };
  } catch (error) {
    parts.dispose();
    throw error;
  }
}
