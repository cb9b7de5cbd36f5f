/**
 * Many / Medium / Few shot groups of classes, from their TRAINING image counts.
 *
 * Two groupings, and every result says which one it used:
 * - 'count': Many > 100 training images, Medium 20..100, Few < 20 (the standard split of
 *   ImageNet-LT, Places-LT and CIFAR-100-LT; Liu et al. 2019, used by the ResCom paper, Sec. 4).
 * - 'rank-thirds': for datasets with few classes (Fashion-MNIST-LT, CIFAR-10-LT) the count split is
 *   degenerate (CIFAR-10-LT IF100 has no Few class), so classes are sorted by training count
 *   (descending, ties by class index) and cut into thirds: floor(C/3) Many, floor(C/3) Few, the
 *   rest Medium (10 classes: 3 / 4 / 3).
 */
import { checkPositiveInt, invalid } from './check';

export type ShotGroup = 'many' | 'medium' | 'few';
export type ShotGrouping = 'count' | 'rank-thirds';
export const SHOT_GROUPS: readonly ShotGroup[] = ['many', 'medium', 'few'];

export interface ShotGroupOptions {
  /** Training images per class [C]. */
  trainCounts: ArrayLike<number>;
  /**
   * 'count', 'rank-thirds', or 'auto' (default): 'rank-thirds' when C <= autoRankThirdsMaxClasses,
   * otherwise 'count'.
   */
  grouping?: ShotGrouping | 'auto';
  /** Largest class count for which 'auto' picks rank thirds. Default 20. */
  autoRankThirdsMaxClasses?: number;
  /** 'count' thresholds: Many if count > manyAbove (default 100), Few if count < fewBelow (default 20). */
  manyAbove?: number;
  fewBelow?: number;
}

export interface ShotGroups {
  grouping: ShotGrouping;
  /** Human-readable rule, e.g. "Many > 100, Medium 20..100, Few < 20 training images". */
  rule: string;
  /** Group of each class [C]. */
  groupOf: ShotGroup[];
  /** Class indices of each group, ascending. */
  classes: Record<ShotGroup, number[]>;
}

export function shotGroups(options: ShotGroupOptions): ShotGroups {
  const fn = 'shotGroups';
  const { trainCounts } = options;
  if (!trainCounts || typeof trainCounts.length !== 'number' || trainCounts.length === 0) {
    invalid(fn, 'trainCounts', 'a non-empty array of training counts', trainCounts);
  }
  for (let c = 0; c < trainCounts.length; c++) {
    if (!Number.isInteger(trainCounts[c]) || trainCounts[c] < 0)
      invalid(fn, `trainCounts[${c}]`, 'a non-negative integer', trainCounts[c]);
  }
  const numClasses = trainCounts.length;
  const requested = options.grouping ?? 'auto';
  const autoMax = checkPositiveInt(fn, 'autoRankThirdsMaxClasses', options.autoRankThirdsMaxClasses ?? 20);
  let grouping: ShotGrouping;
  if (requested === 'auto') grouping = numClasses <= autoMax ? 'rank-thirds' : 'count';
  else if (requested === 'count' || requested === 'rank-thirds') grouping = requested;
  else invalid(fn, 'grouping', "'count', 'rank-thirds' or 'auto'", requested);

  const groupOf = new Array<ShotGroup>(numClasses);
  let rule: string;
  if (grouping === 'count') {
    const manyAbove = options.manyAbove ?? 100;
    const fewBelow = options.fewBelow ?? 20;
    if (!(fewBelow <= manyAbove + 1)) invalid(fn, 'fewBelow', `at most manyAbove + 1 = ${manyAbove + 1}`, fewBelow);
    for (let c = 0; c < numClasses; c++) {
      const n = trainCounts[c];
      groupOf[c] = n > manyAbove ? 'many' : n < fewBelow ? 'few' : 'medium';
    }
    rule = `Many > ${manyAbove}, Medium ${fewBelow}..${manyAbove}, Few < ${fewBelow} training images`;
  } else {
    const order = Array.from({ length: numClasses }, (_, c) => c).sort(
      (a, b) => trainCounts[b] - trainCounts[a] || a - b,
    );
    const third = Math.floor(numClasses / 3);
    order.forEach((c, rank) => {
      groupOf[c] = rank < third ? 'many' : rank >= numClasses - third ? 'few' : 'medium';
    });
    rule = `classes ranked by training count: Many = top ${third}, Few = bottom ${third}, Medium = the other ${numClasses - 2 * third}`;
  }
  const classes: Record<ShotGroup, number[]> = { many: [], medium: [], few: [] };
  groupOf.forEach((g, c) => classes[g].push(c));
  return { grouping, rule, groupOf, classes };
}
