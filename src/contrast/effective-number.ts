/**
 * Class weights from the "effective number" of samples (Cui et al., "Class-Balanced Loss Based on
 * Effective Number of Samples", CVPR 2019): E_n = (1 - beta^n) / (1 - beta).
 *
 * ResCom (arXiv 2203.11506, Sec. 3.2, class-balanced supervised contrastive loss) weights anchor i
 * by w_{y_i} = ((1/C) sum_k E_{n_k}) / E_{n_{y_i}} (normalisation `mean`, the default); Cui et al.'s
 * DRW / class-balanced losses use w_c = C * (1/E_c) / sum_k (1/E_k) (normalisation `sum-to-classes`).
 * beta = 0 gives all weights 1 (as the authors' code special-cases it).
 */
import { checkNumber } from '../losses/checks';

export interface EffectiveNumberOptions {
  /** Training images per class `[C]` (positive integers when beta > 0). */
  classCounts: ArrayLike<number>;
  /** beta in [0, 1); 0 gives all-ones weights. ResCom CIFAR: 0.999999, ImageNet-LT: 0.99. */
  beta: number;
  /** `mean` (ResCom, default): mean(E) / E_c. `sum-to-classes` (Cui et al.): weights of 1/E_c summing to C. */
  normalization?: 'mean' | 'sum-to-classes';
}

/** E_n = (1 - beta^n) / (1 - beta) for each class; beta = 0 gives 1 for every n >= 1. */
export function effectiveNumbers(classCounts: ArrayLike<number>, beta: number): number[] {
  const fn = 'effectiveNumbers';
  checkNumber(fn, 'beta', beta, (b) => b >= 0 && b < 1, 'a number in [0, 1)');
  return Array.from(classCounts, (n, i) => {
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${fn}: classCounts[${i}] must be a non-negative integer; got ${n}`);
    // -expm1(n log beta) keeps precision when beta is within 1e-6 of 1 (1 - beta^n would cancel).
    return beta === 0 ? (n > 0 ? 1 : 0) : -Math.expm1(n * Math.log(beta)) / (1 - beta);
  });
}

/** Per-class weights `[C]` (float64 numbers) from the effective number of samples. */
export function effectiveNumberWeights(options: EffectiveNumberOptions): number[] {
  const fn = 'effectiveNumberWeights';
  const { classCounts, beta } = options;
  const normalization = options.normalization ?? 'mean';
  if (normalization !== 'mean' && normalization !== 'sum-to-classes') {
    throw new Error(`${fn}: normalization must be 'mean' or 'sum-to-classes'; got '${String(normalization)}'`);
  }
  if (classCounts == null || !(classCounts.length >= 1))
    throw new Error(`${fn}: classCounts must be a non-empty array; got ${String(classCounts)}`);
  if (beta === 0) return Array.from(classCounts, () => 1);
  const effective = effectiveNumbers(classCounts, beta);
  effective.forEach((e, i) => {
    if (!(e > 0))
      throw new Error(
        `${fn}: classCounts[${i}] must be >= 1 when beta > 0 (its weight would be infinite); got ${classCounts[i]}`,
      );
  });
  const numClasses = effective.length;
  if (normalization === 'mean') {
    const mean = effective.reduce((a, b) => a + b, 0) / numClasses;
    return effective.map((e) => mean / e);
  }
  const inverseSum = effective.reduce((a, e) => a + 1 / e, 0);
  return effective.map((e) => (1 / e / inverseSum) * numClasses);
}
