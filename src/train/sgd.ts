/**
 * SGD with momentum and L2 weight decay, as PyTorch's `torch.optim.SGD(momentum, weight_decay)`
 * (dampening 0, no Nesterov), which the paper's runs use:
 *   g' = g + weightDecay * w;   v = momentum * v + g';   w = w - lr * v.
 * The decay is added to the GRADIENT (not to the loss): the loss values logged stay the task's loss.
 * Decay applies to every trainable weight (BatchNorm and biases included), as in the reference.
 *
 * Where the backend has the native kernel (wasm with the training addon,
 * src/backend/wasm/native-training.ts) each weight's update is one multi-threaded pass; elsewhere
 * the same float operations run as tf ops, in the order TensorFlow.js's MomentumOptimizer uses
 * (v' = m v + g', w' = (-lr) v' + w): both give bit-identical weights (test/train/sgd.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { SGD_MOMENTUM_KERNEL } from '../backend/wasm/native-training';

export interface SgdOptions {
  /** Initial learning rate (the trainer sets it every step from the schedule). */
  lr: number;
  /** Default 0.9. */
  momentum?: number;
  /** Default 0. */
  weightDecay?: number;
}

/** The optimiser state a checkpoint stores: step count and one momentum buffer per variable, in variable order. */
export interface SgdState {
  iterations: number;
  /** Momentum buffers, aligned with the variable list passed to `step` (empty before the first step). */
  buffers: tf.Tensor[];
}

export class SgdWithWeightDecay {
  readonly momentum: number;
  readonly weightDecay: number;
  private lr: number;
  private steps = 0;
  /** Momentum buffers by position in the variable list (created, zero, at the first step). */
  private buffers: tf.Variable[] = [];

  constructor(options: SgdOptions) {
    const { lr, momentum = 0.9, weightDecay = 0 } = options;
    if (!(lr > 0)) throw new Error(`SgdWithWeightDecay: options.lr must be > 0; got ${lr}`);
    if (!(momentum >= 0 && momentum < 1))
      throw new Error(`SgdWithWeightDecay: options.momentum must be in [0, 1); got ${momentum}`);
    if (!(weightDecay >= 0))
      throw new Error(`SgdWithWeightDecay: options.weightDecay must be >= 0; got ${weightDecay}`);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.lr = lr;
  }

  /** The learning rate the next step will use. */
  get learningRate(): number {
    return this.lr;
  }

  set learningRate(lr: number) {
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new Error(`SgdWithWeightDecay.learningRate: expected a finite number >= 0; got ${lr}`);
    this.lr = lr;
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.steps;
  }

  /**
   * One update. `variables` must be passed in the same order every step (momentum buffers are
   * matched by position), `gradients[i]` is the loss gradient of `variables[i]`. The gradients are
   * not disposed.
   */
  step(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    if (variables.length !== gradients.length) {
      throw new Error(`SgdWithWeightDecay.step: got ${variables.length} variables but ${gradients.length} gradients`);
    }
    variables.forEach((v, i) => {
      if (!gradients[i] || !tf.util.arraysEqual(gradients[i].shape, v.shape)) {
        throw new Error(
          `SgdWithWeightDecay.step: gradient ${i} (${v.name}) must have shape [${v.shape}]; got ${gradients[i] ? `[${gradients[i].shape}]` : 'none'}`,
        );
      }
    });
    const native = Boolean(tf.getKernel(SGD_MOMENTUM_KERNEL, tf.getBackend()));
    const attrs = { lr: this.lr, momentum: this.momentum, weightDecay: this.weightDecay };
    tf.tidy(() => {
      const m = tf.scalar(this.momentum);
      const negativeLr = tf.scalar(-this.lr);
      const decay = tf.scalar(this.weightDecay);
      variables.forEach((w, i) => {
        this.buffers[i] ??= tf.variable(tf.zerosLike(w), false);
        const v = this.buffers[i];
        const g = gradients[i];
        if (native && w.dtype === 'float32' && g.dtype === 'float32') {
          const [wNext, vNext] = tf.engine().runKernel(SGD_MOMENTUM_KERNEL, { w, g, v }, attrs as never) as tf.Tensor[];
          v.assign(vNext);
          w.assign(wNext);
          return;
        }
        const decayed = this.weightDecay > 0 ? tf.add(g, tf.mul(decay, w)) : g;
        const vNext = tf.add(tf.mul(m, v), decayed);
        v.assign(vNext);
        w.assign(tf.add(tf.mul(negativeLr, vNext), w));
      });
    });
    this.steps++;
  }

  /** Copies of the optimiser state (the caller owns and disposes the tensors). */
  async state(): Promise<SgdState> {
    return { iterations: this.steps, buffers: this.buffers.map((b) => b.clone()) };
  }

  /** Restore a state from `state()`; the tensors are copied, the caller keeps ownership. */
  async restore(state: SgdState): Promise<void> {
    if (!Number.isInteger(state.iterations) || state.iterations < 0)
      throw new Error(`SgdWithWeightDecay.restore: state.iterations must be an integer >= 0; got ${state.iterations}`);
    tf.dispose(this.buffers);
    // A variable made from a tensor shares its (immutable) data: updates replace it, never write it.
    this.buffers = state.buffers.map((b) => tf.variable(b, false));
    this.steps = state.iterations;
  }

  dispose(): void {
    tf.dispose(this.buffers);
    this.buffers = [];
  }
}
