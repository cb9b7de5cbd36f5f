/**
 * Step 2 of the trainer: one epoch. Shuffled, augmented batches (two views for contrastive methods)
 * from the epoch's own random stream -> `trainStep` with the learning rate of `learningRateAt`
 * written into the optimiser before EVERY step -> validation on the held-out split -> the epoch's
 * record (one line of log.jsonl).
 */
import type * as tf from '@tensorflow/tfjs';
import { currentBackend } from '../backend';
import type { ExperimentConfig } from '../configs';
import type { Rng } from '../util/rng';
import type { MidEpochProgress } from './checkpoint';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import type { ProgressReporter } from './progress';
import { learningRateAt } from './schedule';
import type { SgdWithWeightDecay } from './sgd';
import { NonFiniteLossError, trainStep, type StepLosses, type TrainingCriterion } from './train-step';
import type { TrainingData } from './training-data';

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
  /**
   * The backend line this epoch trained on (engine, threads, kernels, oneDNN: `selectBackend`), or
   * null before any backend was selected. Same seed, same run holds for the same line: a different
   * engine or thread count sums in another order.
   */
  backend?: string | null;
  [key: string]: unknown;
}

/** What one applied step reports to `TrainOptions.onStep`. */
export interface StepInfo {
  /** 1-based epoch and step within it. */
  epoch: number;
  step: number;
  /** The learning rate read back from the optimiser (what the update really used). */
  learningRate: number;
  losses: StepLosses;
}

/** Everything an epoch works on; built once per run by `train`. */
export interface EpochContext {
  config: ExperimentConfig;
  data: TrainingData;
  model: tf.LayersModel;
  criterion: TrainingCriterion;
  optimizer: SgdWithWeightDecay;
  /** floor(training images / batch size); every epoch runs exactly this many steps. */
  stepsPerEpoch: number;
  progress: ProgressReporter | null;
  /** Awaited, so a page can yield to the browser between steps (the book's live training cell). */
  onStep?: (info: StepInfo) => void | Promise<void>;
  /** For the progress line's ETA: when the run (this process) started, its first and stop epoch (0-based). */
  runStart: number;
  firstEpoch: number;
  stopEpoch: number;
  /** The last good checkpoint (named when the loss diverges); '' when none yet. */
  lastCheckpoint: () => string;
  /** Write a mid-epoch checkpoint after every this many steps (0 or absent: only after epochs). */
  checkpointEvery?: number;
  /** Writes a mid-epoch checkpoint of epoch `epoch` (0-based) at `progress` (called every `checkpointEvery` steps). */
  checkpointMidEpoch?: (epoch: number, progress: MidEpochProgress) => Promise<void>;
}

/**
 * Trains epoch `epoch` (0-based) on the batches of `rng`, validates, and returns its record.
 * `resume` (from a mid-epoch checkpoint) skips its `step` batches and carries its running totals.
 */
export async function trainEpoch(
  ctx: EpochContext,
  epoch: number,
  rng: Rng,
  resume?: MidEpochProgress,
): Promise<EpochRecord> {
  const { config, data, model, criterion, optimizer, stepsPerEpoch, progress } = ctx;
  const twoViews = criterion.usesSecondView;
  criterion.startEpoch?.(epoch);
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const sums = { ...(resume?.sums ?? { cls: 0, con: 0, total: 0 }) };
  let steps = resume?.step ?? 0;
  let lrFirst = resume?.lrFirst ?? 0;
  let lrLast = resume?.lrLast ?? 0;
  const priorSeconds = resume?.seconds ?? 0;
  const priorCpu = resume?.cpuSeconds ?? 0;
  const every = ctx.checkpointEvery ?? 0;
  for await (const batch of data.epochBatches({
    set: data.train,
    batchSize: config.batchSize,
    twoViews,
    rng,
    startBatch: steps,
  })) {
    if (steps >= stepsPerEpoch) break;
    // Let the event loop run between steps (a step's promises alone never do): signal handlers
    // (Ctrl-C releases the run's lock) and the IPC 'disconnect' of a dead parent (rescom demo)
    // are handled within a step, not after the run.
    if (typeof setImmediate === 'function') await new Promise<void>((resolve) => setImmediate(resolve));
    const lr = learningRateAt(config, { epoch, step: steps, stepsPerEpoch });
    optimizer.learningRate = lr;
    if (steps === 0) lrFirst = lr;
    lrLast = lr;
    let losses: StepLosses;
    try {
      losses = await trainStep({
        model,
        criterion,
        optimizer,
        batch,
        twoViews,
        where: `epoch ${epoch + 1} step ${steps + 1}/${stepsPerEpoch}`,
      });
    } catch (error) {
      if (error instanceof NonFiniteLossError) {
        throw new Error(
          `train: stopped: ${error.message}. The last good checkpoint is ${ctx.lastCheckpoint() || '(none: it diverged in the first epoch)'}; lower --lr or check the data.`,
        );
      }
      throw error;
    }
    await ctx.onStep?.({ epoch: epoch + 1, step: steps + 1, learningRate: optimizer.learningRate, losses });
    sums.cls += losses.cls;
    sums.con += losses.con;
    sums.total += losses.total;
    steps++;
    if (every > 0 && steps % every === 0 && steps < stepsPerEpoch && ctx.checkpointMidEpoch) {
      const cpu = process.cpuUsage(cpuStart);
      await ctx.checkpointMidEpoch(epoch, {
        step: steps,
        sums: { ...sums },
        lrFirst,
        lrLast,
        seconds: priorSeconds + (Date.now() - started) / 1000,
        cpuSeconds: priorCpu + (cpu.user + cpu.system) / 1e6,
      });
    }
    const elapsed = (Date.now() - started) / 1000;
    const doneSteps = (epoch - ctx.firstEpoch) * stepsPerEpoch + steps;
    const leftSteps = (ctx.stopEpoch - epoch) * stepsPerEpoch - steps;
    progress?.update({
      epoch: epoch + 1,
      epochs: config.epochs,
      step: steps,
      stepsPerEpoch,
      loss: sums.total / steps,
      detail: twoViews ? `cls ${(sums.cls / steps).toFixed(3)} con ${(sums.con / steps).toFixed(3)}` : undefined,
      lr,
      imagesPerSecond: ((steps - (resume?.step ?? 0)) * config.batchSize) / Math.max(elapsed, 1e-3),
      etaSeconds: doneSteps > 0 ? (((Date.now() - ctx.runStart) / 1000) * leftSteps) / doneSteps : null,
    });
  }
  if (steps < stepsPerEpoch)
    throw new Error(`train: epoch ${epoch + 1} produced ${steps} batches; expected ${stepsPerEpoch}`);
  const trainSeconds = priorSeconds + (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const val =
    data.val && data.val.labels.length > 0
      ? summarizeEvaluation(await evaluateSplit({ model, data, set: data.val, batchSize: config.evalBatchSize }))
      : null;
  return {
    epoch: epoch + 1,
    lrFirst,
    lrLast,
    loss: sums.total / steps,
    cls: sums.cls / steps,
    con: sums.con / steps,
    steps,
    images: steps * config.batchSize,
    seconds: trainSeconds,
    cpuSeconds: priorCpu + (cpu.user + cpu.system) / 1e6,
    imagesPerSecond: (steps * config.batchSize) / Math.max(trainSeconds, 1e-3),
    val,
    backend: currentBackend()?.line ?? null,
  };
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
  if (r.val)
    parts.push(`val top1 ${pct(r.val.top1)} many ${pct(r.val.many)} medium ${pct(r.val.medium)} few ${pct(r.val.few)}`);
  return parts.join('  ');
}
