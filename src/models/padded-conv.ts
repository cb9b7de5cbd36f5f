/**
 * `PaddedConv2D`: a bias-free 2-D convolution with PyTorch-style symmetric zero padding
 * (`padding` pixels on every side), for strided convolutions where tfjs 'same' would pad only
 * bottom/right. The padding is passed to the convolution itself (explicit padding), so no padded
 * copy of the input is made and its gradient needs no slice (each is a full copy on wasm).
 * Kernel [k, k, inChannels, filters], like tf.layers.conv2d, so parameter counts and checkpoints
 * line up with PyTorch's Conv2d(bias=False).
 */
import * as tf from '@tensorflow/tfjs';
import type { Initializer } from './init';

export interface PaddedConv2DArgs {
  filters: number;
  kernelSize: number;
  /** Default 1. */
  strides?: number;
  /** Zero padding on each side; default kernelSize // 2. */
  padding?: number;
  /** Default glorotUniform; pass a seeded initializer. */
  kernelInitializer?: Initializer;
  name?: string;
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export class PaddedConv2D extends tf.layers.Layer {
  static className = 'ResComPaddedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: number;
  private readonly kernelInitializer: Initializer;
  private kernel!: LayerVariable;

  constructor(args: PaddedConv2DArgs) {
    super(args);
    for (const key of ['filters', 'kernelSize'] as const) {
      if (!Number.isInteger(args?.[key]) || args[key] <= 0) {
        throw new Error(`PaddedConv2D: ${key} must be a positive integer; got ${args?.[key]}`);
      }
    }
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? Math.floor(args.kernelSize / 2);
    if (!Number.isInteger(this.strides) || this.strides < 1) throw new Error(`PaddedConv2D: strides must be a positive integer; got ${args.strides}`);
    if (!Number.isInteger(this.padding) || this.padding < 0) throw new Error(`PaddedConv2D: padding must be a non-negative integer; got ${args.padding}`);
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`PaddedConv2D: the channel axis must be known; got input shape [${shape}]`);
    const k = this.kernelSize;
    this.kernel = this.addWeight('kernel', [k, k, channels, this.filters], 'float32', this.kernelInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null) => (size == null ? null : Math.floor((size + 2 * this.padding - this.kernelSize) / this.strides) + 1);
    return [n, out(h), out(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const p = this.padding;
    const pad: 'valid' | [[number, number], [number, number], [number, number], [number, number]] =
      p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]];
    return tf.conv2d(x, this.kernel.read() as tf.Tensor4D, this.strides, pad);
  }

  override getConfig(): tf.serialization.ConfigDict {
    // The initializer is not serialised: a loaded model takes its weights from the file.
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding };
  }
}
tf.serialization.registerClass(PaddedConv2D);
