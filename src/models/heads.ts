/**
 * Heads on top of the backbone features f [N, dFeat]:
 * - the projection MLP of SupCon/BCL/ResCom (docs/paper-notes.md, "z"): Linear(dFeat, dFeat) ->
 *   BatchNorm1d -> ReLU -> Linear(dFeat, dCon). Its output is NOT L2-normalised here; the
 *   contrastive loss normalises.
 * - the linear classifier: Linear(dFeat, numClasses) -> logits.
 * Linear layers use PyTorch's default initialisation (seeded).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { resComBatchNorm } from './batch-norm-layer';
import { linearUniform } from './init';
import type { Sym } from './layers';

/** A PyTorch-style nn.Linear as a tf.layers dense layer. */
export function linear(x: Sym, options: { units: number; name: string; rng: Rng }): Sym {
  const fanIn = x.shape[x.shape.length - 1] as number;
  return tf.layers
    .dense({
      units: options.units,
      kernelInitializer: linearUniform({ fanIn, rng: options.rng }),
      biasInitializer: linearUniform({ fanIn, rng: options.rng }),
      name: options.name,
    })
    .apply(x) as Sym;
}

/** features [N, dFeat] -> projections [N, projectionDim] (not normalised). */
export function projectionHead(features: Sym, options: { projectionDim: number; rng: Rng; name?: string }): Sym {
  const name = options.name ?? 'head';
  const dFeat = features.shape[features.shape.length - 1] as number;
  let z = linear(features, { units: dFeat, name: `${name}_fc1`, rng: options.rng });
  z = resComBatchNorm({ name: `${name}_bn`, relu: true }).apply(z) as Sym;
  return linear(z, { units: options.projectionDim, name: `${name}_fc2`, rng: options.rng });
}

/** features [N, dFeat] -> logits [N, numClasses]. */
export function linearClassifier(features: Sym, options: { numClasses: number; rng: Rng; name?: string }): Sym {
  return linear(features, { units: options.numClasses, name: options.name ?? 'classifier', rng: options.rng });
}
