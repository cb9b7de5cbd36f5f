/**
 * The trainer: every method of `METHODS` with one loop, one optimiser and one budget.
 *
 * Per epoch: shuffled, augmented batches (two views for contrastive methods) -> `trainStep` with the
 * learning rate of `learningRateAt` written into the optimiser before EVERY step -> validation on the
 * held-out split -> a checkpoint (atomic) -> one line in `RUN/log.jsonl`. The test set is evaluated
 * once, after the last epoch, on the final model: no model selection on the test set (the reference
 * code picked its best checkpoint by test accuracy).
 *
 * Determinism: one `Rng(config.seed)` forks the model's and the criterion's seeds, then one child
 * per epoch for shuffling and augmentation. Its state is checkpointed, so a run stopped after any
 * epoch and resumed ends with the same weights as an uninterrupted run.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configDifferences, formatConfigDifferences, type ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import { Rng } from '../util/rng';
import { writeFileAtomic } from '../util/atomic-write';
import { defaultCriterionFactory, defaultModelFactory, type CriterionFactoryOptions, type ModelFactoryOptions } from './factories';
import { findCheckpoint, loadTrainingState, loadWeightsInto, saveCheckpoint, type TrainingState } from './checkpoint';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import { LOG_FILE, appendJsonl, rewriteJsonl } from './jsonl-log';
import { ProgressReporter } from './progress';
import { learningRateAt } from './schedule';
import { SgdWithWeightDecay } from './sgd';
import { NonFiniteLossError, trainStep, type TrainingCriterion } from './train-step';
import type { TrainingData } from './training-data';

export interface TrainOptions {
  config: ExperimentConfig;
  data: TrainingData;
  /** Folder of the run: checkpoints/, log.jsonl, config.json, test-results.json. */
  runDir: string;
  /** Continue from the run's last checkpoint. Default false: a run folder with a checkpoint is refused. */
  resume?: boolean;
  /** Stop (as if interrupted) once this many epochs are complete and checkpointed. Default: run to the end. */
  stopAfterEpochs?: number;
  /** Progress display; default a `ProgressReporter` on stderr; null for none. */
  progress?: ProgressReporter | null;
  /** Messages (epoch summaries, resume notes); default console.log; null for none. */
  log?: ((line: string) => void) | null;
  /** Checkpoint folders kept. Default 2. */
  keepCheckpoints?: number;
  /**
   * Called after every applied step with the learning rate read back from the optimiser (so tests
   * and notebooks can see what the update really used) and the step's losses.
   */
  onStep?: (info: { epoch: number; step: number; learningRate: number; losses: { cls: number; con: number; total: number } }) => void;
  /** Builds the network; default `createResComModel` from the config's backbone and projectionDim. */
  createModel?: (options: ModelFactoryOptions) => { model: tf.LayersModel; dispose(): void };
  /** Builds the criterion; default `ResComCriterion` from the config's method and loss fields. */
  createCriterion?: (options: CriterionFactoryOptions) => TrainingCriterion;
}

export interface EpochRecord {
  /** 1-based number of the epoch just completed. */
  epoch: number;
  /** Learning rate of the epoch's first and last step. */
  lrFirst: number;
  lrLast: number;
  /** Mean loss parts over the epoch's steps. */
  loss: number;
  cls: number;
  con: number;
  steps: number;
  images: number;
  /** Wall-clock seconds of the epoch's training steps (validation excluded). */
  seconds: number;
  /**
   * CPU seconds this process used for them: on a busy machine a truer measure of the work than
   * wall time (with single-threaded wasm, an idle machine gives seconds ~= cpuSeconds).
   */
  cpuSeconds: number;
  imagesPerSecond: number;
  /** Validation summary (accuracies in [0, 1]); null without a validation split. */
  val: Record<string, number | null | string> | null;
  [key: string]: unknown;
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
  const { train: trainSet } = data;
  const numClasses = trainSet.numClasses;
  if (data.classCounts.length !== numClasses) {
    throw new Error(`train: data.classCounts must have ${numClasses} entries (one per class); got ${data.classCounts.length}`);
  }
  const stepsPerEpoch = Math.floor(trainSet.labels.length / config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(`train: the training split has ${trainSet.labels.length} images, fewer than one batch (batchSize ${config.batchSize}); lower --batchSize`);
  }

