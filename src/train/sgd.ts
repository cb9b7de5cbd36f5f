/**
 * SGD with momentum and L2 weight decay, as PyTorch's `torch.optim.SGD(momentum, weight_decay)`
 * (dampening 0, no Nesterov), which the paper's runs use:
 *   g' = g + weightDecay * w;   v = momentum * v + g';   w = w - lr * v.
 * TensorFlow.js's momentum optimiser does the last two lines but has no weight decay, so the decay
 * is added to the GRADIENT here (not to the loss): the loss values logged stay the task's loss.
 * Decay applies to every trainable weight (BatchNorm and biases included), as in the reference.
 */
import * as tf from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };

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
  private readonly optimizer: tf.MomentumOptimizer;
  private readonly decay: tf.Scalar;

  constructor(options: SgdOptions) {
    const { lr, momentum = 0.9, weightDecay = 0 } = options;
    if (!(lr > 0)) throw new Error(`SgdWithWeightDecay: options.lr must be > 0; got ${lr}`);
    if (!(momentum >= 0 && momentum < 1))
      throw new Error(`SgdWithWeightDecay: options.momentum must be in [0, 1); got ${momentum}`);
    if (!(weightDecay >= 0))
      throw new Error(`SgdWithWeightDecay: options.weightDecay must be >= 0; got ${weightDecay}`);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.optimizer = tf.train.momentum(lr, momentum, false);
    this.decay = tf.keep(tf.scalar(weightDecay));
  }

  /** The learning rate the next step will use, as stored in the TensorFlow.js optimiser itself. */
  get learningRate(): number {
    return this.optimizer.getConfig().learningRate as number;
  }

  set learningRate(lr: number) {
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new Error(`SgdWithWeightDecay.learningRate: expected a finite number >= 0; got ${lr}`);
    this.optimizer.setLearningRate(lr);
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.optimizer.iterations;
  }

  /**
   * One update. `variables` must be passed in the same order every step (momentum buffers are
   * matched by position, as in TensorFlow.js), `gradients[i]` is the loss gradient of `variables[i]`.
   * The gradients are not disposed.
   */
  step(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    if (variables.length !== gradients.length) {
      throw new Error(`SgdWithWeightDecay.step: got ${variables.length} variables but ${gradients.length} gradients`);
    }
    tf.tidy(() => {
      const named: NamedTensor[] = variables.map((v, i) => {
        if (!gradients[i] || !tf.util.arraysEqual(gradients[i].shape, v.shape)) {
          throw new Error(
            `SgdWithWeightDecay.step: gradient ${i} (${v.name}) must have shape [${v.shape}]; got ${gradients[i] ? `[${gradients[i].shape}]` : 'none'}`,
          );
        }
        const tensor = this.weightDecay > 0 ? tf.add(gradients[i], tf.mul(this.decay, v)) : gradients[i];
        return { name: v.name, tensor };
      });
      this.optimizer.applyGradients(named);
    });
  }

  /** Copies of the optimiser state (the caller owns and disposes the tensors). */
  async state(): Promise<SgdState> {
    const weights = await this.optimizer.getWeights();
    const [iterations, ...buffers] = weights;
    const iterationsValue = (await iterations.tensor.data())[0];
    iterations.tensor.dispose();
    return { iterations: iterationsValue, buffers: buffers.map((b) => b.tensor.clone()) };
  }

  /** Restore a state from `state()`; the tensors are copied, the caller keeps ownership. */
  async restore(state: SgdState): Promise<void> {
    const current = await this.optimizer.getWeights();
    current[0].tensor.dispose();
    const named: NamedTensor[] = [
      { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
      ...state.buffers.map((b, i) => ({ name: `buffer_${i}/momentum`, tensor: b })),
    ];
    await this.optimizer.setWeights(named);
    named[0].tensor.dispose();
    // setWeights made new variables from the buffers; the previous ones would otherwise leak.
    tf.dispose(current.slice(1).map((w) => w.tensor));
  }

  dispose(): void {
    this.optimizer.dispose();
    // MomentumOptimizer.dispose (tfjs 4.22) frees its buffers but not the learning-rate scalar that
    // its parent SGDOptimizer holds; the parent's dispose frees exactly that.
    tf.SGDOptimizer.prototype.dispose.call(this.optimizer);
    this.decay.dispose();
  }
}
