/**
 * Seeded initialisers matching the reference (PyTorch) initialisation. Each call draws one seed
 * from the passed `Rng`, so building the same model with the same seed gives the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';

/** A tf.layers weight initialiser (the class tfjs-layers does not re-export). */
export type Initializer = ReturnType<typeof tf.initializers.randomNormal>;

/**
 * Kaiming/He normal (He et al. 2015, Eq. 10): N(0, 2 / fan), untruncated like PyTorch's
 * `kaiming_normal_` (tfjs's `heNormal` truncates). `fan` is `k*k*inChannels` (fan_in, the CIFAR
 * reference) or `k*k*outChannels` (fan_out, torchvision's ResNets).
 */
export function kaimingNormal(options: { fan: number; rng: Rng }): Initializer {
  if (!(options.fan > 0)) throw new Error(`kaimingNormal: fan must be > 0; got ${options.fan}`);
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / options.fan), seed: options.rng.tfSeed() });
}

/** PyTorch's default `nn.Linear` initialisation: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
export function linearUniform(options: { fanIn: number; rng: Rng }): Initializer {
  if (!(options.fanIn > 0)) throw new Error(`linearUniform: fanIn must be > 0; got ${options.fanIn}`);
  const bound = 1 / Math.sqrt(options.fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: options.rng.tfSeed() });
}