  const existing = fs.existsSync(runDir) ? findCheckpoint(runDir) : null;
  if (existing && !options.resume) {
    throw new Error(`train: '${runDir}' already holds a checkpoint (${existing}); pass --resume to continue it or choose another --run-dir`);
  }
  let saved: TrainingState | null = null;
  if (options.resume && existing) {
    saved = loadTrainingState(existing);
    const differences = configDifferences(saved.config, config);
    if (differences.length > 0) {
      disposeState(saved);
      throw new Error(`train: cannot resume '${existing}': it was written with another config (${formatConfigDifferences(differences)})`);
    }
  }

  // Seeds are drawn in a fixed order, so a resumed run rebuilds the same model and criterion
  // (their weights and queue are then overwritten by the checkpoint's).
  const root = new Rng(config.seed);
  const modelRng = root.fork();
  const criterionRng = root.fork();
  const network = (options.createModel ?? defaultModelFactory)({
    config,
    inputShape: [trainSet.height, trainSet.width, trainSet.channels],
    numClasses,
    rng: modelRng,
  });
  const criterion = (options.createCriterion ?? defaultCriterionFactory)({ config, numClasses, classCounts: data.classCounts, rng: criterionRng });
  const optimizer = new SgdWithWeightDecay({ lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay });
  const model = network.model;
  let rng = root;
  let history: EpochRecord[] = [];
  let checkpoint = existing ?? '';
  try {
    fs.mkdirSync(runDir, { recursive: true });
    if (saved) {
      await loadWeightsInto(model, existing!);
      await optimizer.restore(saved.optimizer);
      criterion.restore(saved.criterion as never);
      rng = Rng.fromState(saved.rng);
      history = saved.history as EpochRecord[];
      rewriteJsonl(path.join(runDir, LOG_FILE), history);
      say(`resuming ${existing} after epoch ${saved.epoch}/${config.epochs}`);
      disposeState(saved);
    } else {
      rewriteJsonl(path.join(runDir, LOG_FILE), []);
    }
    writeFileAtomic(path.join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

    const twoViews = criterion.usesSecondView;
    const stop = Math.min(config.epochs, options.stopAfterEpochs ?? config.epochs);
    const runStart = Date.now();
    const firstEpoch = history.length;
    for (let epoch = firstEpoch; epoch < stop; epoch++) {
      const epochRng = rng.fork();
      const started = Date.now();
      const cpuStart = process.cpuUsage();
      const sums = { cls: 0, con: 0, total: 0 };
      let steps = 0;
      let lrFirst = 0;
      let lrLast = 0;
      for await (const batch of data.epochBatches({ set: trainSet, batchSize: config.batchSize, twoViews, rng: epochRng })) {
        if (steps >= stepsPerEpoch) break;
        const lr = learningRateAt(config, { epoch, step: steps, stepsPerEpoch });
        optimizer.learningRate = lr;
        if (steps === 0) lrFirst = lr;
        lrLast = lr;
        let losses;
        try {
          losses = await trainStep({ model, criterion, optimizer, batch, twoViews, where: `epoch ${epoch + 1} step ${steps + 1}/${stepsPerEpoch}` });
        } catch (error) {
          if (error instanceof NonFiniteLossError) {
            throw new Error(
              `train: stopped: ${error.message}. The last good checkpoint is ${checkpoint || '(none: it diverged in the first epoch)'}; lower --lr or check the data.`,
            );
          }
          throw error;
        }
        options.onStep?.({ epoch: epoch + 1, step: steps + 1, learningRate: optimizer.learningRate, losses });
        sums.cls += losses.cls;
        sums.con += losses.con;
        sums.total += losses.total;
        steps++;
        const elapsed = (Date.now() - started) / 1000;
        const doneSteps = (epoch - firstEpoch) * stepsPerEpoch + steps;
        const leftSteps = (stop - epoch) * stepsPerEpoch - steps;
        progress?.update({
          epoch: epoch + 1,
          epochs: config.epochs,
          step: steps,
          stepsPerEpoch,
          loss: sums.total / steps,
          detail: twoViews ? `cls ${(sums.cls / steps).toFixed(3)} con ${(sums.con / steps).toFixed(3)}` : undefined,
          lr,
          imagesPerSecond: (steps * config.batchSize) / Math.max(elapsed, 1e-3),
          etaSeconds: doneSteps > 0 ? (((Date.now() - runStart) / 1000) * leftSteps) / doneSteps : null,
        });
      }
      if (steps < stepsPerEpoch) throw new Error(`train: epoch ${epoch + 1} produced ${steps} batches; expected ${stepsPerEpoch}`);
      const trainSeconds = (Date.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      const val = data.val && data.val.labels.length > 0 ? summarizeEvaluation(await evaluateSplit({ model, data, set: data.val, batchSize: config.evalBatchSize })) : null;
      const record: EpochRecord = {
        epoch: epoch + 1,
        lrFirst,
        lrLast,
        loss: sums.total / steps,
        cls: sums.cls / steps,
        con: sums.con / steps,
        steps,
        images: steps * config.batchSize,
        seconds: trainSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        imagesPerSecond: (steps * config.batchSize) / Math.max(trainSeconds, 1e-3),
        val,
      };
      history.push(record);
      const optimizerState = await optimizer.state();
      try {
        checkpoint = await saveCheckpoint({
          runDir,
          model,
          keep: options.keepCheckpoints,
          state: { epoch: epoch + 1, config, rng: rng.state(), optimizer: optimizerState, criterion: criterion.state(), history },
        });
      } finally {
        tf.dispose(optimizerState.buffers);
      }
      appendJsonl(path.join(runDir, LOG_FILE), record);
      say(formatEpochLine(record, config.epochs));
    }

    const finished = history.length >= config.epochs;
    let test: EvaluationResult | null = null;
    if (finished && data.test && data.test.labels.length > 0) {
      test = await evaluateSplit({ model, data, set: data.test, batchSize: config.evalBatchSize });
      writeFileAtomic(
        path.join(runDir, TEST_RESULTS_FILE),
        `${JSON.stringify({ config: config.name, method: config.method, epochs: history.length, checkpoint, summary: summarizeEvaluation(test), result: test }, null, 2)}\n`,
      );
    }
    return { runDir, checkpoint, epochsCompleted: history.length, finished, history, test };
  } finally {
    network.dispose();
    criterion.dispose();
    optimizer.dispose();
  }
}

/** `epoch 3/30  loss 1.2345 (cls 1.1 con 0.3)  lr 0.0500  41.2 s  310 img/s  val top1 52.3%`. */
export function formatEpochLine(r: EpochRecord, epochs: number): string {
  const pct = (v: unknown) => (typeof v === 'number' ? `${(100 * v).toFixed(1)}%` : 'n/a');
  const parts = [
    `epoch ${r.epoch}/${epochs} done`,
    `loss ${r.loss.toFixed(4)} (cls ${r.cls.toFixed(3)} con ${r.con.toFixed(3)})`,
    `lr ${r.lrLast.toPrecision(3)}`,
    `${r.seconds.toFixed(1)} s`,
    `${r.imagesPerSecond.toFixed(1)} img/s`,
  ];
  if (r.val) parts.push(`val top1 ${pct(r.val.top1)} many ${pct(r.val.many)} medium ${pct(r.val.medium)} few ${pct(r.val.few)}`);
  return parts.join('  ');
}

function disposeState(state: TrainingState): void {
  tf.dispose(state.optimizer.buffers);
  const tensors: tf.Tensor[] = [];
  const walk = (node: unknown) => {
    if (node instanceof tf.Tensor) tensors.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(state.criterion);
  tf.dispose(tensors);
}

