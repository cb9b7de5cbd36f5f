/**
 * Gradient decoupling (paper Sec. 3.4, motivation figure): how much gradient each positive and
 * negative pair of the supervised contrastive loss carries, as a function of its rank by logit.
 * The per-pair gradients d l_i / d u (sigma - 1/|P_i| for positives, sigma for negatives) come from
 * `contrastiveLogitGradients` in src/losses; this file runs the model, ranks and summarises them.
 */
import * as tf from '@tensorflow/tfjs';
import { contrastiveLogitGradients, type AnchorPairGradients } from '../losses/contrastive-gradients';

export interface RankCurve {
  /** 1-based rank by logit within an anchor's pairs (rank 1 = largest logit). */
  rank: number[];
  /** Mean |d l_i / d u| over the anchors that have a pair at this rank. */
  meanAbsGradient: number[];
  /** Anchors contributing at each rank. */
  anchors: number[];
}

export interface GradientDecoupling {
  /** Positives sorted by logit, largest first: the largest-logit positives are the easy ones. */
  positives: RankCurve;
  /** Negatives sorted by logit, largest first: the hardest negatives come first. */
  negatives: RankCurve;
  threshold: number;
  /** Share of positive / negative pairs with |gradient| below `threshold`. */
  shareBelowThreshold: { positives: number | null; negatives: number | null };
  /** Pairs counted (over all anchors with at least one positive). */
  pairCounts: { positives: number; negatives: number };
}

export interface SummarizePairGradientsOptions {
  /** |gradient| below this counts as "no signal". Default 1e-3 (the paper plots gradients x1e-3). */
  threshold?: number;
  /** Keep ranks 1..maxRank only in the curves (shares still count every pair). Default: all. */
  maxRank?: number;
}

/** Rank curves and below-threshold shares from per-anchor pair gradients (each list sorted by logit, largest first). */
export function summarizePairGradients(
  anchors: AnchorPairGradients[],
  options: SummarizePairGradientsOptions = {},
): GradientDecoupling {
  const threshold = options.threshold ?? 1e-3;
  if (!Number.isFinite(threshold) || threshold < 0)
    throw new Error(`summarizePairGradients: threshold must be a number >= 0; got ${threshold}`);
  const maxRank = options.maxRank ?? Infinity;
  if (!(maxRank >= 1)) throw new Error(`summarizePairGradients: maxRank must be >= 1; got ${maxRank}`);
  // Anchors without positives have no loss, hence no gradient: they would only dilute the curves.
  const used = anchors.filter((a) => a.positiveGradients.length > 0);
  const curve = (lists: number[][]): { curve: RankCurve; below: number; total: number } => {
    const sums: number[] = [];
    const counts: number[] = [];
    let below = 0;
    let total = 0;
    for (const grads of lists) {
      grads.forEach((g, r) => {
        const m = Math.abs(g);
        total++;
        if (m < threshold) below++;
        if (r < maxRank) {
          sums[r] = (sums[r] ?? 0) + m;
          counts[r] = (counts[r] ?? 0) + 1;
        }
      });
    }
    return {
      curve: {
        rank: sums.map((_, r) => r + 1),
        meanAbsGradient: sums.map((s, r) => s / counts[r]),
        anchors: counts.slice(),
      },
      below,
      total,
    };
  };
  const pos = curve(used.map((a) => a.positiveGradients));
  const neg = curve(used.map((a) => a.negativeGradients));
  return {
    positives: pos.curve,
    negatives: neg.curve,
    threshold,
    shareBelowThreshold: {
      positives: pos.total ? pos.below / pos.total : null,
      negatives: neg.total ? neg.below / neg.total : null,
    },
    pairCounts: { positives: pos.total, negatives: neg.total },
  };
}

export interface ModelGradientDecouplingOptions extends SummarizePairGradientsOptions {
  /** A model returning [features, logits, projections] (src/models `createResComModel(...).model`). */
  model: { predict(x: tf.Tensor4D): tf.Tensor | tf.Tensor[] };
  /** The two augmented views [N, H, W, C] of one batch. */
  view1: tf.Tensor4D;
  view2: tf.Tensor4D;
  /** Labels [N] (repeated for view 2). */
  labels: ArrayLike<number>;
  /** Temperature tau. Default 0.2 (ResCom). */
  temperature?: number;
  /** Index of the projections among the outputs. Default 2. */
  projectionsOutput?: number;
  /** Optional queue keys [M, d] (L2-normalised), their labels [M] and a [2N, M] key mask (e.g. mined pairs). */
  keys?: tf.Tensor2D;
  keyLabels?: ArrayLike<number>;
  keyMask?: tf.Tensor2D | Float32Array;
}

/**
 * Runs the model (inference mode) on both views, L2-normalises the projections into the Siamese
 * batch z [2N, d] (view 1 rows, then view 2) and summarises the per-pair contrastive gradients.
 */
export function modelGradientDecoupling(
  options: ModelGradientDecouplingOptions,
): GradientDecoupling & { perAnchor: AnchorPairGradients[] } {
  const fn = 'modelGradientDecoupling';
  const { model, view1, view2 } = options;
  if (view1.rank !== 4 || view2.rank !== 4 || view1.shape[0] !== view2.shape[0]) {
    throw new Error(
      `${fn}: view1 and view2 must be [N, H, W, C] tensors with the same N; got [${view1.shape}] and [${view2.shape}]`,
    );
  }
  const n = view1.shape[0];
  if (options.labels.length !== n)
    throw new Error(`${fn}: labels must have length ${n} (one per image); got ${options.labels.length}`);
  const labels = Int32Array.from([...Array.from(options.labels), ...Array.from(options.labels)]);
  const index = options.projectionsOutput ?? 2;
  const anchors = tf.tidy(() => {
    const project = (x: tf.Tensor4D): tf.Tensor2D => {
      const out = model.predict(x);
      const z = Array.isArray(out) ? out[index] : out;
      if (!z || z.rank !== 2)
        throw new Error(
          `${fn}: model output ${index} must be projections [N, d]; got ${z ? `shape [${z.shape}]` : 'nothing'}`,
        );
      return z as tf.Tensor2D;
    };
    const z = tf.concat([project(view1), project(view2)], 0);
    return tf.div(z, tf.maximum(tf.norm(z, 2, 1, true), 1e-12)) as tf.Tensor2D;
  });
  try {
    const perAnchor = contrastiveLogitGradients({
      anchors,
      labels,
      temperature: options.temperature ?? 0.2,
      keys: options.keys,
      keyLabels: options.keyLabels,
      keyMask: options.keyMask,
    });
    return { ...summarizePairGradients(perAnchor, options), perAnchor };
  } finally {
    anchors.dispose();
  }
}
