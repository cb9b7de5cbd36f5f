/**
 * `ResComBatchNorm`: a tf.layers BatchNorm (channels last) that trains with `batchNormTraining`
 * (fast on wasm, see batch-norm-op.ts) and normalises with running statistics at inference.
 * Conventions follow PyTorch's BatchNorm1d/2d, the reference implementation's: `momentum` 0.1 is
 * the weight of the new batch (`running = (1 - momentum) * running + momentum * batch`), running
 * variance uses the unbiased batch variance, `epsilon` 1e-5.
 *
 * With `residual: true` the layer takes two inputs `[x, shortcut]` and returns
 * `relu?(BN(x) + shortcut)`: a residual block's tail as one layer (one kernel each way on wasm, no
 * sum tensor kept for the backward pass); its weights are BN(x)'s, so checkpoints are unchanged.
 *
 * Training mode is `layer.apply(x, { training: true })` (as `model.apply(x, { training: true })`
 * and `model.fit` do); `model.predict` uses the running statistics. Registered with
 * `tf.serialization.registerClass`, so `tf.loadLayersModel` rebuilds models that use it once this
 * module is imported.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from './batch-norm-op';

export interface ResComBatchNormArgs {
  /** Weight of the current batch in the running statistics. Default 0.1 (PyTorch). */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch). */
  epsilon?: number;
  /** Follow with ReLU, fused into the BatchNorm passes (BN -> ReLU is every conv's tail but the last). Default false. */
  relu?: boolean;
  /** Take `[x, shortcut]` and add the shortcut before the ReLU (see the class comment). Default false. */
  residual?: boolean;
  name?: string;
  trainable?: boolean;
  /** Only for the first layer of a Sequential model: input shape without the batch axis. */
  inputShape?: number[];
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export class ResComBatchNorm extends tf.layers.Layer {
  static className = 'ResComBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  readonly relu: boolean;
  readonly residual: boolean;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: ResComBatchNormArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-5;
    this.relu = args.relu ?? false;
    this.residual = args.residual ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new Error(`ResComBatchNorm: momentum must be in [0, 1]; got ${args.momentum}`);
    }
    if (!(this.epsilon > 0)) throw new Error(`ResComBatchNorm: epsilon must be > 0; got ${args.epsilon}`);
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`ResComBatchNorm: the channel axis must be known; got input shape [${shape}]`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return this.residual ? (inputShape as tf.Shape[])[0] : inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== (this.residual ? 2 : 1)) {
      throw new Error(`ResComBatchNorm '${this.name}': expected ${this.residual ? '[x, shortcut]' : 'one input'}; got ${list.length} inputs`);
    }
    const [x, shortcut] = list;
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    if (!kwargs?.training) {
      return tf.tidy(() => {
        const normalised = tf.batchNorm(x, this.movingMean.read() as tf.Tensor1D, this.movingVariance.read() as tf.Tensor1D, beta, gamma, this.epsilon);
        const y = shortcut ? tf.add(normalised, shortcut) : normalised;
        return this.relu ? tf.relu(y) : y;
      });
    }
    const { output, mean, variance } = batchNormTraining(x, gamma, beta, { epsilon: this.epsilon, relu: this.relu, residual: shortcut });
    const rows = x.size / x.shape[x.rank - 1];
    const m = this.momentum;
    tf.tidy(() => {
      this.movingMean.write(tf.add(tf.mul(this.movingMean.read(), 1 - m), tf.mul(mean, m)));
      const unbiased = tf.mul(variance, rows / (rows - 1));
      this.movingVariance.write(tf.add(tf.mul(this.movingVariance.read(), 1 - m), tf.mul(unbiased, m)));
    });
    mean.dispose();
    variance.dispose();
    return output;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, relu: this.relu, residual: this.residual };
  }
}
tf.serialization.registerClass(ResComBatchNorm);

/** Convenience factory, like `tf.layers.batchNormalization`. */
export function resComBatchNorm(args: ResComBatchNormArgs = {}): ResComBatchNorm {
  return new ResComBatchNorm(args);
}
