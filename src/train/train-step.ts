/**
 * One optimisation step: forward both views as one Siamese batch [2N, H, W, C] (so BatchNorm sees
 * both, as in the reference), the method's loss, gradients of every trainable weight, a check that
 * the loss is finite, the SGD update, then the criterion's queue update (after the step, no gradient).
 */
import * as tf from '@tensorflow/tfjs';
import type { TwoViewBatch } from '../data/types';
import { twoViewInput } from '../data/batch-input';
import type { SgdWithWeightDecay } from './sgd';
import { leanVariableGrads } from './lean-gradients';

/**
 * What a criterion saves in a checkpoint: JSON values and tensors, nested in arrays and plain
 * objects (the form `encodeState` writes). The loaded tensors belong to whoever loaded them.
 */
export type CriterionState =
  null | boolean | number | string | tf.Tensor | readonly CriterionState[] | { readonly [key: string]: CriterionState };

/**
 * The criterion interface the trainer drives (src/losses `ResComCriterion` implements it), typed by
 * the state it checkpoints: `restore(state())` must give back a criterion that continues exactly.
 */
export interface TrainingCriterion<State extends CriterionState = CriterionState> {
  readonly usesSecondView: boolean;
  /** logits [B, C], raw projections [B, d], labels [B] -> scalar parts (caller owns them). */
  loss(inputs: { logits: tf.Tensor2D; projections: tf.Tensor2D; labels: Int32Array }): {
    cls: tf.Scalar;
    con: tf.Scalar;
    total: tf.Scalar;
  };
  /** Called before each epoch (0-based), also for every epoch after a resume; for losses with a schedule. */
  startEpoch?(epoch: number): void;
  /** Called once after each applied step (enqueues view 1 of the last loss call). */
  afterStep(): void;
  state(): State;
  restore(state: State): void;
  dispose(): void;
}

export interface StepLosses {
  cls: number;
  con: number;
  total: number;
}

/** Thrown when a loss part is NaN or infinite; the step was not applied. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly part: keyof StepLosses,
    readonly value: number,
    readonly where: string,
  ) {
    super(`non-finite loss: ${part} = ${value} at ${where}; the step was not applied`);
    this.name = 'NonFiniteLossError';
  }
}

export interface TrainStepOptions {
  model: tf.LayersModel;
  criterion: TrainingCriterion;
  optimizer: SgdWithWeightDecay;
  batch: TwoViewBatch;
  /** Feed view 2 as well (methods with a contrastive loss). */
  twoViews: boolean;
  /** Text for error messages, e.g. `epoch 3 step 17`. */
  where?: string;
  /**
   * Called once the loss is checked, just before the update, with every variable about to be updated
   * and its loss gradient (same order; weight decay not yet added). The tensors belong to the step:
   * read them, do not dispose or keep them. For checks against a reference (test/train/whole-step.test.ts).
   */
  inspectGradients?: (variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]) => void;
}

/** Runs one step and returns the loss parts; leaves no tensors behind. */
export async function trainStep(options: TrainStepOptions): Promise<StepLosses> {
  const { model, criterion, optimizer, batch, twoViews } = options;
  const [n, h, w, c] = batch.shape;
  const rows = twoViews ? 2 * n : n;
  // Streamed batches carry uint8 views: normalised once, straight into the model input.
  const images = twoViewInput(batch, twoViews, 'trainStep');
  const labels = new Int32Array(rows);
  labels.set(batch.labels);
  if (twoViews) labels.set(batch.labels, n);

  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const x = tf.tensor4d(images, [rows, h, w, c]);
  let parts: { cls: tf.Scalar; con: tf.Scalar } | null = null;
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | null = null;
  try {
    result = leanVariableGrads(() => {
      const [, logits, projections] = model.apply(x, { training: true }) as tf.Tensor[];
      const loss = criterion.loss({ logits: logits as tf.Tensor2D, projections: projections as tf.Tensor2D, labels });
      parts = { cls: tf.keep(loss.cls), con: tf.keep(loss.con) };
      return loss.total;
    }, variables);
    const kept = parts as unknown as { cls: tf.Scalar; con: tf.Scalar };
    const stacked = tf.stack([kept.cls, kept.con, result.value]);
    const values = Array.from(await stacked.data());
    stacked.dispose();
    const losses: StepLosses = { cls: values[0], con: values[1], total: values[2] };
    for (const part of ['cls', 'con', 'total'] as const) {
      if (!Number.isFinite(losses[part]))
        throw new NonFiniteLossError(part, losses[part], options.where ?? 'this step');
    }
    // Weights the loss does not reach (the projection head under `ce` / `balsfx`) get no gradient;
    // like PyTorch, which skips parameters whose .grad is None, they get no update and no decay.
    // The subset is the same at every step of a method, so the momentum buffers stay aligned.
    const grads = result.grads;
    const updated = variables.filter((v) => grads[v.name] !== undefined);
    const gradients = updated.map((v) => grads[v.name]);
    options.inspectGradients?.(updated, gradients);
    optimizer.step(updated, gradients);
    criterion.afterStep();
    return losses;
  } finally {
    x.dispose();
    if (parts) tf.dispose([(parts as { cls: tf.Scalar }).cls, (parts as { con: tf.Scalar }).con]);
    if (result) {
      result.value.dispose();
      tf.dispose(Object.values(result.grads));
    }
  }
}
