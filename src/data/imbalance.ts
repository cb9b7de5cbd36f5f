/**
 * Per-class training counts of the long-tailed benchmarks (docs/paper-notes.md, "Long-tailed
 * benchmarks"; reference: ResCom's datasets/cifar_lt.py, get_img_num_per_cls).
 */
import type { ImbalanceProfile } from './types';

export interface LongTailedClassCountsOptions {
  /** 'exp': n_c = floor(n_max * IF^(-c/(C-1))); 'step': first floor(C/2) classes n_max, the rest floor(n_max / IF). */
  profile: ImbalanceProfile;
  /** C, at least 2. */
  numClasses: number;
  /** Count of the head class (class 0), e.g. 5000 for CIFAR-10, 500 for CIFAR-100. */
  nMax: number;
  /** IF = n_max / n_min, at least 1 (the reference code's imb_factor is 1 / IF). */
  imbalanceFactor: number;
}

/**
 * Class counts, head (class 0) first. The power is computed as the reference does in Python,
 * `int(img_max * (imb_factor ** (cls_idx / (cls_num - 1.0))))` with imb_factor = 1 / IF, so that
 * floor() lands on the same integers (CIFAR-100-LT IF 100: 500..5, 10,847 in all).
 */
export function longTailedClassCounts(options: LongTailedClassCountsOptions): number[] {
  const { profile, numClasses, nMax, imbalanceFactor } = options;
  const fn = 'longTailedClassCounts';
  if (profile !== 'exp' && profile !== 'step') throw new Error(`${fn}: profile must be 'exp' or 'step'; got ${JSON.stringify(profile)}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`${fn}: numClasses must be an integer >= 2; got ${numClasses}`);
  if (!Number.isInteger(nMax) || nMax < 1) throw new Error(`${fn}: nMax must be a positive integer; got ${nMax}`);
  if (!Number.isFinite(imbalanceFactor) || imbalanceFactor < 1) throw new Error(`${fn}: imbalanceFactor must be a number >= 1; got ${imbalanceFactor}`);
  const imbFactor = 1 / imbalanceFactor;
  const counts: number[] = [];
  if (profile === 'exp') {
    for (let c = 0; c < numClasses; c++) counts.push(Math.floor(nMax * imbFactor ** (c / (numClasses - 1))));
  } else {
    const head = Math.floor(numClasses / 2);
    for (let c = 0; c < numClasses; c++) counts.push(c < head ? nMax : Math.floor(nMax * imbFactor));
  }
  return counts;
}
