/**
 * `OptionAShortcut`: the parameter-free shortcut of He et al. 2016 (Sec. 4.2, "option A") used by
 * the CIFAR ResNets: subsample by 2 in height and width (`x[:, ::2, ::2, :]`, as the reference's
 * `LambdaLayer`) and zero-pad the channels equally on both sides up to `outChannels`.
 *
 * Computed as one 1x1 convolution with stride 2 and a constant 0/1 selection filter
 * [1, 1, C, outChannels] (identity into the middle channels): subsample and channel padding in a
 * single fast XNNPACK pass, and a gradient that is a plain convolution input gradient. (Slicing
 * costs a full copy per call on wasm and strided slices have no gradient in tfjs.) For odd sizes
 * a 1x1 stride-2 'valid' convolution keeps rows 0, 2, ..., exactly like `::2`.
 */
import * as tf from '@tensorflow/tfjs';

export interface OptionAShortcutArgs {
  /** Channels after padding; `outChannels - inChannels` must be even and >= 0. */
  outChannels: number;
  name?: string;
}

export class OptionAShortcut extends tf.layers.Layer {
  static className = 'ResComOptionAShortcut';
  readonly outChannels: number;

  constructor(args: OptionAShortcutArgs) {
    super(args);
    if (!Number.isInteger(args?.outChannels) || args.outChannels <= 0) {
      throw new Error(`OptionAShortcut: outChannels must be a positive integer; got ${args?.outChannels}`);
    }
    this.outChannels = args.outChannels;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [n, h == null ? null : Math.ceil(h / 2), w == null ? null : Math.ceil(w / 2), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => subsampleAndPad(x, this.outChannels));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outChannels: this.outChannels };
  }
}
tf.serialization.registerClass(OptionAShortcut);

/** `x [N, H, W, C]` -> `[N, ceil(H/2), ceil(W/2), outChannels]`: every other pixel, channels zero-padded. */
export function subsampleAndPad(x: tf.Tensor4D, outChannels: number): tf.Tensor4D {
  const c = x.shape[3];
  const extra = outChannels - c;
  if (extra < 0 || extra % 2 !== 0) {
    throw new Error(`subsampleAndPad: outChannels - inChannels must be even and >= 0; got ${outChannels} - ${c}`);
  }
  return tf.tidy(() => {
    const selection = new Float32Array(c * outChannels);
    for (let k = 0; k < c; k++) selection[k * outChannels + k + extra / 2] = 1;
    return tf.conv2d(x, tf.tensor4d(selection, [1, 1, c, outChannels]), 2, 'valid');
  });
}
