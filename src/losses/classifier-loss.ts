/**
 * The classification loss L_cls of every method, by name; each name is the tested function of its
 * own file, and every caller (the criterion, `resComLoss`) goes through here:
 *
 *   ce                 CE(logits, y)                                     `crossEntropyLoss`
 *   balanced-softmax   CE(logits + log(pi + 1e-9), y) (ResCom Sec. 3.1)  `balancedSoftmaxLoss`
 *   focal              focal loss, gamma = 2                             `focalLoss`
 *   ldam-drw           LDAM margins, deferred re-weighting               `ldamLoss` + `drwClassWeights`
 *
 * LDAM-DRW as Cao et al. train it: largest margin 0.5, DRW weights (effective number, beta 0.9999)
 * from `drwStartEpoch` on. Their classifier is cosine-normalised with logit scale s = 30; the
 * classifier here is an ordinary linear layer whose logits are already on a free scale, so they are
 * used unscaled (s = 1).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LabelsLike } from './checks';
import { crossEntropyLoss } from './cross-entropy';
import { focalLoss } from './focal';
import { drwClassWeights, ldamLoss } from './ldam';
import { balancedSoftmaxLoss } from './logit-adjusted';

export const CLASSIFIER_LOSS_NAMES = ['ce', 'balanced-softmax', 'focal', 'ldam-drw'] as const;
export type ClassifierLossName = (typeof CLASSIFIER_LOSS_NAMES)[number];

/** LDAM's logit scale for an ordinary (not normalised) linear classifier; see the file comment. */
export const LDAM_SCALE = 1;

export interface ClassifierLossOptions {
  /** Classifier logits `[B, C]` (the rows the method's L_cls uses). */
  logits: tf.Tensor2D;
  /** Class indices `[B]` (a tensor is not read back). */
  labels: LabelsLike;
  /** Training images per class `[C]`. */
  classCounts: ArrayLike<number>;
  /** ldam-drw: the current epoch (0-based) and the first re-weighted one. */
  epoch?: number;
  drwStartEpoch?: number;
}

/** The mean loss `name` over the rows given; a scalar (caller owns it). */
export function classifierLoss(name: ClassifierLossName, options: ClassifierLossOptions): tf.Scalar {
  const { logits, labels, classCounts } = options;
  switch (name) {
    case 'ce':
      return crossEntropyLoss({ logits, labels });
    case 'balanced-softmax':
      return balancedSoftmaxLoss({ logits, labels, classCounts });
    case 'focal':
      return focalLoss({ logits, labels, gamma: 2 });
    case 'ldam-drw': {
      const epoch = options.epoch ?? 0;
      const startEpoch = options.drwStartEpoch ?? 160;
      // Before the start the weights are all 1: the plain mean (no weighted-mean rounding).
      const classWeights =
        epoch < startEpoch ? undefined : drwClassWeights({ classCounts, epoch, startEpoch, beta: 0.9999 });
      return ldamLoss({ logits, labels, classCounts, maxMargin: 0.5, scale: LDAM_SCALE, classWeights });
    }
    default:
      throw new Error(`classifierLoss: name must be one of ${CLASSIFIER_LOSS_NAMES.join(', ')}; got '${String(name)}'`);
  }
}
