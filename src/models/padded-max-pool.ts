/**
 * `PaddedMaxPool2D`: 2-D max pooling with symmetric padding of `padding` pixels (PyTorch's
 * `MaxPool2d(kernel, stride, padding)`), e.g. the ImageNet ResNet stem's 3x3/2 pool with padding 1.
 * Padded positions never win (as PyTorch's -inf padding). Computed by `tf.maxPool` with explicit
 * padding: no padded copy of the input is made, and its gradient needs no slice (each a full copy
 * of the stem's activations: ~70 ms of a ResNet-50 step at 224 px on wasm).
 */
import * as tf from '@tensorflow/tfjs';

export interface PaddedMaxPool2DArgs {
  poolSize: number;
  strides: number;
  /** Pixels on every side; at most poolSize / 2. */
  padding: number;
  name?: string;
}

export class PaddedMaxPool2D extends tf.layers.Layer {
  static className = 'ResComPaddedMaxPool2D';
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: number;

  constructor(args: PaddedMaxPool2DArgs) {
    super(args);
    for (const key of ['poolSize', 'strides'] as const) {
      if (!Number.isInteger(args?.[key]) || args[key] <= 0) {
        throw new Error(`PaddedMaxPool2D: ${key} must be a positive integer; got ${args?.[key]}`);
      }
    }
    if (!Number.isInteger(args.padding) || args.padding < 0 || 2 * args.padding > args.poolSize) {
      throw new Error(`PaddedMaxPool2D: padding must be an integer in 0..${Math.floor(args.poolSize / 2)}; got ${args.padding}`);
    }
    this.poolSize = args.poolSize;
    this.strides = args.strides;
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null) => (size == null ? null : Math.floor((size + 2 * this.padding - this.poolSize) / this.strides) + 1);
    return [n, out(h), out(w), c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.maxPool(x, this.poolSize, this.strides, this.padding === 0 ? 'valid' : this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}
tf.serialization.registerClass(PaddedMaxPool2D);
