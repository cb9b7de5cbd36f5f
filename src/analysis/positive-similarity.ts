/**
 * Positive-pair cosine similarity per shot group (the paper's representation analysis, Sec. 4.4):
 * for every pair of distinct samples of the same class, cos(f_i, f_j), pooled over the classes of
 * the Many, Medium and Few groups. Tail classes with tight clusters show up as high similarities.
 */
import type { ShotGroup, ShotGroups } from '../eval/shot-groups';
import type { Rng } from '../util/rng';

export interface PositiveSimilarityOptions {
  /** Row-major features [N * dim] (backbone features or projections). */
  features: ArrayLike<number>;
  dim: number;
  /** Labels [N]. */
  labels: ArrayLike<number>;
  /** Shot groups of the classes (src/eval `shotGroups`). */
  groups: ShotGroups;
  /**
   * At most this many pairs per class (unordered, i < j); classes with more are subsampled with
   * `rng` (pairs drawn uniformly with replacement). Default 20000.
   */
  maxPairsPerClass?: number;
  /** Needed only when a class has more than maxPairsPerClass pairs. */
  rng?: Rng;
}

export interface PositiveSimilarity {
  grouping: ShotGroups['grouping'];
  /** Cosine similarities pooled per group. */
  similarities: Record<ShotGroup, number[]>;
  /** Mean positive similarity per class [C]; null for a class with fewer than 2 samples. */
  classMean: (number | null)[];
}

export function positiveSimilarities(options: PositiveSimilarityOptions): PositiveSimilarity {
  const fn = 'positiveSimilarities';
  const { features, dim, labels, groups } = options;
  const numClasses = groups.groupOf.length;
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${fn}: dim must be a positive integer; got ${dim}`);
  if (features.length !== labels.length * dim)
    throw new Error(
      `${fn}: features must hold labels.length * dim = ${labels.length * dim} values; got ${features.length}`,
    );
  const maxPairs = options.maxPairsPerClass ?? 20000;
  const members: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses)
      throw new Error(`${fn}: labels[${i}] must be a class index in 0..${numClasses - 1}; got ${y}`);
    members[y].push(i);
  }
  const norms = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += features[i * dim + k] ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  const cosine = (i: number, j: number): number => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += features[i * dim + k] * features[j * dim + k];
    return s / (norms[i] * norms[j]);
  };
  const similarities: Record<ShotGroup, number[]> = { many: [], medium: [], few: [] };
  const classMean = members.map((idx, c): number | null => {
    const m = idx.length;
    const pairs = (m * (m - 1)) / 2;
    if (pairs === 0) return null;
    const out = similarities[groups.groupOf[c]];
    let sum = 0;
    let count = 0;
    if (pairs <= maxPairs) {
      for (let a = 0; a < m; a++) {
        for (let b = a + 1; b < m; b++) {
          const v = cosine(idx[a], idx[b]);
          out.push(v);
          sum += v;
          count++;
        }
      }
    } else {
      if (!options.rng)
        throw new Error(
          `${fn}: rng must be given to subsample class ${c} (${pairs} pairs > maxPairsPerClass=${maxPairs})`,
        );
      for (let t = 0; t < maxPairs; t++) {
        const a = options.rng.int(m);
        let b = options.rng.int(m - 1);
        if (b >= a) b++;
        const v = cosine(idx[a], idx[b]);
        out.push(v);
        sum += v;
        count++;
      }
    }
    return sum / count;
  });
  return { grouping: groups.grouping, similarities, classMean };
}

export interface HistogramOptions {
  values: ArrayLike<number>;
  /** Number of equal-width bins. Default 40. */
  bins?: number;
  /** [low, high]; default [-1, 1] (cosine similarities). Values outside are clamped into the end bins. */
  range?: [number, number];
}

/** Histogram normalised to a density (integrates to 1 over the range): bin centres and heights. */
export function histogramDensity(options: HistogramOptions): { centers: number[]; density: number[]; count: number } {
  const bins = options.bins ?? 40;
  const [low, high] = options.range ?? [-1, 1];
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`histogramDensity: bins must be a positive integer; got ${bins}`);
  if (!(high > low))
    throw new Error(`histogramDensity: range must be [low, high] with high > low; got [${low}, ${high}]`);
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < options.values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((options.values[i] - low) / width)));
    counts[b]++;
  }
  const n = options.values.length;
  return {
    centers: counts.map((_, b) => low + (b + 0.5) * width),
    density: counts.map((c) => (n ? c / (n * width) : 0)),
    count: n,
  };
}
