/**
 * `GroupedConv2D`: a bias-free 2-D convolution with `groups` (ResNeXt's cardinality, Xie et al.
 * 2017, Sec. 3.3). tfjs `conv2d` has no groups, so the input and the kernel are split into `groups`
 * channel slices, convolved pairwise and concatenated: every piece has a wasm gradient. The kernel
 * is stored as one weight `[kh, kw, inChannels / groups, filters]`, as PyTorch's
 * `[filters, inChannels / groups, kh, kw]` transposed, so parameter counts match the reference.
 */
import * as tf from '@tensorflow/tfjs';
import type { Initializer } from './init';

export interface GroupedConv2DArgs {
  filters: number;
  kernelSize: number;
  groups: number;
  /** Default 1. */
  strides?: number;
  /** Default 'valid' (pad explicitly with ZeroPadding2D for PyTorch-style symmetric padding). */
  padding?: 'same' | 'valid';
  /** Default glorotUniform; pass a seeded initializer. */
  kernelInitializer?: Initializer;
  name?: string;
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export class GroupedConv2D extends tf.layers.Layer {
  static className = 'ResComGroupedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly groups: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  private readonly kernelInitializer: Initializer;
  private kernel!: LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    for (const key of ['filters', 'kernelSize', 'groups'] as const) {
      if (!Number.isInteger(args?.[key]) || args[key] <= 0) {
        throw new Error(`GroupedConv2D: ${key} must be a positive integer; got ${args?.[key]}`);
      }
    }
    if (args.filters % args.groups !== 0) {
      throw new Error(`GroupedConv2D: filters must be divisible by groups; got ${args.filters} and ${args.groups}`);
    }
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.groups = args.groups;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'valid';
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null || channels % this.groups !== 0) {
      throw new Error(`GroupedConv2D: input channels must be divisible by groups (${this.groups}); got ${channels}`);
    }
    const k = this.kernelSize;
    this.kernel = this.addWeight('kernel', [k, k, channels / this.groups, this.filters], 'float32', this.kernelInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null) =>
      size == null ? null : this.padding === 'same' ? Math.ceil(size / this.strides) : Math.floor((size - this.kernelSize) / this.strides) + 1;
    return [n, out(h), out(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const kernel = this.kernel.read() as tf.Tensor4D;
      if (this.groups === 1) return tf.conv2d(x, kernel, this.strides, this.padding);
      const xs = tf.split(x, this.groups, 3);
      const ks = tf.split(kernel, this.groups, 3);
      return tf.concat(xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, ks[g] as tf.Tensor4D, this.strides, this.padding)), 3);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      groups: this.groups,
      strides: this.strides,
      padding: this.padding,
      // The initializer is not serialised: a loaded model takes its weights from the file.
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);
