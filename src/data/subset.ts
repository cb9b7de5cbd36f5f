/**
 * Long-tailed subsets and stratified splits, drawn per class after a seeded shuffle
 * (docs/paper-notes.md, "Long-tailed benchmarks": as the reference's cifar_lt.py does with np.random).
 */
import type { Rng } from '../util/rng';
import { assertImageSet, classCounts, selectImages } from './image-set';
import type { ImageSet } from './types';

export interface LongTailedSubsetOptions {
  /** Wanted images per class, length numClasses (e.g. from `longTailedClassCounts`). */
  counts: number[];
  /** Shuffles each class's images before taking the first counts[c]. */
  rng: Rng;
}

export interface SubsetResult {
  set: ImageSet;
  /** Images per class in `set`. */
  classCounts: number[];
  /** Row of the source set for each row of `set`. */
  indices: Int32Array;
}

/**
 * Takes counts[c] images of each class c, chosen by a seeded shuffle; rows come out grouped by
 * class (class 0 first), in shuffled order inside a class. Same rng state, same subset.
 * Throws when a class has fewer images than asked for.
 */
export function longTailedSubset(set: ImageSet, options: LongTailedSubsetOptions): SubsetResult {
  const fn = 'longTailedSubset';
  assertImageSet(set, fn);
  const { counts, rng } = options;
  if (!Array.isArray(counts) || counts.length !== set.numClasses) {
    throw new Error(`${fn}: counts must be an array of length numClasses = ${set.numClasses}; got ${Array.isArray(counts) ? `length ${counts.length}` : typeof counts}`);
  }
  const byClass = indicesByClass(set);
  const chosen: number[] = [];
  counts.forEach((want, c) => {
    if (!Number.isInteger(want) || want < 0) throw new Error(`${fn}: counts[${c}] must be a non-negative integer; got ${want}`);
    if (want > byClass[c].length) throw new Error(`${fn}: counts[${c}] = ${want} but class ${c} has only ${byClass[c].length} images`);
    const pool = rng.shuffle(byClass[c]);
    for (let k = 0; k < want; k++) chosen.push(pool[k]);
  });
  const indices = Int32Array.from(chosen);
  const subset = selectImages(set, indices);
  return { set: subset, classCounts: classCounts(subset), indices };
}

/**
 * The subset made of the given rows of `set`, in their order (e.g. a list from data/subsets/, read
 * and checked by `readSubsetList`). Throws when a row is outside the set.
 */
export function subsetFromRows(set: ImageSet, rows: ArrayLike<number>): SubsetResult {
  const fn = 'subsetFromRows';
  assertImageSet(set, fn);
  const indices = Int32Array.from(rows);
  indices.forEach((row, i) => {
    if (row < 0 || row >= set.labels.length || row !== rows[i]) throw new Error(`${fn}: rows[${i}] = ${rows[i]} is not a row of the set (0..${set.labels.length - 1})`);
  });
  const subset = selectImages(set, indices);
  return { set: subset, classCounts: classCounts(subset), indices };
}

export interface StratifiedSplitOptions {
  /** Share of each class held out, in (0, 1); per class round(n_c * fraction), capped so that every class keeps >= 1 training image. */
  fraction: number;
  rng: Rng;
}

export interface StratifiedSplitResult {
  train: ImageSet;
  validation: ImageSet;
  trainIndices: Int32Array;
  validationIndices: Int32Array;
}

/**
 * Splits a (long-tailed) training set into train and validation with the same class proportions,
 * so that model selection never looks at the test set (a defect of the reference code).
 * A class with a single image stays entirely in train.
 */
export function stratifiedSplit(set: ImageSet, options: StratifiedSplitOptions): StratifiedSplitResult {
  assertImageSet(set, 'stratifiedSplit');
  const { trainIndices, validationIndices } = stratifiedSplitIndices(set, options);
  return { train: selectImages(set, trainIndices), validation: selectImages(set, validationIndices), trainIndices, validationIndices };
}

/** The index part of `stratifiedSplit` (same draws), for sets that are not held in memory (image lists). */
export function stratifiedSplitIndices(
  set: Pick<ImageSet, 'labels' | 'numClasses'>,
  options: StratifiedSplitOptions,
): { trainIndices: Int32Array; validationIndices: Int32Array } {
  const fn = 'stratifiedSplit';
  const { fraction, rng } = options;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`${fn}: fraction must be in (0, 1); got ${fraction}`);
  const train: number[] = [];
  const validation: number[] = [];
  for (const pool of indicesByClass(set)) {
    if (pool.length === 0) continue;
    rng.shuffle(pool);
    const held = Math.min(Math.round(pool.length * fraction), pool.length - 1);
    for (let k = 0; k < pool.length; k++) (k < held ? validation : train).push(pool[k]);
  }
  train.sort((a, b) => a - b);
  validation.sort((a, b) => a - b);
  return { trainIndices: Int32Array.from(train), validationIndices: Int32Array.from(validation) };
}

export interface HeldOutPerClassOptions {
  /** Rows of `set` that must not be drawn (e.g. `longTailedSubset(...).indices`). */
  exclude: Int32Array;
  /** Images drawn per class. */
  perClass: number;
  /** Shuffles each class's remaining images before taking the first `perClass`. */
  rng: Rng;
}

/**
 * A balanced set of `perClass` images per class drawn from the rows of `set` NOT in `exclude`:
 * a validation split beside a long-tailed subset that costs the subset nothing and is balanced
 * like the test set. Rows come out grouped by class. Throws when a class has too few images left.
 */
export function heldOutPerClass(set: ImageSet, options: HeldOutPerClassOptions): SubsetResult {
  const fn = 'heldOutPerClass';
  assertImageSet(set, fn);
  const { exclude, perClass, rng } = options;
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`${fn}: perClass must be an integer >= 1; got ${perClass}`);
  const excluded = new Uint8Array(set.labels.length);
  for (const row of exclude) {
    if (!Number.isInteger(row) || row < 0 || row >= set.labels.length) throw new Error(`${fn}: exclude holds row ${row}, outside 0..${set.labels.length - 1}`);
    excluded[row] = 1;
  }
  const chosen: number[] = [];
  indicesByClass(set).forEach((rows, c) => {
    const free = rows.filter((r) => excluded[r] === 0);
    if (free.length < perClass) throw new Error(`${fn}: class ${c} has ${free.length} images outside the excluded rows; perClass asks for ${perClass}`);
    const pool = rng.shuffle(free);
    for (let k = 0; k < perClass; k++) chosen.push(pool[k]);
  });
  const indices = Int32Array.from(chosen);
  const subset = selectImages(set, indices);
  return { set: subset, classCounts: classCounts(subset), indices };
}

function indicesByClass(set: Pick<ImageSet, 'labels' | 'numClasses'>): number[][] {
  const byClass: number[][] = Array.from({ length: set.numClasses }, () => []);
  for (let i = 0; i < set.labels.length; i++) byClass[set.labels[i]].push(i);
  return byClass;
}
