/**
 * `OptionAShortcut`: the parameter-free shortcut of He et al. 2016 (Sec. 4.2, "option A") used by
 * the CIFAR ResNets: subsample by 2 in height and width (`x[:, ::2, ::2, :]`, as the reference's
 * `LambdaLayer`) and zero-pad the channels equally on both sides up to `outChannels`.
 *
 * The subsample is a reshape + slice (both with wasm gradients) rather than a strided slice, whose
 * gradient tfjs lacks. Odd sizes are padded by one row/column first, which keeps `::2` semantics.
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
  const [n, h, w, c] = x.shape;
  const extra = outChannels - c;
  if (extra < 0 || extra % 2 !== 0) {
    throw new Error(`subsampleAndPad: outChannels - inChannels must be even and >= 0; got ${outChannels} - ${c}`);
  }
  let even = x;
  if (h % 2 === 1 || w % 2 === 1) even = tf.pad(x, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]]);
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  // [N*H/2, 2, W/2, 2*C]: row pairs on axis 1, column pairs folded into the channel axis.
  const folded = tf.reshape(even, [n * h2, 2, w2, 2 * c]);
  const picked = tf.slice(folded, [0, 0, 0, 0], [n * h2, 1, w2, c]);
  const sub = tf.reshape(picked, [n, h2, w2, c]);
  return extra === 0 ? (sub as tf.Tensor4D) : (tf.pad(sub, [[0, 0], [0, 0], [0, 0], [extra / 2, extra / 2]]) as tf.Tensor4D);
}
