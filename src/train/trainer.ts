/**
 * The trainer: every method of `METHODS` with one loop, one optimiser and one budget. `train` reads
 * top-down as its three steps:
 *
 *   1. open the run: refuse to overwrite a checkpoint, or load it to resume (run-state.ts), build
 *      model, criterion and optimiser from the run's random streams (random-streams.ts);
 *   2. each epoch: shuffled, augmented batches -> SGD steps -> validation (epoch.ts);
 *   3. after each epoch: an atomic checkpoint (run-state.ts) and one line in `RUN/log.jsonl`.
 *
 * The test set is evaluated once, after the last epoch, on the final model: no model selection on
 * the test set (the reference code picked its best checkpoint by test accuracy).
 *
 * Determinism: every random number comes from `Rng(config.seed)` in the order written down in
 * random-streams.ts, and the epoch stream's state is checkpointed, so a run stopped after any epoch
 * and resumed ends with the same weights as an uninterrupted run.
 */
import type * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { savedConfig, type ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import { writeFileAtomic } from '../util/atomic-write';
import { formatEpochLine, trainEpoch, type EpochContext, type EpochRecord, type StepInfo } from './epoch';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import type { CriterionFactoryOptions, ModelFactoryOptions } from './factories';
import { LOG_FILE, appendJsonl, rewriteJsonl } from './jsonl-log';
import { ProgressReporter } from './progress';
import { forkEpochStream, forkRunStreams } from './random-streams';
import { checkpointEpoch, openRun, restoreRun } from './run-state';
import { createRunParts } from './run-parts';
import { acquireRunLock, type RunLock } from './run-lock';
import { currentNumericsStamp } from './backend-numerics';
import { dataFingerprint } from './data-fingerprint';
import { checkFreeSpace } from '../util/path-checks';
import { currentBackend } from '../backend';
import type { TrainingCriterion } from './train-step';
import type { TrainingData } from './training-data';

export interface TrainOptions {
  config: ExperimentConfig;
  data: TrainingData;
  /** Folder of the run: checkpoints/, log.jsonl, config.json, test-results.json. */
  runDir: string;
  /**
   * Continue from the run's last intact checkpoint when there is one (else start fresh; the CLI's
   * --resume requires one, see `prepareRunFolder`). Default false: a run folder with a checkpoint is refused.
   */
  resume?: boolean;
  /** Accept an existing non-empty folder that is not a run (see `prepareRunFolder`). Default false. */
  force?: boolean;
  /**
   * Resume on a backend whose numerics differ from the checkpoint's (engine, threads, oneDNN:
   * backend-numerics.ts): the run then does not end with an uninterrupted run's weights, and the
   * next epoch's log line records `backendChange`. Default false: such a resume is refused.
   */
  allowBackendChange?: boolean;
  /** Stop (as if interrupted) once this many epochs are complete and checkpointed. Default: run to the end. */
  stopAfterEpochs?: number;
  /** Progress display; default a `ProgressReporter` on stderr; null for none. */
  progress?: ProgressReporter | null;
  /** Messages (epoch summaries, resume notes); default console.log; null for none. */
  log?: ((line: string) => void) | null;
  /**
   * Also write a checkpoint every this many steps inside an epoch (default 0: only after epochs), so
   * that a run killed mid-epoch resumes from there with the same result as an uninterrupted run.
   */
  checkpointEvery?: number;
  /** Checkpoint folders kept. Default 2. */
  keepCheckpoints?: number;
  /**
   * Called after every applied step with the learning rate read back from the optimiser (so tests
   * and notebooks can see what the update really used) and the step's losses.
   */
  onStep?: (info: StepInfo) => void;
  /** Builds the network; default `createResComModel` from the config's backbone and projectionDim. */
  createModel?: (options: ModelFactoryOptions) => { model: tf.LayersModel; dispose(): void };
  /** Builds the criterion; default `ResComCriterion` from the config's method and loss fields. */
  createCriterion?: (options: CriterionFactoryOptions) => TrainingCriterion;
}

export interface TrainResult {
  runDir: string;
  /** The last checkpoint folder written or resumed from. */
  checkpoint: string;
  epochsCompleted: number;
  /** True when all `config.epochs` are done (false after `stopAfterEpochs`). */
  finished: boolean;
  history: EpochRecord[];
  /** Test metrics of the final model (null when stopped early or without a test set). */
  test: EvaluationResult | null;
}

export const TEST_RESULTS_FILE = 'test-results.json';

/** Train (or continue) one run; see the file comment. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { config, data, runDir } = options;
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  const progress = options.progress === undefined ? new ProgressReporter() : options.progress;
  const say = (line: string) => (progress ? progress.message(line) : log?.(line));
  const stepsPerEpoch = checkTrainingData(config, data);
  const every = options.checkpointEvery ?? 0;
  if (!Number.isInteger(every) || every < 0)
    throw new Error(`train: options.checkpointEvery must be a non-negative integer (steps); got ${every}`);

  // One writer per run folder (run-lock.ts), from before anything in it is touched to the end.
  const lock = acquireRunLock({ runDir, command: 'train', who: 'train', log: say });
  try {
    return await trainUnderLock(options, { lock, say, progress, stepsPerEpoch });
  } finally {
    lock.release();
  }
}

/** `train` once the run folder's lock is held: every write goes through `lock.write`. */
async function trainUnderLock(
  options: TrainOptions,
  o: { lock: RunLock; say: (line: string) => void; progress: ProgressReporter | null; stepsPerEpoch: number },
): Promise<TrainResult> {
  const { config, data, runDir } = options;
  const { lock, say, progress, stepsPerEpoch } = o;
  // 1. Open the run, then build everything from the run's random streams.
  const numerics = currentNumericsStamp(currentBackend()?.line ?? null);
  const fingerprint = dataFingerprint(data);
  const { existing, saved, backendChange } = openRun({
    runDir,
    config,
    resume: options.resume,
    force: options.force,
    log: say,
    numerics,
    allowBackendChange: options.allowBackendChange,
    data: fingerprint,
  });
  let pendingChange = backendChange;
  const streams = forkRunStreams(config.seed, saved?.rng);
  const parts = createRunParts({
    config,
    data,
    streams,
    createModel: options.createModel,
    createCriterion: options.createCriterion,
  });
  const { criterion, optimizer } = parts;
  const model = parts.network.model;
  if (!saved || saved.epoch < config.epochs)
    checkRoomForCheckpoints(runDir, config, model, data.train.numClasses, options.keepCheckpoints ?? 2);
  let history: EpochRecord[] = [];
  let checkpoint = existing ?? '';
  try {
    await lock.write(async () => {
      if (saved) {
        history = await restoreRun({ runDir, checkpoint, saved, model, optimizer, criterion });
        say(
          `resuming ${checkpoint} after epoch ${saved.epoch}/${config.epochs}${saved.partial ? ` and ${saved.partial.step}/${stepsPerEpoch} steps of epoch ${saved.epoch + 1}` : ''}`,
        );
      } else {
        rewriteJsonl(path.join(runDir, LOG_FILE), []);
      }
      writeFileAtomic(path.join(runDir, 'config.json'), `${JSON.stringify(savedConfig(config), null, 2)}\n`);
    });

    const stopEpoch = Math.min(config.epochs, options.stopAfterEpochs ?? config.epochs);
    const context: EpochContext = {
      config,
      data,
      model,
      criterion,
      optimizer,
      stepsPerEpoch,
      progress,
      onStep: options.onStep,
      runStart: Date.now(),
      firstEpoch: history.length,
      stopEpoch,
      lastCheckpoint: () => checkpoint,
      checkpointEvery: options.checkpointEvery,
    };
    let resumeStep = saved?.partial;
    for (let epoch = history.length; epoch < stopEpoch; epoch++) {
      // 2. One epoch on its own stream (mid-epoch checkpoints store the root state before the fork);
      // 3. its checkpoint, then its log line.
      const epochStart = streams.epochs.state();
      const save = (partial?: Parameters<typeof checkpointEpoch>[0]['partial']) =>
        lock.write(() =>
          checkpointEpoch({
            runDir,
            config,
            model,
            optimizer,
            criterion,
            epochs: streams.epochs,
            history,
            keep: options.keepCheckpoints,
            partial,
            numerics,
            data: fingerprint,
          }),
        );
      context.checkpointMidEpoch = async (_epoch, progress) => {
        checkpoint = await save({ progress, epochStart });
      };
      const record = await trainEpoch(context, epoch, forkEpochStream(streams.epochs), resumeStep);
      resumeStep = undefined;
      // A resume accepted on other numerics is written into the first epoch trained after it.
      if (pendingChange) record.backendChange = pendingChange;
      pendingChange = null;
      history.push(record);
      await lock.write(async () => {
        checkpoint = await save();
        appendJsonl(path.join(runDir, LOG_FILE), record);
      });
      say(formatEpochLine(record, config.epochs));
    }

    const finished = history.length >= config.epochs;
    const test = finished
      ? await testFinalModel({ lock, config, data, model, checkpoint, epochs: history.length })
      : null;
    return { runDir, checkpoint, epochsCompleted: history.length, finished, history, test };
  } finally {
    parts.dispose();
  }
}

/**
 * Before the first epoch: room on the disk for the checkpoints kept plus the one being written
 * (weights and momentum buffers, 4 bytes per parameter each, and the queue of keys), so that a
 * full disk is said now, not after an epoch of training.
 */
function checkRoomForCheckpoints(
  runDir: string,
  config: ExperimentConfig,
  model: tf.LayersModel,
  numClasses: number,
  keep: number,
): void {
  const bytes = 8 * model.countParams() + 4 * config.queuePerClass * numClasses * config.projectionDim + 65_536;
  const count = Math.max(1, keep) + 1;
  checkFreeSpace(
    runDir,
    count * bytes,
    'train',
    `${count} checkpoints of this model (${(bytes / 1e6).toFixed(1)} MB each)`,
  );
}

/** The number of steps per epoch, after checking the data fits the config. */
function checkTrainingData(config: ExperimentConfig, data: TrainingData): number {
  const { train: trainSet } = data;
  if (data.classCounts.length !== trainSet.numClasses) {
    throw new Error(
      `train: data.classCounts must have ${trainSet.numClasses} entries (one per class); got ${data.classCounts.length}`,
    );
  }
  const stepsPerEpoch = Math.floor(trainSet.labels.length / config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(
      `train: the training split has ${trainSet.labels.length} images, fewer than one batch (batchSize ${config.batchSize}); lower --batchSize`,
    );
  }
  return stepsPerEpoch;
}

/** The test set, once, on the final model; writes TEST_RESULTS_FILE. Null without a test set. */
async function testFinalModel(o: {
  lock: RunLock;
  config: ExperimentConfig;
  data: TrainingData;
  model: tf.LayersModel;
  checkpoint: string;
  epochs: number;
}): Promise<EvaluationResult | null> {
  const { config, data } = o;
  if (!data.test || data.test.labels.length === 0) return null;
  const test = await evaluateSplit({ model: o.model, data, set: data.test, batchSize: config.evalBatchSize });
  await o.lock.write(() =>
    writeFileAtomic(
      path.join(o.lock.runDir, TEST_RESULTS_FILE),
      `${JSON.stringify({ config: config.name, method: config.method, epochs: o.epochs, checkpoint: o.checkpoint, subset: data.subset ?? null, summary: summarizeEvaluation(test), result: test }, null, 2)}\n`,
    ),
  );
  return test;
}
