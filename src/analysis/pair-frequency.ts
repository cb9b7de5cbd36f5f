/**
 * The analytic picture of the dual class imbalance (paper Sec. 3.1, heat-map figure): with an
 * exponential profile r_i = IF^(-(i-1)/(C-1)) (class 1 the head, r_1 = 1, r_C = 1/IF), a positive pair
 * needs two samples of a class, and pairs of classes (i, j) meet in proportion to r_i * r_j. The
 * matrix therefore spans IF^2 where the classes span IF; for C = 10, IF = 10 45 of the 100 cells lie
 * below 0.1, i.e. below the rarest class itself.
 */

export interface PairFrequencyOptions {
  /** C, at least 2. Default 10 (the paper's figure). */
  numClasses?: number;
  /** IF = r_1 / r_C, at least 1. Default 10 (the paper's figure). */
  imbalanceFactor?: number;
  /** Cells strictly below this count as "rarer than the rarest class". Default 1 / IF. */
  threshold?: number;
}

export interface PairFrequency {
  numClasses: number;
  imbalanceFactor: number;
  /** r_i, i = 0..C-1 (0-based here: r_i = IF^(-i/(C-1))). */
  profile: number[];
  /** cell[i][j] = r_i * r_j, [C][C]. */
  matrix: number[][];
  threshold: number;
  /** Number of cells strictly below `threshold` (with a 1e-12 relative allowance for rounding). */
  cellsBelowThreshold: number;
  /** max / min cell = IF^2. */
  span: number;
}

/** The exponential profile r_i = IF^(-i/(C-1)), i = 0..C-1 (0-based form of the paper's formula). */
export function exponentialProfile(options: { numClasses: number; imbalanceFactor: number }): number[] {
  const { numClasses, imbalanceFactor } = options;
  checkClassesAndFactor('exponentialProfile', numClasses, imbalanceFactor);
  return Array.from({ length: numClasses }, (_, i) => imbalanceFactor ** (-i / (numClasses - 1)));
}

export function pairFrequency(options: PairFrequencyOptions = {}): PairFrequency {
  const numClasses = options.numClasses ?? 10;
  const imbalanceFactor = options.imbalanceFactor ?? 10;
  checkClassesAndFactor('pairFrequency', numClasses, imbalanceFactor);
  const threshold = options.threshold ?? 1 / imbalanceFactor;
  if (!Number.isFinite(threshold) || threshold <= 0)
    throw new Error(`pairFrequency: threshold must be a positive number; got ${threshold}`);
  const profile = exponentialProfile({ numClasses, imbalanceFactor });
  const matrix = profile.map((ri) => profile.map((rj) => ri * rj));
  // r_i r_j = IF^(-(i+j)/(C-1)) lands exactly on the threshold for i + j = C - 1; the product of two
  // rounded powers may fall a hair below it, which must not count as "below".
  const cut = threshold * (1 - 1e-12);
  const cellsBelowThreshold = matrix.flat().filter((v) => v < cut).length;
  return {
    numClasses,
    imbalanceFactor,
    profile,
    matrix,
    threshold,
    cellsBelowThreshold,
    span: matrix[0][0] / matrix[numClasses - 1][numClasses - 1],
  };
}

function checkClassesAndFactor(fn: string, numClasses: number, imbalanceFactor: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw new Error(`${fn}: numClasses must be an integer >= 2; got ${numClasses}`);
  if (!Number.isFinite(imbalanceFactor) || imbalanceFactor < 1)
    throw new Error(`${fn}: imbalanceFactor must be a number >= 1; got ${imbalanceFactor}`);
}
