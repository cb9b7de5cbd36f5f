/**
 * Many / Medium / Few accuracy: the mean of per-class accuracies over the classes of each group
 * (class-averaged, as in Liu et al. 2019; with a balanced test set this equals the sample accuracy).
 */
import { invalid } from './check';
import { SHOT_GROUPS, type ShotGroup, type ShotGroups } from './shot-groups';

export interface GroupAccuracyOptions {
  /** Per-class accuracy [C]; null (or NaN) for classes with no test images. */
  accuracy: ArrayLike<number | null>;
  groups: ShotGroups;
}

export interface GroupAccuracyEntry {
  /** Mean accuracy of the group's tested classes; null if none of its classes has test images. */
  accuracy: number | null;
  /** Classes that entered the mean. */
  classesCounted: number[];
  /** Classes of the group left out because they have no test images. */
  classesWithoutTestImages: number[];
}

export interface GroupAccuracy {
  grouping: ShotGroups['grouping'];
  rule: string;
  many: GroupAccuracyEntry;
  medium: GroupAccuracyEntry;
  few: GroupAccuracyEntry;
  /** Says which classes were left out of the means, or that none were. */
  note: string;
}

export function manyMediumFewAccuracy(options: GroupAccuracyOptions): GroupAccuracy {
  const fn = 'manyMediumFewAccuracy';
  const { accuracy, groups } = options;
  if (accuracy.length !== groups.groupOf.length) {
    invalid(
      fn,
      'accuracy',
      `an array of ${groups.groupOf.length} per-class accuracies (one per class of groups)`,
      accuracy,
    );
  }
  const entries = {} as Record<ShotGroup, GroupAccuracyEntry>;
  const skipped: number[] = [];
  for (const g of SHOT_GROUPS) {
    const counted: number[] = [];
    const without: number[] = [];
    let sum = 0;
    for (const c of groups.classes[g]) {
      const a = accuracy[c];
      if (a === null || a === undefined || Number.isNaN(a)) {
        without.push(c);
        skipped.push(c);
      } else {
        counted.push(c);
        sum += a;
      }
    }
    entries[g] = {
      accuracy: counted.length ? sum / counted.length : null,
      classesCounted: counted,
      classesWithoutTestImages: without,
    };
  }
  const note = skipped.length
    ? `classes ${skipped.sort((a, b) => a - b).join(', ')} have no test images and are excluded from the group means`
    : 'every class has test images';
  return { grouping: groups.grouping, rule: groups.rule, ...entries, note };
}
